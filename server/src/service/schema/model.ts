/**
 * The compiled form of an XSD: what the validator, completion and hover read. Built once per schema file by
 * `compileSchema` (compiler.ts); immutable afterwards (content-model automata fill a transition cache lazily).
 */
import type { ContentAutomaton } from './automaton';
import type { XsdPattern } from './regex';

/** Built-in XSD types the compiler knows (local names in the XML Schema namespace). */
export type BuiltinTypeName =
  | 'anySimpleType'
  | 'string'
  | 'normalizedString'
  | 'token'
  | 'language'
  | 'Name'
  | 'NCName'
  | 'NMTOKEN'
  | 'anyURI'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'long'
  | 'int'
  | 'short'
  | 'byte'
  | 'nonNegativeInteger'
  | 'positiveInteger'
  | 'nonPositiveInteger'
  | 'negativeInteger'
  | 'unsignedLong'
  | 'unsignedInt'
  | 'unsignedShort'
  | 'unsignedByte'
  | 'double'
  | 'float';

export interface EnumerationValue {
  value: string;
  documentation?: string;
}

/** A simple type: a built-in, or a restriction (possibly of a restriction) of one, flattened. */
export interface SimpleTypeDef {
  /** The type's name (`DataType`, or `xs:string` for built-ins); undefined for anonymous types. */
  name?: string;
  /** The built-in type at the bottom of the derivation chain. */
  builtin: BuiltinTypeName;
  documentation?: string;
  /** Allowed values (of the most derived step that declares any), in schema order. */
  enumeration?: EnumerationValue[];
  /** Pattern facets: every group must match (derivation steps); within a group, any pattern may match. */
  patterns: XsdPattern[][];
  length?: number;
  minLength?: number;
  maxLength?: number;
  minInclusive?: number;
  maxInclusive?: number;
  minExclusive?: number;
  maxExclusive?: number;
  whiteSpace: 'preserve' | 'replace' | 'collapse';
}

export interface AttributeDecl {
  name: string;
  required: boolean;
  /** `use="prohibited"`: the attribute is declared but must not appear. */
  prohibited: boolean;
  type: SimpleTypeDef;
  default?: string;
  fixed?: string;
  documentation?: string;
  /** 1-based line of the declaration in the XSD. */
  line: number;
}

/**
 * How an element's content is constrained:
 * - `empty`: attributes only, no text, no child elements;
 * - `simple`: a text value of `simpleType` (simple types and simpleContent extensions);
 * - `elementOnly`: child elements per `content`, white space only between them;
 * - `mixed`: child elements per `content`, any text.
 */
export type ContentKind = 'empty' | 'simple' | 'elementOnly' | 'mixed';

export interface ComplexTypeDef {
  name?: string;
  documentation?: string;
  kind: ContentKind;
  /** Attributes by name, in declaration order. */
  attributes: Map<string, AttributeDecl>;
  /** Any attribute is allowed (xs:anyType). */
  anyAttribute?: boolean;
  /** For `simple` content. */
  simpleType?: SimpleTypeDef;
  /** For `elementOnly` and `mixed` content. */
  content?: ContentModel;
  line: number;
}

export interface ElementDecl {
  name: string;
  /** Namespace of the element (the target namespace for qualified local elements). */
  namespace: string | undefined;
  documentation?: string;
  /** Name of the declared type (`ClaimType`, `xs:string`); undefined for an anonymous type. */
  typeName?: string;
  /** The element's type; simple-typed elements get a `simple` complex type without attributes. */
  type: ComplexTypeDef;
  /** Occurrence bounds of this particle in its parent (1/1 for global elements). */
  minOccurs: number;
  maxOccurs: number;
  fixed?: string;
  default?: string;
  keys: KeyDecl[];
  line: number;
}

export interface Wildcard {
  kind: 'any';
  /** `##any`, `##other`, or a list of namespace names (`##targetNamespace`/`##local` resolved; local = ''). */
  namespaces: '##any' | { not: string | undefined } | Set<string>;
  processContents: 'skip' | 'lax' | 'strict';
  minOccurs: number;
  maxOccurs: number;
  line: number;
}

export interface ElementParticle {
  kind: 'element';
  decl: ElementDecl;
  minOccurs: number;
  maxOccurs: number;
}

export interface GroupParticle {
  kind: 'sequence' | 'choice';
  items: Particle[];
  minOccurs: number;
  maxOccurs: number;
  line: number;
}

export type Particle = ElementParticle | Wildcard | GroupParticle;

export interface ContentModel {
  particle: Particle;
  automaton: ContentAutomaton;
}

/** An xs:key or xs:unique with a selector/field XPath subset. */
export interface KeyDecl {
  name: string;
  kind: 'key' | 'unique';
  /** Alternatives (`|`) of relative paths of local names (`*` for any); `descendant` for a leading `.//`. */
  selector: { descendant: boolean; steps: string[] }[];
  /** One entry per xs:field: an attribute (`@Id`) or a relative element path whose text is the value. */
  fields: ({ attribute: string } | { steps: string[] })[];
  selectorText: string;
  line: number;
}

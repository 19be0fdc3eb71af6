/**
 * XSD -> compiled schema. Reads the schema with @xmldom/xmldom (+ xpath for top-level definitions) and
 * compiles the subset policy schemas use: global and local elements (named and anonymous types, `ref` to
 * global elements), sequence/choice/any with any occurrence bounds, attributes (use, default, fixed), simple
 * types restricting built-ins (enumeration, pattern, length facets, numeric bounds, whiteSpace), simpleContent
 * extensions, and xs:key/xs:unique with a selector/field XPath subset.
 *
 * Anything else (xs:group, xs:all, xs:attributeGroup, complexContent, xs:list, xs:union, xs:import, keyref,
 * substitution groups, ...) throws an Error naming the construct and its line: a schema is never half-read.
 */
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { ContentAutomaton } from './automaton';
import { SchemaCompileError, XS_NAMESPACE } from './compileError';
import { CompiledSchema } from './compiledSchema';
import type {
  AttributeDecl,
  ComplexTypeDef,
  ElementDecl,
  EnumerationValue,
  KeyDecl,
  Particle,
  SimpleTypeDef,
  Wildcard,
} from './model';
import { compileXsdPattern, XsdRegexError, type XsdPattern } from './regex';
import { builtinType, isBuiltinName } from './simpleTypes';

export { SchemaCompileError, XS_NAMESPACE };


export interface CompileOptions {
  /**
   * Read patterns the way the B2C service reads Microsoft's own XSD (as .NET regexes): a pattern wrapped in
   * `^...$` is anchored by those characters, and `\/` means `/`. Use for a foreign XSD; off for XSD-conformant
   * schemas, where `^` and `$` are ordinary characters and `\/` is an error.
   */
  anchoredPatterns?: boolean;
}

// Structural views of xmldom nodes (its typings declare DOM-like interfaces in their own namespace).
interface DomNode {
  nodeType: number;
  nodeName: string;
  localName: string | null;
  namespaceURI: string | null;
  childNodes: ArrayLike<DomNode>;
  textContent: string | null;
  lineNumber?: number;
  attributes?: ArrayLike<{ name: string; value: string; namespaceURI: string | null }>;
  getAttribute?(name: string): string | null;
  hasAttribute?(name: string): boolean;
  parentNode: DomNode | null;
}
type DomElement = DomNode & { getAttribute(name: string): string | null; hasAttribute(name: string): boolean };

/** Compiles an XSD text. Throws SchemaCompileError on malformed input or an unsupported construct. */
export function compileSchema(xsdText: string, options: CompileOptions = {}): CompiledSchema {
  return new Compiler(xsdText, options).compile();
}

const IGNORED_ATTRIBUTES = new Set(['id']);

class Compiler {
  private root!: DomElement;
  private targetNamespace: string | undefined;
  private elementsQualified = false;
  private readonly globalElements = new Map<string, ElementDecl>();
  private readonly complexTypes = new Map<string, ComplexTypeDef>();
  private readonly complexTypeNodes = new Map<string, DomElement>();
  private readonly simpleTypeNodes = new Map<string, DomElement>();
  private readonly simpleTypes = new Map<string, SimpleTypeDef>();
  private readonly simpleTypesInProgress = new Set<string>();
  private readonly filled = new Set<ComplexTypeDef>();

  constructor(
    private readonly text: string,
    private readonly options: CompileOptions,
  ) {}

  compile(): CompiledSchema {
    this.parse();
    const select = xpath.useNamespaces({ xs: XS_NAMESPACE });
    const asElements = (expression: string) => select(expression, this.root as unknown as Node) as unknown as DomElement[];

    for (const child of elementChildren(this.root)) {
      const name = this.xsName(child);
      if (!['element', 'complexType', 'simpleType', 'annotation'].includes(name)) this.unsupported(child);
    }
    this.checkAttributes(this.root, ['targetNamespace', 'elementFormDefault', 'attributeFormDefault', 'version', 'blockDefault', 'finalDefault', 'xml:lang']);
    if (this.root.getAttribute('attributeFormDefault') === 'qualified') this.fail(this.root, 'attributeFormDefault="qualified" is not supported');

    for (const node of asElements('/xs:schema/xs:simpleType')) this.simpleTypeNodes.set(this.requiredName(node), node);
    for (const node of asElements('/xs:schema/xs:complexType')) {
      const name = this.requiredName(node);
      if (this.complexTypeNodes.has(name)) this.fail(node, `duplicate complexType '${name}'`);
      this.complexTypeNodes.set(name, node);
      this.complexTypes.set(name, { name, kind: 'empty', attributes: new Map(), line: line(node) });
    }
    const globalNodes = asElements('/xs:schema/xs:element');
    for (const node of globalNodes) {
      const name = this.requiredName(node);
      this.globalElements.set(name, this.placeholderDecl(name, this.targetNamespace, node));
    }
    for (const name of this.simpleTypeNodes.keys()) this.namedSimpleType(name, this.simpleTypeNodes.get(name)!);
    for (const [name, node] of this.complexTypeNodes) this.fillComplexType(this.complexTypes.get(name)!, node);
    for (const node of globalNodes) {
      this.checkAttributes(node, ['name', 'type', 'default', 'fixed', 'nillable', 'abstract', 'block', 'final']);
      this.fillElementDecl(this.globalElements.get(node.getAttribute('name')!)!, node);
    }
    return new CompiledSchema({
      targetNamespace: this.targetNamespace,
      globalElements: this.globalElements,
      complexTypes: this.complexTypes,
      simpleTypes: this.simpleTypes,
    });
  }

  private parse(): void {
    let doc: { documentElement: DomNode | null };
    try {
      const parser = new DOMParser({
        onError: (level: string, message: string) => {
          if (level !== 'warning') throw new Error(message);
        },
      });
      doc = parser.parseFromString(this.text, 'text/xml') as unknown as { documentElement: DomNode | null };
    } catch (error) {
      throw new SchemaCompileError(`The schema is not well-formed XML: ${(error as Error).message}`, undefined);
    }
    const root = doc.documentElement as DomElement | null;
    if (!root || root.localName !== 'schema' || root.namespaceURI !== XS_NAMESPACE) {
      throw new SchemaCompileError(`Not an XML schema: the root element must be xs:schema in ${XS_NAMESPACE}`, root ? line(root) : undefined);
    }
    this.root = root;
    this.targetNamespace = root.getAttribute('targetNamespace') || undefined;
    this.elementsQualified = root.getAttribute('elementFormDefault') === 'qualified';
  }

  // ---- errors -------------------------------------------------------------------------------------------

  private fail(node: DomNode, why: string): never {
    throw new SchemaCompileError(`Schema line ${line(node)}: ${why}`, line(node));
  }

  private unsupported(node: DomNode, context?: string): never {
    this.fail(node, `unsupported XSD construct <${node.nodeName}>${context ? ` in ${context}` : ''}: the schema compiler does not support it`);
  }

  private checkAttributes(node: DomElement, allowed: string[]): void {
    for (const attribute of Array.from(node.attributes ?? [])) {
      const name = attribute.name;
      if (name === 'xmlns' || name.startsWith('xmlns:') || IGNORED_ATTRIBUTES.has(name) || allowed.includes(name)) continue;
      if (attribute.namespaceURI && attribute.namespaceURI !== XS_NAMESPACE) continue; // foreign attributes are annotations
      this.fail(node, `unsupported attribute ${name}="${attribute.value}" on <${node.nodeName}>`);
    }
  }

  private requiredName(node: DomElement): string {
    const name = node.getAttribute('name');
    if (!name) this.fail(node, `<${node.nodeName}> without a name`);
    return name;
  }

  private xsName(node: DomNode): string {
    if (node.namespaceURI !== XS_NAMESPACE) this.fail(node, `unexpected element <${node.nodeName}> outside the XML Schema namespace`);
    return node.localName!;
  }

  // ---- references ---------------------------------------------------------------------------------------

  private resolveQName(node: DomElement, qname: string): { namespace: string | undefined; local: string } {
    const colon = qname.indexOf(':');
    const prefix = colon < 0 ? null : qname.slice(0, colon);
    const local = colon < 0 ? qname : qname.slice(colon + 1);
    const namespace = lookupNamespace(node, prefix);
    if (prefix !== null && namespace === null) this.fail(node, `undeclared prefix '${prefix}' in '${qname}'`);
    return { namespace: namespace ?? undefined, local };
  }

  /** A type reference: a built-in simple type, a named simple type or a named complex type. */
  private typeRef(node: DomElement, qname: string): { simple: SimpleTypeDef } | { complex: ComplexTypeDef } {
    const { namespace, local } = this.resolveQName(node, qname);
    if (namespace === XS_NAMESPACE) {
      if (local === 'anyType') return { complex: this.anyType(node) };
      if (!isBuiltinName(local)) this.fail(node, `unsupported built-in type xs:${local}`);
      return { simple: builtinType(local) };
    }
    if (namespace !== this.targetNamespace) this.fail(node, `type '${qname}' is in namespace ${namespace ?? '(none)'}, not the target namespace (xs:import is not supported)`);
    const simpleNode = this.simpleTypeNodes.get(local);
    if (simpleNode) return { simple: this.namedSimpleType(local, simpleNode) };
    const complex = this.complexTypes.get(local);
    if (complex) return { complex };
    return this.fail(node, `unknown type '${qname}'`);
  }

  /** xs:anyType: any attributes, any text, any child elements (validated when declared globally: lax). */
  private anyType(node: DomElement): ComplexTypeDef {
    const lineNumber = line(node);
    const particle: Particle = {
      kind: 'any',
      namespaces: '##any',
      processContents: 'lax',
      minOccurs: 0,
      maxOccurs: Infinity,
      line: lineNumber,
    };
    return {
      name: 'xs:anyType',
      kind: 'mixed',
      attributes: new Map(),
      anyAttribute: true,
      content: { particle, automaton: new ContentAutomaton(particle, this.targetNamespace) },
      line: lineNumber,
    };
  }

  private simpleTypeRef(node: DomElement, qname: string): SimpleTypeDef {
    const ref = this.typeRef(node, qname);
    if ('complex' in ref) this.fail(node, `'${qname}' is a complex type where a simple type is required`);
    return ref.simple;
  }

  // ---- documentation ------------------------------------------------------------------------------------

  private documentation(node: DomNode): string | undefined {
    const parts: string[] = [];
    for (const child of elementChildren(node)) {
      if (this.xsName(child) !== 'annotation') continue;
      for (const doc of elementChildren(child)) {
        const name = this.xsName(doc);
        if (name === 'documentation') {
          const text = dedent(doc.textContent ?? '');
          if (text) parts.push(text);
        } else if (name !== 'appinfo') this.unsupported(doc, 'xs:annotation');
      }
    }
    return parts.length ? parts.join('\n\n') : undefined;
  }

  // ---- simple types -------------------------------------------------------------------------------------

  private namedSimpleType(name: string, node: DomElement): SimpleTypeDef {
    const done = this.simpleTypes.get(name);
    if (done) return done;
    if (this.simpleTypesInProgress.has(name)) this.fail(node, `simpleType '${name}' is derived from itself`);
    this.simpleTypesInProgress.add(name);
    const def = this.simpleType(node, name);
    this.simpleTypesInProgress.delete(name);
    this.simpleTypes.set(name, def);
    return def;
  }

  private simpleType(node: DomElement, name?: string): SimpleTypeDef {
    this.checkAttributes(node, ['name', 'final']);
    const documentation = this.documentation(node);
    let restriction: DomElement | undefined;
    for (const child of elementChildren(node)) {
      const kind = this.xsName(child);
      if (kind === 'annotation') continue;
      if (kind !== 'restriction' || restriction) this.unsupported(child, `simpleType${name ? ` '${name}'` : ''}`);
      restriction = child;
    }
    if (!restriction) this.fail(node, `simpleType${name ? ` '${name}'` : ''} has no xs:restriction`);
    const def = this.restriction(restriction);
    def.name = name;
    def.documentation = documentation ?? def.documentation;
    return def;
  }

  private restriction(node: DomElement): SimpleTypeDef {
    this.checkAttributes(node, ['base']);
    const baseName = node.getAttribute('base');
    let base: SimpleTypeDef | undefined = baseName ? this.simpleTypeRef(node, baseName) : undefined;
    const enumeration: EnumerationValue[] = [];
    const patterns: XsdPattern[] = [];
    const def: Partial<SimpleTypeDef> = {};
    for (const child of elementChildren(node)) {
      const facet = this.xsName(child);
      if (facet === 'annotation') continue;
      if (facet === 'simpleType') {
        if (base) this.fail(child, 'xs:restriction has both a base attribute and an inline simpleType');
        base = this.simpleType(child);
        continue;
      }
      this.checkAttributes(child, ['value', 'fixed']);
      const value = child.getAttribute('value');
      if (value === null) this.fail(child, `facet <${child.nodeName}> without a value`);
      switch (facet) {
        case 'enumeration':
          enumeration.push({ value, documentation: this.documentation(child) });
          break;
        case 'pattern':
          try {
            patterns.push(compileXsdPattern(value, { anchored: this.options.anchoredPatterns }));
          } catch (error) {
            if (error instanceof XsdRegexError) this.fail(child, error.message);
            throw error;
          }
          break;
        case 'length':
        case 'minLength':
        case 'maxLength':
          if (!/^\d+$/.test(value)) this.fail(child, `${facet} must be a non-negative integer`);
          def[facet] = Number(value);
          break;
        case 'minInclusive':
        case 'maxInclusive':
        case 'minExclusive':
        case 'maxExclusive':
          if (Number.isNaN(Number(value))) this.fail(child, `${facet} must be a number`);
          def[facet] = Number(value);
          break;
        case 'whiteSpace':
          if (value !== 'preserve' && value !== 'replace' && value !== 'collapse') this.fail(child, `invalid whiteSpace '${value}'`);
          def.whiteSpace = value;
          break;
        default:
          this.unsupported(child, 'xs:restriction');
      }
    }
    if (!base) this.fail(node, 'xs:restriction without a base type');
    const result: SimpleTypeDef = { ...base, name: undefined, patterns: [...base.patterns] };
    if (patterns.length) result.patterns.push(patterns);
    if (enumeration.length) result.enumeration = enumeration;
    for (const key of ['length', 'minLength', 'maxLength', 'minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive', 'whiteSpace'] as const) {
      if (def[key] !== undefined) (result as unknown as Record<string, unknown>)[key] = def[key];
    }
    return result;
  }

  // ---- complex types ------------------------------------------------------------------------------------

  private fillComplexType(def: ComplexTypeDef, node: DomElement): void {
    if (this.filled.has(def)) return;
    this.filled.add(def);
    this.checkAttributes(node, ['name', 'mixed', 'abstract', 'block', 'final']);
    if (node.getAttribute('abstract') === 'true') this.fail(node, 'abstract complex types are not supported');
    const mixed = node.getAttribute('mixed') === 'true';
    def.documentation = this.documentation(node);
    const context = `complexType${def.name ? ` '${def.name}'` : ''}`;
    let particle: Particle | undefined;
    for (const child of elementChildren(node)) {
      const kind = this.xsName(child);
      switch (kind) {
        case 'annotation':
          break;
        case 'sequence':
        case 'choice':
          if (particle || def.kind === 'simple') this.unsupported(child, context);
          particle = this.group(child);
          break;
        case 'simpleContent':
          if (particle) this.unsupported(child, context);
          this.simpleContent(def, child);
          break;
        case 'attribute':
          this.attribute(def, child);
          break;
        default:
          this.unsupported(child, context);
      }
    }
    if (def.kind !== 'simple') {
      if (particle) {
        def.kind = mixed ? 'mixed' : 'elementOnly';
        def.content = { particle, automaton: new ContentAutomaton(particle, this.targetNamespace) };
      } else def.kind = mixed ? 'mixed' : 'empty';
      if (mixed && !particle) {
        const empty: Particle = { kind: 'sequence', items: [], minOccurs: 1, maxOccurs: 1, line: line(node) };
        def.content = { particle: empty, automaton: new ContentAutomaton(empty, this.targetNamespace) };
      }
    }
  }

  private simpleContent(def: ComplexTypeDef, node: DomElement): void {
    this.checkAttributes(node, []);
    let extension: DomElement | undefined;
    for (const child of elementChildren(node)) {
      const kind = this.xsName(child);
      if (kind === 'annotation') continue;
      if (kind !== 'extension' || extension) this.unsupported(child, 'xs:simpleContent');
      extension = child;
    }
    if (!extension) this.fail(node, 'xs:simpleContent without xs:extension');
    this.checkAttributes(extension, ['base']);
    const baseName = extension.getAttribute('base');
    if (!baseName) this.fail(extension, 'xs:extension without a base');
    const base = this.typeRef(extension, baseName);
    def.kind = 'simple';
    if ('simple' in base) def.simpleType = base.simple;
    else {
      const baseNode = this.complexTypeNodes.get(base.complex.name!)!;
      this.fillComplexType(base.complex, baseNode);
      if (base.complex.kind !== 'simple') this.fail(extension, `simpleContent extension of '${baseName}', which does not have simple content`);
      def.simpleType = base.complex.simpleType;
      for (const [name, attribute] of base.complex.attributes) def.attributes.set(name, attribute);
    }
    for (const child of elementChildren(extension)) {
      const kind = this.xsName(child);
      if (kind === 'annotation') continue;
      if (kind !== 'attribute') this.unsupported(child, 'xs:extension');
      this.attribute(def, child);
    }
  }

  private attribute(def: ComplexTypeDef, node: DomElement): void {
    this.checkAttributes(node, ['name', 'type', 'use', 'default', 'fixed', 'form']);
    if (node.hasAttribute('ref')) this.unsupported(node, 'attribute references (ref=)');
    if (node.getAttribute('form') === 'qualified') this.fail(node, 'qualified attributes (form="qualified") are not supported');
    const name = this.requiredName(node);
    const use = node.getAttribute('use') ?? 'optional';
    if (use !== 'optional' && use !== 'required' && use !== 'prohibited') this.fail(node, `invalid use="${use}"`);
    let type: SimpleTypeDef | undefined;
    const typeName = node.getAttribute('type');
    if (typeName) type = this.simpleTypeRef(node, typeName);
    for (const child of elementChildren(node)) {
      const kind = this.xsName(child);
      if (kind === 'annotation') continue;
      if (kind !== 'simpleType' || type) this.unsupported(child, `attribute '${name}'`);
      type = this.simpleType(child);
    }
    const decl: AttributeDecl = {
      name,
      required: use === 'required',
      prohibited: use === 'prohibited',
      type: type ?? builtinType('anySimpleType'),
      default: node.getAttribute('default') ?? undefined,
      fixed: node.getAttribute('fixed') ?? undefined,
      documentation: this.documentation(node),
      line: line(node),
    };
    if (def.attributes.has(name)) this.fail(node, `duplicate attribute '${name}'`);
    def.attributes.set(name, decl);
  }

  // ---- particles ----------------------------------------------------------------------------------------

  private occurs(node: DomElement): { minOccurs: number; maxOccurs: number } {
    const min = node.getAttribute('minOccurs') ?? '1';
    const max = node.getAttribute('maxOccurs') ?? '1';
    if (!/^\d+$/.test(min)) this.fail(node, `invalid minOccurs="${min}"`);
    if (max !== 'unbounded' && !/^\d+$/.test(max)) this.fail(node, `invalid maxOccurs="${max}"`);
    const minOccurs = Number(min);
    const maxOccurs = max === 'unbounded' ? Infinity : Number(max);
    if (maxOccurs < minOccurs) this.fail(node, `maxOccurs is less than minOccurs`);
    return { minOccurs, maxOccurs };
  }

  private group(node: DomElement): Particle {
    this.checkAttributes(node, ['minOccurs', 'maxOccurs']);
    const kind = this.xsName(node) as 'sequence' | 'choice';
    const items: Particle[] = [];
    for (const child of elementChildren(node)) {
      switch (this.xsName(child)) {
        case 'annotation':
          break;
        case 'element':
          items.push(this.localElement(child));
          break;
        case 'sequence':
        case 'choice':
          items.push(this.group(child));
          break;
        case 'any':
          items.push(this.wildcard(child));
          break;
        default:
          this.unsupported(child, `xs:${kind}`);
      }
    }
    return { kind, items, ...this.occurs(node), line: line(node) };
  }

  private wildcard(node: DomElement): Wildcard {
    this.checkAttributes(node, ['namespace', 'processContents', 'minOccurs', 'maxOccurs']);
    const processContents = node.getAttribute('processContents') ?? 'strict';
    if (processContents !== 'skip' && processContents !== 'lax' && processContents !== 'strict') this.fail(node, `invalid processContents="${processContents}"`);
    const spec = (node.getAttribute('namespace') ?? '##any').trim();
    let namespaces: Wildcard['namespaces'];
    if (spec === '##any') namespaces = '##any';
    else if (spec === '##other') namespaces = { not: this.targetNamespace };
    else {
      namespaces = new Set(
        spec.split(/\s+/).map((ns) => (ns === '##targetNamespace' ? this.targetNamespace ?? '' : ns === '##local' ? '' : ns)),
      );
    }
    return { kind: 'any', namespaces, processContents, ...this.occurs(node), line: line(node) };
  }

  private localElement(node: DomElement): Particle {
    const occurs = this.occurs(node);
    const ref = node.getAttribute('ref');
    if (ref) {
      this.checkAttributes(node, ['ref', 'minOccurs', 'maxOccurs']);
      const { namespace, local } = this.resolveQName(node, ref);
      const global = namespace === this.targetNamespace ? this.globalElements.get(local) : undefined;
      if (!global) this.fail(node, `element reference '${ref}' names no global element of this schema`);
      return { kind: 'element', decl: global, ...occurs };
    }
    this.checkAttributes(node, ['name', 'type', 'minOccurs', 'maxOccurs', 'default', 'fixed', 'form', 'nillable', 'block']);
    const form = node.getAttribute('form');
    const qualified = form ? form === 'qualified' : this.elementsQualified;
    const decl = this.placeholderDecl(this.requiredName(node), qualified ? this.targetNamespace : undefined, node);
    decl.minOccurs = occurs.minOccurs;
    decl.maxOccurs = occurs.maxOccurs;
    this.fillElementDecl(decl, node);
    return { kind: 'element', decl, ...occurs };
  }

  private placeholderDecl(name: string, namespace: string | undefined, node: DomElement): ElementDecl {
    return {
      name,
      namespace,
      type: { kind: 'empty', attributes: new Map(), line: line(node) },
      minOccurs: 1,
      maxOccurs: 1,
      keys: [],
      line: line(node),
    };
  }

  private fillElementDecl(decl: ElementDecl, node: DomElement): void {
    if (node.getAttribute('nillable') === 'true') this.fail(node, 'nillable elements are not supported');
    if (node.getAttribute('abstract') === 'true' || node.hasAttribute('substitutionGroup')) this.fail(node, 'substitution groups are not supported');
    decl.documentation = this.documentation(node);
    decl.fixed = node.getAttribute('fixed') ?? undefined;
    decl.default = node.getAttribute('default') ?? undefined;
    const typeName = node.getAttribute('type');
    let typed = false;
    if (typeName) {
      typed = true;
      const ref = this.typeRef(node, typeName);
      const resolved = this.resolveQName(node, typeName);
      decl.typeName = resolved.namespace === XS_NAMESPACE ? 'xs:' + resolved.local : resolved.local;
      decl.type = 'complex' in ref ? ref.complex : simpleElementType(ref.simple, line(node));
    }
    for (const child of elementChildren(node)) {
      const kind = this.xsName(child);
      switch (kind) {
        case 'annotation':
          break;
        case 'complexType': {
          if (typed) this.fail(child, `element '${decl.name}' has both a type and an inline type`);
          typed = true;
          const def: ComplexTypeDef = { kind: 'empty', attributes: new Map(), line: line(child) };
          this.fillComplexType(def, child);
          decl.type = def;
          break;
        }
        case 'simpleType':
          if (typed) this.fail(child, `element '${decl.name}' has both a type and an inline type`);
          typed = true;
          decl.type = simpleElementType(this.simpleType(child), line(child));
          break;
        case 'key':
        case 'unique':
          decl.keys.push(this.key(child, kind));
          break;
        default:
          this.unsupported(child, `element '${decl.name}'`);
      }
    }
    if (!typed) decl.type = this.anyType(node); // no type: xs:anyType
  }

  // ---- identity constraints -----------------------------------------------------------------------------

  private key(node: DomElement, kind: 'key' | 'unique'): KeyDecl {
    this.checkAttributes(node, ['name']);
    const name = this.requiredName(node);
    let selector: KeyDecl['selector'] | undefined;
    let selectorText = '';
    const fields: KeyDecl['fields'] = [];
    for (const child of elementChildren(node)) {
      const part = this.xsName(child);
      if (part === 'annotation') continue;
      this.checkAttributes(child, ['xpath']);
      const path = (child.getAttribute('xpath') ?? '').trim();
      if (part === 'selector' && !selector) {
        selectorText = path;
        selector = path.split('|').map((alternative) => {
          let text = alternative.trim();
          let descendant = false;
          if (text.startsWith('.//')) {
            descendant = true;
            text = text.slice(3);
          }
          const steps = this.pathSteps(child, text);
          if (!steps) this.fail(child, `unsupported selector XPath '${path}' in key '${name}'`);
          return { descendant, steps };
        });
      } else if (part === 'field' && selector) {
        const attribute = /^@([A-Za-z_][\w.-]*)$/.exec(path);
        if (attribute) fields.push({ attribute: attribute[1] });
        else {
          const steps = this.pathSteps(child, path);
          if (!steps || steps.length === 0) this.fail(child, `unsupported field XPath '${path}' in key '${name}'`);
          fields.push({ steps });
        }
      } else this.unsupported(child, `xs:${kind} '${name}'`);
    }
    if (!selector || fields.length === 0) this.fail(node, `xs:${kind} '${name}' needs a selector and at least one field`);
    return { name, kind, selector, fields, selectorText, line: line(node) };
  }

  /** `a:B/a:C`, `.`, `*` -> local names ('*' for any); undefined for anything outside the subset. */
  private pathSteps(node: DomElement, text: string): string[] | undefined {
    if (text === '.') return [];
    const steps: string[] = [];
    for (const raw of text.split('/')) {
      const step = raw.trim();
      if (step === '.') continue;
      if (step === '*') {
        steps.push('*');
        continue;
      }
      if (!/^([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*$/.test(step)) return undefined;
      steps.push(this.resolveQName(node, step).local);
    }
    return steps;
  }
}

function simpleElementType(simpleType: SimpleTypeDef, lineNumber: number): ComplexTypeDef {
  return { name: simpleType.name, kind: 'simple', simpleType, attributes: new Map(), line: lineNumber };
}

function elementChildren(node: DomNode): DomElement[] {
  const out: DomElement[] = [];
  for (let i = 0; i < node.childNodes.length; i++) {
    const child = node.childNodes[i];
    if (child.nodeType === 1) out.push(child as DomElement);
  }
  return out;
}

/** The namespace bound to a prefix (null: the default namespace) where the node is. */
function lookupNamespace(node: DomNode, prefix: string | null): string | null {
  if (prefix === 'xml') return 'http://www.w3.org/XML/1998/namespace';
  const name = prefix === null ? 'xmlns' : 'xmlns:' + prefix;
  for (let n: DomNode | null = node; n && n.nodeType === 1; n = n.parentNode) {
    const e = n as DomElement;
    if (e.hasAttribute(name)) return e.getAttribute(name) || null;
  }
  return null;
}

function line(node: DomNode): number {
  return node.lineNumber ?? 0;
}

/** Documentation text without the XSD's indentation. */
function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length && !lines[0]) lines.shift();
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  const indent = Math.min(...lines.filter((l) => l).map((l) => /^\s*/.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

/**
 * A compiled schema as plain JSON data, and back. The bundled schemas are compiled at build time
 * (scripts/build-schemas.mjs) into this form, so that starting the CLI or the server parses JSON instead of
 * reading the XSD with xmldom and XPath; a user's XSD is compiled once and cached on disk in this form.
 *
 * Objects shared in the compiled schema (a named type used by many elements, a global element referenced
 * from content models) are written once and referred to by index, so identity survives the round trip.
 * Content-model automata are not stored: they are rebuilt from the particles on first use. This module
 * must not import the compiler (it keeps xmldom out of the startup path).
 */
import { ContentAutomaton } from './automaton';
import { CompiledSchema } from './compiledSchema';
import type { AttributeDecl, ComplexTypeDef, ContentModel, ElementDecl, KeyDecl, Particle, SimpleTypeDef, Wildcard } from './model';
import { XsdPattern } from './regex';

/** Bump whenever the shape below or the compiler's output changes meaning: cached files of another format are ignored. */
export const SERIALIZED_SCHEMA_FORMAT = 1;

export interface SerializedSchema {
  format: number;
  targetNamespace?: string;
  simpleTypes: SerializedSimpleType[];
  complexTypes: SerializedComplexType[];
  elements: SerializedElement[];
  /** Name -> index, in the compiled maps' order. */
  globalElements: [string, number][];
  complexTypeNames: [string, number][];
  simpleTypeNames: [string, number][];
}

/** A simple type as data: its patterns as [source, anchored] pairs (recompiled on load). */
type SerializedSimpleType = Omit<SimpleTypeDef, 'patterns'> & { patterns: [string, boolean][][] };

/** Defaults are left out to keep the data small: false flags, occurrence bounds of 1, empty key lists. */
interface SerializedAttribute {
  name: string;
  required?: true;
  prohibited?: true;
  type: number;
  default?: string;
  fixed?: string;
  documentation?: string;
  line: number;
}

interface SerializedComplexType {
  name?: string;
  documentation?: string;
  kind: ComplexTypeDef['kind'];
  attributes: SerializedAttribute[];
  anyAttribute?: boolean;
  simpleType?: number;
  content?: SerializedParticle;
  line: number;
}

/** Occurrence bounds use null for unbounded (JSON has no Infinity). */
type SerializedParticle =
  | ({ element: number } & SerializedOccurs)
  | ({ any: SerializedNamespaces; processContents: Wildcard['processContents']; line: number } & SerializedOccurs)
  | ({ group: 'sequence' | 'choice'; items: SerializedParticle[]; line: number } & SerializedOccurs);

interface SerializedOccurs {
  minOccurs?: number;
  maxOccurs?: number | null;
}

type SerializedNamespaces = { any: true } | { not: string | null } | { list: string[] };

interface SerializedElement extends SerializedOccurs {
  name: string;
  /** In the target namespace (qualified); `namespace` for any other. */
  qualified?: true;
  namespace?: string;
  documentation?: string;
  typeName?: string;
  type: number;
  fixed?: string;
  default?: string;
  keys?: KeyDecl[];
  line: number;
}

/** Thrown when serialized data is not a schema of the supported format (a stale or damaged cache file). */
export class SerializedSchemaError extends Error {}

// ---- writing ----------------------------------------------------------------------------------------------

export function serializeSchema(schema: CompiledSchema): SerializedSchema {
  return new Writer(schema).write();
}

class Writer {
  private readonly simpleIds = new Map<SimpleTypeDef, number>();
  /** Structurally equal simple types (each use of a built-in is its own object) are written once. */
  private readonly simpleByContent = new Map<string, number>();
  private readonly complexIds = new Map<ComplexTypeDef, number>();
  private readonly elementIds = new Map<ElementDecl, number>();
  private readonly out: SerializedSchema;

  constructor(private readonly schema: CompiledSchema) {
    this.out = {
      format: SERIALIZED_SCHEMA_FORMAT,
      targetNamespace: schema.targetNamespace,
      simpleTypes: [],
      complexTypes: [],
      elements: [],
      globalElements: [],
      complexTypeNames: [],
      simpleTypeNames: [],
    };
  }

  write(): SerializedSchema {
    for (const [name, decl] of this.schema.globalElements) this.out.globalElements.push([name, this.element(decl)]);
    for (const [name, type] of this.schema.complexTypes) this.out.complexTypeNames.push([name, this.complex(type)]);
    for (const [name, type] of this.schema.simpleTypes) this.out.simpleTypeNames.push([name, this.simple(type)]);
    return this.out;
  }

  private simple(type: SimpleTypeDef): number {
    const known = this.simpleIds.get(type);
    if (known !== undefined) return known;
    // Fields listed one by one: a fixed key order makes the output deterministic whatever built the object.
    const entry: SerializedSimpleType = {
      name: type.name,
      builtin: type.builtin,
      documentation: type.documentation,
      enumeration: type.enumeration?.map((e) => ({ value: e.value, documentation: e.documentation })),
      patterns: type.patterns.map((group) => group.map((p): [string, boolean] => [p.source, p.anchored])),
      length: type.length,
      minLength: type.minLength,
      maxLength: type.maxLength,
      minInclusive: type.minInclusive,
      maxInclusive: type.maxInclusive,
      minExclusive: type.minExclusive,
      maxExclusive: type.maxExclusive,
      whiteSpace: type.whiteSpace,
    };
    const content = JSON.stringify(entry);
    let id = this.simpleByContent.get(content);
    if (id === undefined) {
      id = this.out.simpleTypes.length;
      this.out.simpleTypes.push(entry);
      this.simpleByContent.set(content, id);
    }
    this.simpleIds.set(type, id);
    return id;
  }

  private complex(type: ComplexTypeDef): number {
    const known = this.complexIds.get(type);
    if (known !== undefined) return known;
    const id = this.out.complexTypes.length;
    this.complexIds.set(type, id);
    const entry: SerializedComplexType = { name: type.name, documentation: type.documentation, kind: type.kind, attributes: [], anyAttribute: type.anyAttribute, line: type.line };
    this.out.complexTypes.push(entry);
    for (const a of type.attributes.values()) {
      entry.attributes.push({
        name: a.name,
        required: a.required || undefined,
        prohibited: a.prohibited || undefined,
        type: this.simple(a.type),
        default: a.default,
        fixed: a.fixed,
        documentation: a.documentation,
        line: a.line,
      });
    }
    if (type.simpleType) entry.simpleType = this.simple(type.simpleType);
    if (type.content) entry.content = this.particle(type.content.particle);
    return id;
  }

  private element(decl: ElementDecl): number {
    const known = this.elementIds.get(decl);
    if (known !== undefined) return known;
    const id = this.out.elements.length;
    this.elementIds.set(decl, id);
    const entry: SerializedElement = {
      name: decl.name,
      qualified: (decl.namespace !== undefined && decl.namespace === this.schema.targetNamespace) || undefined,
      namespace: decl.namespace !== this.schema.targetNamespace ? decl.namespace : undefined,
      documentation: decl.documentation,
      typeName: decl.typeName,
      type: -1,
      ...occurs(decl),
      fixed: decl.fixed,
      default: decl.default,
      keys: decl.keys.length ? decl.keys : undefined,
      line: decl.line,
    };
    this.out.elements.push(entry);
    entry.type = this.complex(decl.type);
    return id;
  }

  private particle(particle: Particle): SerializedParticle {
    switch (particle.kind) {
      case 'element':
        return { element: this.element(particle.decl), ...occurs(particle) };
      case 'any': {
        const spec = particle.namespaces;
        const any: SerializedNamespaces = spec === '##any' ? { any: true } : spec instanceof Set ? { list: [...spec] } : { not: spec.not ?? null };
        return { any, processContents: particle.processContents, ...occurs(particle), line: particle.line };
      }
      default:
        return { group: particle.kind, items: particle.items.map((p) => this.particle(p)), ...occurs(particle), line: particle.line };
    }
  }
}

function occurs(p: { minOccurs: number; maxOccurs: number }): SerializedOccurs {
  return { minOccurs: p.minOccurs === 1 ? undefined : p.minOccurs, maxOccurs: p.maxOccurs === 1 ? undefined : p.maxOccurs === Infinity ? null : p.maxOccurs };
}

function readOccurs(p: SerializedOccurs): { minOccurs: number; maxOccurs: number } {
  return { minOccurs: p.minOccurs ?? 1, maxOccurs: p.maxOccurs === undefined ? 1 : p.maxOccurs === null ? Infinity : p.maxOccurs };
}

// ---- reading ----------------------------------------------------------------------------------------------

/** Rebuilds a compiled schema. Throws SerializedSchemaError on data of another format or shape. */
export function deserializeSchema(data: unknown): CompiledSchema {
  const input = data as SerializedSchema;
  if (!input || typeof input !== 'object' || input.format !== SERIALIZED_SCHEMA_FORMAT) {
    throw new SerializedSchemaError(`not a compiled schema of format ${SERIALIZED_SCHEMA_FORMAT}`);
  }
  try {
    return new Reader(input).read();
  } catch (error) {
    if (error instanceof SerializedSchemaError) throw error;
    throw new SerializedSchemaError(`damaged compiled schema: ${(error as Error).message}`);
  }
}

class Reader {
  private readonly patterns = new Map<string, XsdPattern>();
  private readonly simpleTypes: SimpleTypeDef[];
  private readonly complexTypes: ComplexTypeDef[];
  private readonly elements: ElementDecl[];

  constructor(private readonly input: SerializedSchema) {
    this.simpleTypes = input.simpleTypes.map((s) => this.simple(s));
    this.complexTypes = input.complexTypes.map((c) => ({ name: c.name, documentation: c.documentation, kind: c.kind, attributes: new Map(), anyAttribute: c.anyAttribute, line: c.line }));
    this.elements = input.elements.map((e) => ({
      name: e.name,
      namespace: e.qualified ? input.targetNamespace : e.namespace,
      documentation: e.documentation,
      typeName: e.typeName,
      type: this.complexTypes[e.type],
      ...readOccurs(e),
      fixed: e.fixed,
      default: e.default,
      keys: e.keys ?? [],
      line: e.line,
    }));
  }

  read(): CompiledSchema {
    this.input.complexTypes.forEach((c, i) => this.fillComplex(this.complexTypes[i], c));
    const pick = <T>(list: T[], index: number): T => {
      const item = list[index];
      if (item === undefined) throw new SerializedSchemaError(`index ${index} out of range`);
      return item;
    };
    return new CompiledSchema({
      targetNamespace: this.input.targetNamespace,
      globalElements: new Map(this.input.globalElements.map(([name, i]) => [name, pick(this.elements, i)])),
      complexTypes: new Map(this.input.complexTypeNames.map(([name, i]) => [name, pick(this.complexTypes, i)])),
      simpleTypes: new Map(this.input.simpleTypeNames.map(([name, i]) => [name, pick(this.simpleTypes, i)])),
    });
  }

  private simple(s: SerializedSimpleType): SimpleTypeDef {
    const { patterns, enumeration, ...rest } = s;
    return {
      ...rest,
      enumeration: enumeration?.map((e) => ({ ...e })),
      patterns: patterns.map((group) => group.map(([source, anchored]) => this.pattern(source, anchored))),
    };
  }

  private pattern(source: string, anchored: boolean): XsdPattern {
    const key = (anchored ? 'a:' : 'x:') + source;
    let pattern = this.patterns.get(key);
    if (!pattern) {
      pattern = new XsdPattern(source, { anchored });
      this.patterns.set(key, pattern);
    }
    return pattern;
  }

  private fillComplex(def: ComplexTypeDef, c: SerializedComplexType): void {
    for (const a of c.attributes) {
      const decl: AttributeDecl = { ...a, required: a.required === true, prohibited: a.prohibited === true, type: this.simpleTypes[a.type] };
      def.attributes.set(a.name, decl);
    }
    if (c.simpleType !== undefined) def.simpleType = this.simpleTypes[c.simpleType];
    if (c.content) def.content = lazyContent(this.particle(c.content), this.input.targetNamespace);
  }

  private particle(p: SerializedParticle): Particle {
    if ('element' in p) return { kind: 'element', decl: this.elements[p.element], ...readOccurs(p) };
    if ('any' in p) {
      const spec = p.any;
      const namespaces: Wildcard['namespaces'] = 'any' in spec ? '##any' : 'list' in spec ? new Set(spec.list) : { not: spec.not ?? undefined };
      return { kind: 'any', namespaces, processContents: p.processContents, ...readOccurs(p), line: p.line };
    }
    return { kind: p.group, items: p.items.map((item) => this.particle(item)), ...readOccurs(p), line: p.line };
  }
}

/** A content model whose automaton is built on first use (most types are never validated in a session). */
function lazyContent(particle: Particle, targetNamespace: string | undefined): ContentModel {
  let automaton: ContentAutomaton | undefined;
  return {
    particle,
    get automaton() {
      return (automaton ??= new ContentAutomaton(particle, targetNamespace));
    },
  };
}

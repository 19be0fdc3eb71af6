import { technicalProfileTypeOf, type TechnicalProfileType } from '../catalogs/technicalProfiles';
import type { EffectivePolicy } from '../policy/effective';
import { trimmedTextSpan, type PolicyFile } from '../policy/model';
import type { Span, XmlAttribute, XmlElement } from '../xml/nodes';
import { attributeValue, childElements, firstChild, getAttribute, textContent } from '../xml/query';

/** One declaration of a technical profile: the element and the file it is in. */
export interface TechnicalProfileDeclaration {
  element: XmlElement;
  file: PolicyFile;
}

export interface MetadataEntry {
  key: string;
  /** The item's text, trimmed. */
  value: string;
  item: XmlElement;
  file: PolicyFile;
  /** The Key attribute's value span. */
  keySpan: Span;
  /** The value's span (the element name when the item is empty). */
  valueSpan: Span;
}

export interface CryptographicKeyEntry {
  id: string;
  element: XmlElement;
  file: PolicyFile;
}

/**
 * A technical profile as the service sees it in one chain: the declarations along the chain merged (a child's
 * Metadata items and keys add to or override the parent's, by Key and Id) on top of the profiles it includes
 * with IncludeTechnicalProfile.
 */
export interface EffectiveTechnicalProfile {
  id: string;
  /** Declarations in the chain, the most derived first. */
  declarations: TechnicalProfileDeclaration[];
  protocol: { name: string | undefined; handler: string | undefined; element: XmlElement; file: PolicyFile } | undefined;
  outputTokenFormat: string | undefined;
  metadata: Map<string, MetadataEntry>;
  keys: Map<string, CryptographicKeyEntry>;
  hasDisplayName: boolean;
  /** ClaimTypeReferenceId and PartnerClaimType values of its input, output, persisted and display claims. */
  claims: string[];
  /** False when an included profile could not be found (or includes form a cycle). */
  includesResolved: boolean;
  type: TechnicalProfileType | undefined;
}

function attributeSpan(attribute: XmlAttribute): Span {
  return attribute.valueSpan ?? attribute.nameSpan;
}

/** The Metadata items of one TechnicalProfile element, in document order. */
export function metadataItems(element: XmlElement, file: PolicyFile): MetadataEntry[] {
  const out: MetadataEntry[] = [];
  for (const metadata of childElements(element, 'Metadata')) {
    for (const item of childElements(metadata, 'Item')) {
      const keyAttribute = getAttribute(item, 'Key');
      if (!keyAttribute || keyAttribute.value === undefined) continue;
      const text = trimmedTextSpan(item);
      out.push({ key: keyAttribute.value, value: textContent(item).trim(), item, file, keySpan: attributeSpan(keyAttribute), valueSpan: text.span });
    }
  }
  return out;
}

/** The CryptographicKeys/Key elements of one TechnicalProfile element. */
export function cryptographicKeys(element: XmlElement, file: PolicyFile): CryptographicKeyEntry[] {
  const out: CryptographicKeyEntry[] = [];
  for (const keys of childElements(element, 'CryptographicKeys')) {
    for (const key of childElements(keys, 'Key')) {
      // The reference writes both Id and ID.
      const id = attributeValue(key, 'Id') ?? attributeValue(key, 'ID');
      if (id) out.push({ id, element: key, file });
    }
  }
  return out;
}

function declarationsOf(effective: EffectivePolicy, id: string): TechnicalProfileDeclaration[] {
  const found = effective.lookup('technicalProfile', id);
  const rank = (uri: string) => effective.files.findIndex((f) => f.uri === uri);
  const all = [...found.exact, ...found.caseOnly].sort((a, b) => rank(a.uri) - rank(b.uri) || b.element.start - a.element.start);
  const out: TechnicalProfileDeclaration[] = [];
  for (const d of all) {
    const file = effective.files[rank(d.uri)];
    if (file) out.push({ element: d.element, file });
  }
  return out;
}

function claimsOf(element: XmlElement): string[] {
  const out: string[] = [];
  for (const [collection, entry] of [
    ['InputClaims', 'InputClaim'],
    ['OutputClaims', 'OutputClaim'],
    ['PersistedClaims', 'PersistedClaim'],
    ['DisplayClaims', 'DisplayClaim'],
  ]) {
    for (const list of childElements(element, collection)) {
      for (const claim of childElements(list, entry)) {
        for (const name of ['ClaimTypeReferenceId', 'PartnerClaimType']) {
          const value = attributeValue(claim, name);
          if (value) out.push(value);
        }
      }
    }
  }
  return out;
}

/**
 * The effective technical profile `id` in a chain; undefined when the chain declares no such profile.
 * `resolving` guards against IncludeTechnicalProfile cycles.
 */
export function effectiveTechnicalProfile(effective: EffectivePolicy, id: string, resolving: Set<string> = new Set()): EffectiveTechnicalProfile | undefined {
  const declarations = declarationsOf(effective, id);
  if (declarations.length === 0) return undefined;
  const lower = id.toLowerCase();
  const result: EffectiveTechnicalProfile = {
    id: declarations[0].element.attributes.find((a) => a.name === 'Id')?.value ?? id,
    declarations,
    protocol: undefined,
    outputTokenFormat: undefined,
    metadata: new Map(),
    keys: new Map(),
    hasDisplayName: false,
    claims: [],
    includesResolved: true,
    type: undefined,
  };
  resolving.add(lower);
  // Included profiles first: their content is the base the declarations add to and override.
  for (const declaration of [...declarations].reverse()) {
    for (const include of childElements(declaration.element, 'IncludeTechnicalProfile')) {
      const includedId = attributeValue(include, 'ReferenceId');
      if (!includedId) continue;
      const included = resolving.has(includedId.toLowerCase()) ? undefined : effectiveTechnicalProfile(effective, includedId, resolving);
      if (!included) {
        result.includesResolved = false;
        continue;
      }
      if (!included.includesResolved) result.includesResolved = false;
      for (const [k, v] of included.metadata) result.metadata.set(k, v);
      for (const [k, v] of included.keys) result.keys.set(k, v);
      result.protocol = included.protocol ?? result.protocol;
      result.outputTokenFormat = included.outputTokenFormat ?? result.outputTokenFormat;
      result.hasDisplayName ||= included.hasDisplayName;
      result.claims.push(...included.claims);
    }
  }
  resolving.delete(lower);
  // Then the declarations from the root of the chain to the most derived one.
  for (const { element, file } of [...declarations].reverse()) {
    for (const entry of metadataItems(element, file)) result.metadata.set(entry.key, entry);
    for (const entry of cryptographicKeys(element, file)) result.keys.set(entry.id, entry);
    const protocol = firstChild(element, 'Protocol');
    if (protocol) result.protocol = { name: attributeValue(protocol, 'Name'), handler: attributeValue(protocol, 'Handler'), element: protocol, file };
    const format = firstChild(element, 'OutputTokenFormat');
    if (format) result.outputTokenFormat = textContent(format).trim();
    if (firstChild(element, 'DisplayName')) result.hasDisplayName = true;
    result.claims.push(...claimsOf(element));
  }
  if (result.protocol) {
    result.type = technicalProfileTypeOf({ name: result.protocol.name, handler: result.protocol.handler, outputTokenFormat: result.outputTokenFormat });
  }
  return result;
}

/** Ids (lower case) of the profiles some profile of these files includes with IncludeTechnicalProfile. */
export function includedProfileIds(files: PolicyFile[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    for (const reference of file.references) {
      if (reference.kind === 'technicalProfile' && reference.element.localName === 'IncludeTechnicalProfile') out.add(reference.id.toLowerCase());
    }
  }
  return out;
}

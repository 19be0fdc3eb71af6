/**
 * Technical profiles as the service runs them in one chain: each profile's declarations along the chain merged
 * (a descendant's declaration adds to and overrides its base's, element by element: Metadata items by Key,
 * keys by Id, claims by ClaimTypeReferenceId) on top of the profiles it includes (IncludeTechnicalProfile),
 * plus what each profile can produce. One model serves the journey rules (claims), the catalog rules
 * (protocol, metadata, keys), hover and the journey picture; it is built lazily, once per chain version.
 */
import { technicalProfileTypeOf, type TechnicalProfileType } from '../catalogs/technicalProfiles';
import type { EffectivePolicy } from './effective';
import { trimmedTextSpan, type PolicyFile } from './model';
import type { Span, XmlElement } from '../xml/nodes';
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

/** A claim named by a profile (InputClaim, OutputClaim, PersistedClaim, DisplayClaim) where it is declared. */
export interface ClaimUse {
  claim: string;
  partnerClaimType: string | undefined;
  /** The ClaimTypeReferenceId value's span in `uri`. */
  span: Span;
  uri: string;
  element: XmlElement;
  defaultValue: string | undefined;
  required: boolean;
  alwaysUseDefaultValue: boolean;
}

/** A claims transformation a profile runs, with the claims it reads and writes. */
export interface TransformationUse {
  id: string;
  /** Undefined when the chain does not define it (reported by the reference checks). */
  method: string | undefined;
  inputs: string[];
  outputs: string[];
}

export interface TechnicalProfileModel {
  id: string;
  /** Declarations in the chain, the most derived first (included profiles' declarations not among them). */
  declarations: TechnicalProfileDeclaration[];
  protocol: { name: string | undefined; handler: string | undefined; element: XmlElement; file: PolicyFile } | undefined;
  outputTokenFormat: string | undefined;
  displayName: string | undefined;
  metadata: Map<string, MetadataEntry>;
  keys: Map<string, CryptographicKeyEntry>;
  inputClaims: ClaimUse[];
  inputTransformations: TransformationUse[];
  outputClaims: ClaimUse[];
  outputTransformations: TransformationUse[];
  persistedClaims: ClaimUse[];
  displayClaims: ClaimUse[];
  validationProfiles: string[];
  displayControls: string[];
  /** Profiles named by IncludeTechnicalProfile that were found. */
  includes: string[];
  /** False when an included profile could not be found (or includes form a cycle). */
  includesResolved: boolean;
  /** The catalog's type for the protocol / handler (undefined: no protocol, or one the catalog does not know). */
  type: TechnicalProfileType | undefined;
}

/** What a catalog has built for one chain's profiles (kept on the effective policy they come from). */
interface CatalogState {
  profiles: Map<string, TechnicalProfileModel | undefined>;
  transformations: Map<string, TransformationUse>;
  producedCache: Map<string, Set<string>>;
}

/**
 * Profiles and transformations of one effective policy, each built once. Chains whose files since their
 * base's chain add no technical profile, claims transformation or display control (a relying party's) have
 * their base's profiles: the catalog builds them on that effective policy and shares what it built.
 */
export class ProfileCatalog {
  private readonly effective: EffectivePolicy;
  private readonly profiles: Map<string, TechnicalProfileModel | undefined>;
  private readonly transformations: Map<string, TransformationUse>;
  private readonly producedCache: Map<string, Set<string>>;

  constructor(effective: EffectivePolicy) {
    this.effective = effective.profileSource();
    const state = (this.effective.profileState ??= { profiles: new Map(), transformations: new Map(), producedCache: new Map() } satisfies CatalogState) as CatalogState;
    this.profiles = state.profiles;
    this.transformations = state.transformations;
    this.producedCache = state.producedCache;
  }

  /** The merged profile, or undefined when the chain does not define it. */
  profile(id: string): TechnicalProfileModel | undefined {
    return this.build(id, new Set());
  }

  transformation(id: string): TransformationUse {
    const key = id.toLowerCase();
    let use = this.transformations.get(key);
    if (!use) {
      const lookup = this.effective.lookup('claimsTransformation', id);
      const element = (lookup.exact[0] ?? lookup.caseOnly[0])?.element;
      use = {
        id,
        method: element ? attributeValue(element, 'TransformationMethod') : undefined,
        inputs: element ? listed(element, 'InputClaims', 'InputClaim') : [],
        outputs: element ? listed(element, 'OutputClaims', 'OutputClaim') : [],
      };
      this.transformations.set(key, use);
    }
    return use;
  }

  /**
   * Every claim a profile can put into the claims bag when it runs: its output claims, what its input and
   * output claims transformations write, what the user enters (display claims), its display controls'
   * output claims and, recursively, what its validation profiles produce. Lower-case claim ids.
   */
  produced(id: string): Set<string> {
    const key = id.toLowerCase();
    const cached = this.producedCache.get(key);
    if (cached) return cached;
    const out = new Set<string>();
    this.producedCache.set(key, out); // cuts validation-profile cycles
    const profile = this.profile(id);
    if (!profile) return out;
    const add = (claim: string) => out.add(claim.toLowerCase());
    for (const c of profile.outputClaims) add(c.claim);
    for (const c of profile.displayClaims) add(c.claim);
    for (const t of [...profile.inputTransformations, ...profile.outputTransformations]) for (const c of t.outputs) add(c);
    for (const controlId of profile.displayControls) for (const c of this.displayControlOutputs(controlId)) add(c);
    for (const v of profile.validationProfiles) for (const c of this.produced(v)) out.add(c);
    return out;
  }

  /** Claims a display control writes: its output and display claims and what its action profiles produce. */
  private displayControlOutputs(id: string): string[] {
    const lookup = this.effective.lookup('displayControl', id);
    const element = (lookup.exact[0] ?? lookup.caseOnly[0])?.element;
    if (!element) return [];
    const out = [...listed(element, 'OutputClaims', 'OutputClaim'), ...listed(element, 'DisplayClaims', 'DisplayClaim')];
    for (const actions of childElements(element, 'Actions')) {
      for (const action of childElements(actions, 'Action')) {
        for (const exchange of descendantsNamed(action, 'ValidationClaimsExchangeTechnicalProfile')) {
          const tp = attributeValue(exchange, 'TechnicalProfileReferenceId');
          if (tp) out.push(...this.produced(tp));
        }
      }
    }
    return out;
  }

  /** `resolving`: the profiles being built further up (IncludeTechnicalProfile cycles are cut there). */
  private build(id: string, resolving: Set<string>): TechnicalProfileModel | undefined {
    const key = id.toLowerCase();
    if (this.profiles.has(key)) return this.profiles.get(key);
    const declarations = declarationsOf(this.effective, id);
    if (declarations.length === 0) {
      this.profiles.set(key, undefined);
      return undefined;
    }
    const model: TechnicalProfileModel = {
      id: attributeValue(declarations[0].element, 'Id') ?? id,
      declarations,
      protocol: undefined,
      outputTokenFormat: undefined,
      displayName: undefined,
      metadata: new Map(),
      keys: new Map(),
      inputClaims: [],
      inputTransformations: [],
      outputClaims: [],
      outputTransformations: [],
      persistedClaims: [],
      displayClaims: [],
      validationProfiles: [],
      displayControls: [],
      includes: [],
      includesResolved: true,
      type: undefined,
    };
    resolving.add(key);
    // Included profiles first (named by any declaration): their content is what the declarations add to.
    for (const declaration of [...declarations].reverse()) {
      for (const include of childElements(declaration.element, 'IncludeTechnicalProfile')) {
        const includedId = attributeValue(include, 'ReferenceId');
        if (!includedId) continue;
        const included = resolving.has(includedId.toLowerCase()) ? undefined : this.build(includedId, resolving);
        if (!included) {
          model.includesResolved = false;
          continue;
        }
        if (!included.includesResolved) model.includesResolved = false;
        model.includes.push(included.id);
        mergeProfile(model, included);
      }
    }
    resolving.delete(key);
    // Then the declarations from the root of the chain to the most derived one.
    for (const declaration of [...declarations].reverse()) this.mergeDeclaration(model, declaration);
    if (model.protocol) model.type = technicalProfileTypeOf({ name: model.protocol.name, handler: model.protocol.handler, outputTokenFormat: model.outputTokenFormat, metadata: model.metadata });
    // A profile built inside an include cycle is incomplete: keep it out of the cache so that it is rebuilt whole.
    if (resolving.size === 0 || model.includesResolved) this.profiles.set(key, model);
    return model;
  }

  private mergeDeclaration(model: TechnicalProfileModel, { element, file }: TechnicalProfileDeclaration): void {
    for (const entry of metadataItems(element, file)) model.metadata.set(entry.key, entry);
    for (const entry of cryptographicKeys(element, file)) model.keys.set(entry.id, entry);
    const protocol = firstChild(element, 'Protocol');
    if (protocol) model.protocol = { name: attributeValue(protocol, 'Name'), handler: attributeValue(protocol, 'Handler'), element: protocol, file };
    const format = firstChild(element, 'OutputTokenFormat');
    if (format) model.outputTokenFormat = textContent(format).trim();
    const displayName = firstChild(element, 'DisplayName');
    if (displayName) model.displayName = textContent(displayName).trim();
    mergeClaims(model.inputClaims, claimUses(element, 'InputClaims', 'InputClaim', file.uri));
    mergeClaims(model.outputClaims, claimUses(element, 'OutputClaims', 'OutputClaim', file.uri));
    mergeClaims(model.persistedClaims, claimUses(element, 'PersistedClaims', 'PersistedClaim', file.uri));
    mergeClaims(model.displayClaims, claimUses(element, 'DisplayClaims', 'DisplayClaim', file.uri));
    mergeIds(model.inputTransformations, listed(element, 'InputClaimsTransformations', 'InputClaimsTransformation', 'ReferenceId').map((id) => this.transformation(id)));
    mergeIds(model.outputTransformations, listed(element, 'OutputClaimsTransformations', 'OutputClaimsTransformation', 'ReferenceId').map((id) => this.transformation(id)));
    mergeStrings(model.validationProfiles, listed(element, 'ValidationTechnicalProfiles', 'ValidationTechnicalProfile', 'ReferenceId'));
    mergeStrings(model.displayControls, listed(element, 'DisplayClaims', 'DisplayClaim', 'DisplayControlReferenceId'));
  }
}

/** Every claim id and partner claim type a profile names (its inputs, outputs, persisted and display claims). */
export function claimNames(profile: TechnicalProfileModel): string[] {
  const out: string[] = [];
  for (const use of [...profile.inputClaims, ...profile.outputClaims, ...profile.persistedClaims, ...profile.displayClaims]) {
    out.push(use.claim);
    if (use.partnerClaimType) out.push(use.partnerClaimType);
  }
  return out;
}

function mergeProfile(model: TechnicalProfileModel, inner: TechnicalProfileModel): void {
  for (const [k, v] of inner.metadata) model.metadata.set(k, v);
  for (const [k, v] of inner.keys) model.keys.set(k, v);
  model.protocol = inner.protocol ?? model.protocol;
  model.outputTokenFormat = inner.outputTokenFormat ?? model.outputTokenFormat;
  model.displayName = inner.displayName ?? model.displayName;
  mergeClaims(model.inputClaims, inner.inputClaims);
  mergeClaims(model.outputClaims, inner.outputClaims);
  mergeClaims(model.persistedClaims, inner.persistedClaims);
  mergeClaims(model.displayClaims, inner.displayClaims);
  mergeIds(model.inputTransformations, inner.inputTransformations);
  mergeIds(model.outputTransformations, inner.outputTransformations);
  mergeStrings(model.validationProfiles, inner.validationProfiles);
  mergeStrings(model.displayControls, inner.displayControls);
}

/** The declarations of a profile in a chain, most derived first (within a file, the later one first). */
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

/** The Metadata items of one TechnicalProfile element, in document order. */
export function metadataItems(element: XmlElement, file: PolicyFile): MetadataEntry[] {
  const out: MetadataEntry[] = [];
  for (const metadata of childElements(element, 'Metadata')) {
    for (const item of childElements(metadata, 'Item')) {
      const keyAttribute = getAttribute(item, 'Key');
      if (!keyAttribute || keyAttribute.value === undefined) continue;
      const text = trimmedTextSpan(item, file.text);
      out.push({ key: keyAttribute.value, value: textContent(item).trim(), item, file, keySpan: keyAttribute.valueSpan ?? keyAttribute.nameSpan, valueSpan: text.span });
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

/** A later layer's claim with the same id replaces the earlier one in place (the first, if several); new ones are appended. */
function mergeClaims(into: ClaimUse[], from: ClaimUse[]): void {
  if (from.length === 0) return;
  const at = new Map<string, number>();
  into.forEach((x, i) => {
    const key = x.claim.toLowerCase();
    if (!at.has(key)) at.set(key, i);
  });
  for (const c of from) {
    const key = c.claim.toLowerCase();
    const i = at.get(key);
    if (i !== undefined) into[i] = c;
    else {
      at.set(key, into.length);
      into.push(c);
    }
  }
}

function mergeIds<T extends { id: string }>(into: T[], from: T[]): void {
  for (const t of from) if (!into.some((x) => x.id.toLowerCase() === t.id.toLowerCase())) into.push(t);
}

function mergeStrings(into: string[], from: string[]): void {
  for (const s of from) if (!into.some((x) => x.toLowerCase() === s.toLowerCase())) into.push(s);
}

function claimUses(element: XmlElement, container: string, item: string, uri: string): ClaimUse[] {
  const out: ClaimUse[] = [];
  for (const list of childElements(element, container)) {
    for (const e of childElements(list, item)) {
      const id = getAttribute(e, 'ClaimTypeReferenceId');
      if (!id?.value) continue;
      out.push({
        claim: id.value,
        partnerClaimType: attributeValue(e, 'PartnerClaimType'),
        span: id.valueSpan ?? id.nameSpan,
        uri,
        element: e,
        defaultValue: attributeValue(e, 'DefaultValue'),
        required: attributeValue(e, 'Required')?.trim().toLowerCase() === 'true',
        alwaysUseDefaultValue: attributeValue(e, 'AlwaysUseDefaultValue')?.trim().toLowerCase() === 'true',
      });
    }
  }
  return out;
}

/** The values of `attribute` on each `container/item` child: claim ids, reference ids, display control ids. */
function listed(element: XmlElement, container: string, item: string, attribute = 'ClaimTypeReferenceId'): string[] {
  const out: string[] = [];
  for (const list of childElements(element, container)) {
    for (const e of childElements(list, item)) {
      const id = attributeValue(e, attribute);
      if (id) out.push(id);
    }
  }
  return out;
}

function descendantsNamed(element: XmlElement, localName: string): XmlElement[] {
  const out: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    for (const c of childElements(e)) {
      if (c.localName === localName) out.push(c);
      visit(c);
    }
  };
  visit(element);
  return out;
}

/**
 * Technical profiles and claims transformations as the service runs them: each profile merged along the chain
 * (a descendant's declaration adds to and overrides its base's, element by element) and with the profiles it
 * includes (IncludeTechnicalProfile: the included profile's content, overridden by the including one).
 */
import type { EffectivePolicy } from '../policy/effective';
import type { Definition } from '../policy/model';
import type { Span, XmlElement } from '../xml/nodes';
import { attributeValue, childElements, firstChild, getAttribute } from '../xml/query';

/** A claim named by a profile (InputClaim, OutputClaim, PersistedClaim, DisplayClaim) where it is declared. */
export interface ClaimUse {
  claim: string;
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

export interface ProfileModel {
  id: string;
  /** The declarations merged into it, most derived first; included profiles' declarations after. */
  declarations: Definition[];
  protocol: string | undefined;
  handler: string | undefined;
  displayName: string | undefined;
  inputClaims: ClaimUse[];
  inputTransformations: TransformationUse[];
  outputClaims: ClaimUse[];
  outputTransformations: TransformationUse[];
  persistedClaims: ClaimUse[];
  displayClaims: ClaimUse[];
  validationProfiles: string[];
  displayControls: string[];
  /** Profiles named by IncludeTechnicalProfile (followed, cycles cut). */
  includes: string[];
}

/** Profiles and transformations of one effective policy, each built once. */
export class ProfileCatalog {
  private readonly profiles = new Map<string, ProfileModel | undefined>();
  private readonly transformations = new Map<string, TransformationUse>();
  private readonly producedCache = new Map<string, Set<string>>();

  constructor(private readonly effective: EffectivePolicy) {}

  /** The merged profile, or undefined when the chain does not define it. */
  profile(id: string): ProfileModel | undefined {
    const key = id.toLowerCase();
    if (this.profiles.has(key)) return this.profiles.get(key);
    this.profiles.set(key, undefined); // cuts IncludeTechnicalProfile cycles
    const model = this.build(id, new Set([key]));
    this.profiles.set(key, model);
    return model;
  }

  transformation(id: string): TransformationUse {
    const key = id.toLowerCase();
    let use = this.transformations.get(key);
    if (!use) {
      const lookup = this.effective.lookup('claimsTransformation', id);
      const definition = lookup.exact[0] ?? lookup.caseOnly[0];
      const element = definition?.element;
      use = {
        id,
        method: element ? attributeValue(element, 'TransformationMethod') : undefined,
        inputs: element ? claimIds(element, 'InputClaims', 'InputClaim') : [],
        outputs: element ? claimIds(element, 'OutputClaims', 'OutputClaim') : [],
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
    const out = [...claimIds(element, 'OutputClaims', 'OutputClaim'), ...claimIds(element, 'DisplayClaims', 'DisplayClaim')];
    for (const actions of childElements(element, 'Actions')) {
      for (const action of childElements(actions, 'Action')) {
        for (const exchange of findAll(action, 'ValidationClaimsExchangeTechnicalProfile')) {
          const tp = attributeValue(exchange, 'TechnicalProfileReferenceId');
          if (tp) out.push(...this.produced(tp));
        }
      }
    }
    return out;
  }

  private build(id: string, seen: Set<string>): ProfileModel | undefined {
    const lookup = this.effective.lookup('technicalProfile', id);
    const own = [...lookup.exact, ...lookup.caseOnly];
    if (!own.length) return undefined;
    const model: ProfileModel = {
      id: own[0].id,
      declarations: [...own],
      protocol: undefined,
      handler: undefined,
      displayName: undefined,
      inputClaims: [],
      inputTransformations: [],
      outputClaims: [],
      outputTransformations: [],
      persistedClaims: [],
      displayClaims: [],
      validationProfiles: [],
      displayControls: [],
      includes: [],
    };
    // Lowest precedence first: included profiles (named by any declaration), then the declarations from the
    // base down to the most derived.
    const includes = own.flatMap((d) => childElements(d.element, 'IncludeTechnicalProfile').map((e) => attributeValue(e, 'ReferenceId'))).filter((x): x is string => !!x);
    for (const included of includes) {
      const key = included.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const inner = this.profiles.get(key) ?? this.build(included, seen);
      if (!inner) continue;
      model.includes.push(included);
      mergeInto(model, inner);
      model.declarations.push(...inner.declarations);
    }
    for (let i = own.length - 1; i >= 0; i--) this.mergeLayer(model, own[i].element, own[i].uri);
    return model;
  }

  private mergeLayer(model: ProfileModel, element: XmlElement, uri: string): void {
    const protocol = firstChild(element, 'Protocol');
    if (protocol) {
      model.protocol = attributeValue(protocol, 'Name') ?? model.protocol;
      model.handler = attributeValue(protocol, 'Handler') ?? model.handler;
    }
    const displayName = firstChild(element, 'DisplayName');
    if (displayName) model.displayName = textOf(displayName) || model.displayName;
    mergeClaims(model.inputClaims, claimUses(element, 'InputClaims', 'InputClaim', uri));
    mergeClaims(model.outputClaims, claimUses(element, 'OutputClaims', 'OutputClaim', uri));
    mergeClaims(model.persistedClaims, claimUses(element, 'PersistedClaims', 'PersistedClaim', uri));
    mergeClaims(model.displayClaims, claimUses(element, 'DisplayClaims', 'DisplayClaim', uri));
    mergeIds(model.inputTransformations, references(element, 'InputClaimsTransformations', 'InputClaimsTransformation', 'ReferenceId').map((id) => this.transformation(id)));
    mergeIds(model.outputTransformations, references(element, 'OutputClaimsTransformations', 'OutputClaimsTransformation', 'ReferenceId').map((id) => this.transformation(id)));
    mergeStrings(model.validationProfiles, references(element, 'ValidationTechnicalProfiles', 'ValidationTechnicalProfile', 'ReferenceId'));
    mergeStrings(model.displayControls, displayControlReferences(element));
  }
}

function mergeInto(model: ProfileModel, inner: ProfileModel): void {
  model.protocol ??= inner.protocol;
  model.handler ??= inner.handler;
  model.displayName ??= inner.displayName;
  mergeClaims(model.inputClaims, inner.inputClaims);
  mergeClaims(model.outputClaims, inner.outputClaims);
  mergeClaims(model.persistedClaims, inner.persistedClaims);
  mergeClaims(model.displayClaims, inner.displayClaims);
  mergeIds(model.inputTransformations, inner.inputTransformations);
  mergeIds(model.outputTransformations, inner.outputTransformations);
  mergeStrings(model.validationProfiles, inner.validationProfiles);
  mergeStrings(model.displayControls, inner.displayControls);
}

/** A later layer's claim with the same id replaces the earlier one in place; new ones are appended. */
function mergeClaims(into: ClaimUse[], from: ClaimUse[]): void {
  for (const c of from) {
    const i = into.findIndex((x) => x.claim.toLowerCase() === c.claim.toLowerCase());
    if (i >= 0) into[i] = c;
    else into.push(c);
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

function claimIds(element: XmlElement, container: string, item: string): string[] {
  const out: string[] = [];
  for (const list of childElements(element, container)) {
    for (const e of childElements(list, item)) {
      const id = attributeValue(e, 'ClaimTypeReferenceId');
      if (id) out.push(id);
    }
  }
  return out;
}

function references(element: XmlElement, container: string, item: string, attribute: string): string[] {
  const out: string[] = [];
  for (const list of childElements(element, container)) {
    for (const e of childElements(list, item)) {
      const id = attributeValue(e, attribute);
      if (id) out.push(id);
    }
  }
  return out;
}

/** The display controls a self-asserted profile shows: DisplayClaims/DisplayClaim@DisplayControlReferenceId. */
function displayControlReferences(element: XmlElement): string[] {
  const out: string[] = [];
  for (const list of childElements(element, 'DisplayClaims')) {
    for (const e of childElements(list, 'DisplayClaim')) {
      const id = attributeValue(e, 'DisplayControlReferenceId');
      if (id) out.push(id);
    }
  }
  return out;
}

function findAll(element: XmlElement, localName: string): XmlElement[] {
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

function textOf(element: XmlElement): string {
  let s = '';
  for (const c of element.children) if (c.type === 'text' || c.type === 'cdata') s += c.value;
  return s.trim();
}

/**
 * The journey model (DESIGN.md section 2, `journeys/`): for one chain, every effective user journey and
 * sub-journey with its steps after the merge by Order (which file each step comes from, which base step an
 * override replaced), each step's type, preconditions, selections, exchanges and the technical profiles they
 * run, and the claims each step can add to the claims bag. Built once per chain version (the analysis caches
 * it with the effective policy); rules, hover, completion, navigation and the journey picture read it.
 */
import type { EffectiveJourney, EffectivePolicy } from '../policy/effective';
import type { PolicyFile } from '../policy/model';
import type { Span, XmlElement } from '../xml/nodes';
import { attributeValue, childElements, firstChild, getAttribute, textContent } from '../xml/query';
import { ProfileCatalog } from '../policy/technicalProfiles';

export type JourneyKind = 'userJourney' | 'subJourney';

export interface PreconditionModel {
  type: string | undefined;
  executeActionsIf: boolean;
  values: string[];
  action: string | undefined;
  /** "skipped if objectId exists", "skipped if authenticationSource is localAccountAuthentication", ... */
  label: string;
}

export interface ExchangeModel {
  id: string;
  /** The ClaimsExchange Id attribute's value span. */
  span: Span;
  profileId: string | undefined;
  /** The TechnicalProfileReferenceId value's span. */
  profileSpan: Span | undefined;
  element: XmlElement;
}

export interface SelectionModel {
  /** TargetClaimsExchangeId: an exchange of the next step. */
  target: { id: string; span: Span } | undefined;
  /** ValidationClaimsExchangeId: an exchange of the same step. */
  validation: { id: string; span: Span } | undefined;
  element: XmlElement;
}

export interface StepModel {
  order: number;
  orderSpan: Span | undefined;
  type: string | undefined;
  /** The file whose version of the step is in effect. */
  uri: string;
  element: XmlElement;
  /** The step of a file nearer the root that this one replaced (same Order), if any. */
  replaced: { uri: string; type: string | undefined; element: XmlElement; exchanges: string[] } | undefined;
  preconditions: PreconditionModel[];
  selections: SelectionModel[];
  exchanges: ExchangeModel[];
  /** SendClaims: the token issuer (CpimIssuerTechnicalProfileReferenceId). */
  issuer: { id: string; span: Span } | undefined;
  /** InvokeSubJourney: the sub-journeys of the JourneyList. */
  subJourneys: Array<{ id: string; span: Span }>;
  contentDefinition: string | undefined;
}

export interface JourneyModel {
  kind: JourneyKind;
  id: string;
  /** For sub-journeys: Call (returns to the caller) or Transfer (ends there). */
  subJourneyType: string | undefined;
  /** Declarations along the chain, most derived first. */
  declarations: Array<{ uri: string; element: XmlElement; idSpan: Span }>;
  steps: StepModel[];
}

/** The journeys of one chain, with the profiles they run. */
export class ChainModel {
  readonly profiles: ProfileCatalog;
  private readonly journeyMap = new Map<string, JourneyModel>();
  private readonly memo = new Map<string, unknown>();

  constructor(readonly effective: EffectivePolicy) {
    this.profiles = new ProfileCatalog(effective);
    for (const journey of effective.journeys()) this.journeyMap.set(key(journey.kind, journey.id), buildJourney(journey));
  }

  /** The file the chain belongs to (its most derived file). */
  get file(): PolicyFile {
    return this.effective.files[0];
  }

  journeys(): JourneyModel[] {
    return [...this.journeyMap.values()];
  }

  journey(kind: JourneyKind, id: string): JourneyModel | undefined {
    return this.journeyMap.get(key(kind, id));
  }

  /** Something derived from this chain, computed once (the model lives as long as the chain's version). */
  derived<T>(name: string, compute: (model: ChainModel) => T): T {
    if (!this.memo.has(name)) this.memo.set(name, compute(this));
    return this.memo.get(name) as T;
  }
}

function key(kind: string, id: string): string {
  return `${kind}\u0000${id.toLowerCase()}`;
}

function buildJourney(journey: EffectiveJourney): JourneyModel {
  const root = journey.declarations[journey.declarations.length - 1];
  return {
    kind: journey.kind,
    id: journey.id,
    subJourneyType: journey.kind === 'subJourney' ? attributeValue(root.journey.element, 'Type') : undefined,
    declarations: journey.declarations.map((d) => ({ uri: d.file.uri, element: d.journey.element, idSpan: d.journey.idSpan })),
    steps: journey.steps.map((effective) => {
      const element = effective.step.element;
      // The replaced step: the same Order in the nearest declaration further toward the root.
      let replaced: StepModel['replaced'];
      const index = journey.declarations.findIndex((d) => d.file.uri === effective.file.uri);
      for (const d of journey.declarations.slice(index + 1)) {
        const base = d.journey.steps.find((s) => s.order === effective.order);
        if (base) {
          replaced = { uri: d.file.uri, type: base.type, element: base.element, exchanges: base.exchanges.map((e) => e.id) };
          break;
        }
      }
      const issuer = getAttribute(element, 'CpimIssuerTechnicalProfileReferenceId');
      return {
        order: effective.order,
        orderSpan: effective.step.orderSpan,
        type: effective.step.type,
        uri: effective.file.uri,
        element,
        replaced,
        preconditions: preconditionsOf(element),
        selections: selectionsOf(element),
        exchanges: exchangesOf(element),
        issuer: issuer?.value ? { id: issuer.value, span: issuer.valueSpan ?? issuer.nameSpan } : undefined,
        subJourneys: subJourneysOf(element),
        contentDefinition: attributeValue(element, 'ContentDefinitionReferenceId'),
      };
    }),
  };
}

function preconditionsOf(step: XmlElement): PreconditionModel[] {
  const out: PreconditionModel[] = [];
  for (const list of childElements(step, 'Preconditions')) {
    for (const p of childElements(list, 'Precondition')) {
      const type = attributeValue(p, 'Type');
      const executeActionsIf = attributeValue(p, 'ExecuteActionsIf')?.trim().toLowerCase() !== 'false';
      const values = childElements(p, 'Value').map((v) => textContent(v).trim());
      const actionElement = firstChild(p, 'Action');
      const action = actionElement ? textContent(actionElement).trim() : undefined;
      const condition = type === 'ClaimEquals' ? `${values[0] ?? '?'} is ${values[1] ?? '?'}` : type === 'ClaimsExist' ? `${values[0] ?? '?'} exists` : `${type ?? 'condition'} ${values.join(' ')}`;
      const verb = action === 'SkipThisOrchestrationStep' ? 'skipped' : (action ?? 'action');
      out.push({ type, executeActionsIf, values, action, label: `${verb} ${executeActionsIf ? 'if' : 'unless'} ${condition}` });
    }
  }
  return out;
}

function selectionsOf(step: XmlElement): SelectionModel[] {
  const out: SelectionModel[] = [];
  const valueOf = (e: XmlElement, name: string) => {
    const a = getAttribute(e, name);
    return a?.value ? { id: a.value, span: a.valueSpan ?? a.nameSpan } : undefined;
  };
  for (const list of childElements(step, 'ClaimsProviderSelections')) {
    for (const s of childElements(list, 'ClaimsProviderSelection')) {
      out.push({ target: valueOf(s, 'TargetClaimsExchangeId'), validation: valueOf(s, 'ValidationClaimsExchangeId'), element: s });
    }
  }
  return out;
}

function exchangesOf(step: XmlElement): ExchangeModel[] {
  const out: ExchangeModel[] = [];
  for (const list of childElements(step, 'ClaimsExchanges')) {
    for (const e of childElements(list, 'ClaimsExchange')) {
      const id = getAttribute(e, 'Id');
      const profile = getAttribute(e, 'TechnicalProfileReferenceId');
      if (!id?.value) continue;
      out.push({
        id: id.value,
        span: id.valueSpan ?? id.nameSpan,
        profileId: profile?.value || undefined,
        profileSpan: profile ? (profile.valueSpan ?? profile.nameSpan) : undefined,
        element: e,
      });
    }
  }
  return out;
}

function subJourneysOf(step: XmlElement): Array<{ id: string; span: Span }> {
  const out: Array<{ id: string; span: Span }> = [];
  for (const list of childElements(step, 'JourneyList')) {
    for (const c of childElements(list, 'Candidate')) {
      const a = getAttribute(c, 'SubJourneyReferenceId');
      if (a?.value) out.push({ id: a.value, span: a.valueSpan ?? a.nameSpan });
    }
  }
  return out;
}

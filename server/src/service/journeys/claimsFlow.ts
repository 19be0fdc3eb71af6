/**
 * Claim data flow through a journey, as the service checks it on upload (service-errors.md #8, #9).
 *
 * The rule, measured on the starter packs (DESIGN.md section 1): a technical profile run at step N needs
 * each InputClaim marked Required="true" without a DefaultValue to be an output of an earlier step (or of its
 * own input claims transformations). Preconditions are not evaluated: every earlier step counts as a
 * producer, as the service does. Counting every InputClaim instead flags the untouched packs (a self-asserted
 * profile's `email` input is only a prefill). What an earlier step produces: every claim any of its profiles
 * can output (OutputClaims, input and output claims transformations, validation profiles, display claims and
 * display controls), and everything an invoked sub-journey produces.
 *
 * Validation profiles' inputs are not judged: on the SocialAndLocalAccounts pack with Facebook removed, the
 * service reports the exchanges' profiles at steps 3 and 6 and the relying party's identityProvider, and not
 * the validation profile AAD-UserWriteUsingAlternativeSecurityId of step 4, whose input is the same claim.
 */
import { attributeValue, childElements, firstChild } from '../xml/query';
import type { ClaimUse } from '../policy/technicalProfiles';
import type { ChainModel, JourneyModel, StepModel } from './model';

export interface MissingInput {
  /** The journey whose step runs the profile (the sub-journey, when the step is inside one). */
  journey: JourneyModel;
  step: StepModel;
  /** The profile whose input is missing. */
  profileId: string;
  claim: ClaimUse;
  /** Sub-journey invocations that lead to the step, outermost first. */
  via: Array<{ journeyId: string; order: number }>;
}

export interface StepFlow {
  /** Claims that earlier steps can have produced (lower-case ids). */
  before: ReadonlySet<string>;
  /** Claims this step can add (lower-case ids). */
  added: ReadonlySet<string>;
}

export interface JourneyFlow {
  steps: Map<StepModel, StepFlow>;
  /** Every claim some step of the journey (or its sub-journeys) can produce. */
  produced: Set<string>;
  /**
   * False when some step runs something this chain does not define (an unresolved profile or
   * sub-journey, reported by the reference checks) or takes claims from an unknown relying party: what it
   * produces is unknown, so nothing after it is judged (no cascade of findings from one mistake).
   */
  complete: boolean;
  missing: MissingInput[];
}

/** Whether an input claim must come from an earlier step (the prototype's rule above). */
export function needsProducer(use: Pick<ClaimUse, 'required' | 'defaultValue' | 'alwaysUseDefaultValue'>): boolean {
  return use.required && use.defaultValue === undefined && !use.alwaysUseDefaultValue;
}

/** Orchestration steps visited per journey at most (sub-journeys included): past it, the flow is incomplete. */
const MAX_VISITED_STEPS = 20_000;

/** State shared by one journey's flow and the sub-journeys it invokes. */
interface FlowContext {
  /** Sub-journeys being followed (a cycle of invocations is cut). */
  active: Set<string>;
  /** A sub-journey's flow for a set of incoming claims (lower-case id + the sorted claims), computed once. */
  memo: Map<string, JourneyFlow>;
  visited: number;
}

/**
 * The flow of a journey from a set of initially available claims (lower-case ids). Sub-journeys are
 * followed (a Call sub-journey sees the caller's claims and returns what it produces); a cycle of
 * invocations is cut; a sub-journey invoked again with the same claims is not walked again (so nested
 * invocations stay polynomial), and past MAX_VISITED_STEPS the flow is marked incomplete.
 */
export function journeyFlow(model: ChainModel, journey: JourneyModel, initial: ReadonlySet<string> = new Set()): JourneyFlow {
  return flowOf(model, journey, initial, { active: new Set(), memo: new Map(), visited: 0 });
}

function flowOf(model: ChainModel, journey: JourneyModel, initial: ReadonlySet<string>, context: FlowContext): JourneyFlow {
  const flow: JourneyFlow = { steps: new Map(), produced: new Set(), complete: true, missing: [] };
  const available = new Set(initial);
  const seen = new Set<string>();
  context.active.add(journey.id.toLowerCase());
  for (const step of journey.steps) {
    if (++context.visited > MAX_VISITED_STEPS) {
      flow.complete = false;
      break;
    }
    const before = new Set(available);
    const added = new Set<string>();
    if (step.type === 'GetClaims') {
      // "GetClaims: process claim data sent to Azure AD B2C from the relying party via its InputClaims"
      // (userjourneys.md): the relying party's input claims enter the bag here.
      // Without a relying party in the chain, anything it sends may be in the bag: the relying party's
      // chain judges what follows.
      const fromRelyingParty = relyingPartyInputClaims(model);
      if (fromRelyingParty) for (const c of fromRelyingParty) added.add(c);
      else flow.complete = false;
    }
    const missing = flow.complete ? flow.missing : [];
    for (const exchange of step.exchanges) {
      if (!exchange.profileId) continue;
      if (!model.profiles.profile(exchange.profileId)) flow.complete = false;
      checkProfile(model, journey, step, exchange.profileId, before, missing);
      for (const c of model.profiles.produced(exchange.profileId)) added.add(c);
    }
    if (step.issuer) checkProfile(model, journey, step, step.issuer.id, before, missing);
    for (const call of step.subJourneys) {
      const sub = model.journey('subJourney', call.id);
      if (!sub) flow.complete = false;
      if (!sub || context.active.has(sub.id.toLowerCase())) continue;
      const key = `${sub.id.toLowerCase()}\n${[...before].sort().join(',')}`;
      let inner = context.memo.get(key);
      if (!inner) context.memo.set(key, (inner = flowOf(model, sub, before, context)));
      if (!inner.complete) flow.complete = false;
      for (const c of inner.produced) added.add(c);
      for (const [s, f] of inner.steps) flow.steps.set(s, f);
      // One finding per sub-journey step, profile and claim, with the first path that leads to it: paths
      // through nested invocations can be exponentially many.
      const from = { journeyId: journey.id, order: step.order };
      for (const m of inner.missing) {
        const key = `${m.journey.id.toLowerCase()}|${m.step.order}|${m.profileId.toLowerCase()}|${m.claim.claim.toLowerCase()}`;
        if (seen.has(key)) continue;
        seen.add(key);
        missing.push({ ...m, via: [from, ...m.via] });
      }
    }
    flow.steps.set(step, { before, added });
    for (const c of added) {
      available.add(c);
      flow.produced.add(c);
    }
  }
  context.active.delete(journey.id.toLowerCase());
  return flow;
}

function checkProfile(
  model: ChainModel,
  journey: JourneyModel,
  step: StepModel,
  profileId: string,
  available: ReadonlySet<string>,
  missing: MissingInput[],
): void {
  const profile = model.profiles.profile(profileId);
  if (!profile) return; // an undefined profile is reported by the reference checks
  const own = new Set<string>();
  for (const t of profile.inputTransformations) for (const c of t.outputs) own.add(c.toLowerCase());
  for (const use of profile.inputClaims) {
    if (!needsProducer(use)) continue;
    const claim = use.claim.toLowerCase();
    if (available.has(claim) || own.has(claim)) continue;
    missing.push({ journey, step, profileId: profile.id, claim: use, via: [] });
  }
}

/** The relying party's input claims (lower-case ids), or undefined when the chain has no relying party. */
export function relyingPartyInputClaims(model: ChainModel): Set<string> | undefined {
  const root = model.file.xml.root;
  const relyingParty = root ? firstChild(root, 'RelyingParty') : undefined;
  if (!relyingParty) return undefined;
  const out = new Set<string>();
  for (const profile of childElements(relyingParty, 'TechnicalProfile')) {
    for (const list of childElements(profile, 'InputClaims')) {
      for (const e of childElements(list, 'InputClaim')) {
        const id = attributeValue(e, 'ClaimTypeReferenceId');
        if (id) out.add(id.toLowerCase());
      }
    }
  }
  return out;
}

/**
 * What the journey model says about a place in a policy, for hover and completion (issue: "Hover and
 * completion use it"): the claims available before an orchestration step and those it adds; for an input
 * claim of a technical profile, which earlier step produces it in each journey that runs the profile; the
 * claims available where a profile runs (to rank completion).
 */
import type { Analysis } from '../analysis/analysis';
import { journeyFlow, type JourneyFlow } from '../journeys/claimsFlow';
import type { ChainModel, JourneyModel, StepModel } from '../journeys/model';
import type { PolicyFile } from '../policy/model';
import { baseName } from '../policy/workspace';
import type { XmlElement } from '../xml/nodes';
import { attributeValue } from '../xml/query';

/** The flow of every user journey of a chain, computed once per chain version. */
function flows(model: ChainModel): Map<JourneyModel, JourneyFlow> {
  return model.derived('journeyInsight.flows', (m) => new Map(m.journeys().filter((j) => j.kind === 'userJourney').map((j) => [j, journeyFlow(m, j)])));
}

/** Steps of the chain's user journeys that run a profile (in an exchange), with their journey and flow. */
function runsOf(model: ChainModel, profileId: string): Array<{ journey: JourneyModel; step: StepModel; flow: JourneyFlow }> {
  const id = profileId.toLowerCase();
  const out: Array<{ journey: JourneyModel; step: StepModel; flow: JourneyFlow }> = [];
  for (const [journey, flow] of flows(model)) {
    for (const [step] of flow.steps) if (step.exchanges.some((e) => e.profileId?.toLowerCase() === id)) out.push({ journey, step, flow });
  }
  return out;
}

const list = (claims: Iterable<string>, limit = 24): string => {
  const all = [...claims].sort();
  if (all.length === 0) return '_none_';
  return all.slice(0, limit).map((c) => `\`${c}\``).join(', ') + (all.length > limit ? `, ... (${all.length})` : '');
};

/** Markdown about an OrchestrationStep element: the claims available before it and the claims it adds. */
export function stepInsight(analysis: Analysis, file: PolicyFile, element: XmlElement): string | undefined {
  const model = analysis.chainModel(file);
  for (const [journey, flow] of flows(model)) {
    for (const [step, stepFlow] of flow.steps) {
      if (step.element !== element) continue;
      return [
        `Step ${step.order} of ${journey.id}${step.uri !== file.uri ? ` (in effect from ${baseName(step.uri)})` : ''}`,
        `Claims available before it: ${list(stepFlow.before)}`,
        `Claims it can add: ${list([...stepFlow.added].filter((c) => !stepFlow.before.has(c)))}`,
      ].join('\n\n');
    }
    const replaced = journey.steps.find((s) => s.replaced?.element === element);
    if (replaced) return `Replaced by step ${replaced.order} of ${journey.id} in ${baseName(replaced.uri)} (steps merge by Order): this step does not run in this chain.`;
  }
  return undefined;
}

/** The TechnicalProfile element an element sits in, with its Id. */
function enclosingProfileId(element: XmlElement): string | undefined {
  for (let e: XmlElement | undefined = element; e; e = e.parent) {
    if (e.localName === 'TechnicalProfile' && e.parent?.localName === 'TechnicalProfiles') return attributeValue(e, 'Id');
  }
  return undefined;
}

/** Markdown about an InputClaim of a technical profile: which earlier step produces it, per journey that runs it. */
export function inputClaimInsight(analysis: Analysis, file: PolicyFile, inputClaim: XmlElement): string | undefined {
  if (inputClaim.localName !== 'InputClaim' || inputClaim.parent?.localName !== 'InputClaims') return undefined;
  const profileId = enclosingProfileId(inputClaim);
  const claim = attributeValue(inputClaim, 'ClaimTypeReferenceId');
  if (!profileId || !claim) return undefined;
  const model = analysis.chainModel(file);
  const runs = runsOf(model, profileId);
  if (runs.length === 0) return `No user journey of this chain runs \`${profileId}\` in an exchange.`;
  const wanted = claim.toLowerCase();
  const lines = runs.slice(0, 6).map(({ journey, step, flow }) => {
    const producers = journey.steps.filter((s) => s.order < step.order && flow.steps.get(s)?.added.has(wanted));
    return producers.length
      ? `${journey.id} step ${step.order}: produced by step ${producers.map((s) => `${s.order}${s.exchanges.length ? ` (${s.exchanges.map((e) => e.profileId).join(', ')})` : ''}`).join(', ')}`
      : `${journey.id} step ${step.order}: **no earlier step produces it**`;
  });
  return lines.join('\n\n') + (runs.length > 6 ? `\n\n... and ${runs.length - 6} more steps` : '');
}

/** Claims (lower case) available before every step that runs the profile an element sits in; undefined when none runs it. */
export function claimsAvailableWhereProfileRuns(analysis: Analysis, file: PolicyFile, element: XmlElement): Set<string> | undefined {
  const profileId = enclosingProfileId(element);
  if (!profileId) return undefined;
  const runs = runsOf(analysis.chainModel(file), profileId);
  if (runs.length === 0) return undefined;
  const out = new Set<string>();
  for (const { step, flow } of runs) for (const c of flow.steps.get(step)?.before ?? []) out.add(c);
  return out;
}

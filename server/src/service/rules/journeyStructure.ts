import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import type { ChainModel, JourneyModel, StepModel } from '../journeys/model';
import { chainProblemFindings, type ChainProblem } from '../journeys/problems';
import { baseName } from '../policy/workspace';
import type { RuleContext } from './context';

/** Step types that present a choice of claims providers (userjourneys.md, "Claims provider selection"). */
const SELECTION_TYPES = new Set(['ClaimsProviderSelection', 'CombinedSignInAndSignUp']);

/**
 * The shape of the effective journeys, judged per upload (journeys/problems.ts):
 * - journey-without-send-claims (error; service-errors.md #11): a user journey, or a sub-journey of type
 *   Transfer, with no SendClaims step (a journey that ends by invoking a Transfer sub-journey has one there);
 * - exchanges-without-selection (error; service-errors.md #10): a step with several ClaimsExchanges whose
 *   previous step is not a ClaimsProviderSelection / CombinedSignInAndSignUp step. Measured on the corpus:
 *   all 11 steps with several exchanges follow such a step immediately;
 * - step-order-gap (warning): Orders that are not 1..n without gaps. userjourneys.md only says "the order of
 *   the orchestration steps"; no service message shows a rejection, so it is a warning;
 * - step-override-type-change (warning): a step that replaces a base step (same Order) of another type, since
 *   steps merge by Order silently. Not when the replaced step is still in the journey at another Order (same
 *   type, same exchanges): an Extensions that restates the journey with a step inserted moves the base's steps
 *   up, and nothing is lost. Evidence: azure-ad-b2c/samples policies/password-reset-only (published) puts a
 *   blocking page at Order 3, where the base has SendClaims, and SendClaims at Order 4.
 */
export function checkJourneyStructure(context: RuleContext): Finding[] {
  return chainProblemFindings(context, 'journeyStructure', structureProblems);
}

function structureProblems(model: ChainModel): ChainProblem[] {
  const problems: ChainProblem[] = [];
  for (const journey of model.journeys()) {
    const subject = { kind: journey.kind, id: journey.id };
    const noun = journey.kind === 'userJourney' ? 'User journey' : 'Sub-journey';
    const needsSendClaims = journey.kind === 'userJourney' || journey.subJourneyType === 'Transfer';
    if (needsSendClaims && journey.steps.length && !sendsClaims(model, journey, new Set())) {
      problems.push({
        key: `no-send-claims|${journey.kind}|${journey.id.toLowerCase()}`,
        code: DiagnosticCodes.journeyWithoutSendClaims,
        severity: 'error',
        message: () => `${noun} '${journey.id}' does not contain a send claims step: add a final step of Type SendClaims with the token issuer (CpimIssuerTechnicalProfileReferenceId).`,
        data: { journeyId: journey.id, journeyKind: journey.kind, lastOrder: journey.steps[journey.steps.length - 1].order },
        anchors: [],
        journey: subject,
      });
    }
    journey.steps.forEach((step, index) => {
      if (step.exchanges.length > 1) {
        const previous = journey.steps[index - 1];
        if (!previous || !SELECTION_TYPES.has(previous.type ?? '')) {
          problems.push({
            key: `exchanges-without-selection|${journey.kind}|${journey.id.toLowerCase()}|${step.order}`,
            code: DiagnosticCodes.exchangesWithoutSelection,
            severity: 'error',
            message: (reportedIn) =>
              `${noun} "${journey.id}" has step ${step.order} with ${step.exchanges.length} claims exchanges. It must be preceded by a claims provider selection in order to determine which claims exchange can be used` +
              `${where(step, reportedIn)}.${mergeNote(journey, step, previous)}`,
            data: { journeyId: journey.id, journeyKind: journey.kind, order: step.order, stepUri: step.uri, previousOrder: previous?.order },
            anchors: step.orderSpan ? [{ uri: step.uri, span: step.orderSpan }] : [],
            journey: subject,
          });
        }
      }
      if (step.order !== index + 1) {
        const expected = index + 1;
        problems.push({
          key: `order-gap|${journey.kind}|${journey.id.toLowerCase()}|${index}|${step.order}`,
          code: DiagnosticCodes.stepOrderGap,
          severity: 'warning',
          message: (reportedIn) => `Step ${index + 1} of ${journey.id} has Order ${step.order}${where(step, reportedIn)}: orchestration steps are numbered 1..n without gaps, so this should be ${expected}.`,
          data: { journeyId: journey.id, journeyKind: journey.kind, orders: journey.steps.map((s) => s.order) },
          anchors: step.orderSpan ? [{ uri: step.uri, span: step.orderSpan }] : [],
          journey: subject,
        });
      }
      if (step.replaced && step.replaced.type !== step.type && !movedElsewhere(journey, step)) {
        const replaced = step.replaced;
        const what = `${replaced.type ?? 'untyped'}${replaced.exchanges.length ? ` ${replaced.exchanges.join(', ')}` : ''} in ${baseName(replaced.uri)}`;
        problems.push({
          key: `override-type|${journey.kind}|${journey.id.toLowerCase()}|${step.order}|${step.uri}`,
          code: DiagnosticCodes.stepOverrideTypeChange,
          severity: 'warning',
          message: () => `Step ${step.order} of ${journey.id} (${what}) is replaced by a ${step.type ?? 'untyped'} step: steps merge by Order, so this step takes the place of the base's step. Give it another Order, or a new journey Id, if both should run.`,
          data: { journeyId: journey.id, journeyKind: journey.kind, order: step.order, replacedUri: replaced.uri, replacedType: replaced.type },
          anchors: step.orderSpan ? [{ uri: step.uri, span: step.orderSpan }] : [],
          journey: subject,
        });
      }
    });
  }
  return problems;
}

/** Whether the base step that `step` replaced is still in the journey at another Order: same type, same exchanges. */
function movedElsewhere(journey: JourneyModel, step: StepModel): boolean {
  const replaced = step.replaced!;
  const exchanges = (ids: string[]) => ids.map((id) => id.toLowerCase()).sort().join('\n');
  const wanted = exchanges(replaced.exchanges);
  return journey.steps.some((other) => other !== step && other.type === replaced.type && exchanges(other.exchanges.map((e) => e.id)) === wanted);
}

/** Whether a journey sends claims: a SendClaims step, or an invoked Transfer sub-journey that does. */
function sendsClaims(model: ChainModel, journey: JourneyModel, seen: Set<string>): boolean {
  seen.add(journey.id.toLowerCase());
  for (const step of journey.steps) {
    if (step.type === 'SendClaims') return true;
    for (const call of step.subJourneys) {
      const sub = model.journey('subJourney', call.id);
      if (sub && sub.subJourneyType === 'Transfer' && !seen.has(sub.id.toLowerCase()) && sendsClaims(model, sub, seen)) return true;
    }
  }
  return false;
}

function where(step: StepModel, reportedIn: string): string {
  return step.uri === reportedIn ? '' : ` (step ${step.order} is in ${baseName(step.uri)})`;
}

/** When the journey is declared in several files: steps merged by Order may be the cause. */
function mergeNote(journey: JourneyModel, step: StepModel, previous: StepModel | undefined): string {
  if (journey.declarations.length < 2) return '';
  const files = journey.declarations.map((d) => baseName(d.uri)).reverse().join(' and ');
  const from = previous && previous.uri !== step.uri ? ` Step ${previous.order} comes from ${baseName(previous.uri)} and step ${step.order} from ${baseName(step.uri)}:` : '';
  return `${from} the journey Id is declared in ${files}, so their steps merge by Order; use a new journey Id in the descendant if it is a separate journey.`;
}

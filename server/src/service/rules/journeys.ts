import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import type { ChainModel, JourneyModel, StepModel } from '../journeys/model';
import { chainProblemFindings, type ChainProblem } from '../journeys/problems';
import { baseName } from '../policy/workspace';
import type { Span } from '../xml/nodes';
import { hasTemplateToken, type RuleContext, type RuleSettings } from './context';

/**
 * ClaimsProviderSelection@TargetClaimsExchangeId must name a ClaimsExchange of the next orchestration step
 * of the same effective journey, ValidationClaimsExchangeId one of the same step (userjourneys.md; measured:
 * all 180 TargetClaimsExchangeIds of the starter pack and public samples name an exchange of the next step).
 * Judged on the file's own chain like every journey rule: a descendant that overrides the next step and drops
 * the exchange is the upload that breaks, and it reports the problem on its overriding step.
 */
export function checkClaimsExchangeTargets(context: RuleContext): Finding[] {
  const { settings } = context;
  return chainProblemFindings(context, 'claimsExchangeTargets', (model: ChainModel) => targetProblems(model, settings));
}

function targetProblems(model: ChainModel, settings: RuleSettings): ChainProblem[] {
  const problems: ChainProblem[] = [];
  for (const journey of model.journeys()) {
    journey.steps.forEach((step, index) => {
      for (const selection of step.selections) {
        for (const [reference, target] of [
          [selection.target, 'next'],
          [selection.validation, 'same'],
        ] as const) {
          if (!reference || hasTemplateToken(reference.id, settings.templateTokens)) continue;
          const targetStep = journey.steps[target === 'next' ? index + 1 : index];
          const problem = checkTarget(journey, step, reference, target, targetStep);
          if (problem) problems.push(problem);
        }
      }
    });
  }
  return problems;
}

function checkTarget(journey: JourneyModel, step: StepModel, reference: { id: string; span: Span }, target: 'next' | 'same', targetStep: StepModel | undefined): ChainProblem | undefined {
  const key = `target|${journey.kind}|${journey.id.toLowerCase()}|${step.order}|${target}|${reference.id}`;
  const subject = { kind: journey.kind, id: journey.id };
  const at = { uri: step.uri, span: reference.span };
  if (!targetStep) {
    return {
      key,
      code: DiagnosticCodes.unresolvedReference,
      severity: 'error',
      message: () => `No ClaimsExchange with Id '${reference.id}': journey '${journey.id}' has no step after step ${step.order}.`,
      data: { kind: 'claimsExchange', id: reference.id, journeyId: journey.id, journeyKind: journey.kind, stepOrder: step.order + 1, missingStep: true },
      anchors: [at],
      journey: subject,
    };
  }
  if (targetStep.exchanges.some((e) => e.id === reference.id)) return undefined;
  const targetAnchor = targetStep.orderSpan ? [{ uri: targetStep.uri, span: targetStep.orderSpan }] : [];
  const describe = (reportedIn: string) =>
    `orchestration step ${targetStep.order} of journey '${journey.id}'${targetStep.uri !== reportedIn || step.uri !== targetStep.uri ? ` (${baseName(targetStep.uri)})` : ''}`;
  const caseOnly = targetStep.exchanges.find((e) => e.id.toLowerCase() === reference.id.toLowerCase());
  if (caseOnly) {
    return {
      key,
      code: DiagnosticCodes.idCaseMismatch,
      severity: 'hint',
      message: (reportedIn) => `'${reference.id}' differs only in case from ClaimsExchange '${caseOnly.id}' in ${describe(reportedIn)}.`,
      data: { kind: 'claimsExchange', id: reference.id, declaredId: caseOnly.id },
      anchors: [at],
      journey: subject,
    };
  }
  const elsewhere = journey.steps.find((s) => s !== targetStep && s.exchanges.some((e) => e.id.toLowerCase() === reference.id.toLowerCase()));
  return {
    key,
    code: DiagnosticCodes.unresolvedReference,
    severity: 'error',
    message: (reportedIn) =>
      (reportedIn === step.uri
        ? `No ClaimsExchange with Id '${reference.id}' in ${describe(reportedIn)}`
        : `Step ${targetStep.order} of journey '${journey.id}' (overridden here) has no ClaimsExchange '${reference.id}', which the ClaimsProviderSelection of step ${step.order} (${baseName(step.uri)}) names`) +
      (target === 'next' ? ' (a TargetClaimsExchangeId must name an exchange of the next step)' : ' (a ValidationClaimsExchangeId must name an exchange of the same step)') +
      (elsewhere ? `; it is in step ${elsewhere.order}.` : '.'),
    data: {
      kind: 'claimsExchange',
      id: reference.id,
      journeyId: journey.id,
      journeyKind: journey.kind,
      stepOrder: targetStep.order,
      stepUri: targetStep.uri,
      candidates: targetStep.exchanges.map((e) => e.id),
    },
    anchors: [at, ...targetAnchor],
    journey: subject,
  };
}

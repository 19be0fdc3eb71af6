import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import type { EffectiveJourney } from '../policy/effective';
import { baseName } from '../policy/workspace';
import { hasTemplateToken, type RuleContext } from './context';

/**
 * ClaimsProviderSelection@TargetClaimsExchangeId must name a ClaimsExchange of the next orchestration step
 * of the same effective journey; ValidationClaimsExchangeId one of the same step. A step overridden in a
 * child counts as the child's version.
 */
export function checkClaimsExchangeTargets(context: RuleContext): Finding[] {
  const { file, effective, settings } = context;
  const findings: Finding[] = [];
  for (const reference of file.references) {
    if (reference.kind !== 'claimsExchange' || !reference.step) continue;
    if (!reference.id || hasTemplateToken(reference.id, settings.templateTokens)) continue;
    const journey = effective.journey(reference.step.journeyKind, reference.step.journeyId);
    if (!journey) continue;
    const stepIndex = journey.steps.findIndex((s) => s.order === reference.step!.order);
    if (stepIndex < 0) continue;
    // The step holding this reference may have been replaced by a more derived policy of the chain;
    // then this reference is not in effect for the chain and is checked where it is in effect.
    if (journey.steps[stepIndex].file.uri !== file.uri) continue;
    const targetIndex = reference.step.target === 'next' ? stepIndex + 1 : stepIndex;
    const target = journey.steps[targetIndex];
    const where = describeStep(journey, target?.order ?? reference.step.order + 1, target?.file.uri);
    if (!target) {
      findings.push({
        code: DiagnosticCodes.unresolvedReference,
        severity: 'error',
        message: `No ClaimsExchange with Id '${reference.id}': journey '${journey.id}' has no step after step ${reference.step.order}.`,
        span: reference.span,
        data: { kind: 'claimsExchange', id: reference.id, journeyId: journey.id, journeyKind: journey.kind, stepOrder: reference.step.order + 1, missingStep: true },
      });
      continue;
    }
    const exact = target.step.exchanges.find((e) => e.id === reference.id);
    if (exact) continue;
    const caseOnly = target.step.exchanges.find((e) => e.id.toLowerCase() === reference.id.toLowerCase());
    if (caseOnly) {
      findings.push({
        code: DiagnosticCodes.idCaseMismatch,
        severity: 'hint',
        message: `'${reference.id}' differs only in case from ClaimsExchange '${caseOnly.id}' in ${where}.`,
        span: reference.span,
        data: { kind: 'claimsExchange', id: reference.id, declaredId: caseOnly.id },
      });
      continue;
    }
    const elsewhere = journey.steps.find((s) => s !== target && s.step.exchanges.some((e) => e.id.toLowerCase() === reference.id.toLowerCase()));
    findings.push({
      code: DiagnosticCodes.unresolvedReference,
      severity: 'error',
      message:
        `No ClaimsExchange with Id '${reference.id}' in ${where}` +
        (reference.step.target === 'next' ? ' (a TargetClaimsExchangeId must name an exchange of the next step)' : ' (a ValidationClaimsExchangeId must name an exchange of the same step)') +
        (elsewhere ? `; it is in step ${elsewhere.order}.` : '.'),
      span: reference.span,
      data: {
        kind: 'claimsExchange',
        id: reference.id,
        journeyId: journey.id,
        journeyKind: journey.kind,
        stepOrder: target.order,
        stepUri: target.file.uri,
        candidates: target.step.exchanges.map((e) => e.id),
      },
    });
  }
  return findings;
}

function describeStep(journey: EffectiveJourney, order: number, uri: string | undefined): string {
  return `orchestration step ${order} of journey '${journey.id}'${uri ? ` (${baseName(uri)})` : ''}`;
}

import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import { selectionTarget, type EffectiveJourney, type EffectivePolicy } from '../policy/effective';
import type { Reference } from '../policy/model';
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
  // With a missing base, the steps the missing parent defines are unknown: nothing here can be judged.
  if (!effective.complete) return findings;
  let chains: EffectivePolicy[] | undefined;
  for (const reference of file.references) {
    if (reference.kind !== 'claimsExchange' || !reference.step) continue;
    if (!reference.id || hasTemplateToken(reference.id, settings.templateTokens)) continue;
    // Judge the selection in the chains that are uploaded with it: those of the policies at the end of
    // the inheritance tree that build on this file (a child may override the next step), or this
    // file's own chain when nothing builds on it.
    chains ??= leafChains(context);
    for (const chain of chains) {
      const finding = checkInChain(reference, chain, file.uri);
      if (finding) {
        findings.push(finding);
        break;
      }
    }
  }
  return findings;
}

function leafChains(context: RuleContext): EffectivePolicy[] {
  const { file, effective, index } = context;
  const leaves = index.descendants(file.uri).filter((d) => index.children(d.uri).length === 0);
  const chains = leaves.map((leaf) => index.effective(leaf)).filter((p) => p.complete);
  return chains.length ? chains : [effective];
}

function checkInChain(reference: Reference, chain: EffectivePolicy, uri: string): Finding | undefined {
  const step = reference.step!;
  const journey = chain.journey(step.journeyKind, step.journeyId);
  if (!journey) return undefined;
  const located = selectionTarget(journey, step.order, step.target);
  if (!located) return undefined;
  // The step holding this reference may have been replaced by a more derived policy of the chain;
  // then this reference is not in effect there.
  if (located.own.file.uri !== uri) return undefined;
  const target = located.target;
  const chainNote = chain.files[0].uri !== uri ? ` in the chain of ${baseName(chain.files[0].uri)}` : '';
  if (!target) {
    return {
      code: DiagnosticCodes.unresolvedReference,
      severity: 'error',
      message: `No ClaimsExchange with Id '${reference.id}': journey '${journey.id}' has no step after step ${step.order}${chainNote}.`,
      span: reference.span,
      data: { kind: 'claimsExchange', id: reference.id, journeyId: journey.id, journeyKind: journey.kind, stepOrder: step.order + 1, missingStep: true },
    };
  }
  if (target.step.exchanges.some((e) => e.id === reference.id)) return undefined;
  const where = describeStep(journey, target.order, target.file.uri) + chainNote;
  const caseOnly = target.step.exchanges.find((e) => e.id.toLowerCase() === reference.id.toLowerCase());
  if (caseOnly) {
    return {
      code: DiagnosticCodes.idCaseMismatch,
      severity: 'hint',
      message: `'${reference.id}' differs only in case from ClaimsExchange '${caseOnly.id}' in ${where}.`,
      span: reference.span,
      data: { kind: 'claimsExchange', id: reference.id, declaredId: caseOnly.id },
    };
  }
  const elsewhere = journey.steps.find((s) => s !== target && s.step.exchanges.some((e) => e.id.toLowerCase() === reference.id.toLowerCase()));
  return {
    code: DiagnosticCodes.unresolvedReference,
    severity: 'error',
    message:
      `No ClaimsExchange with Id '${reference.id}' in ${where}` +
      (step.target === 'next' ? ' (a TargetClaimsExchangeId must name an exchange of the next step)' : ' (a ValidationClaimsExchangeId must name an exchange of the same step)') +
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
  };
}

function describeStep(journey: EffectiveJourney, order: number, uri: string | undefined): string {
  return `orchestration step ${order} of journey '${journey.id}'${uri ? ` (${baseName(uri)})` : ''}`;
}

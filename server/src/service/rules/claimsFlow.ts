import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import { journeyFlow, needsProducer, relyingPartyInputClaims, type MissingInput } from '../journeys/claimsFlow';
import type { ChainModel, JourneyModel } from '../journeys/model';
import { chainProblemFindings, type ChainProblem } from '../journeys/problems';
import { baseName } from '../policy/workspace';
import type { XmlElement } from '../xml/nodes';
import { attributeValue, childElements, firstChild, getAttribute } from '../xml/query';
import type { RuleContext } from './context';

/**
 * Claim data flow (service-errors.md #8 and #9; the rule itself is documented in journeys/claimsFlow.ts):
 * - input-claim-not-produced: a required input claim of a profile run at step N that no earlier step produces;
 * - output-claim-not-produced: a relying-party output claim that no step of its journey produces.
 * Judged on the file's own chain, reported by the file that introduced the problem (journeys/problems.ts).
 */
export function checkClaimsFlow(context: RuleContext): Finding[] {
  return chainProblemFindings(context, 'claimsFlow', claimsFlowProblems);
}

function claimsFlowProblems(model: ChainModel): ChainProblem[] {
  const problems: ChainProblem[] = [];
  for (const journey of model.journeys()) {
    if (journey.kind !== 'userJourney') continue; // sub-journeys are checked where they are invoked
    for (const missing of journeyFlow(model, journey).missing) problems.push(inputProblem(model, journey, missing));
  }
  problems.push(...relyingPartyProblems(model));
  return problems;
}

function inputProblem(model: ChainModel, top: JourneyModel, m: MissingInput): ChainProblem {
  const producers = producersOf(model, m.claim.claim);
  const where = m.via.length
    ? `step "${m.step.order}" of sub-journey "${m.journey.id}" (invoked from ${m.via.map((v) => `step ${v.order} of "${v.journeyId}"`).join(', ')})`
    : `step "${m.step.order}" of user journey "${top.id}"`;
  const exchange = m.step.exchanges.find((e) => e.profileId?.toLowerCase() === m.profileId.toLowerCase());
  return {
    key: `input|${top.id.toLowerCase()}|${m.via.map((v) => `${v.journeyId}:${v.order}`).join('>')}|${m.journey.id.toLowerCase()}:${m.step.order}|${m.profileId.toLowerCase()}|${m.claim.claim.toLowerCase()}`,
    code: DiagnosticCodes.inputClaimNotProduced,
    severity: 'error',
    message: (reportedIn) =>
      `Claim type "${m.claim.claim}" is the input claim of technical profile "${m.profileId}" in ${where}, but it is not an output claim in any of the previous steps` +
      (m.step.uri !== reportedIn ? ` (step ${m.step.order} is in ${baseName(m.step.uri)})` : '') +
      '. ' +
      (producers.length
        ? `It is produced by ${producers.map((p) => `${p.id} (${baseName(p.uri)})`).join(', ')}, which no earlier step runs: run one of them in an earlier step, or give the input claim a DefaultValue.`
        : 'No technical profile of this chain produces it: produce it in an earlier step, or give the input claim a DefaultValue.'),
    data: {
      claim: m.claim.claim,
      profile: m.profileId,
      journeyId: m.journey.id,
      step: m.step.order,
      stepUri: m.step.uri,
      claimUri: m.claim.uri,
      producers: producers.map((p) => p.id),
    },
    anchors: [
      ...(exchange?.profileSpan ? [{ uri: m.step.uri, span: exchange.profileSpan }] : []),
      { uri: m.claim.uri, span: m.claim.span },
    ],
    journey: { kind: top.kind, id: top.id },
  };
}

/** Technical profiles of the chain that can output a claim (at most three, for the message). */
function producersOf(model: ChainModel, claim: string): Array<{ id: string; uri: string }> {
  const wanted = claim.toLowerCase();
  const out: Array<{ id: string; uri: string }> = [];
  for (const definition of model.effective.definitionsOf('technicalProfile')) {
    if (out.length === 3) break;
    if (model.profiles.produced(definition.id).has(wanted)) out.push({ id: definition.id, uri: definition.uri });
  }
  return out;
}

/** Relying-party output claims that no step of its default journey produces (service-errors.md #9). */
function relyingPartyProblems(model: ChainModel): ChainProblem[] {
  const root = model.file.xml.root;
  const relyingParty = root ? firstChild(root, 'RelyingParty') : undefined;
  if (!relyingParty) return [];
  const journeyId = attributeValue(firstChild(relyingParty, 'DefaultUserJourney') ?? relyingParty, 'ReferenceId');
  const journey = journeyId ? model.journey('userJourney', journeyId) : undefined;
  const profile = firstChild(relyingParty, 'TechnicalProfile');
  if (!journey || !profile) return []; // an unresolved journey is reported by the reference checks
  const flow = journeyFlow(model, journey);
  if (!flow.complete) return [];
  const available = flow.produced;
  // Lenient on purpose: a claim the relying party itself receives may be passed through.
  for (const c of relyingPartyInputClaims(model) ?? []) available.add(c);
  for (const ref of transformationsOf(profile)) for (const c of model.profiles.transformation(ref).outputs) available.add(c.toLowerCase());
  const problems: ChainProblem[] = [];
  for (const list of childElements(profile, 'OutputClaims')) {
    for (const output of childElements(list, 'OutputClaim')) {
      const id = getAttribute(output, 'ClaimTypeReferenceId');
      if (!id?.value || available.has(id.value.toLowerCase())) continue;
      // A claim type the chain does not define is reported by the reference checks (no second finding).
      const declared = model.effective.lookup('claimType', id.value);
      if (!declared.exact.length && !declared.caseOnly.length) continue;
      const use = { required: true, defaultValue: attributeValue(output, 'DefaultValue'), alwaysUseDefaultValue: attributeValue(output, 'AlwaysUseDefaultValue')?.trim().toLowerCase() === 'true' };
      if (!needsProducer(use)) continue;
      const producers = producersOf(model, id.value);
      problems.push({
        key: `rp-output|${journey.id.toLowerCase()}|${id.value.toLowerCase()}`,
        code: DiagnosticCodes.outputClaimNotProduced,
        severity: 'error',
        message: () =>
          `Claim type "${id.value}" is the output claim of the relying party's technical profile, but it is not an output claim in any of the steps of user journey "${journey.id}". ` +
          (producers.length ? `${producers.map((p) => p.id).join(', ')} would produce it, but no step of the journey runs ${producers.length === 1 ? 'it' : 'them'}: ` : '') +
          (producers.length ? 'give' : 'Give') + ' it a DefaultValue or remove the output claim.',
        data: { claim: id.value, journeyId: journey.id, producers: producers.map((p) => p.id) },
        anchors: [{ uri: model.file.uri, span: id.valueSpan ?? id.nameSpan }],
      });
    }
  }
  return problems;
}

function transformationsOf(profile: XmlElement): string[] {
  const out: string[] = [];
  for (const list of childElements(profile, 'OutputClaimsTransformations')) for (const e of childElements(list, 'OutputClaimsTransformation')) {
    const id = attributeValue(e, 'ReferenceId');
    if (id) out.push(id);
  }
  return out;
}

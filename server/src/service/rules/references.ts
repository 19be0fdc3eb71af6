import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import { KIND_LABELS, type Definition, type DefinitionKind, type Reference } from '../policy/model';
import { baseName } from '../policy/workspace';
import { attributeValue, childElements } from '../xml/query';
import { hasTemplateToken, type RuleContext } from './context';

/**
 * unresolved-reference and id-case-mismatch for every reference kind except claims exchanges (see
 * journeys.ts), resolved in the file's own chain (the file and its bases), case-insensitively. The service
 * validates each upload with its base policies only (service-errors.md #4: "neither the policy nor any of
 * its base policies contain such an element"); every starter-pack base checks clean with no descendant
 * present, so a definition that only a descendant provides does not count. The message says where it is.
 * When the chain is incomplete (a missing base), unresolved references are counted, not reported.
 */
export function checkReferences(context: RuleContext): Finding[] {
  const { file, effective, index, settings } = context;
  const findings: Finding[] = [];
  let unverified = 0;
  const chainNames = effective.files.map((f) => baseName(f.uri)).join(' -> ');

  for (const reference of file.references) {
    if (!reference.id || hasTemplateToken(reference.id, settings.templateTokens)) continue;
    if (reference.kind === 'claimsExchange') {
      // Checked by journeys.ts on a complete chain; with a missing base the steps cannot be known.
      if (!effective.complete) unverified++;
      continue;
    }
    const kind = reference.kind as DefinitionKind;
    const found = effective.lookup(kind, reference.id);
    if (found.exact.length > 0) continue;
    if (found.caseOnly.length > 0) {
      findings.push(caseMismatch(reference, found.caseOnly[0]));
      continue;
    }
    if (!effective.complete) {
      unverified++;
      continue;
    }
    if (namesPartnerClaimType(reference)) continue;
    const inDescendant = index
      .descendants(file.uri)
      .map((d) => d.definitions.find((x) => x.kind === kind && x.id.toLowerCase() === reference.id.toLowerCase()))
      .find((d): d is Definition => !!d);
    findings.push({
      code: DiagnosticCodes.unresolvedReference,
      severity: 'error',
      message:
        `No ${KIND_LABELS[kind]} with Id '${reference.id}' is defined in ${chainNames}` +
        (inDescendant
          ? `; ${baseName(inDescendant.uri)} defines it, but that policy builds on this one, and the service checks a policy with its base policies only: move the definition into this file or one of its bases.`
          : '.'),
      span: reference.span,
      data: { kind, id: reference.id, ...(inDescendant ? { definedIn: inDescendant.uri } : {}) },
    });
  }

  if (unverified > 0 && file.base) {
    findings.push({
      code: DiagnosticCodes.unverifiedReferences,
      severity: 'information',
      message: `${unverified} reference${unverified === 1 ? '' : 's'} could not be verified because the chain is incomplete (base policy '${context.chain.missingBase?.policyId ?? file.base.policyId}' could not be resolved).`,
      span: file.base.span,
      data: { count: unverified },
    });
  }
  return findings;
}

/**
 * SubjectNamingInfo/@ClaimType is "a reference to an output claim's PartnerClaimType" (relyingparty.md): a SAML
 * relying party names the subject by its partner claim (Microsoft's azure-ad-b2c/saml-sp samples write
 * ClaimType="SubjectNamingInfo" for an objectId output claim). A value that no ClaimType has is fine when an
 * OutputClaim of the same technical profile has it as PartnerClaimType.
 */
function namesPartnerClaimType(reference: Reference): boolean {
  if (reference.element.localName !== 'SubjectNamingInfo' || reference.attribute !== 'ClaimType') return false;
  const profile = reference.element.parent;
  const wanted = reference.id.toLowerCase();
  for (const list of profile ? childElements(profile, 'OutputClaims') : []) {
    for (const claim of childElements(list, 'OutputClaim')) if (attributeValue(claim, 'PartnerClaimType')?.toLowerCase() === wanted) return true;
  }
  return false;
}

function caseMismatch(reference: Reference, declared: Definition): Finding {
  return {
    code: DiagnosticCodes.idCaseMismatch,
    severity: 'hint',
    message: `'${reference.id}' differs only in case from the declared ${KIND_LABELS[declared.kind]} '${declared.id}' (${baseName(declared.uri)}); the service accepts it, but the declared casing is clearer.`,
    span: reference.span,
    data: { kind: reference.kind, id: reference.id, declaredId: declared.id },
  };
}

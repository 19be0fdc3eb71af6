import { DiagnosticCodes } from '../../protocol';
import { closestIds } from '../util/closest';
import type { Finding } from '../findings';
import type { RuleContext } from './context';

/**
 * A TechnicalProfile whose Id matches no profile of the file's bases is a new profile, not an override, and a
 * new profile needs what every profile needs: a DisplayName and a Protocol, from itself or a profile it
 * includes. The service rejects the upload otherwise (service message #16: `The required "DisplayName" element
 * is missing from TechnicalProfile with id "AAD-UserWriteUsingAlternativeSecurityId"`, azure-docs#54775: an
 * Extensions "override" for a base that does not have the profile). The usual cause is a misspelled Id, so the
 * finding carries the closest Id of the bases.
 *
 * Judged on the file's own chain (the service validates each upload with its bases only); not judged when a
 * base is missing, since the profile may be declared there. Measured on the corpus: every technical profile of
 * the starter packs, bases included, has a DisplayName and a Protocol of its own or through an include.
 */
export function checkTechnicalProfileOverrides(context: RuleContext): Finding[] {
  const { file, effective } = context;
  if (!effective.complete) return [];
  const bases = effective.files.filter((f) => f !== file);
  const findings: Finding[] = [];
  let baseIds: string[] | undefined;
  for (const definition of file.definitions) {
    if (definition.kind !== 'technicalProfile') continue;
    const inBases = bases.some((b) => b.definitions.some((d) => d.kind === 'technicalProfile' && d.id.toLowerCase() === definition.id.toLowerCase()));
    if (inBases) continue;
    const profile = context.chainModel(file).profiles.profile(definition.id);
    if (!profile || !profile.includesResolved) continue;
    const missing = [...(profile.displayName !== undefined ? [] : ['DisplayName']), ...(profile.protocol ? [] : ['Protocol'])];
    if (missing.length === 0) continue;
    baseIds ??= bases.flatMap((b) => b.definitions.filter((d) => d.kind === 'technicalProfile').map((d) => d.id));
    const closest = closestIds(definition.id, baseIds, 1)[0];
    const elements = missing.map((m) => `"${m}"`).join(' and ');
    findings.push({
      code: DiagnosticCodes.incompleteTechnicalProfile,
      severity: 'error',
      message:
        `The required ${elements} element${missing.length > 1 ? 's are' : ' is'} missing from TechnicalProfile with id "${definition.id}"` +
        (bases.length
          ? `: no base policy declares "${definition.id}", so it is a new profile, not an override${closest ? `; did you mean "${closest}"?` : '.'}`
          : '.'),
      span: definition.idSpan,
      data: { id: definition.id, missing, closest },
    });
  }
  return findings;
}

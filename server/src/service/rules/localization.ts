import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import type { DefinitionKind } from '../policy/model';
import { editDistance } from '../util/closest';
import type { RuleContext } from './context';

const ELEMENT_TYPE_KINDS: Record<string, DefinitionKind> = {
  ClaimType: 'claimType',
  Predicate: 'predicate',
};

/**
 * Localization entries that name no definition of the file's chain. The service accepts such entries
 * (Microsoft's SocialAccounts localization names `signInName`, which that base never declares; a community
 * localization file of generic translations had 98 of them), so a plain miss is a hint. A near miss of a
 * defined id (within the edit distance `closestIds` uses) is likely a typo whose entry silently has no
 * effect: a warning with the closest ids as data for "Change to". Near: at most one edit per six characters
 * (at least one), so `signInName` is not taken for `givenName`.
 */
export function checkLocalizedElements(context: RuleContext): Finding[] {
  const { file, effective } = context;
  if (!effective.complete || file.localizedElements.length === 0) return [];
  const findings: Finding[] = [];
  const idsOf = new Map<DefinitionKind, string[]>();
  for (const entry of file.localizedElements) {
    const kind = ELEMENT_TYPE_KINDS[entry.elementType];
    if (!kind) continue;
    const found = effective.lookup(kind, entry.id);
    if (found.exact.length || found.caseOnly.length) continue;
    if (!idsOf.has(kind)) idsOf.set(kind, effective.definitionsOf(kind).map((d) => d.id));
    const limit = Math.max(1, Math.floor(entry.id.length / 6));
    const suggestions = idsOf
      .get(kind)!
      .map((id) => ({ id, d: editDistance(entry.id, id) }))
      .filter((x) => x.d <= limit)
      .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1))
      .slice(0, 3)
      .map((x) => x.id);
    findings.push({
      code: DiagnosticCodes.unresolvedLocalizedElement,
      severity: suggestions.length ? 'warning' : 'hint',
      message: suggestions.length
        ? `Localized ${entry.elementType} '${entry.id}' is not defined in this chain (did you mean '${suggestions[0]}'?); the entry has no effect.`
        : `Localized ${entry.elementType} '${entry.id}' is not defined in this chain; the entry has no effect (the service accepts it).`,
      span: entry.span,
      data: { kind, id: entry.id, suggestions },
    });
  }
  return findings;
}

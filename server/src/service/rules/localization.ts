import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import type { DefinitionKind } from '../policy/model';
import type { RuleContext } from './context';

const ELEMENT_TYPE_KINDS: Record<string, DefinitionKind> = {
  ClaimType: 'claimType',
  Predicate: 'predicate',
};

/**
 * Localization entries that name no definition: at most a warning, since Microsoft's own packs contain
 * such entries and the service accepts them (DESIGN.md section 1). Only checked on a complete chain,
 * and a definition in a policy that builds on this one counts.
 */
export function checkLocalizedElements(context: RuleContext): Finding[] {
  const { file, effective, index } = context;
  if (!effective.complete || file.localizedElements.length === 0) return [];
  const findings: Finding[] = [];
  let descendants: ReturnType<typeof index.effective>[] | undefined;
  for (const entry of file.localizedElements) {
    const kind = ELEMENT_TYPE_KINDS[entry.elementType];
    if (!kind) continue;
    const found = effective.lookup(kind, entry.id);
    if (found.exact.length || found.caseOnly.length) continue;
    descendants ??= index.descendants(file.uri).map((d) => index.effective(d));
    if (descendants.some((p) => { const l = p.lookup(kind, entry.id); return l.exact.length || l.caseOnly.length; })) continue;
    findings.push({
      code: DiagnosticCodes.unresolvedLocalizedElement,
      severity: 'warning',
      message: `Localized ${entry.elementType} '${entry.id}' is not defined in this chain; the entry has no effect.`,
      span: entry.span,
      data: { kind, id: entry.id },
    });
  }
  return findings;
}

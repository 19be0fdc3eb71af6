import { DiagnosticCodes } from '../../protocol';
import type { Finding, Severity } from '../findings';
import type { PolicyFile } from '../policy/model';

/**
 * How many findings one file lists. VS Code shows at most 1,000 diagnostics per file anyway (its extension
 * host drops the rest, `ExtHostDiagnostics._maxDiagnosticsPerFile`); past that, one summary finding says how
 * many more there are, so every client (editor, CLI, SARIF) still gets the true count and the worst severity.
 */
export const MAX_FINDINGS_PER_FILE = 1000;

/**
 * How many elements a chain (the file and its bases) may have for the rules to run on it. The largest
 * starter-pack file has about 1,500 elements in 116 KB; the service takes at most 1,024 KB per file, so a
 * chain of four files at that limit has about 50,000. Past this, XML and schema are still checked (both are
 * linear) but the cross-file rules are not: the file gets one `file-not-checked` error instead of a wait
 * whose length nobody can bound.
 */
export const MAX_CHAIN_ELEMENTS = 50_000;

/** The one finding of a file whose chain is too large for the rules, or undefined when within the budget. */
export function chainBudgetFinding(chain: readonly PolicyFile[], max = MAX_CHAIN_ELEMENTS): Finding | undefined {
  let elements = 0;
  for (const file of chain) elements += file.elementCount;
  if (elements <= max) return undefined;
  return {
    code: DiagnosticCodes.fileNotChecked,
    severity: 'error',
    message: `Too large to check fully: this policy and its bases have over ${thousands(max)} elements (the service takes at most 1,024 KB per file). XML syntax and the schema were checked; references, journeys and the other rules were not.`,
    span: { start: 0, end: 0 },
    data: { elements: `>${max}`, files: chain.length },
  };
}

/**
 * Appends findings one by one. Never `target.push(...source)`: spreading a long array into a call's
 * arguments overflows the stack past about 125,000 elements, and a check that throws is a check lost.
 */
export function appendFindings(target: Finding[], source: readonly Finding[]): void {
  for (const finding of source) target.push(finding);
}

/**
 * A check that failed inside the tool is a finding on the file, never silence: the file was not fully
 * checked, and the CLI fails on it (an error). Only the check's name and the error's kind are shown (an
 * exception's text could quote a value of the policy); the stack goes to the log.
 */
export function internalErrorFinding(check: string, error: unknown): Finding {
  const kind = error instanceof Error ? error.name : typeof error;
  return {
    code: DiagnosticCodes.internalError,
    severity: 'error',
    message: `Internal error in the '${check}' check (${kind}): this file was not fully checked. Please report it with the file if you can.`,
    span: { start: 0, end: 0 },
    data: { check },
  };
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];

/** Findings that must stay listed whatever the count: the ones that say the file was not fully checked. */
const ALWAYS_LISTED = new Set<string>([DiagnosticCodes.internalError, DiagnosticCodes.fileNotChecked]);

/**
 * Keeps a file's findings within `max`: when there are more, the first `max - 1` (errors before warnings
 * before the rest, then in document order, and always the internal errors) stay, in document order, and one
 * `file-not-checked` finding at the start of the file says how many were left out and of which severity. Its
 * severity is the worst left out, so leaving findings out never turns a failing file into a passing one.
 * `findings` must be in document order; it is returned as is when within the budget.
 */
export function applyFindingBudget(findings: Finding[], max = MAX_FINDINGS_PER_FILE): Finding[] {
  if (findings.length <= max) return findings;
  const rank = (f: Finding) => (ALWAYS_LISTED.has(f.code) ? -1 : SEVERITY_ORDER.indexOf(f.severity));
  const order = findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i);
  const kept = order.slice(0, max - 1).sort((a, b) => a.i - b.i).map((x) => x.f);
  const omitted = order.slice(max - 1).map((x) => x.f);
  const count = (list: Finding[]) => SEVERITY_ORDER.map((s) => list.filter((f) => f.severity === s).length);
  const omittedBySeverity = count(omitted);
  const totalBySeverity = count(findings);
  const worst = SEVERITY_ORDER[omittedBySeverity.findIndex((n) => n > 0)];
  const summary: Finding = {
    code: DiagnosticCodes.fileNotChecked,
    severity: worst,
    message:
      `Too many findings to list: ${thousands(findings.length)} in all (${describe(totalBySeverity)}); ` +
      `the first ${thousands(kept.length)} are listed and ${thousands(omitted.length)} more are not (${describe(omittedBySeverity)}). ` +
      'Fix the listed ones first: many of the rest usually follow from them.',
    span: { start: 0, end: 0 },
    data: {
      total: findings.length,
      omitted: omitted.length,
      omittedBySeverity: Object.fromEntries(SEVERITY_ORDER.map((s, i) => [s, omittedBySeverity[i]])),
    },
  };
  return [summary, ...kept];
}

function describe(counts: number[]): string {
  const names = ['error', 'warning', 'information', 'hint'];
  const parts = counts.map((n, i) => (n ? `${thousands(n)} ${names[i]}${n === 1 || i === 2 ? '' : 's'}` : '')).filter(Boolean);
  return parts.join(', ');
}

/** 130000 -> "130,000" (no locale data needed). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

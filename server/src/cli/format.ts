import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticCodes } from '../protocol';

export const SEVERITY_NAMES = ['', 'error', 'warning', 'information', 'hint'] as const;

export interface FileResult {
  /** The path to print (as given, or found below a given folder). */
  path: string;
  diagnostics: Diagnostic[];
}

export function severityName(d: Diagnostic): string {
  return SEVERITY_NAMES[d.severity ?? 1];
}

/**
 * Makes a value safe for one line of text output: control characters (line breaks, escape sequences) become
 * visible escapes, so a policy value or a file name can never start a line of its own (a CI system reads
 * `::error ...` at the start of a line as a command). JSON and SARIF carry the raw text.
 */
export function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

export function formatText(results: FileResult[], footer = true): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let others = 0;
  for (const r of results) {
    for (const d of r.diagnostics) {
      lines.push(`${oneLine(r.path)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severityName(d)} ${oneLine(String(d.code))}: ${oneLine(d.message)}`);
      // A file with more findings than are listed says so in one finding: the totals count the findings it
      // stands for instead of it.
      const omitted = omittedBySeverity(d);
      if (omitted) {
        errors += omitted.error;
        warnings += omitted.warning;
        others += omitted.information + omitted.hint;
        continue;
      }
      const severity = severityName(d);
      if (severity === 'error') errors++;
      else if (severity === 'warning') warnings++;
      else others++;
    }
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (footer) lines.push(`${plural(results.length, 'policy file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(others, 'other finding')}.`);
  return lines.join('\n') + '\n';
}

/** The findings a `file-not-checked` summary stands for (analysis/budget.ts), by severity; undefined for others. */
function omittedBySeverity(d: Diagnostic): Record<'error' | 'warning' | 'information' | 'hint', number> | undefined {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  const data = d.data as { omittedBySeverity?: Record<string, unknown> } | undefined;
  if (d.code !== DiagnosticCodes.fileNotChecked || !data?.omittedBySeverity) return undefined;
  for (const key of Object.keys(counts) as Array<keyof typeof counts>) {
    const n = data.omittedBySeverity[key];
    if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0) counts[key] = n;
  }
  return counts;
}

export function formatJson(results: FileResult[]): string {
  return (
    JSON.stringify({
      files: results.map((r) => ({
        path: r.path,
        diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: severityName(d), message: d.message, range: d.range })),
      })),
    }) + '\n'
  );
}

const SARIF_LEVELS: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(results: FileResult[]): string {
  const rules = new Set<string>();
  for (const r of results) for (const d of r.diagnostics) rules.add(String(d.code));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'b2c-policy', informationUri: 'https://example.invalid/b2c-policy-tools', rules: [...rules].sort().map((id) => ({ id })) } },
        results: results.flatMap((r) =>
          r.diagnostics.map((d) => ({
            ruleId: String(d.code),
            level: SARIF_LEVELS[severityName(d)],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: r.path.split(path.sep).join('/') },
                  region: { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

export type OutputFormat = 'text' | 'json' | 'sarif';

export function formatResults(results: FileResult[], format: OutputFormat): string {
  return format === 'json' ? formatJson(results) : format === 'sarif' ? formatSarif(results) : formatText(results);
}

/** Exit code for findings: 1 when any is an error. */
export function exitCodeOf(results: FileResult[]): number {
  return results.some((r) => r.diagnostics.some((d) => (d.severity ?? 1) === 1)) ? 1 : 0;
}

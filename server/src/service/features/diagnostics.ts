import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../protocol';
import type { Finding, Severity } from '../findings';
import type { LineIndex } from '../xml/lines';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A finding as an LSP diagnostic: exact range, `source`, stable `code`, and the `data` payload. */
export function toDiagnostic(lines: LineIndex, finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: lines.rangeOf(finding.span),
    severity: SEVERITIES[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.code,
    message: finding.message,
  };
  if (finding.data) diagnostic.data = { ...finding.data, code: finding.code };
  return diagnostic;
}

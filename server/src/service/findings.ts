import type { Span } from './xml/nodes';
import type { DiagnosticCode } from '../protocol';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/**
 * What a check found, in offsets of the checked document's text. Features convert findings into LSP
 * diagnostics (with `source`, `code` and `data`) at the edge.
 */
export interface Finding {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span;
  /** Machine-readable details that quick fixes read (never parse the message). */
  data?: Record<string, unknown>;
}

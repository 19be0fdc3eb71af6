import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { DiagnosticCodes, type ReferenceKind } from '../../protocol';
import type { Finding } from '../findings';
import type { PolicyLanguageService } from '../languageService';
import type { PolicyFile } from '../policy/model';
import type { DefinitionKind } from '../policy/model';
import type { Span } from '../xml/nodes';
import { childElements, firstChild } from '../xml/query';
import { detectIndentUnit } from './scaffold/textEdits';

/** Findings whose fix is safe to apply without a person looking (CLI `check --fix`). */
export const SAFE_FIX_CODES = new Set<string>([DiagnosticCodes.tenantNameCase, DiagnosticCodes.policyKeyPrefix, DiagnosticCodes.idCaseMismatch]);

/** The replacement text of a safe fix, read from the finding's data. */
export function safeFixText(code: string, data: Record<string, unknown> | undefined): string | undefined {
  if (!data) return undefined;
  if (code === DiagnosticCodes.tenantNameCase || code === DiagnosticCodes.policyKeyPrefix) return typeof data.fixed === 'string' ? data.fixed : undefined;
  if (code === DiagnosticCodes.idCaseMismatch) return typeof data.declaredId === 'string' ? data.declaredId : undefined;
  return undefined;
}

/** Applies the safe fixes of a file's findings; returns the new text and how many were applied. */
export function applySafeFixes(text: string, findings: Finding[]): { text: string; applied: number } {
  const edits: Array<{ span: Span; text: string }> = [];
  for (const f of findings) {
    if (!SAFE_FIX_CODES.has(f.code)) continue;
    const replacement = safeFixText(f.code, f.data);
    if (replacement !== undefined) edits.push({ span: f.span, text: replacement });
  }
  edits.sort((a, b) => b.span.start - a.span.start);
  let out = text;
  let lastStart = Infinity;
  let applied = 0;
  for (const e of edits) {
    if (e.span.end > lastStart) continue; // overlapping edits: keep the first one
    out = out.slice(0, e.span.start) + e.text + out.slice(e.span.end);
    lastStart = e.span.start;
    applied++;
  }
  return { text: out, applied };
}

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const row = Array.from({ length: t.length + 1 }, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (s[i - 1] === t[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[t.length];
}

/** The closest ids (at most `limit`), close enough to be a typo or a rename. */
export function closestIds(id: string, candidates: string[], limit = 3): string[] {
  const threshold = Math.max(2, Math.ceil(id.length / 2));
  return [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(id, c) }))
    .filter((x) => x.d <= threshold && x.c !== id)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, limit)
    .map((x) => x.c);
}

function replace(file: PolicyFile, span: Span, text: string): TextEdit {
  return { range: file.lines.rangeOf(span), newText: text };
}

function fixAction(title: string, uri: string, edits: TextEdit[], diagnostics: Diagnostic[], preferred = false): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics, isPreferred: preferred || undefined, edit: { changes: { [uri]: edits } } };
}

function isOurs(d: Diagnostic): boolean {
  return d.source === 'b2c-policy' && typeof d.code === 'string';
}

/**
 * Quick fixes for the diagnostics of a request, read from `code` and `data` (never the message).
 */
export function getCodeActions(service: PolicyLanguageService, uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const file = service.index.get(uri);
  if (!file || !file.isPolicy) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (!isOurs(diagnostic)) continue;
    const data = (diagnostic.data ?? {}) as Record<string, unknown>;
    const span = { start: file.lines.offsetAt(diagnostic.range.start), end: file.lines.offsetAt(diagnostic.range.end) };
    switch (diagnostic.code) {
      case DiagnosticCodes.tenantNameCase: {
        const fixed = safeFixText(diagnostic.code, data);
        if (fixed === undefined) break;
        actions.push(fixAction(`Lowercase the tenant name: '${fixed}'`, uri, [replace(file, span, fixed)], [diagnostic], true));
        const all = service.diagnose(uri).filter((f) => f.code === DiagnosticCodes.tenantNameCase);
        if (all.length > 1) {
          actions.push(
            fixAction(
              `Fix all tenant names in this file (${all.length})`,
              uri,
              all.map((f) => replace(file, f.span, String(f.data?.fixed))),
              [diagnostic],
            ),
          );
        }
        break;
      }
      case DiagnosticCodes.policyKeyPrefix: {
        const fixed = safeFixText(diagnostic.code, data);
        if (fixed !== undefined) actions.push(fixAction(`Add the B2C_1A_ prefix: '${fixed}'`, uri, [replace(file, span, fixed)], [diagnostic], true));
        break;
      }
      case DiagnosticCodes.idCaseMismatch: {
        const fixed = safeFixText(diagnostic.code, data);
        if (fixed !== undefined) actions.push(fixAction(`Use the declared casing '${fixed}'`, uri, [replace(file, span, fixed)], [diagnostic], true));
        break;
      }
      case DiagnosticCodes.unresolvedReference: {
        const kind = data.kind as ReferenceKind | undefined;
        const id = typeof data.id === 'string' ? data.id : undefined;
        if (!kind || id === undefined) break;
        const candidates =
          kind === 'claimsExchange'
            ? Array.isArray(data.candidates)
              ? (data.candidates as string[])
              : []
            : service.index.effective(file).definitionsOf(kind as DefinitionKind).map((d) => d.id);
        for (const suggestion of closestIds(id, candidates)) {
          actions.push(fixAction(`Change to '${suggestion}'`, uri, [replace(file, span, suggestion)], [diagnostic]));
        }
        if (kind === 'claimsExchange') {
          const add = addClaimsExchangeAction(service, data, id, diagnostic);
          if (add) actions.push(add);
        }
        break;
      }
    }
  }
  return actions;
}

/** "Add a ClaimsExchange 'X' to step N": inserts the exchange, with a technical profile placeholder. */
function addClaimsExchangeAction(service: PolicyLanguageService, data: Record<string, unknown>, id: string, diagnostic: Diagnostic): CodeAction | undefined {
  const stepUri = typeof data.stepUri === 'string' ? data.stepUri : undefined;
  const order = typeof data.stepOrder === 'number' ? data.stepOrder : undefined;
  if (!stepUri || order === undefined || !id) return undefined;
  const target = service.index.get(stepUri);
  const journey = target?.journeys.find((j) => j.id === data.journeyId && j.kind === data.journeyKind);
  const step = journey?.steps.find((s) => s.order === order);
  if (!target || !step) return undefined;
  const eol = target.text.includes('\r\n') ? '\r\n' : '\n';
  const indentOf = (offset: number) => {
    const lineStart = target.text.lastIndexOf('\n', offset - 1) + 1;
    return /^[ \t]*/.exec(target.text.slice(lineStart))![0];
  };
  const stepIndent = indentOf(step.element.start);
  const unit = detectIndentUnit(target);
  const exchange = `<ClaimsExchange Id="${id}" TechnicalProfileReferenceId="TechnicalProfileId" />`;
  const exchanges = firstChild(step.element, 'ClaimsExchanges');
  let offset: number;
  let text: string;
  if (exchanges && exchanges.endTag) {
    const last = childElements(exchanges, 'ClaimsExchange').pop();
    const indent = last ? indentOf(last.start) : indentOf(exchanges.start) + unit;
    offset = last ? last.end : exchanges.startTagEnd;
    text = `${eol}${indent}${exchange}`;
  } else if (!exchanges && step.element.endTag) {
    offset = step.element.endTag.span.start;
    const inner = stepIndent + unit;
    // Insert before the step's end tag, keeping the end tag on its own line.
    const lineStart = target.text.lastIndexOf('\n', offset - 1) + 1;
    offset = lineStart;
    text = `${inner}<ClaimsExchanges>${eol}${inner}${unit}${exchange}${eol}${inner}</ClaimsExchanges>${eol}`;
  } else {
    return undefined;
  }
  const position = target.lines.positionAt(offset);
  return {
    title: `Add a ClaimsExchange '${id}' to step ${order}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [stepUri]: [{ range: { start: position, end: position }, newText: text }] } },
  };
}

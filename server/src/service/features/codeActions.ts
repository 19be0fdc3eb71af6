import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { DiagnosticCodes, type ReferenceKind } from '../../protocol';
import type { Finding } from '../findings';
import type { Analysis } from '../analysis/analysis';
import type { PolicyFile } from '../policy/model';
import type { DefinitionKind } from '../policy/model';
import type { Span } from '../xml/nodes';
import { firstChild } from '../xml/query';
import { applyOffsetEdits, escapeAttribute, FileEdits, styleOf } from '../edits/textEdits';
import { insertChildElement, wrapElement } from '../edits/xmlEdits';
import { closestIds } from '../util/closest';
import { journeyFixes } from './journeyFixes';
import { catalogFixes } from './catalogFixes';

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
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const f of findings) {
    if (!SAFE_FIX_CODES.has(f.code)) continue;
    const replacement = safeFixText(f.code, f.data);
    if (replacement !== undefined) edits.push({ start: f.span.start, end: f.span.end, text: escapeAttribute(replacement) });
  }
  // Overlapping edits: keep the first one.
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: typeof edits = [];
  for (const e of edits) if (kept.length === 0 || e.start >= kept[kept.length - 1].end) kept.push(e);
  return { text: applyOffsetEdits(text, kept), applied: kept.length };
}

/**
 * Replaces an attribute value or element text with a (decoded) value, escaped so that the file stays XML:
 * `&`, `<` and `"` become references (valid in text and in either kind of quotes).
 */
function replace(file: PolicyFile, span: Span, value: string): TextEdit {
  return { range: file.lines.rangeOf(span), newText: escapeAttribute(value) };
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
export function getCodeActions(analysis: Analysis, uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const file = analysis.index.get(uri);
  if (!file || !file.isPolicy) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (!isOurs(diagnostic)) continue;
    const data = (diagnostic.data ?? {}) as Record<string, unknown>;
    const span = { start: file.lines.offsetAt(diagnostic.range.start), end: file.lines.offsetAt(diagnostic.range.end) };
    // Any finding that carries suggestions (a misspelt method, localized element, metadata key...): "Change to".
    const suggestions = Array.isArray(data.suggestions) ? (data.suggestions as unknown[]).filter((x): x is string => typeof x === 'string') : [];
    for (const suggestion of suggestions) actions.push(fixAction(`Change to '${suggestion}'`, uri, [replace(file, span, suggestion)], [diagnostic], suggestions.length === 1));
    actions.push(...journeyFixes(analysis, file, diagnostic));
    actions.push(...catalogFixes(analysis, file, diagnostic));
    switch (diagnostic.code) {
      case DiagnosticCodes.tenantNameCase: {
        const fixed = safeFixText(diagnostic.code, data);
        if (fixed === undefined) break;
        actions.push(fixAction(`Lowercase the tenant name: '${fixed}'`, uri, [replace(file, span, fixed)], [diagnostic], true));
        const all = analysis.findings(uri).filter((f) => f.code === DiagnosticCodes.tenantNameCase);
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
            : analysis.index.effective(file).definitionsOf(kind as DefinitionKind).map((d) => d.id);
        for (const suggestion of closestIds(id, candidates)) {
          actions.push(fixAction(`Change to '${suggestion}'`, uri, [replace(file, span, suggestion)], [diagnostic]));
        }
        if (kind === 'claimsExchange') {
          const add = addClaimsExchangeAction(analysis, data, id, diagnostic);
          if (add) actions.push(add);
        }
        break;
      }
    }
  }
  return actions;
}

/** "Add a ClaimsExchange 'X' to step N": inserts the exchange, with a technical profile placeholder. */
function addClaimsExchangeAction(analysis: Analysis, data: Record<string, unknown>, id: string, diagnostic: Diagnostic): CodeAction | undefined {
  const stepUri = typeof data.stepUri === 'string' ? data.stepUri : undefined;
  const order = typeof data.stepOrder === 'number' ? data.stepOrder : undefined;
  if (!stepUri || order === undefined || !id) return undefined;
  const target = analysis.policy(stepUri);
  const journey = target?.journeys.find((j) => j.id === data.journeyId && j.kind === data.journeyKind);
  const step = journey?.steps.find((s) => s.order === order);
  if (!target || !step) return undefined;
  const style = styleOf(target);
  const edits = new FileEdits(target);
  const exchange = `<ClaimsExchange Id="${escapeAttribute(id)}" TechnicalProfileReferenceId="TechnicalProfileId" />`;
  const exchanges = firstChild(step.element, 'ClaimsExchanges');
  if (exchanges) insertChildElement(edits, style, exchanges, 'ClaimsExchange', (indent) => indent + exchange);
  else insertChildElement(edits, style, step.element, 'ClaimsExchanges', wrapElement('ClaimsExchanges', (indent) => indent + exchange, style), { schema: analysis.schema });
  return {
    title: `Add a ClaimsExchange '${id}' to step ${order}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [stepUri]: edits.toTextEdits() } },
  };
}

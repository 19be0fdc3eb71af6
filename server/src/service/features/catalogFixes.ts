/**
 * Quick fixes for the catalog checks and the service limits, read from each finding's code and data:
 * - incomplete-technical-profile: "Change the Id to 'Facebook-OAUTH'" (data.closest, the nearest Id of the bases);
 * - unknown-metadata-key, unknown-cryptographic-key, unknown-string-id: change to data.closest;
 * - unknown-protocol-handler: change the handler's type name to data.closest (the assembly part is kept);
 * - placeholder-tenant: replace every `yourtenant` of the file (or of the folder's files that report it) with a
 *   tenant that the workspace's other policies name in their TenantId.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticCodes } from '../../protocol';
import type { Analysis } from '../analysis/analysis';
import { escapeAttribute, FileEdits } from '../edits/textEdits';
import type { PolicyFile } from '../policy/model';
import { folderDistance, folderOf } from '../policy/workspace';
import { isPlaceholderTenant, PLACEHOLDER_TENANT, placeholderOccurrences } from '../rules/serviceLimits';

export function catalogFixes(analysis: Analysis, file: PolicyFile, diagnostic: Diagnostic): CodeAction[] {
  const data = (diagnostic.data ?? {}) as Record<string, unknown>;
  const closest = typeof data.closest === 'string' && data.closest ? data.closest : undefined;
  const span = { start: file.lines.offsetAt(diagnostic.range.start), end: file.lines.offsetAt(diagnostic.range.end) };
  const replaceSpan = (title: string, start: number, end: number, value: string): CodeAction[] => {
    const edits = new FileEdits(file);
    edits.replace(start, end, escapeAttribute(value));
    return edits.isEmpty ? [] : [action(title, [edits], diagnostic, true)];
  };
  switch (diagnostic.code) {
    case DiagnosticCodes.incompleteTechnicalProfile:
      return closest ? replaceSpan(`Change the Id to '${closest}'`, span.start, span.end, closest) : [];
    case DiagnosticCodes.unknownMetadataKey:
      return closest ? replaceSpan(`Change the key to '${closest}'`, span.start, span.end, closest) : [];
    case DiagnosticCodes.unknownCryptographicKey:
      return closest ? replaceSpan(`Change the key Id to '${closest}'`, span.start, span.end, closest) : [];
    case DiagnosticCodes.unknownStringId:
      return closest ? replaceSpan(`Change the StringId to '${closest}'`, span.start, span.end, closest) : [];
    case DiagnosticCodes.unknownProtocolHandler: {
      // The finding covers the Handler value; only its type name (before the first comma) changes.
      if (!closest || typeof data.handler !== 'string') return [];
      const raw = file.text.slice(span.start, span.end);
      const comma = raw.indexOf(',');
      const typePart = comma < 0 ? raw : raw.slice(0, comma);
      const start = span.start + (typePart.length - typePart.trimStart().length);
      const end = span.start + typePart.trimEnd().length;
      if (file.text.slice(start, end) !== data.handler) return [];
      return replaceSpan(`Change the handler to '${closest}'`, start, end, closest);
    }
    case DiagnosticCodes.placeholderTenant:
      return placeholderFixes(analysis, file, diagnostic);
    default:
      return [];
  }
}

function action(title: string, edits: FileEdits[], diagnostic: Diagnostic, preferred = false): CodeAction {
  const changes: Record<string, ReturnType<FileEdits['toTextEdits']>> = {};
  for (const e of edits) changes[e.file.uri] = e.toTextEdits();
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred || undefined, edit: { changes } };
}

/**
 * "Replace yourtenant with 'contoso'" for each tenant the workspace's other policies use (nearest folder first,
 * at most three), in this file; and, when other files of the same folder report the placeholder too, in all of
 * them at once.
 */
function placeholderFixes(analysis: Analysis, file: PolicyFile, diagnostic: Diagnostic): CodeAction[] {
  const tenants = tenantsInWorkspace(analysis, file);
  if (tenants.length === 0) return [];
  const folder = folderOf(file.uri);
  const siblings = analysis.index
    .policies()
    .filter((f) => f.uri !== file.uri && folderOf(f.uri) === folder && analysis.findings(f.uri).some((x) => x.code === DiagnosticCodes.placeholderTenant));
  const actions: CodeAction[] = [];
  const data = diagnostic.data as { placeholder?: unknown } | undefined;
  const placeholder = typeof data?.placeholder === 'string' ? data.placeholder : PLACEHOLDER_TENANT;
  for (const [i, tenant] of tenants.entries()) {
    const here = replacePlaceholder(file, tenant);
    if (here.isEmpty) continue;
    actions.push(action(`Replace ${placeholder} with '${tenant}'`, [here], diagnostic, i === 0));
    if (siblings.length) {
      actions.push(action(`Replace ${placeholder} with '${tenant}' in ${siblings.length + 1} files of this folder`, [here, ...siblings.map((f) => replacePlaceholder(f, tenant))], diagnostic));
    }
  }
  return actions;
}

function replacePlaceholder(file: PolicyFile, tenant: string): FileEdits {
  const edits = new FileEdits(file);
  for (const span of placeholderOccurrences(file)) edits.replace(span.start, span.end, tenant);
  return edits;
}

/** Lowercase tenant names that other policies of the workspace give in their TenantId, the nearest folders first. */
function tenantsInWorkspace(analysis: Analysis, file: PolicyFile): string[] {
  const folder = folderOf(file.uri);
  const found = new Map<string, number>();
  for (const other of analysis.index.policies()) {
    const tenant = /^\s*([A-Za-z0-9-]+)\.onmicrosoft\.com\s*$/.exec(other.tenantId ?? '')?.[1].toLowerCase();
    if (!tenant || isPlaceholderTenant(tenant)) continue;
    const distance = folderDistance(folder, folderOf(other.uri));
    found.set(tenant, Math.min(found.get(tenant) ?? Infinity, distance));
  }
  return [...found]
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([tenant]) => tenant);
}

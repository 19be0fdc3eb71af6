/**
 * Rename (F2) of a definition-kind id or a ClaimsExchange id (a PolicyId: renamePolicy.ts): the definition, every override of it in the
 * policies that build on it, and every reference (case-insensitive matches included), in every file of every
 * chain that contains it, as one WorkspaceEdit of exact spans. Refused, with a message for the user, when the
 * position names nothing this chain defines, the new id cannot be an id, or it collides with another
 * definition of the same kind in any affected chain.
 */
import type { Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { OrError } from '../../protocol';
import type { Analysis } from '../analysis/analysis';
import { exchangeSymbol, resolveSelection, type ExchangeSymbol } from '../analysis/exchangeSymbols';
import { chainParts, type NavigationTarget, type Occurrence } from '../analysis/symbols';
import { KIND_LABELS, type PolicyFile } from '../policy/model';
import { baseName } from '../policy/workspace';
import { policyRenameOccurrences, preparePolicyRename } from './renamePolicy';

/**
 * Why `name` cannot be an id, or undefined when it can. Evidence: the framework schema types every Id and
 * reference attribute as plain xs:string (TrustFrameworkPolicy_0.3.0.0.xsd, e.g. TechnicalProfile@Id,
 * ClaimType@Id, ClaimsExchange@Id), so only XML and matching limit them: `<` and `&` cannot stand unescaped in
 * an attribute value and a quote ends it; XML normalises tabs and line ends in attribute values to spaces, and
 * ids written as element text (Precondition/Value, the ContentDefinitionReferenceId metadata item) are read
 * trimmed, so white space cannot be part of an id that is matched everywhere. Measured on the eleven starter
 * packs: all 3,594 id-valued attributes use only letters, digits, '.', '-' and '_'. Everything else (template
 * tokens such as {Settings:Prefix} included) is accepted.
 */
export function invalidIdReason(name: string): string | undefined {
  if (name.length === 0) return 'The new id is empty.';
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'An id cannot hold control characters.';
  if (/\s/.test(name)) return `An id cannot hold white space: '${name}'.`;
  const bad = /[<>&"']/.exec(name);
  if (bad) return `An id cannot hold the character '${bad[0]}': '${name}'.`;
  return undefined;
}

type Renameable = Extract<NavigationTarget, { type: 'symbol' | 'exchange' }>;

/** The range and text of the id at the cursor, `{ error }` when it names nothing defined, null when no id is there. */
export function prepareRename(analysis: Analysis, uri: string, offset: number): OrError<{ range: Range; placeholder: string }> | null {
  const file = analysis.policy(uri);
  const target = file && analysis.symbols.at(file, offset);
  if (target?.type === 'policyId' || target?.type === 'basePolicy') return preparePolicyRename(analysis, target);
  if (!file || !target || (target.type !== 'symbol' && target.type !== 'exchange')) return null;
  const problem = notRenameable(analysis, file, target);
  if (problem) return { error: problem };
  return { range: file.lines.rangeOf(target.occurrence.span), placeholder: target.occurrence.id };
}

export function rename(analysis: Analysis, uri: string, offset: number, newName: string): OrError<WorkspaceEdit> {
  const file = analysis.policy(uri);
  const target = file && analysis.symbols.at(file, offset);
  const occurrences = file && target ? renamedOccurrences(analysis, file, target, newName) : { error: NOTHING_TO_RENAME };
  if ('error' in occurrences) return occurrences;
  const changes: Record<string, TextEdit[]> = {};
  for (const o of occurrences) {
    const owner = analysis.index.get(o.uri);
    if (!owner || o.id === newName) continue;
    (changes[o.uri] ??= []).push({ range: owner.lines.rangeOf(o.span), newText: newName });
  }
  return { changes };
}

const NOTHING_TO_RENAME = 'Nothing to rename here: put the cursor on an id.';

/** What a rename of `target` to `newName` edits, or why it is refused. */
function renamedOccurrences(analysis: Analysis, file: PolicyFile, target: NavigationTarget, newName: string): OrError<Occurrence[]> {
  if (target.type === 'policyId' || target.type === 'basePolicy') return policyRenameOccurrences(analysis, target, newName);
  const problem = notRenameable(analysis, file, target) ?? invalidIdReason(newName);
  if (problem) return { error: problem };
  let occurrences: Occurrence[];
  let collision: string | undefined;
  if (target.type === 'symbol') {
    occurrences = analysis.symbols.occurrencesOf(file, target) ?? [];
    collision = definitionCollision(analysis, target, occurrences, newName);
  } else {
    const symbol = exchangeSymbol(analysis.index, file, target.occurrence, target.journey);
    occurrences = symbol.occurrences;
    collision = exchangeCollision(analysis, symbol, newName);
  }
  return collision ? { error: collision } : occurrences;
}

function notRenameable(analysis: Analysis, file: PolicyFile, target: Renameable): string | undefined {
  const { id, kind } = target.occurrence;
  const label = KIND_LABELS[kind as keyof typeof KIND_LABELS] ?? kind;
  if (target.type === 'symbol' && !target.resolution) return `No ${label} '${id}' is defined in ${baseName(file.uri)} or its base policies: nothing to rename.`;
  if (target.type === 'exchange' && target.selection && !resolveSelection(analysis.index, file, target.selection)) {
    return `No ClaimsExchange '${id}' in the ${target.selection.step?.target === 'next' ? 'next' : 'same'} orchestration step of journey '${target.journey.id}': nothing to rename.`;
  }
  return undefined;
}

/** Another definition of the same kind named `newName` in any chain the symbol lives in. */
function definitionCollision(analysis: Analysis, target: Extract<NavigationTarget, { type: 'symbol' }>, occurrences: Occurrence[], newName: string): string | undefined {
  const symbol = target.resolution!.symbol;
  const ours = new Set(occurrences.filter((o) => o.role === 'definition').map((o) => `${o.uri}#${o.span.start}`));
  for (const member of analysis.symbols.family(symbol.root.uri)) {
    const other = chainParts(analysis.index.effective(member), symbol.kind, newName).find((d) => !ours.has(`${d.uri}#${d.idSpan.start}`));
    if (other) {
      const where = other.uri === member.uri ? baseName(other.uri) : `${baseName(other.uri)}, in the chain of ${baseName(member.uri)}`;
      return `A ${KIND_LABELS[symbol.kind]} with Id '${other.id}' already exists (${where}); choose another name.`;
    }
  }
  return undefined;
}

/** Another exchange named `newName` in the journey, in any chain of the journey's family (ids are unique per journey). */
function exchangeCollision(analysis: Analysis, symbol: ExchangeSymbol, newName: string): string | undefined {
  const ours = new Set(symbol.occurrences.filter((o) => o.role === 'definition').map((o) => `${o.uri}#${o.span.start}`));
  const wanted = newName.toLowerCase();
  for (const member of symbol.family) {
    const journey = analysis.index.effective(member).journey(symbol.journey.kind, symbol.journey.id);
    for (const step of journey?.steps ?? []) {
      const other = step.step.exchanges.find((e) => e.id.toLowerCase() === wanted && !ours.has(`${step.file.uri}#${e.span.start}`));
      if (other) return `Journey '${symbol.journey.id}' already has a ClaimsExchange '${other.id}' (step ${step.order}, ${baseName(step.file.uri)}); choose another name.`;
    }
  }
  return undefined;
}

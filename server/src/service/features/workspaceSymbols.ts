/**
 * Workspace symbols (Ctrl+T): every definition of every policy file by Id, fuzzy-matched (the query's
 * characters in order, case-insensitively), with the kind and the file's path from the workspace's common
 * folder as the container, so that environments (dev/, prod/) with the same ids are told apart.
 */
import type { SymbolInformation } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import { KIND_LABELS } from '../policy/model';
import { DEFINITION_SYMBOL_KINDS } from './documentSymbols';

/** At most this many symbols are returned (best matches first). */
export const WORKSPACE_SYMBOL_LIMIT = 1000;

export function getWorkspaceSymbols(analysis: Analysis, query: string): SymbolInformation[] {
  const policies = analysis.index.policies();
  const root = commonFolder(policies.map((p) => p.uri));
  const matches: Array<{ score: number; symbol: SymbolInformation }> = [];
  const wanted = query.toLowerCase().replace(/\s+/g, '');
  for (const file of policies) {
    const relative = decodeURIComponent(file.uri.slice(root.length));
    for (const d of file.definitions) {
      const score = fuzzyScore(wanted, d.id);
      if (score === undefined) continue;
      matches.push({
        score,
        symbol: { name: d.id, kind: DEFINITION_SYMBOL_KINDS[d.kind], location: { uri: file.uri, range: file.lines.rangeOf(d.idSpan) }, containerName: `${KIND_LABELS[d.kind]} · ${relative}` },
      });
    }
  }
  matches.sort((a, b) => b.score - a.score || (a.symbol.name < b.symbol.name ? -1 : a.symbol.name > b.symbol.name ? 1 : 0));
  return matches.slice(0, WORKSPACE_SYMBOL_LIMIT).map((m) => m.symbol);
}

/**
 * How well `candidate` matches `query` (lowercase): undefined when the query's characters do not all occur in
 * order; otherwise higher for an exact or prefix match, and for the best alignment's matches at word starts
 * (after '-', '_', '.', or a lower-to-upper case change) and consecutive characters.
 */
export function fuzzyScore(query: string, candidate: string): number | undefined {
  if (!query) return 0;
  const lower = candidate.toLowerCase();
  if (lower === query) return 1000;
  // Most candidates fail the plain subsequence test: reject them before scoring alignments.
  for (let i = 0, at = 0; i < query.length; i++, at++) if ((at = lower.indexOf(query[i], at)) < 0) return undefined;
  const m = lower.length;
  const wordStart = (j: number) => j === 0 || /[-_.]/.test(candidate[j - 1]) || (candidate[j] !== lower[j] && candidate[j - 1] === lower[j - 1]) ? 3 : 0;
  // best[j]: the best score of the query so far with its last character matched at j (-Infinity: impossible).
  let best: number[] = Array.from({ length: m }, (_, j) => (lower[j] === query[0] ? wordStart(j) : -Infinity));
  for (let i = 1; i < query.length; i++) {
    const next: number[] = new Array(m).fill(-Infinity);
    let before = -Infinity; // the best of best[0 .. j-2]
    for (let j = 1; j < m; j++) {
      if (j >= 2) before = Math.max(before, best[j - 2]);
      if (lower[j] !== query[i]) continue;
      next[j] = Math.max(best[j - 1] + 5, before) + wordStart(j);
    }
    best = next;
  }
  const aligned = Math.max(...best);
  if (aligned === -Infinity) return undefined;
  const bonus = lower.startsWith(query) ? 500 : lower.includes(query) ? 200 : 0;
  return bonus + aligned - (m - query.length) * 0.1;
}

/** The longest folder prefix (ending in '/') shared by all uris. */
function commonFolder(uris: string[]): string {
  if (!uris.length) return '';
  let prefix = uris[0].slice(0, uris[0].lastIndexOf('/') + 1);
  for (const uri of uris) {
    while (prefix && !uri.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  }
  return prefix;
}

/**
 * Document highlight: the other occurrences, in the same file, of the id under the cursor (definitions as
 * writes, references as reads). An id the chain does not define highlights the same id of the same kind.
 */
import { DocumentHighlightKind, type DocumentHighlight } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import { occurrencesIn } from '../analysis/symbols';

export function getDocumentHighlights(analysis: Analysis, uri: string, offset: number): DocumentHighlight[] {
  const file = analysis.policy(uri);
  const target = file && analysis.symbols.at(file, offset);
  if (!file || !target) return [];
  let occurrences = analysis.symbols.occurrencesOf(file, target);
  if (!occurrences && target.type === 'symbol') {
    const { kind, id } = target.occurrence;
    occurrences = occurrencesIn(file).filter((o) => o.kind === kind && o.id.toLowerCase() === id.toLowerCase());
  }
  return (occurrences ?? [])
    .filter((o) => o.uri === uri)
    .map((o) => ({ range: file.lines.rangeOf(o.span), kind: o.role === 'definition' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}

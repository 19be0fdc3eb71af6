/**
 * Find all references (Shift+F12): every occurrence of the symbol under the cursor, in every chain that
 * contains its root declaration, across files, case-insensitively, never across environments (see
 * analysis/symbols.ts): references of every kind, localization ElementIds, the overriding definitions in the
 * policies that build on it, and (with `includeDeclaration`) the definitions themselves. For a ClaimsExchange:
 * the selections that target it and the exchanges they link (analysis/exchangeSymbols.ts); for a PolicyId:
 * the BasePolicy elements that name it.
 */
import type { Location } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import type { Occurrence } from '../analysis/symbols';

export function getReferences(analysis: Analysis, uri: string, offset: number, includeDeclaration: boolean): Location[] {
  const file = analysis.policy(uri);
  const target = file && analysis.symbols.at(file, offset);
  if (!file || !target) return [];
  const occurrences = analysis.symbols.occurrencesOf(file, target) ?? [];
  return toLocations(analysis, occurrences.filter((o) => includeDeclaration || o.role !== 'definition'));
}

/** Occurrences as LSP locations (of files the service still holds). */
export function toLocations(analysis: Analysis, occurrences: Occurrence[]): Location[] {
  const out: Location[] = [];
  for (const o of occurrences) {
    const file = analysis.index.get(o.uri);
    if (file) out.push({ uri: o.uri, range: file.lines.rangeOf(o.span) });
  }
  return out;
}

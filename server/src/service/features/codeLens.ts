/**
 * Code lenses above each TechnicalProfile, ClaimType, UserJourney and SubJourney definition: "N references"
 * (opens the references view through the client command `Commands.showReferences`), and where it applies
 * "overrides <base file>" (the nearest definition further up the chain) and "overridden in <files>" (the
 * definitions of the same symbol in the policies that build on this file).
 */
import type { CodeLens, Location } from 'vscode-languageserver-types';
import { Commands } from '../../protocol';
import type { Analysis } from '../analysis/analysis';
import { byLocation } from '../analysis/symbols';
import type { DefinitionKind } from '../policy/model';
import { baseName } from '../policy/workspace';
import { toLocations } from './references';

const LENS_KINDS = new Set<DefinitionKind>(['technicalProfile', 'claimType', 'userJourney', 'subJourney']);

export function getCodeLenses(analysis: Analysis, uri: string): CodeLens[] {
  const file = analysis.policy(uri);
  if (!file) return [];
  const lenses: CodeLens[] = [];
  const descendants = new Set(analysis.index.descendants(uri).map((d) => d.uri));
  for (const definition of file.definitions) {
    if (!LENS_KINDS.has(definition.kind)) continue;
    const resolution = analysis.symbols.resolve(file, definition.kind, definition.id);
    if (!resolution) continue;
    const occurrences = analysis.symbols.occurrences(resolution.symbol);
    const range = file.lines.rangeOf(definition.element.nameSpan);
    const position = file.lines.positionAt(definition.idSpan.start);
    const lens = (title: string, locations: Location[]) => lenses.push({ range, command: { title, command: Commands.showReferences, arguments: [uri, position, locations] } });
    const references = occurrences.filter((o) => o.role === 'reference').sort(byLocation);
    lens(`${references.length} reference${references.length === 1 ? '' : 's'}`, toLocations(analysis, references));
    const self = resolution.parts.indexOf(definition);
    const overridden = self >= 0 ? resolution.parts[self + 1] : undefined;
    if (overridden) lens(`overrides ${baseName(overridden.uri)}`, toLocations(analysis, [{ ...overridden, span: overridden.idSpan, role: 'definition' }]));
    const overriding = occurrences.filter((o) => o.role === 'definition' && descendants.has(o.uri)).sort(byLocation);
    if (overriding.length) {
      const names = [...new Set(overriding.map((o) => baseName(o.uri)))];
      lens(`overridden in ${names.length <= 2 ? names.join(', ') : `${names.length} files`}`, toLocations(analysis, overriding));
    }
  }
  return lenses;
}

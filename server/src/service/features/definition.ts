/**
 * Go to definition (F12, Ctrl+click, Peek) for every reference kind of DESIGN.md section 1, resolved in the
 * file's own chain: an element declared in a base and completed or overridden further down the chain offers
 * every part, nearest first. A selection's TargetClaimsExchangeId goes to the exchange of the next step,
 * ValidationClaimsExchangeId to the one of the same step; BasePolicy/PolicyId to the base file. On a
 * definition's Id: the element(s) it overrides further up the chain, or itself when it overrides nothing (the
 * editor then offers its references).
 */
import type { LocationLink } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import { resolveSelection } from '../analysis/exchangeSymbols';
import type { Definition, PolicyFile } from '../policy/model';
import type { Span, XmlElement } from '../xml/nodes';

export function getDefinition(analysis: Analysis, uri: string, offset: number): LocationLink[] {
  const file = analysis.policy(uri);
  if (!file) return [];
  const target = analysis.symbols.at(file, offset);
  if (!target) return [];
  switch (target.type) {
    case 'symbol': {
      const { occurrence, resolution } = target;
      const origin = occurrence.span;
      if (!resolution) {
        // Not in the file's own chain: a base may rely on the policies that build on it (references.ts accepts that).
        if (occurrence.kind === 'policy' || occurrence.kind === 'claimsExchange') return [];
        return analysis.symbols.resolveInDescendants(file, occurrence.kind, occurrence.id).map((d) => definitionLink(analysis, file, origin, d)).filter(isLink);
      }
      let parts = resolution.parts;
      if (occurrence.role === 'definition') {
        const self = parts.findIndex((d) => d.uri === file.uri && d.idSpan.start === origin.start);
        const overridden = self >= 0 ? parts.slice(self + 1) : [];
        parts = overridden.length ? overridden : self >= 0 ? [parts[self]] : [];
      }
      return parts.map((d) => definitionLink(analysis, file, origin, d)).filter(isLink);
    }
    case 'exchange': {
      const origin = target.occurrence.span;
      if (!target.selection) return [link(file, origin, file, target.element, origin)];
      const exchange = resolveSelection(analysis.index, file, target.selection);
      return exchange ? [link(file, origin, exchange.file, exchange.element, exchange.span)] : [];
    }
    case 'basePolicy': {
      const base = analysis.index.resolveBase(file);
      // Several folders at the same distance: offer each (the finding on BasePolicy says why none was chosen).
      const files = base.status === 'found' ? [base.file] : base.status === 'missing' ? base.ambiguous : [];
      return files.filter((f) => f.xml.root).map((f) => link(file, target.span, f, f.xml.root!, f.policyIdSpan ?? f.xml.root!.nameSpan));
    }
    case 'policyId':
      return [link(file, target.span, file, file.xml.root!, target.span)];
  }
}

function definitionLink(analysis: Analysis, from: PolicyFile, origin: Span, definition: Definition): LocationLink | undefined {
  const to = analysis.index.get(definition.uri);
  return to ? link(from, origin, to, definition.element, definition.idSpan) : undefined;
}

/** A link from a span to an element (its whole extent, for Peek) with the id selected. */
function link(from: PolicyFile, origin: Span, to: PolicyFile, element: XmlElement, selection: Span): LocationLink {
  return {
    originSelectionRange: from.lines.rangeOf(origin),
    targetUri: to.uri,
    targetRange: to.lines.rangeOf({ start: element.start, end: element.end }),
    targetSelectionRange: to.lines.rangeOf(selection),
  };
}

function isLink(l: LocationLink | undefined): l is LocationLink {
  return !!l;
}

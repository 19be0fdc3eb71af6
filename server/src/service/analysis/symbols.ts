/**
 * Symbols for navigation (definition, references, rename, highlight, code lens): what an id under the cursor
 * is, what it resolves to, and every place that names the same thing.
 *
 * Semantics (DESIGN.md section 1: each upload is validated with its bases only): every file is judged with
 * its own chain, never its descendants. A reference resolves through the effective policy of its file
 * (case-insensitively). A symbol is identified by its ROOT declaration, the most-base definition of the
 * lookup; the symbol's occurrences are the definitions, references and localization entries of the same
 * kind and id in the root's file and in every file whose chain contains it, whose own lookup ends at that
 * same root. So two environments (dev/, prod/) with the same PolicyIds never mix: their roots differ.
 *
 * Claims exchanges are local to a journey and are handled by `exchangeSymbols.ts`.
 */
import type { DefinitionKind, Definition, PolicyFile, Reference } from '../policy/model';
import type { EffectivePolicy } from '../policy/effective';
import type { WorkspaceIndex } from '../policy/workspace';
import type { Span, XmlElement } from '../xml/nodes';
import { exchangeDefinitionAt, exchangeSymbol, selectionOccurrence, type JourneyRef } from './exchangeSymbols';

/**
 * Localization ElementType -> the kind of definition its ElementId names. Evidence: localization.md
 * (MicrosoftDocs/azure-docs, articles/active-directory-b2c/), table "ElementType": ClaimType (name of the
 * claim type), Predicate (name of the predicate), PredicateValidation (the ID of the PredicateValidation
 * element), DisplayControl (the ID of the display control). ClaimsProvider, ErrorMessage, UxElement and the
 * two transformation types carry no ElementId (ClaimsProvider names a ClaimsExchange in its StringId, see
 * exchangeSymbols.ts).
 */
export const LOCALIZED_ELEMENT_KINDS: Readonly<Record<string, DefinitionKind>> = {
  ClaimType: 'claimType',
  Predicate: 'predicate',
  PredicateValidation: 'predicateValidation',
  DisplayControl: 'displayControl',
};

/** An id written in a policy file: a definition's Id, a reference to one, or a localization entry naming one. */
export interface Occurrence {
  uri: string;
  /** The id's span (attribute value or trimmed element text). */
  span: Span;
  /** The id as written. */
  id: string;
  /** `policy`: a PolicyId (the root's attribute, or the text of a BasePolicy/PolicyId). */
  kind: DefinitionKind | 'claimsExchange' | 'policy';
  role: 'definition' | 'reference';
}

/** A definition-kind symbol: its root declaration and the key every occurrence of it shares. */
export interface PolicySymbol {
  kind: DefinitionKind;
  root: Definition;
  key: string;
}

/** What a definition-kind occurrence resolves to in its own file's chain. */
export interface Resolution {
  symbol: PolicySymbol;
  /** Every definition of the id along the chain, nearest first (the root last). */
  parts: Definition[];
}

/** What the id under the cursor is. */
export type NavigationTarget =
  /** A definition-kind id; `resolution` is undefined when the file's chain does not define it. */
  | { type: 'symbol'; occurrence: Occurrence; resolution: Resolution | undefined }
  /** A ClaimsExchange's Id (`element`), or a selection naming one (`selection`). */
  | { type: 'exchange'; occurrence: Occurrence; journey: JourneyRef; selection: Reference; element?: undefined }
  | { type: 'exchange'; occurrence: Occurrence; journey: JourneyRef; selection?: undefined; element: XmlElement }
  /** The text of BasePolicy/PolicyId. */
  | { type: 'basePolicy'; file: PolicyFile; span: Span }
  /** The root element's PolicyId attribute value. */
  | { type: 'policyId'; file: PolicyFile; span: Span };

interface ResolvedOccurrence {
  occurrence: Occurrence;
  key: string;
  rootUri: string;
}

function symbolKey(kind: DefinitionKind, root: Definition): string {
  return `${kind}\u0000${root.uri}\u0000${root.id.toLowerCase()}`;
}

/** Orders occurrences by file, then offset. */
export function byLocation(a: Occurrence, b: Occurrence): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.span.start - b.span.start;
}

/** The definitions of `kind`/`id` in a chain (case-insensitive), nearest file first. */
export function chainParts(effective: EffectivePolicy, kind: DefinitionKind, id: string): Definition[] {
  const lookup = effective.lookup(kind, id);
  const all = [...lookup.exact, ...lookup.caseOnly];
  if (all.length < 2) return all;
  const rank = new Map(effective.files.map((f, i) => [f.uri, i]));
  // Stable sort: definitions in the same file keep document order.
  return all
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (rank.get(a.d.uri) ?? 0) - (rank.get(b.d.uri) ?? 0) || a.d.idSpan.start - b.d.idSpan.start || a.i - b.i)
    .map((x) => x.d);
}

/** Every definition-kind occurrence written in a file (definitions, references, localization ElementIds). */
export function occurrencesIn(file: PolicyFile): Occurrence[] {
  const out: Occurrence[] = [];
  for (const d of file.definitions) out.push({ uri: file.uri, span: d.idSpan, id: d.id, kind: d.kind, role: 'definition' });
  for (const r of file.references) {
    if (r.kind === 'claimsExchange' || !r.id) continue;
    out.push({ uri: file.uri, span: r.span, id: r.id, kind: r.kind, role: 'reference' });
  }
  for (const l of file.localizedElements) {
    const kind = LOCALIZED_ELEMENT_KINDS[l.elementType];
    if (kind && l.id) out.push({ uri: file.uri, span: l.span, id: l.id, kind, role: 'reference' });
  }
  return out;
}

/**
 * Resolves symbols and finds their occurrences. Built lazily and cached by what it depends on (the chain
 * signatures of the files involved), so that references, rename and code lenses on a large workspace read
 * only the files of one chain family, once per change.
 */
export class SymbolIndex {
  /** Per file: its occurrences with the key of the symbol each resolves to; valid for one chain signature. */
  private readonly resolved = new Map<string, { signature: string; entries: ResolvedOccurrence[] }>();
  /** Per root file: its family's occurrences grouped by symbol key; valid for the family's signatures. */
  private readonly tables = new Map<string, { signature: string; table: Map<string, Occurrence[]> }>();

  constructor(readonly index: WorkspaceIndex) {}

  /** The id at an offset of a policy file (the end of an id counts, as the cursor stands after it). */
  at(file: PolicyFile, offset: number): NavigationTarget | undefined {
    const within = (span: Span | undefined) => !!span && offset >= span.start && offset <= span.end;
    for (const r of file.references) {
      if (!within(r.span) || !r.id) continue;
      if (r.kind === 'claimsExchange') {
        if (r.step) return { type: 'exchange', occurrence: selectionOccurrence(r), journey: { kind: r.step.journeyKind, id: r.step.journeyId }, selection: r };
        continue;
      }
      const occurrence: Occurrence = { uri: file.uri, span: r.span, id: r.id, kind: r.kind, role: 'reference' };
      return { type: 'symbol', occurrence, resolution: this.resolve(file, r.kind, r.id) };
    }
    for (const d of file.definitions) {
      if (!within(d.idSpan)) continue;
      const occurrence: Occurrence = { uri: file.uri, span: d.idSpan, id: d.id, kind: d.kind, role: 'definition' };
      return { type: 'symbol', occurrence, resolution: this.resolve(file, d.kind, d.id) };
    }
    for (const l of file.localizedElements) {
      const kind = LOCALIZED_ELEMENT_KINDS[l.elementType];
      if (!kind || !l.id || !within(l.span)) continue;
      const occurrence: Occurrence = { uri: file.uri, span: l.span, id: l.id, kind, role: 'reference' };
      return { type: 'symbol', occurrence, resolution: this.resolve(file, kind, l.id) };
    }
    const exchange = exchangeDefinitionAt(file, offset);
    if (exchange) return { type: 'exchange', ...exchange };
    if (file.base?.policyId && within(file.base.span)) return { type: 'basePolicy', file, span: file.base.span };
    if (file.policyId && within(file.policyIdSpan)) return { type: 'policyId', file, span: file.policyIdSpan! };
    return undefined;
  }

  /**
   * Every occurrence of what a target names, sorted by file and offset; undefined when it names nothing
   * this file's chain knows (an unresolved reference, a missing base policy).
   */
  occurrencesOf(file: PolicyFile, target: NavigationTarget): Occurrence[] | undefined {
    let list: Occurrence[] | undefined;
    switch (target.type) {
      case 'symbol':
        list = target.resolution ? this.occurrences(target.resolution.symbol) : undefined;
        break;
      case 'exchange':
        list = exchangeSymbol(this.index, file, target.occurrence, target.journey).occurrences;
        break;
      case 'basePolicy': {
        const base = this.index.resolveBase(file);
        list = base.status === 'found' ? this.policyOccurrences(base.file) : undefined;
        break;
      }
      case 'policyId':
        list = this.policyOccurrences(file);
        break;
    }
    return list && [...list].sort(byLocation);
  }

  /** A policy's PolicyId and the BasePolicy/PolicyId of every policy whose base it is. */
  private policyOccurrences(policy: PolicyFile): Occurrence[] {
    const out: Occurrence[] = [];
    if (policy.policyId && policy.policyIdSpan) out.push({ uri: policy.uri, span: policy.policyIdSpan, id: policy.policyId, kind: 'policy', role: 'definition' });
    for (const child of this.index.children(policy.uri)) {
      if (child.base?.policyId) out.push({ uri: child.uri, span: child.base.span, id: child.base.policyId, kind: 'policy', role: 'reference' });
    }
    return out;
  }

  /** Resolves `kind`/`id` in `file`'s own chain; undefined when the chain defines no such id. */
  resolve(file: PolicyFile, kind: DefinitionKind, id: string): Resolution | undefined {
    const parts = chainParts(this.index.effective(file), kind, id);
    if (!parts.length) return undefined;
    const root = parts[parts.length - 1];
    return { symbol: { kind, root, key: symbolKey(kind, root) }, parts };
  }

  /**
   * Definitions of `kind`/`id` in the policies that build on `file`, nearest first: where a base's reference
   * that its own chain cannot resolve is defined (references.ts accepts such references).
   */
  resolveInDescendants(file: PolicyFile, kind: DefinitionKind, id: string): Definition[] {
    const out: Definition[] = [];
    const seen = new Set<Definition>();
    for (const descendant of this.index.descendants(file.uri)) {
      for (const d of chainParts(this.index.effective(descendant), kind, id)) {
        if (!seen.has(d)) out.push(d), seen.add(d);
      }
    }
    return out;
  }

  /** Every occurrence of a symbol (definitions, overrides, references, localization entries), in file order. */
  occurrences(symbol: PolicySymbol): Occurrence[] {
    return this.table(symbol.root.uri).get(symbol.key) ?? [];
  }

  /** The files whose chain contains `uri`, itself first. */
  family(uri: string): PolicyFile[] {
    const self = this.index.get(uri);
    return self?.isPolicy ? [self, ...this.index.descendants(uri)] : [];
  }

  private table(rootUri: string): Map<string, Occurrence[]> {
    const family = this.family(rootUri);
    const signature = family.map((f) => this.index.chainSignature(f)).join('\n');
    const cached = this.tables.get(rootUri);
    if (cached && cached.signature === signature) return cached.table;
    const table = new Map<string, Occurrence[]>();
    for (const file of family) {
      for (const { occurrence, key, rootUri: root } of this.resolvedIn(file)) {
        if (root !== rootUri) continue;
        const list = table.get(key);
        if (list) list.push(occurrence);
        else table.set(key, [occurrence]);
      }
    }
    this.tables.set(rootUri, { signature, table });
    return table;
  }

  private resolvedIn(file: PolicyFile): ResolvedOccurrence[] {
    const signature = this.index.chainSignature(file);
    const cached = this.resolved.get(file.uri);
    if (cached && cached.signature === signature) return cached.entries;
    const effective = this.index.effective(file);
    const entries: ResolvedOccurrence[] = [];
    const roots = new Map<string, Definition | null>();
    for (const occurrence of occurrencesIn(file)) {
      const kind = occurrence.kind as DefinitionKind;
      const lookupKey = `${kind}\u0000${occurrence.id.toLowerCase()}`;
      let root = roots.get(lookupKey);
      if (root === undefined) {
        const parts = chainParts(effective, kind, occurrence.id);
        root = parts.length ? parts[parts.length - 1] : null;
        roots.set(lookupKey, root);
      }
      if (root) entries.push({ occurrence, key: symbolKey(kind, root), rootUri: root.uri });
    }
    this.resolved.set(file.uri, { signature, entries });
    return entries;
  }
}

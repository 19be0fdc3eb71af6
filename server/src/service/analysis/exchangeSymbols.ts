/**
 * ClaimsExchange ids as symbols. An exchange is local to a step of an effective journey; a
 * ClaimsProviderSelection names one: `TargetClaimsExchangeId` an exchange of the next step,
 * `ValidationClaimsExchangeId` one of the same step (DESIGN.md section 1; `selectionTarget` knows what "the
 * next step" is). Each selection is resolved in the effective journey of every file of the journey's family
 * (the file that declares the journey first and every file that builds on it), and the exchanges and
 * selections linked that way form one symbol: a base's selection that targets an exchange of a step a
 * descendant overrides links both exchanges, so renaming one renames the other.
 */
import { selectionTarget, type EffectiveJourney } from '../policy/effective';
import type { PolicyFile, Reference } from '../policy/model';
import type { WorkspaceIndex } from '../policy/workspace';
import type { Span, XmlElement } from '../xml/nodes';
import { childElements, firstChild, getAttribute } from '../xml/query';
import type { Occurrence } from './symbols';

export type JourneyKind = 'userJourney' | 'subJourney';

export interface JourneyRef {
  kind: JourneyKind;
  id: string;
}

/** One ClaimsExchange symbol: the linked exchanges and selections, and localization entries naming it. */
export interface ExchangeSymbol {
  journey: JourneyRef;
  /** Exchanges (role definition), selections and localized strings (role reference), in no particular order. */
  occurrences: Occurrence[];
  /** The files of every chain the symbol lives in (the journey's family). */
  family: PolicyFile[];
}

/** Where a selection points in its own file's chain: the exchange element and the file declaring its step. */
export function resolveSelection(index: WorkspaceIndex, file: PolicyFile, selection: Reference): { file: PolicyFile; id: string; span: Span; element: XmlElement } | undefined {
  const step = selection.step;
  if (!step) return undefined;
  const journey = index.effective(file).journey(step.journeyKind, step.journeyId);
  const target = journey ? selectionTarget(journey, step.order, step.target)?.target : undefined;
  const exchange = target?.step.exchanges.find((e) => sameId(e.id, selection.id));
  return target && exchange ? { file: target.file, id: exchange.id, span: exchange.span, element: exchange.element } : undefined;
}

/** The exchange definition at an offset of a file, with its journey. */
export function exchangeDefinitionAt(file: PolicyFile, offset: number): { occurrence: Occurrence; journey: JourneyRef; element: XmlElement } | undefined {
  for (const journey of file.journeys) {
    if (offset < journey.element.start || offset > journey.element.end) continue;
    for (const step of journey.steps) {
      for (const exchange of step.exchanges) {
        if (offset >= exchange.span.start && offset <= exchange.span.end) {
          return { occurrence: exchangeOccurrence(file.uri, exchange), journey: { kind: journey.kind, id: journey.id }, element: exchange.element };
        }
      }
    }
  }
  return undefined;
}

/** The symbol of an exchange or selection occurrence found in `file` within `journey`. */
export function exchangeSymbol(index: WorkspaceIndex, file: PolicyFile, start: Occurrence, journey: JourneyRef): ExchangeSymbol {
  const declarations = index.effective(file).journey(journey.kind, journey.id)?.declarations;
  const rootFile = declarations?.length ? declarations[declarations.length - 1].file : file;
  const family = [rootFile, ...index.descendants(rootFile.uri)];
  const links = new UnionFind<Occurrence>();
  links.add(start);
  const selectionsByStep = new Map<PolicyFile, Map<XmlElement, Reference[]>>();
  for (const member of family) {
    const effective = index.effective(member).journey(journey.kind, journey.id);
    if (effective) linkJourney(effective, links, selectionsByStep);
  }
  const component = links.component(start);
  const occurrences = [...component];
  const definitionKeys = new Set(occurrences.filter((o) => o.role === 'definition').map(nodeKey));
  const ids = new Set(occurrences.filter((o) => o.role === 'definition').map((o) => o.id.toLowerCase()));
  occurrences.push(...localizedNames(index, rootFile, family, ids, definitionKeys));
  return { journey, occurrences, family };
}

function linkJourney(journey: EffectiveJourney, links: UnionFind<Occurrence>, cache: Map<PolicyFile, Map<XmlElement, Reference[]>>): void {
  journey.steps.forEach((step, i) => {
    for (const selection of selectionsOfStep(step.file, step.step.element, cache)) {
      const target = selection.step!.target === 'next' ? journey.steps[i + 1] : step;
      const exchange = target?.step.exchanges.find((e) => sameId(e.id, selection.id));
      if (!target || !exchange) continue;
      links.union(selectionOccurrence(selection), exchangeOccurrence(target.file.uri, exchange));
    }
  });
}

function selectionsOfStep(file: PolicyFile, stepElement: XmlElement, cache: Map<PolicyFile, Map<XmlElement, Reference[]>>): Reference[] {
  let byStep = cache.get(file);
  if (!byStep) {
    byStep = new Map();
    for (const r of file.references) {
      if (r.kind !== 'claimsExchange' || !r.id) continue;
      const step = r.element.parent?.parent;
      if (!step) continue;
      const list = byStep.get(step);
      if (list) list.push(r);
      else byStep.set(step, [r]);
    }
    cache.set(file, byStep);
  }
  return byStep.get(stepElement) ?? [];
}

/**
 * `LocalizedString ElementType="ClaimsProvider" StringId="<exchange id>"` entries (the button text of an
 * exchange; localization.md: "Identity provider name | ClaimsProvider | | The ID of the ClaimsExchange
 * element"). They apply to every exchange with that id in every chain that contains the localization file, so
 * they belong to the symbol only when every such exchange is one of its definitions.
 */
function localizedNames(index: WorkspaceIndex, rootFile: PolicyFile, family: PolicyFile[], ids: Set<string>, definitionKeys: Set<string>): Occurrence[] {
  if (!ids.size) return [];
  const out: Occurrence[] = [];
  const candidates = new Set<PolicyFile>([...index.chain(rootFile).files, ...family]);
  for (const file of candidates) {
    const names = claimsProviderStrings(file).filter((n) => ids.has(n.id.toLowerCase()));
    if (!names.length) continue;
    const served = new Set<PolicyFile>([...index.chain(file).files, ...index.descendants(file.uri)]);
    const allOurs = [...served].every((f) =>
      f.journeys.every((j) => j.steps.every((s) => s.exchanges.every((e) => !ids.has(e.id.toLowerCase()) || definitionKeys.has(nodeKey(exchangeOccurrence(f.uri, e)))))),
    );
    if (allOurs) out.push(...names.map((n) => ({ uri: file.uri, span: n.span, id: n.id, kind: 'claimsExchange' as const, role: 'reference' as const })));
  }
  return out;
}

function claimsProviderStrings(file: PolicyFile): Array<{ id: string; span: Span }> {
  const localization = file.xml.root && firstChild(file.xml.root, 'BuildingBlocks');
  const container = localization && firstChild(localization, 'Localization');
  if (!container) return [];
  const out: Array<{ id: string; span: Span }> = [];
  for (const resources of childElements(container, 'LocalizedResources')) {
    for (const strings of childElements(resources, 'LocalizedStrings')) {
      for (const entry of childElements(strings, 'LocalizedString')) {
        if (getAttribute(entry, 'ElementType')?.value !== 'ClaimsProvider') continue;
        const stringId = getAttribute(entry, 'StringId');
        if (stringId?.value && stringId.valueSpan) out.push({ id: stringId.value, span: stringId.valueSpan });
      }
    }
  }
  return out;
}

function exchangeOccurrence(uri: string, exchange: { id: string; span: Span }): Occurrence {
  return { uri, span: exchange.span, id: exchange.id, kind: 'claimsExchange', role: 'definition' };
}

export function selectionOccurrence(selection: Reference): Occurrence {
  return { uri: selection.uri, span: selection.span, id: selection.id, kind: 'claimsExchange', role: 'reference' };
}

function nodeKey(o: Occurrence): string {
  return `${o.uri}#${o.span.start}`;
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Union-find over occurrences, identified by uri and offset. */
class UnionFind<T extends Occurrence> {
  private readonly parent = new Map<string, string>();
  private readonly items = new Map<string, T>();

  add(item: T): string {
    const key = nodeKey(item);
    if (!this.items.has(key)) {
      this.items.set(key, item);
      this.parent.set(key, key);
    }
    return key;
  }

  private find(key: string): string {
    let root = key;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    for (let k = key; k !== root; ) {
      const next = this.parent.get(k)!;
      this.parent.set(k, root);
      k = next;
    }
    return root;
  }

  union(a: T, b: T): void {
    const ra = this.find(this.add(a));
    const rb = this.find(this.add(b));
    if (ra !== rb) this.parent.set(ra, rb);
  }

  component(item: T): T[] {
    const root = this.find(this.add(item));
    return [...this.items].filter(([key]) => this.find(key) === root).map(([, value]) => value);
  }
}

import type { Definition, DefinitionKind, JourneyInfo, OrchestrationStepInfo, PolicyFile } from './model';

export interface EffectiveStep {
  order: number;
  step: OrchestrationStepInfo;
  /** The file whose version of the step is in effect. */
  file: PolicyFile;
}

export interface EffectiveJourney {
  kind: 'userJourney' | 'subJourney';
  id: string;
  /** Declarations of the journey along the chain, most derived first. */
  declarations: Array<{ journey: JourneyInfo; file: PolicyFile }>;
  /** Steps by Order, a child's step replacing its parent's; sorted by Order. */
  steps: EffectiveStep[];
}

export interface Lookup {
  /** Definitions whose Id matches exactly, most derived first. */
  exact: Definition[];
  /** Definitions whose Id matches only when case is ignored. */
  caseOnly: Definition[];
}

/** Definition kinds that technical profiles are built from (a chain's profiles change only when a file adds one). */
const PROFILE_KINDS: ReadonlySet<DefinitionKind> = new Set(['technicalProfile', 'claimsTransformation', 'displayControl']);

/**
 * The merge of a chain of policies (DESIGN.md section 1): a child adds elements and overrides the parent's
 * elements with the same Id; orchestration steps of a journey are overridden by Order.
 *
 * Built on the effective policy of the base's chain when given one (`parent`): a file that defines nothing
 * (a relying party) shares its base's maps, and one that does copies them and adds its own, instead of
 * merging the whole chain again. The result is the same as merging the chain from scratch, order included.
 */
export class EffectivePolicy {
  private readonly definitions: Map<string, Definition[]>;
  private readonly journeyMap: Map<string, EffectiveJourney>;
  /** The effective policy whose technical profiles are this one's (see `profileSource`). */
  private readonly profilesFrom: EffectivePolicy;
  /** State that ProfileCatalog keeps for this chain's profiles (shared by chains with the same profiles). */
  profileState: unknown = undefined;

  /**
   * @param files the chain, the most derived file first.
   * @param complete false when the chain stops at a base that is not in the workspace (or a cycle).
   * @param parent the effective policy of `files.slice(1)`, if known.
   */
  constructor(
    readonly files: PolicyFile[],
    readonly complete: boolean,
    parent?: EffectivePolicy,
  ) {
    if (parent && (parent.files.length !== files.length - 1 || parent.files.some((f, i) => f !== files[i + 1]))) parent = undefined;
    if (!parent) {
      this.definitions = new Map();
      this.journeyMap = new Map();
      for (const file of files) for (const definition of file.definitions) addDefinition(this.definitions, definition);
      // Journeys: merge from the root down so that children replace steps by Order.
      for (let i = files.length - 1; i >= 0; i--) mergeJourneys(this.journeyMap, files[i]);
      this.profilesFrom = this;
      return;
    }
    const own = files[0];
    if (own.definitions.length === 0) this.definitions = parent.definitions;
    else {
      // The keys in the order a merge from scratch meets them: this file's first, then the chain's.
      this.definitions = new Map();
      for (const definition of own.definitions) addDefinition(this.definitions, definition);
      for (const [key, list] of this.definitions) {
        const inherited = parent.definitions.get(key);
        if (inherited) list.push(...inherited);
      }
      for (const [key, list] of parent.definitions) if (!this.definitions.has(key)) this.definitions.set(key, list);
    }
    if (own.journeys.length === 0) this.journeyMap = parent.journeyMap;
    else {
      this.journeyMap = new Map(parent.journeyMap);
      for (const journey of own.journeys) {
        const key = definitionKey(journey.kind, journey.id);
        const inherited = this.journeyMap.get(key);
        // Copy what this file changes: the parent's journeys stay as they are.
        if (inherited && inherited === parent.journeyMap.get(key)) this.journeyMap.set(key, { ...inherited, declarations: [...inherited.declarations], steps: [...inherited.steps] });
      }
      mergeJourneys(this.journeyMap, own);
    }
    this.profilesFrom = own.definitions.some((d) => PROFILE_KINDS.has(d.kind)) ? this : parent.profilesFrom;
  }

  /**
   * The effective policy whose technical profiles, claims transformations and display controls are this
   * chain's: the nearest one up the chain to which the files since add none (a relying party's chain has
   * its base's profiles). ProfileCatalog builds profiles there, once for all these chains.
   */
  profileSource(): EffectivePolicy {
    return this.profilesFrom;
  }

  lookup(kind: DefinitionKind, id: string): Lookup {
    const all = this.definitions.get(definitionKey(kind, id)) ?? [];
    const exact: Definition[] = [];
    const caseOnly: Definition[] = [];
    for (const d of all) (d.id === id ? exact : caseOnly).push(d);
    return { exact, caseOnly };
  }

  /** All definitions of a kind, the effective (most derived) one per Id. */
  definitionsOf(kind: DefinitionKind): Definition[] {
    const out: Definition[] = [];
    const prefix = kind + '\u0000';
    for (const [key, list] of this.definitions) if (key.startsWith(prefix)) out.push(list[0]);
    return out;
  }

  journey(kind: 'userJourney' | 'subJourney', id: string): EffectiveJourney | undefined {
    return this.journeyMap.get(definitionKey(kind, id));
  }

  journeys(): EffectiveJourney[] {
    return [...this.journeyMap.values()];
  }
}

function addDefinition(map: Map<string, Definition[]>, definition: Definition): void {
  const key = definitionKey(definition.kind, definition.id);
  const list = map.get(key);
  if (list) list.push(definition);
  else map.set(key, [definition]);
}

/** Adds a file's journeys on top of the merge so far (the file's bases'): declarations first, steps by Order. */
function mergeJourneys(journeyMap: Map<string, EffectiveJourney>, file: PolicyFile): void {
  for (const journey of file.journeys) {
    const key = definitionKey(journey.kind, journey.id);
    let effective = journeyMap.get(key);
    if (!effective) {
      effective = { kind: journey.kind, id: journey.id, declarations: [], steps: [] };
      journeyMap.set(key, effective);
    }
    effective.declarations.unshift({ journey, file });
    for (const step of journey.steps) {
      const existing = effective.steps.findIndex((s) => s.order === step.order);
      const entry = { order: step.order, step, file };
      if (existing >= 0) effective.steps[existing] = entry;
      else effective.steps.push(entry);
    }
    effective.steps.sort((a, b) => a.order - b.order);
  }
}

export function definitionKey(kind: string, id: string): string {
  return kind + '\u0000' + id.toLowerCase();
}

/**
 * Where a ClaimsProviderSelection of step `order` points: the step itself and the step its
 * TargetClaimsExchangeId names an exchange of (`next`: the step after it in Order) or its
 * ValidationClaimsExchangeId (`same`). Undefined when the journey has no step `order`; `target` is undefined
 * when there is no step after it. The one place that knows what "the next step" is.
 */
export function selectionTarget(journey: EffectiveJourney, order: number, target: 'next' | 'same'): { own: EffectiveStep; target: EffectiveStep | undefined } | undefined {
  const index = journey.steps.findIndex((s) => s.order === order);
  if (index < 0) return undefined;
  return { own: journey.steps[index], target: journey.steps[target === 'next' ? index + 1 : index] };
}

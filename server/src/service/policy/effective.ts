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

/**
 * The merge of a chain of policies (DESIGN.md section 1): a child adds elements and overrides the parent's
 * elements with the same Id; orchestration steps of a journey are overridden by Order.
 */
export class EffectivePolicy {
  private readonly definitions = new Map<string, Definition[]>();
  private readonly journeyMap = new Map<string, EffectiveJourney>();

  /**
   * @param files the chain, the most derived file first.
   * @param complete false when the chain stops at a base that is not in the workspace (or a cycle).
   */
  constructor(
    readonly files: PolicyFile[],
    readonly complete: boolean,
  ) {
    for (const file of files) {
      for (const definition of file.definitions) {
        const key = definitionKey(definition.kind, definition.id);
        const list = this.definitions.get(key);
        if (list) list.push(definition);
        else this.definitions.set(key, [definition]);
      }
    }
    // Journeys: merge from the root down so that children replace steps by Order.
    for (let i = files.length - 1; i >= 0; i--) {
      const file = files[i];
      for (const journey of file.journeys) {
        const key = definitionKey(journey.kind, journey.id);
        let effective = this.journeyMap.get(key);
        if (!effective) {
          effective = { kind: journey.kind, id: journey.id, declarations: [], steps: [] };
          this.journeyMap.set(key, effective);
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

/**
 * Content models compiled to a position (Glushkov) automaton, determinised lazily: each state is a set of
 * positions (element or wildcard particles, unrolled for their occurrence bounds); a transition on a child's
 * name is computed once and cached. Validation then costs one Map lookup per child element.
 */
import type { ElementDecl, Particle, Wildcard } from './model';

export type Position = { kind: 'element'; decl: ElementDecl } | { kind: 'any'; wildcard: Wildcard };

/** Unrolling limit: bounds such as maxOccurs="5000" would make the automaton huge. */
const MAX_POSITIONS = 5000;

export class AutomatonState {
  /** Transitions by namespace ('' when unknown), then local name; null when the name does not fit. */
  readonly transitions = new Map<string, Map<string, AutomatonState | null>>();
  constructor(
    readonly id: number,
    /** Positions reached (the last matched particles); empty for the initial state. */
    readonly positions: number[],
    readonly accepting: boolean,
    /** Positions that may come next, in content-model order. */
    readonly candidates: number[],
  ) {}
}

export interface Step {
  state: AutomatonState;
  /** The particle the child matched: its declaration, or the wildcard. */
  matched: Position;
}

interface Fragment {
  nullable: boolean;
  first: number[];
  last: number[];
}

export class ContentAutomaton {
  readonly positions: Position[] = [];
  private readonly follow: Set<number>[] = [];
  private readonly lastSet = new Set<number>();
  private readonly states = new Map<string, AutomatonState>();
  readonly initial: AutomatonState;

  constructor(particle: Particle, private readonly targetNamespace: string | undefined) {
    const fragment = this.build(particle);
    for (const p of fragment.last) this.lastSet.add(p);
    this.initial = this.state([], fragment.nullable, sortUnique(fragment.first));
  }

  /** The state after a child, or undefined when the child does not fit here. */
  step(state: AutomatonState, localName: string, namespace: string | undefined): Step | undefined {
    // Two lookups by the document's own (interned) strings: no key string built per child.
    const ns = namespace ?? '';
    let byName = state.transitions.get(ns);
    if (!byName) state.transitions.set(ns, (byName = new Map()));
    let next = byName.get(localName);
    if (next === undefined) {
      next = this.computeStep(state, localName, namespace);
      byName.set(localName, next);
    }
    if (!next) return undefined;
    return { state: next, matched: this.positions[next.positions[0]] };
  }

  /** Names of the elements allowed in this state, in content-model order, and whether a wildcard is. */
  expected(state: AutomatonState): { decls: ElementDecl[]; wildcard: boolean } {
    const decls: ElementDecl[] = [];
    const seen = new Set<string>();
    let wildcard = false;
    for (const p of state.candidates) {
      const position = this.positions[p];
      if (position.kind === 'any') wildcard = true;
      else if (!seen.has(position.decl.name)) {
        seen.add(position.decl.name);
        decls.push(position.decl);
      }
    }
    return { decls, wildcard };
  }

  /** Every element declaration in the model (first per name), in content-model order. */
  allDecls(): ElementDecl[] {
    const out: ElementDecl[] = [];
    const seen = new Set<string>();
    for (const position of this.positions) {
      if (position.kind === 'element' && !seen.has(position.decl.name)) {
        seen.add(position.decl.name);
        out.push(position.decl);
      }
    }
    return out;
  }

  /**
   * The fewest elements to add after `state` so that `localName` fits (or, without a name, so that the content
   * is complete): their names and the state reached. Breadth-first over the automaton; undefined when impossible.
   */
  shortestPath(state: AutomatonState, localName?: string, namespace?: string): { names: string[]; state: AutomatonState } | undefined {
    const done = (s: AutomatonState) => (localName === undefined ? s.accepting : this.step(s, localName, namespace) !== undefined);
    if (done(state)) return { names: [], state };
    const previous = new Map<AutomatonState, { from: AutomatonState; name: string }>();
    const queue: AutomatonState[] = [state];
    previous.set(state, { from: state, name: '' });
    for (let i = 0; i < queue.length && i < 2000; i++) {
      const current = queue[i];
      for (const decl of this.expected(current).decls) {
        const next = this.step(current, decl.name, decl.namespace);
        if (!next || previous.has(next.state)) continue;
        previous.set(next.state, { from: current, name: decl.name });
        if (done(next.state)) {
          const names: string[] = [];
          for (let s = next.state; s !== state; s = previous.get(s)!.from) names.unshift(previous.get(s)!.name);
          return { names, state: next.state };
        }
        queue.push(next.state);
      }
    }
    return undefined;
  }

  private computeStep(state: AutomatonState, localName: string, namespace: string | undefined): AutomatonState | null {
    const elements: number[] = [];
    const wildcards: number[] = [];
    for (const p of state.candidates) {
      const position = this.positions[p];
      if (position.kind === 'element') {
        if (position.decl.name === localName) elements.push(p);
      } else if (wildcardAllows(position.wildcard, namespace, this.targetNamespace)) wildcards.push(p);
    }
    // A declared element wins over a wildcard (a deterministic schema never has both).
    const reached = elements.length ? elements : wildcards;
    if (!reached.length) return null;
    const candidates = new Set<number>();
    let accepting = false;
    for (const p of reached) {
      for (const f of this.follow[p]) candidates.add(f);
      if (this.lastSet.has(p)) accepting = true;
    }
    return this.state(reached, accepting, sortUnique([...candidates]));
  }

  private state(positions: number[], accepting: boolean, candidates: number[]): AutomatonState {
    const key = positions.join(',') + (positions.length ? '' : 'initial');
    let s = this.states.get(key);
    if (!s) {
      s = new AutomatonState(this.states.size, positions, accepting, candidates);
      this.states.set(key, s);
    }
    return s;
  }

  private newPosition(position: Position): number {
    if (this.positions.length >= MAX_POSITIONS) {
      throw new Error(`content model too large to compile (more than ${MAX_POSITIONS} positions after unrolling occurrence bounds)`);
    }
    this.positions.push(position);
    this.follow.push(new Set());
    return this.positions.length - 1;
  }

  /** Builds one instance of the particle ignoring its own bounds. */
  private buildOnce(particle: Particle): Fragment {
    switch (particle.kind) {
      case 'element': {
        const p = this.newPosition({ kind: 'element', decl: particle.decl });
        return { nullable: false, first: [p], last: [p] };
      }
      case 'any': {
        const p = this.newPosition({ kind: 'any', wildcard: particle });
        return { nullable: false, first: [p], last: [p] };
      }
      case 'sequence': {
        let acc: Fragment = { nullable: true, first: [], last: [] };
        for (const item of particle.items) acc = this.concat(acc, this.build(item));
        return acc;
      }
      case 'choice': {
        const acc: Fragment = { nullable: particle.items.length === 0, first: [], last: [] };
        for (const item of particle.items) {
          const f = this.build(item);
          acc.nullable ||= f.nullable;
          acc.first.push(...f.first);
          acc.last.push(...f.last);
        }
        return acc;
      }
    }
  }

  /** Builds the particle with its occurrence bounds unrolled. */
  private build(particle: Particle): Fragment {
    const { minOccurs: min, maxOccurs: max } = particle;
    let acc: Fragment = { nullable: true, first: [], last: [] };
    for (let i = 0; i < min; i++) acc = this.concat(acc, this.buildOnce(particle));
    if (max === Infinity) {
      const f = this.buildOnce(particle);
      for (const l of f.last) for (const p of f.first) this.follow[l].add(p);
      acc = this.concat(acc, { nullable: true, first: f.first, last: f.last });
    } else {
      // Optional copies: after copy i, copy i+1 may follow (nested optionals).
      let optional: Fragment | undefined;
      for (let i = max - 1; i >= min; i--) {
        const f = this.buildOnce(particle);
        optional = optional ? this.concat(f, optional) : f;
        optional = { nullable: true, first: optional.first, last: optional.last };
      }
      if (optional) acc = this.concat(acc, optional);
    }
    return acc;
  }

  private concat(a: Fragment, b: Fragment): Fragment {
    for (const l of a.last) for (const p of b.first) this.follow[l].add(p);
    return {
      nullable: a.nullable && b.nullable,
      first: a.nullable ? [...a.first, ...b.first] : a.first,
      last: b.nullable ? [...a.last, ...b.last] : b.last,
    };
  }
}

export function wildcardAllows(wildcard: Wildcard, namespace: string | undefined, targetNamespace: string | undefined): boolean {
  const ns = namespace ?? '';
  const spec = wildcard.namespaces;
  if (spec === '##any') return true;
  if (spec instanceof Set) return spec.has(ns);
  return ns !== '' && ns !== (spec.not ?? targetNamespace ?? '');
}

function sortUnique(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * Translates XML Schema regular expressions (XSD Part 2, appendix F) into JavaScript regular expressions.
 *
 * XSD patterns are implicitly anchored, have no `^`/`$` anchors (both are plain characters), use Unicode
 * semantics for `\w`, `\d`, `.`, know `\i`/`\c` (XML name characters) and character-class subtraction
 * (`[a-z-[aeiou]]`). The output uses the `v` flag so that nested classes and subtraction translate directly.
 */

export class XsdRegexError extends Error {}

const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = NAME_START + '\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040';

/** Multi-character escapes as a JS (v-mode) class. */
const MULTI_CHAR: Record<string, string> = {
  s: '[ \\t\\n\\r]',
  S: '[^ \\t\\n\\r]',
  d: '[\\p{Nd}]',
  D: '[^\\p{Nd}]',
  w: '[^\\p{P}\\p{Z}\\p{C}]',
  W: '[\\p{P}\\p{Z}\\p{C}]',
  i: `[${NAME_START}]`,
  I: `[^${NAME_START}]`,
  c: `[${NAME_CHAR}]`,
  C: `[^${NAME_CHAR}]`,
};

const SINGLE_CHAR_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };
/** Characters XSD lets you escape with a backslash to mean themselves. */
const XSD_ESCAPABLE = new Set('\\|.-^?*+{}()[]'.split(''));

/** Characters that must be escaped in a JS v-mode pattern (outside and inside classes). */
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const JS_CLASS_RESERVED = new Set('&-!#%,:;<=>@`~'.split(''));

function escapeOutside(c: string): string {
  return JS_SYNTAX.has(c) ? '\\' + c : literal(c);
}

function escapeInClass(c: string): string {
  return JS_SYNTAX.has(c) || JS_CLASS_RESERVED.has(c) ? '\\' + c : literal(c);
}

function literal(c: string): string {
  const code = c.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return '\\u{' + code.toString(16) + '}';
  return c;
}

const CATEGORY = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|Z[slp]?|S[mcko]?|C[cfon]?)$/;

class Translator {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): RegexNode {
    const out = this.regExp();
    if (this.pos < this.src.length) this.fail(`unexpected '${this.src[this.pos]}'`);
    return out;
  }

  private fail(why: string): never {
    throw new XsdRegexError(`invalid XSD pattern ${JSON.stringify(this.src)}: ${why} at character ${this.pos}`);
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private next(): string {
    const cp = this.src.codePointAt(this.pos);
    if (cp === undefined) this.fail('unexpected end');
    const c = String.fromCodePoint(cp);
    this.pos += c.length;
    return c;
  }

  private regExp(): RegexNode {
    const branches = [this.branch()];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.branch());
    }
    return branches.length === 1 ? branches[0] : { kind: 'alt', branches };
  }

  private branch(): RegexNode {
    const items: RegexNode[] = [];
    while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0] : { kind: 'seq', items };
  }

  private quantified(node: RegexNode): RegexNode {
    const c = this.peek();
    if (c === '?' || c === '*' || c === '+') {
      this.pos++;
      return { kind: 'repeat', node, min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Infinity, text: c };
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) this.fail('malformed quantifier');
      this.pos += m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) this.fail('quantifier {n,m} with m < n');
      return { kind: 'repeat', node, min, max, text: m[0] };
    }
    return node;
  }

  private atom(): RegexNode {
    const c = this.next();
    switch (c) {
      case '(': {
        const inner = this.regExp();
        if (this.peek() !== ')') this.fail("missing ')'");
        this.pos++;
        return { kind: 'group', node: inner };
      }
      case '[':
        return { kind: 'char', js: this.charClass() };
      case '.':
        return { kind: 'char', js: '[^\\n\\r]' };
      case '\\':
        return { kind: 'char', js: this.escape(false) };
      case '?':
      case '*':
      case '+':
      case '{':
      case '}':
      case ']':
      case ')':
        return this.fail(`unescaped '${c}'`);
      default:
        return { kind: 'char', js: escapeOutside(c) };
    }
  }

  /** After a backslash. Returns a JS atom (inside a class: a class item). */
  private escape(inClass: boolean): string {
    const c = this.next();
    if (c in SINGLE_CHAR_ESCAPES) return inClass ? escapeInClass(SINGLE_CHAR_ESCAPES[c]) : escapeOutside(SINGLE_CHAR_ESCAPES[c]);
    if (XSD_ESCAPABLE.has(c)) return inClass ? escapeInClass(c) : escapeOutside(c);
    if (c in MULTI_CHAR) return MULTI_CHAR[c];
    if (c === 'p' || c === 'P') {
      const m = /^\{([A-Za-z0-9-]+)\}/.exec(this.src.slice(this.pos));
      if (!m) this.fail(`malformed \\${c}{...}`);
      this.pos += m[0].length;
      if (!CATEGORY.test(m[1])) this.fail(`unsupported character property \\${c}{${m[1]}} (only general categories are supported)`);
      return `[\\${c}{${m[1]}}]`;
    }
    return this.fail(`'\\${c}' is not a legal escape in XSD regular expressions`);
  }

  /** After '['. */
  private charClass(): string {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    let items = '';
    let first = true;
    let subtraction: string | undefined;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail("missing ']'");
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      if (c === '-' && this.src[this.pos + 1] === '[' && !first) {
        this.pos += 2;
        subtraction = this.charClass();
        if (this.peek() !== ']') this.fail("a subtraction must end the character class");
        this.pos++;
        break;
      }
      first = false;
      const start = this.classChar();
      if (start.single !== undefined && this.peek() === '-' && this.src[this.pos + 1] !== ']' && this.src[this.pos + 1] !== '[') {
        this.pos++;
        const end = this.classChar();
        if (end.single === undefined) this.fail('a range must end with a single character');
        if (end.single.codePointAt(0)! < start.single.codePointAt(0)!) this.fail('range out of order');
        items += escapeInClass(start.single) + '-' + escapeInClass(end.single);
      } else {
        items += start.item;
      }
    }
    let cls = negated ? `[^${items}]` : `[${items}]`;
    if (subtraction !== undefined) cls = `[${cls}--${subtraction}]`;
    return cls;
  }

  private classChar(): { item: string; single?: string } {
    const c = this.next();
    if (c === '[') this.fail("unescaped '[' in a character class");
    if (c !== '\\') return { item: escapeInClass(c), single: c };
    const e = this.src[this.pos];
    if (e in SINGLE_CHAR_ESCAPES) {
      this.pos++;
      const ch = SINGLE_CHAR_ESCAPES[e];
      return { item: escapeInClass(ch), single: ch };
    }
    if (e !== undefined && XSD_ESCAPABLE.has(e)) {
      this.pos++;
      return { item: escapeInClass(e), single: e };
    }
    return { item: this.escape(true) };
  }
}

/** The body (unanchored) of a JS v-mode regex equivalent to the XSD pattern. Throws XsdRegexError. */
export function translateXsdPattern(pattern: string): string {
  return toJs(new Translator(pattern).parse());
}

/**
 * A compiled XSD pattern. `test` runs in time linear in the value's length (a Thompson NFA simulated over the
 * pattern's positions: XSD patterns have no back-references, so no backtracking is ever needed), whatever the
 * pattern: `[A-Za-z0-9_\-\.]*[A-Za-z0-9_\-]+` takes quadratic time in a backtracking engine such as V8's
 * (35 s for a 100 KB PolicyId), and a foreign XSD may hold exponential ones such as `(a|a)*b`.
 */
export class XsdPattern {
  /** The pattern as written in the schema (messages show it). */
  readonly source: string;
  /** Read the way the service reads Microsoft's XSD: an outer `^...$` is an anchor pair and `\/` means `/`. */
  readonly anchored: boolean;
  private readonly tree: RegexNode;
  private nfa: Nfa | undefined;

  constructor(source: string, options: { anchored?: boolean } = {}) {
    this.source = source;
    this.anchored = options.anchored === true;
    this.tree = new Translator(normalizedPattern(source, this.anchored)).parse();
    const states = stateCount(this.tree);
    if (states > MAX_NFA_STATES) {
      throw new XsdRegexError(`invalid XSD pattern ${JSON.stringify(source)}: pattern too large to compile (${states} automaton states after expanding its quantifiers; at most ${MAX_NFA_STATES})`);
    }
  }

  /** Whether the whole value matches (XSD patterns are implicitly anchored). */
  test(value: string): boolean {
    this.nfa ??= new Nfa(this.tree);
    return this.nfa.matches(value);
  }

  /** The equivalent JavaScript RegExp (backtracking: for short values and tests only). */
  toRegExp(): RegExp {
    return new RegExp('^(?:' + toJs(this.tree) + ')$', 'v');
  }
}

/** Compiles an XSD pattern (see XsdPattern). Throws XsdRegexError. */
export function compileXsdPattern(pattern: string, options: { anchored?: boolean } = {}): XsdPattern {
  return new XsdPattern(pattern, options);
}

function normalizedPattern(pattern: string, anchored: boolean): string {
  if (anchored && pattern.startsWith('^') && pattern.endsWith('$') && !pattern.endsWith('\\$') && pattern.length >= 2) {
    return pattern.slice(1, -1).replace(/\\\//g, '/');
  }
  return pattern;
}

// ---- syntax tree ------------------------------------------------------------------------------------------

/** A parsed XSD pattern; `char` leaves are JS (v-mode) atoms that match exactly one code point. */
type RegexNode =
  | { kind: 'char'; js: string }
  | { kind: 'seq'; items: RegexNode[] }
  | { kind: 'alt'; branches: RegexNode[] }
  | { kind: 'group'; node: RegexNode }
  | { kind: 'repeat'; node: RegexNode; min: number; max: number; text: string };

function toJs(node: RegexNode): string {
  switch (node.kind) {
    case 'char':
      return node.js;
    case 'seq':
      return node.items.map(toJs).join('');
    case 'alt':
      return node.branches.map(toJs).join('|');
    case 'group':
      return '(?:' + toJs(node.node) + ')';
    case 'repeat':
      return toJs(node.node) + node.text;
  }
}

/** How many NFA states `Nfa` builds for the tree (checked when the pattern is compiled, before any use). */
function stateCount(node: RegexNode): number {
  switch (node.kind) {
    case 'char':
      return 1;
    case 'seq':
      return node.items.reduce((n, item) => n + stateCount(item), 0);
    case 'alt':
      return node.branches.reduce((n, branch) => n + stateCount(branch), node.branches.length - 1);
    case 'group':
      return stateCount(node.node);
    case 'repeat': {
      const inner = stateCount(node.node);
      return inner * node.min + (node.max === Infinity ? inner + 1 : (inner + 1) * (node.max - node.min));
    }
  }
}

// ---- linear-time matcher ----------------------------------------------------------------------------------

/**
 * Bounds such as `[a-z]{1,100000}` would make the automaton huge, and a step costs up to one visit per state:
 * such patterns are refused when compiled (real policy patterns need a few hundred states at most).
 */
const MAX_NFA_STATES = 10_000;
const MATCH = -1;
/** Sets of NFA states kept as DFA states, per pattern, and transitions kept per state (a value of many distinct characters must not grow the cache without bound). */
const MAX_DFA_STATES = 2000;
const MAX_DFA_TRANSITIONS = 256;

interface DfaState {
  /** NFA character states, sorted. */
  states: number[];
  /** Whether the value may end here. */
  accepting: boolean;
  /** Transitions by code point; null: no match possible. */
  next: Map<number, DfaState | null>;
}

/** One-code-point class test, with an ASCII table filled on first use. */
class CharTest {
  private readonly regex: RegExp;
  private ascii: Uint8Array | undefined;
  constructor(js: string) {
    this.regex = new RegExp('^(?:' + js + ')$', 'v');
  }
  matches(codePoint: number): boolean {
    if (codePoint < 128) {
      if (!this.ascii) {
        this.ascii = new Uint8Array(128);
        for (let c = 0; c < 128; c++) this.ascii[c] = this.regex.test(String.fromCharCode(c)) ? 1 : 0;
      }
      return this.ascii[codePoint] === 1;
    }
    return this.regex.test(String.fromCodePoint(codePoint));
  }
}

/**
 * Thompson construction: state i is either a character state (test[i] >= 0: consume one code point that
 * passes tests[test[i]], then go to out[i]) or a split (test[i] === -1: go to out[i] and out2[i] without
 * consuming). MATCH as a target means the end of the pattern.
 */
class Nfa {
  private readonly test: number[] = [];
  private readonly out: number[] = [];
  private readonly out2: number[] = [];
  private readonly tests: CharTest[] = [];
  private readonly start: number;
  private readonly dfa = new Map<string, DfaState>();
  private initial: DfaState | undefined;
  /** Visit marks of the closure being computed (marked with the current generation). */
  private readonly mark: Int32Array;
  private generation = 0;

  constructor(tree: RegexNode) {
    const testIds = new Map<string, number>();
    this.start = this.build(tree, MATCH, testIds);
    this.mark = new Int32Array(this.test.length);
  }

  /**
   * Runs the NFA one code point at a time over sets of states; each set met is remembered as a DFA state with
   * its transitions (built lazily, bounded by MAX_DFA_STATES and MAX_DFA_TRANSITIONS), so common values cost
   * one Map lookup per character. Past the bounds, steps are still computed, just not kept: still linear.
   */
  matches(value: string): boolean {
    let state: DfaState = (this.initial ??= this.dfaState(this.closure([this.start])));
    for (let i = 0; i < value.length; ) {
      const cp = value.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      let next: DfaState | null | undefined = state.next.get(cp);
      if (next === undefined) {
        next = this.step(state, cp);
        if (this.dfa.size < MAX_DFA_STATES && state.next.size < MAX_DFA_TRANSITIONS) state.next.set(cp, next);
      }
      if (next === null) return false;
      state = next;
    }
    return state.accepting;
  }

  private step(state: DfaState, cp: number): DfaState | null {
    const targets: number[] = [];
    for (const s of state.states) if (this.tests[this.test[s]].matches(cp)) targets.push(this.out[s]);
    if (targets.length === 0) return null;
    return this.dfaState(this.closure(targets));
  }

  private dfaState(closure: { states: number[]; accepting: boolean }): DfaState {
    const key = closure.states.join(',') + (closure.accepting ? '$' : '');
    let state = this.dfa.get(key);
    if (!state) {
      state = { ...closure, next: new Map() };
      if (this.dfa.size < MAX_DFA_STATES) this.dfa.set(key, state);
    }
    return state;
  }

  /** The character states reachable from `from` without consuming (sorted), and whether the end is. */
  private closure(from: number[]): { states: number[]; accepting: boolean } {
    if (++this.generation === 0x7fffffff) {
      this.mark.fill(0);
      this.generation = 1;
    }
    const states: number[] = [];
    let accepting = false;
    for (const s of from) if (this.addClosure(s, states)) accepting = true;
    return { states: states.sort((a, b) => a - b), accepting };
  }

  /** Adds the character states reachable from `state` without consuming; true when the end is reachable. */
  private addClosure(state: number, into: number[]): boolean {
    const { mark, generation } = this;
    let end = false;
    const stack = [state];
    while (stack.length) {
      const s = stack.pop()!;
      if (s === MATCH) {
        end = true;
        continue;
      }
      if (mark[s] === generation) continue;
      mark[s] = generation;
      if (this.test[s] >= 0) into.push(s);
      else {
        stack.push(this.out2[s]);
        stack.push(this.out[s]);
      }
    }
    return end;
  }

  private newState(test: number, out: number, out2 = MATCH): number {
    if (this.test.length >= MAX_NFA_STATES) {
      throw new XsdRegexError(`pattern too large to compile (more than ${MAX_NFA_STATES} states after expanding its quantifiers)`);
    }
    this.test.push(test);
    this.out.push(out);
    this.out2.push(out2);
    return this.test.length - 1;
  }

  /** Builds `node` so that, once matched, it continues at `next`; returns its entry state. */
  private build(node: RegexNode, next: number, testIds: Map<string, number>): number {
    switch (node.kind) {
      case 'char': {
        let id = testIds.get(node.js);
        if (id === undefined) {
          id = this.tests.length;
          this.tests.push(new CharTest(node.js));
          testIds.set(node.js, id);
        }
        return this.newState(id, next);
      }
      case 'seq': {
        let entry = next;
        for (let i = node.items.length - 1; i >= 0; i--) entry = this.build(node.items[i], entry, testIds);
        return entry;
      }
      case 'alt': {
        let entry = this.build(node.branches[node.branches.length - 1], next, testIds);
        for (let i = node.branches.length - 2; i >= 0; i--) entry = this.newState(-1, this.build(node.branches[i], next, testIds), entry);
        return entry;
      }
      case 'group':
        return this.build(node.node, next, testIds);
      case 'repeat': {
        let entry = next;
        if (node.max === Infinity) {
          const loop = this.newState(-1, MATCH, next);
          this.out[loop] = this.build(node.node, loop, testIds);
          entry = loop;
        } else {
          for (let i = node.min; i < node.max; i++) entry = this.newState(-1, this.build(node.node, entry, testIds), next);
        }
        for (let i = 0; i < node.min; i++) entry = this.build(node.node, entry, testIds);
        return entry;
      }
    }
  }
}

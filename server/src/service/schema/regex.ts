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

  translate(): string {
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

  private regExp(): string {
    let out = this.branch();
    while (this.peek() === '|') {
      this.pos++;
      out += '|' + this.branch();
    }
    return out;
  }

  private branch(): string {
    let out = '';
    while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      out += this.atom() + this.quantifier();
    }
    return out;
  }

  private quantifier(): string {
    const c = this.peek();
    if (c === '?' || c === '*' || c === '+') {
      this.pos++;
      return c;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) this.fail('malformed quantifier');
      this.pos += m[0].length;
      return m[0];
    }
    return '';
  }

  private atom(): string {
    const c = this.next();
    switch (c) {
      case '(': {
        const inner = this.regExp();
        if (this.peek() !== ')') this.fail("missing ')'");
        this.pos++;
        return '(?:' + inner + ')';
      }
      case '[':
        return this.charClass();
      case '.':
        return '[^\\n\\r]';
      case '\\':
        return this.escape(false);
      case '?':
      case '*':
      case '+':
      case '{':
      case '}':
      case ']':
      case ')':
        return this.fail(`unescaped '${c}'`);
      default:
        return escapeOutside(c);
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
  return new Translator(pattern).translate();
}

/**
 * Compiles an XSD pattern to an anchored JS RegExp. With `anchored` (patterns of a foreign XSD read the way
 * the B2C service reads them, as .NET regexes), an outer `^...$` is an anchor pair and `\/` means `/`.
 */
export function compileXsdPattern(pattern: string, options: { anchored?: boolean } = {}): RegExp {
  let source = pattern;
  if (options.anchored && source.startsWith('^') && source.endsWith('$') && !source.endsWith('\\$') && source.length >= 2) {
    source = source.slice(1, -1).replace(/\\\//g, '/');
  }
  return new RegExp('^(?:' + translateXsdPattern(source) + ')$', 'v');
}

/**
 * The glob patterns of an environment's `Include` and `Exclude` lists, compiled to regular expressions.
 *
 * A pattern is matched against a file's path relative to the policy root (the folder of appsettings.json),
 * with `/` between folders:
 * - `*` any characters except `/`; `?` one character except `/`; `[abc]`, `[a-z]`, `[!abc]` a character class;
 * - `**` as a whole path segment: any number of folders (also none), so `**\/*.xml` is every XML file;
 * - `{a,b}` either alternative (alternatives may nest and contain the other wildcards);
 * - a pattern that matches a folder matches everything below it (`drafts` is `drafts/**`), as in .gitignore.
 * Matching ignores case: policies move between Windows (case-insensitive file names) and Linux CI runners, and
 * a pattern that selected a file on one and not on the other would change what gets uploaded.
 */

export interface CompiledGlob {
  pattern: string;
  regex: RegExp;
}

export interface GlobError {
  /** What is wrong, in one sentence. */
  message: string;
  /** Offset in the pattern where the problem is. */
  offset: number;
}

export function compileGlob(pattern: string): CompiledGlob | GlobError {
  const problem = patternProblem(pattern);
  if (problem) return problem;
  let source = pattern.startsWith('./') ? pattern.slice(2) : pattern;
  if (source.endsWith('/')) source = source.slice(0, -1);
  const parsed = new GlobTranslator(source, pattern.length - source.length).translate();
  if ('message' in parsed) return parsed;
  // A match of a folder covers the files below it.
  return { pattern, regex: new RegExp(`^(?:${parsed.regex})(?:/.*)?$`, 'is') };
}

export function isGlobError(value: CompiledGlob | GlobError): value is GlobError {
  return 'message' in value;
}

export function matchesAny(globs: CompiledGlob[], relativePath: string): boolean {
  return globs.some((g) => g.regex.test(relativePath));
}

function patternProblem(pattern: string): GlobError | undefined {
  if (pattern.trim() === '') return { message: 'An empty pattern matches nothing.', offset: 0 };
  const backslash = pattern.indexOf('\\');
  if (backslash >= 0) return { message: "Use '/' between folders (a backslash is not a separator here).", offset: backslash };
  if (pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern)) {
    return { message: 'Patterns are relative to the folder of appsettings.json; remove the leading root.', offset: 0 };
  }
  let offset = 0;
  for (const segment of pattern.split('/')) {
    if (segment === '..') return { message: "'..' would leave the folder of appsettings.json.", offset };
    offset += segment.length + 1;
  }
  return undefined;
}

/** Characters that have a meaning in a regular expression and stand for themselves in a glob. */
const REGEX_SPECIAL = /[.+^$()|\\]/;

class GlobTranslator {
  private position = 0;

  constructor(
    private readonly source: string,
    /** Characters removed from the front of the user's pattern (for error offsets). */
    private readonly shift: number,
  ) {}

  translate(): { regex: string } | GlobError {
    const result = this.sequence(false);
    if ('message' in result) return result;
    if (this.position < this.source.length) return this.error(`Unmatched '${this.source[this.position]}'.`, this.position);
    return { regex: result.regex };
  }

  private error(message: string, at: number): GlobError {
    return { message, offset: at + this.shift };
  }

  /** Translates until the end, or (inside braces) until an unnested ',' or '}'. */
  private sequence(inBraces: boolean): { regex: string } | GlobError {
    const s = this.source;
    let out = '';
    while (this.position < s.length) {
      const c = s[this.position];
      if (inBraces && (c === ',' || c === '}')) break;
      if (c === '}') return this.error("Unmatched '}'.", this.position);
      if (c === '*') {
        const atSegmentStart = this.position === 0 || s[this.position - 1] === '/';
        if (s[this.position + 1] === '*') {
          let end = this.position;
          while (s[end] === '*') end++;
          const atSegmentEnd = end === s.length || s[end] === '/' || (inBraces && (s[end] === ',' || s[end] === '}'));
          if (atSegmentStart && atSegmentEnd) {
            if (s[end] === '/') {
              // `**/`: any number of whole folders, also none.
              out += '(?:[^/]*/)*';
              this.position = end + 1;
            } else {
              // A trailing `**`: everything below (or the folder itself).
              out += '.*';
              this.position = end;
            }
            continue;
          }
          // `a**b` is not a folder wildcard: it means the same as `a*b`.
          this.position = end;
          out += '[^/]*';
          continue;
        }
        out += '[^/]*';
        this.position++;
        continue;
      }
      if (c === '?') {
        out += '[^/]';
        this.position++;
        continue;
      }
      if (c === '[') {
        const cls = this.characterClass();
        if ('message' in cls) return cls;
        out += cls.regex;
        continue;
      }
      if (c === '{') {
        const start = this.position;
        this.position++;
        const alternatives: string[] = [];
        for (;;) {
          const alternative = this.sequence(true);
          if ('message' in alternative) return alternative;
          alternatives.push(alternative.regex);
          if (this.position >= s.length) return this.error("Unclosed '{'.", start);
          const separator = s[this.position++];
          if (separator === '}') break;
        }
        out += `(?:${alternatives.join('|')})`;
        continue;
      }
      out += REGEX_SPECIAL.test(c) ? `\\${c}` : c;
      this.position++;
    }
    return { regex: out };
  }

  private characterClass(): { regex: string } | GlobError {
    const s = this.source;
    const start = this.position;
    let i = start + 1;
    let negate = false;
    if (s[i] === '!' || s[i] === '^') {
      negate = true;
      i++;
    }
    let body = '';
    let first = true;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === ']' && !first) break;
      if (c === '/') return this.error("A character class cannot contain '/'.", i);
      body += c === '\\' || c === ']' || c === '[' || c === '^' ? `\\${c}` : c;
      first = false;
    }
    if (i >= s.length) return this.error("Unclosed '['.", start);
    this.position = i + 1;
    try {
      new RegExp(`[${body}]`);
    } catch {
      return this.error('Invalid character class.', start);
    }
    return { regex: negate ? `[^/${body}]` : `[${body}]` };
  }
}

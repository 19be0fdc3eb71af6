/**
 * Built-in XSD simple types and the facet checks of restrictions (enumeration, pattern, lengths, bounds).
 */
import type { BuiltinTypeName, SimpleTypeDef } from './model';

interface Builtin {
  whiteSpace: SimpleTypeDef['whiteSpace'];
  /** Lexical check of the white-space-processed value. */
  lexical?: RegExp;
  /** Inclusive bounds for integer types. */
  range?: [bigint | undefined, bigint | undefined];
  numeric?: boolean;
  /** How to name the type in messages. */
  describe: string;
}

const INTEGER = /^[+-]?[0-9]+$/;
const NAME = /^[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD][-.0-9:A-Z_a-z\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]*$/;

function intRange(bits: number, unsigned: boolean): [bigint, bigint] {
  if (unsigned) return [0n, (1n << BigInt(bits)) - 1n];
  return [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n];
}

export const BUILTINS: Record<BuiltinTypeName, Builtin> = {
  anySimpleType: { whiteSpace: 'preserve', describe: 'any value' },
  string: { whiteSpace: 'preserve', describe: 'a string' },
  normalizedString: { whiteSpace: 'replace', describe: 'a string' },
  token: { whiteSpace: 'collapse', describe: 'a string' },
  language: { whiteSpace: 'collapse', lexical: /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/, describe: 'a language tag' },
  Name: { whiteSpace: 'collapse', lexical: NAME, describe: 'an XML name' },
  NCName: { whiteSpace: 'collapse', lexical: NAME, describe: 'an XML name without a colon' },
  NMTOKEN: { whiteSpace: 'collapse', lexical: /^[-.0-9:A-Z_a-z\u00B7\u00C0-\uFFFD]+$/, describe: 'a name token' },
  anyURI: { whiteSpace: 'collapse', describe: 'a URI (RFC 3986)' },
  boolean: { whiteSpace: 'collapse', lexical: /^(true|false|1|0)$/, describe: 'true or false' },
  decimal: { whiteSpace: 'collapse', lexical: /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/, numeric: true, describe: 'a decimal number' },
  double: { whiteSpace: 'collapse', lexical: /^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|-?INF|NaN)$/, numeric: true, describe: 'a number' },
  float: { whiteSpace: 'collapse', lexical: /^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|-?INF|NaN)$/, numeric: true, describe: 'a number' },
  integer: { whiteSpace: 'collapse', lexical: INTEGER, range: [undefined, undefined], numeric: true, describe: 'an integer' },
  long: { whiteSpace: 'collapse', lexical: INTEGER, range: intRange(64, false), numeric: true, describe: 'an integer (64-bit)' },
  int: { whiteSpace: 'collapse', lexical: INTEGER, range: intRange(32, false), numeric: true, describe: 'an integer (32-bit)' },
  short: { whiteSpace: 'collapse', lexical: INTEGER, range: intRange(16, false), numeric: true, describe: 'an integer (16-bit)' },
  byte: { whiteSpace: 'collapse', lexical: INTEGER, range: intRange(8, false), numeric: true, describe: 'an integer (8-bit)' },
  nonNegativeInteger: { whiteSpace: 'collapse', lexical: INTEGER, range: [0n, undefined], numeric: true, describe: 'an integer >= 0' },
  positiveInteger: { whiteSpace: 'collapse', lexical: INTEGER, range: [1n, undefined], numeric: true, describe: 'an integer >= 1' },
  nonPositiveInteger: { whiteSpace: 'collapse', lexical: INTEGER, range: [undefined, 0n], numeric: true, describe: 'an integer <= 0' },
  negativeInteger: { whiteSpace: 'collapse', lexical: INTEGER, range: [undefined, -1n], numeric: true, describe: 'an integer <= -1' },
  unsignedLong: { whiteSpace: 'collapse', lexical: INTEGER, range: intRange(64, true), numeric: true, describe: 'an unsigned integer (64-bit)' },
  unsignedInt: { whiteSpace: 'collapse', lexical: INTEGER, range: intRange(32, true), numeric: true, describe: 'an unsigned integer (32-bit)' },
  unsignedShort: { whiteSpace: 'collapse', lexical: INTEGER, range: intRange(16, true), numeric: true, describe: 'an unsigned integer (16-bit)' },
  unsignedByte: { whiteSpace: 'collapse', lexical: INTEGER, range: intRange(8, true), numeric: true, describe: 'an unsigned integer (8-bit)' },
};

// anyURI as libxml2 checks it: characters a URI cannot hold are replaced by '_', then the result must parse
// as an RFC 3986 URI reference.
const HEX = '%[0-9A-Fa-f]{2}';
const PCHAR = `(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|${HEX})`;
const SEGMENT_NC = `(?:[A-Za-z0-9\\-._~!$&'()*+,;=@]|${HEX})+`;
const AUTHORITY = `(?:(?:[A-Za-z0-9\\-._~!$&'()*+,;=:]|${HEX})*@)?(?:\\[[0-9A-Fa-f:.vV]+\\]|(?:[A-Za-z0-9\\-._~!$&'()*+,;=]|${HEX})*)(?::[0-9]*)?`;
const PATH_ABEMPTY = `(?:/${PCHAR}*)*`;
const PATH_ABSOLUTE = `/(?:${PCHAR}+(?:/${PCHAR}*)*)?`;
const PATH_ROOTLESS = `${PCHAR}+(?:/${PCHAR}*)*`;
const PATH_NOSCHEME = `${SEGMENT_NC}(?:/${PCHAR}*)*`;
const QUERY = `(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?`;
const URI_REFERENCE = new RegExp(
  `^(?:[A-Za-z][A-Za-z0-9+.-]*:(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PATH_ROOTLESS}|)${QUERY}` +
    `|(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PATH_NOSCHEME}|)${QUERY})$`,
);

export function isValidAnyUri(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- characters an IRI may hold but RFC 3986 may not, controls included
  return URI_REFERENCE.test(value.replace(/[\u0000-\u001f\u007f-\uffff <>"{}|\\^`']/g, '_'));
}

export function isBuiltinName(name: string): name is BuiltinTypeName {
  return Object.prototype.hasOwnProperty.call(BUILTINS, name);
}

export function builtinType(name: BuiltinTypeName): SimpleTypeDef {
  return { name: 'xs:' + name, builtin: name, patterns: [], whiteSpace: BUILTINS[name].whiteSpace };
}

export function isNumericType(type: SimpleTypeDef): boolean {
  return BUILTINS[type.builtin].numeric === true;
}

export function normalizeWhiteSpace(value: string, mode: SimpleTypeDef['whiteSpace']): string {
  if (mode === 'preserve' || isNormalized(value, mode === 'collapse')) return value;
  const replaced = value.replace(/[\t\n\r]/g, ' ');
  return mode === 'replace' ? replaced : replaced.replace(/ +/g, ' ').replace(/^ | $/g, '');
}

/** Whether normalising would leave the value as it is (the usual case, checked without regular expressions). */
function isNormalized(value: string, collapse: boolean): boolean {
  const last = value.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x09 || c === 0x0a || c === 0x0d) return false;
    if (collapse && c === 0x20 && (i === 0 || i === last || value.charCodeAt(i - 1) === 0x20)) return false;
  }
  return true;
}

export interface ValueProblem {
  message: string;
  facet: 'type' | 'enumeration' | 'pattern' | 'length' | 'range' | 'fixed';
  allowed?: string[];
  pattern?: string;
}

/** The length in characters (code points), as XSD counts it, without building an array. */
function codePointLength(value: string): number {
  let n = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function describeType(type: SimpleTypeDef): string {
  return type.name && !type.name.startsWith('xs:') ? type.name : BUILTINS[type.builtin].describe;
}

function quote(value: string): string {
  return `'${value.length > 80 ? value.slice(0, 77) + '...' : value}'`;
}

/** The canonical form used to compare values of this type (numbers compare by value). */
export function canonicalValue(type: SimpleTypeDef, value: string): string {
  const v = normalizeWhiteSpace(value, type.whiteSpace);
  const builtin = BUILTINS[type.builtin];
  if (builtin.range && INTEGER.test(v)) return BigInt(v).toString();
  if (builtin.numeric && builtin.lexical?.test(v) && !/INF|NaN/.test(v)) return String(Number(v));
  if (type.builtin === 'boolean') return v === '1' ? 'true' : v === '0' ? 'false' : v;
  return v;
}

/** Checks a value against a simple type; undefined when valid. `what` names the value in messages. */
export function checkSimpleValue(type: SimpleTypeDef, raw: string, what: string): ValueProblem | undefined {
  const value = normalizeWhiteSpace(raw, type.whiteSpace);
  const builtin = BUILTINS[type.builtin];
  if (builtin.lexical && !builtin.lexical.test(value)) {
    return {
      message: `${quote(value)} is not a valid value for ${what}: expected ${builtin.describe}.`,
      facet: 'type',
      allowed: type.builtin === 'boolean' ? ['true', 'false'] : undefined,
    };
  }
  if (type.builtin === 'anyURI' && !isValidAnyUri(value)) {
    return { message: `${quote(value)} is not a valid value for ${what}: expected ${builtin.describe}.`, facet: 'type' };
  }
  if (builtin.range) {
    const n = BigInt(value);
    const [lo, hi] = builtin.range;
    if ((lo !== undefined && n < lo) || (hi !== undefined && n > hi)) {
      return { message: `${quote(value)} is out of range for ${what}: expected ${builtin.describe}.`, facet: 'range' };
    }
  }
  // Length facets first: they are cheap, and a value over maxLength needs no pattern run.
  const length = type.length !== undefined || type.minLength !== undefined || type.maxLength !== undefined ? codePointLength(value) : 0;
  if (type.length !== undefined && length !== type.length) {
    return { message: `${quote(value)} is not a valid value for ${what}: it must be exactly ${type.length} characters long.`, facet: 'length' };
  }
  if (type.minLength !== undefined && length < type.minLength) {
    return {
      message: `${quote(value)} is not a valid value for ${what}: it must be at least ${type.minLength} character${type.minLength === 1 ? '' : 's'} long.`,
      facet: 'length',
    };
  }
  if (type.maxLength !== undefined && length > type.maxLength) {
    return { message: `The value of ${what} is too long: at most ${type.maxLength} characters.`, facet: 'length' };
  }
  if (type.enumeration) {
    const canonical = canonicalValue(type, value);
    if (!type.enumeration.some((e) => canonicalValue(type, e.value) === canonical)) {
      const allowed = type.enumeration.map((e) => e.value);
      const near = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());
      const hint = near !== undefined ? ` Did you mean '${near}'? Values are case-sensitive.` : '';
      return {
        message: `${quote(value)} is not a valid value for ${what}: expected one of ${allowed.join(', ')}.${hint}`,
        facet: 'enumeration',
        allowed,
      };
    }
  }
  for (const group of type.patterns) {
    if (!group.some((p) => p.test(value))) {
      const shown = group.map((p) => p.source).join(' or ');
      return {
        message: `${quote(value)} is not a valid value for ${what}: it must match ${group.length > 1 ? 'one of the patterns' : 'the pattern'} ${shown} (${describeType(type)}).`,
        facet: 'pattern',
        pattern: group[0].source,
      };
    }
  }
  if (builtin.numeric) {
    const n = Number(value);
    const bounds: [number | undefined, (a: number, b: number) => boolean, string][] = [
      [type.minInclusive, (a, b) => a >= b, 'at least'],
      [type.maxInclusive, (a, b) => a <= b, 'at most'],
      [type.minExclusive, (a, b) => a > b, 'more than'],
      [type.maxExclusive, (a, b) => a < b, 'less than'],
    ];
    for (const [bound, ok, words] of bounds) {
      if (bound !== undefined && !ok(n, bound)) {
        return { message: `${quote(value)} is out of range for ${what}: it must be ${words} ${bound}.`, facet: 'range' };
      }
    }
  }
  return undefined;
}

/**
 * The XML character classes (server/src/service/xml/chars.ts) against libxml2 (libxml2-wasm) as the oracle:
 * every edge of every range of NameStartChar and NameChar (XML 1.0 fifth edition, section 2.3), the code
 * point on each side, and characters beyond the BMP. libxml2 accepts `<a{c}/>` exactly when c is a name
 * character and `<{c}/>` exactly when c is a name start character; so must the functions and the parser.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isNameChar, isNameStartChar, isXmlSpace, parseXml } from '../../server/src/service/xml';

// libxml2-wasm is an ES module; a CommonJS test loads it with a real dynamic import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

const RANGE_EDGES = [
  0x2d, 0x2e, 0x30, 0x39, 0x3a, 0x41, 0x5a, 0x5f, 0x61, 0x7a, 0xb7, 0xc0, 0xd6, 0xd8, 0xf6, 0xf8, 0x2ff, 0x300, 0x36f, 0x370, 0x37d,
  0x37f, 0x1fff, 0x200c, 0x200d, 0x203f, 0x2040, 0x2070, 0x218f, 0x2c00, 0x2fef, 0x3001, 0xd7ff, 0xf900, 0xfdcf, 0xfdf0, 0xfffd,
  0x10000, 0xeffff,
];

function candidates(): number[] {
  const set = new Set<number>();
  for (const edge of RANGE_EDGES) for (const c of [edge - 1, edge, edge + 1]) if (c > 0x20 && !(c >= 0xd800 && c <= 0xdfff) && c !== 0xfffe && c !== 0xffff) set.add(c);
  for (const c of [0x24, 0x40, 0xa0, 0xbf, 0x2000, 0x2190, 0x3000, 0xfeff, 0xf0000]) set.add(c);
  // ':' is a name start character of XML 1.0, but libxml2 parses with namespaces, where a name cannot start
  // with one: leave it out of the comparison.
  set.delete(0x3a);
  return [...set].sort((a, b) => a - b);
}

const hex = (c: number) => 'U+' + c.toString(16).toUpperCase().padStart(4, '0');

test('name start and name characters agree with libxml2 at every range edge', async () => {
  const lx = await importEsm('libxml2-wasm');
  const accepts = (text: string): boolean => {
    try {
      lx.XmlDocument.fromString(text).dispose();
      return true;
    } catch {
      return false;
    }
  };
  let checked = 0;
  for (const c of candidates()) {
    const s = String.fromCodePoint(c);
    const asStart = accepts(`<${s}/>`);
    const asChar = accepts(`<a${s}/>`);
    // Beyond the BMP, s is a surrogate pair: the high half starts a name, the low half continues it.
    const rest = s.length === 1 || isNameChar(s.charCodeAt(1));
    assert.equal(isNameStartChar(s.charCodeAt(0)) && rest, asStart, `name start ${hex(c)}`);
    assert.equal(isNameChar(s.charCodeAt(0)) && rest, asChar, `name char ${hex(c)}`);
    assert.equal(parseXml(`<${s}/>`).problems.length === 0, asStart, `parser, name start ${hex(c)}`);
    assert.equal(parseXml(`<a${s}/>`).problems.length === 0, asChar, `parser, name char ${hex(c)}`);
    checked++;
  }
  assert.ok(checked >= 90, `checked ${checked} code points`);
});

test('XML white space is exactly space, tab, carriage return and line feed', () => {
  const spaces = [];
  for (let c = 0; c <= 0xffff; c++) if (isXmlSpace(c)) spaces.push(c);
  assert.deepEqual(spaces, [0x09, 0x0a, 0x0d, 0x20]);
});

/**
 * Policy bytes to text and back (server/src/service/xml/encoding.ts), on byte fixtures built here: each
 * encoding is recognised, decodes to the exact text, and encodes back to the exact bytes; bad bytes and
 * contradictions are errors, never a silent replacement character.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { decodePolicyBytes, encodePolicyText, type DecodedPolicy, type PolicyByteForm } from '../../server/src/service/xml';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const bytes = (...parts: Array<string | number[]>) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? ascii(p) : p)));
const utf16 = (s: string, little: boolean) => {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out.push(...(little ? [c & 0xff, c >> 8] : [c >> 8, c & 0xff]));
  }
  return out;
};

function decoded(input: Uint8Array): DecodedPolicy {
  const result = decodePolicyBytes(input);
  if ('error' in result) assert.fail(`unexpected error: ${result.error}`);
  return result;
}

function errorOf(input: Uint8Array): { error: string; offset?: number } {
  const result = decodePolicyBytes(input);
  assert.ok('error' in result, `expected an error, got ${JSON.stringify(result)}`);
  return result;
}

/** Decodes, checks text and form, and checks that encoding the text again gives the same bytes. */
function roundTrip(input: Uint8Array, text: string, form: PolicyByteForm): void {
  const result = decoded(input);
  assert.deepEqual({ text: result.text, encoding: result.encoding, bom: result.bom }, { text, ...form });
  const back = encodePolicyText(result.text, result);
  assert.ok('bytes' in back, JSON.stringify(back));
  assert.deepEqual(back.bytes, input);
}

const POLICY = '<TrustFrameworkPolicy Name="Zoë 😀 €"/>';
const POLICY_UTF8 = [...new TextEncoder().encode(POLICY)];

test('UTF-8 without and with a byte-order mark, with and without a declaration', () => {
  roundTrip(Uint8Array.from(POLICY_UTF8), POLICY, { encoding: 'utf-8', bom: false });
  roundTrip(Uint8Array.from([0xef, 0xbb, 0xbf, ...POLICY_UTF8]), POLICY, { encoding: 'utf-8', bom: true });
  const declared = '<?xml version="1.0" encoding="UTF-8"?>\n';
  roundTrip(bytes(declared, POLICY_UTF8), declared + POLICY, { encoding: 'utf-8', bom: false });
  roundTrip(bytes([0xef, 0xbb, 0xbf], "<?xml version='1.0' encoding='utf8'?>", POLICY_UTF8), "<?xml version='1.0' encoding='utf8'?>" + POLICY, { encoding: 'utf-8', bom: true });
});

test('UTF-16 little- and big-endian, with a byte-order mark or recognised by "<?xml"', () => {
  roundTrip(Uint8Array.from([0xff, 0xfe, ...utf16(POLICY, true)]), POLICY, { encoding: 'utf-16le', bom: true });
  roundTrip(Uint8Array.from([0xfe, 0xff, ...utf16(POLICY, false)]), POLICY, { encoding: 'utf-16be', bom: true });
  const declared = '<?xml version="1.0" encoding="UTF-16"?>' + POLICY;
  roundTrip(Uint8Array.from(utf16(declared, true)), declared, { encoding: 'utf-16le', bom: false });
  roundTrip(Uint8Array.from(utf16(declared, false)), declared, { encoding: 'utf-16be', bom: false });
});

test('ISO-8859-1 is Latin-1 (0x80 is U+0080), windows-1252 is not (0x80 is the euro sign); all 256 bytes round-trip', () => {
  const all = Array.from({ length: 256 }, (_, i) => i);
  for (const [name, encoding] of [
    ['ISO-8859-1', 'iso-8859-1'],
    ['latin1', 'iso-8859-1'],
    ['Windows-1252', 'windows-1252'],
    ['CP1252', 'windows-1252'],
  ] as const) {
    const declaration = `<?xml version="1.0" encoding="${name}"?>`;
    const result = decoded(bytes(declaration, '<r>', all, '</r>'));
    assert.equal(result.encoding, encoding, name);
    assert.equal(result.bom, false);
    const body = result.text.slice(declaration.length + 3, -4);
    assert.equal(body.length, 256);
    assert.equal(body[0xe9], 'é');
    assert.equal(body[0x80], encoding === 'windows-1252' ? '€' : '\u0080', name);
    assert.equal(body[0x9f], encoding === 'windows-1252' ? 'Ÿ' : '\u009f', name);
    assert.equal(body[0x81], '\u0081', `${name}: an undefined windows-1252 byte keeps its number`);
    const back = encodePolicyText(result.text, result);
    assert.ok('bytes' in back);
    assert.deepEqual(back.bytes, bytes(declaration, '<r>', all, '</r>'), name);
  }
});

test('US-ASCII: ASCII bytes decode; a byte above 0x7F is an error naming its offset', () => {
  const declaration = '<?xml version="1.0" encoding="us-ascii"?>';
  roundTrip(bytes(declaration, '<r>a</r>'), declaration + '<r>a</r>', { encoding: 'us-ascii', bom: false });
  const bad = errorOf(bytes(declaration, '\n<r>', [0xe9], '</r>'));
  assert.equal(bad.offset, declaration.length + 4);
  assert.match(bad.error, /byte 0xE9 at offset 45 \(line 2\) is not US-ASCII/);
});

test('invalid UTF-8 is an error at the first bad byte, never a replacement character', () => {
  const cases: Array<[number[], number]> = [
    [[0xc3, 0x28], 3], // a lead byte without its continuation
    [[0xc0, 0xaf], 3], // overlong
    [[0xed, 0xa0, 0x80], 3], // an encoded surrogate
    [[0xf4, 0x90, 0x80, 0x80], 3], // beyond U+10FFFF
    [[0x41, 0xe9, 0x41], 4], // Latin-1 text without a declaration
    [[0xe2, 0x82], 3], // cut off at the end
  ];
  for (const [bad, offset] of cases) {
    const result = errorOf(bytes('<r>', bad));
    assert.equal(result.offset, offset, JSON.stringify(bad));
    assert.match(result.error, /not valid UTF-8/);
  }
  const withBom = errorOf(bytes([0xef, 0xbb, 0xbf], '<r>\n\n', [0xff], '</r>'));
  assert.equal(withBom.offset, 8);
  assert.match(withBom.error, /byte 0xFF at offset 8 \(line 3\)/);
});

test('an unknown or unsupported declared encoding is an error that names it', () => {
  for (const name of ['Shift_JIS', 'ebcdic-cp-us', '']) {
    const result = errorOf(bytes(`<?xml version="1.0" encoding="${name}"?><r/>`));
    assert.ok(result.error.includes(`"${name}"`), result.error);
    assert.match(result.error, /not supported/);
  }
});

test('a declaration that contradicts the bytes is an error', () => {
  const utf16Declared = errorOf(bytes('<?xml version="1.0" encoding="UTF-16"?><r/>'));
  assert.match(utf16Declared.error, /not stored as UTF-16/);
  const bomAndLatin1 = errorOf(bytes([0xef, 0xbb, 0xbf], '<?xml version="1.0" encoding="windows-1252"?><r/>'));
  assert.match(bomAndLatin1.error, /UTF-8 byte-order mark.*"windows-1252"/);
  const utf16SaysUtf8 = errorOf(Uint8Array.from([0xff, 0xfe, ...utf16('<?xml version="1.0" encoding="utf-8"?><r/>', true)]));
  assert.match(utf16SaysUtf8.error, /stored as UTF-16.*"utf-8"/);
  // A declaration that is not at the very start is no declaration: the bytes are read as UTF-8.
  assert.equal(decoded(bytes('<!-- x --><?xml version="1.0" encoding="UTF-16"?><r/>')).encoding, 'utf-8');
});

test('broken UTF-16 and UTF-32 are errors', () => {
  assert.match(errorOf(Uint8Array.from([0xff, 0xfe, 0x3c, 0x00, 0x72])).error, /middle of a character/);
  assert.match(errorOf(Uint8Array.from([0xff, 0xfe, 0x3c, 0x00, 0x00, 0xd8, 0x3e, 0x00])).error, /unpaired surrogate/);
  assert.match(errorOf(Uint8Array.from([0xff, 0xfe, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00])).error, /UTF-32/);
  assert.match(errorOf(Uint8Array.from([0x00, 0x00, 0x00, 0x3c])).error, /UTF-32/);
});

test('encoding refuses what the form cannot hold, and says where', () => {
  const text = '<r>\n  <a>Łódź</a>\n</r>';
  const latin1 = encodePolicyText(text, { encoding: 'iso-8859-1', bom: false });
  assert.ok('error' in latin1);
  assert.equal(latin1.offset, text.indexOf('Ł'));
  assert.match(latin1.error, /'Ł' \(U\+0141\) at line 2, column 6 cannot be written in iso-8859-1/);
  const euro = encodePolicyText('€', { encoding: 'iso-8859-1', bom: false });
  assert.ok('error' in euro);
  const euro1252 = encodePolicyText('€', { encoding: 'windows-1252', bom: false });
  assert.deepEqual('bytes' in euro1252 && [...euro1252.bytes], [0x80]);
  const ascii = encodePolicyText('é', { encoding: 'us-ascii', bom: false });
  assert.ok('error' in ascii);
  const bom = encodePolicyText('a', { encoding: 'windows-1252', bom: true });
  assert.ok('error' in bom);
  const lone = encodePolicyText('a\ud800b', { encoding: 'utf-8', bom: false });
  assert.ok('error' in lone);
  assert.equal(lone.offset, 1);
  const pair = encodePolicyText('😀', { encoding: 'utf-16be', bom: true });
  assert.deepEqual('bytes' in pair && [...pair.bytes], [0xfe, 0xff, 0xd8, 0x3d, 0xde, 0x00]);
});

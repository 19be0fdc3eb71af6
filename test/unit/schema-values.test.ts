/**
 * Hostile values: huge attribute values and element texts get the right finding, and pattern matching is
 * linear in the value's length whatever the pattern (timings are in test/bench/bench.ts, not here).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compileSchema, compileXsdPattern, loadBundledSchema, validateDocument, XsdRegexError, type XsdPattern } from '../../server/src/service/schema';
import { parseXml } from '../../server/src/service/xml';
import { policy } from '../helpers/policies';
import { seededRandom as random } from '../helpers/random';

const schema = loadBundledSchema('current');

function findingsOn(text: string) {
  return validateDocument(schema, parseXml(text), { throwInternalErrors: true }).map((f) => ({ ...f, at: text.slice(f.span.start, f.span.end) }));
}

test('a 100 KB PolicyId ending in a dot: one pattern finding on the whole value (PolicyId has no maxLength)', () => {
  const id = 'B2C_1A_' + 'x'.repeat(100_000) + '.';
  const text = policy(id, '');
  const found = findingsOn(text);
  assert.equal(found.length, 1, 'only PolicyId is reported (the PublicPolicyUri that repeats it is a valid URI)');
  const [onId] = found;
  assert.equal(onId.code, 'schema-invalid-value');
  assert.equal(onId.data!.attribute, 'PolicyId');
  assert.equal(onId.data!.facet, 'pattern');
  assert.equal(onId.at, id);
  assert.ok(onId.message.length < 300, 'the message quotes the value shortened');
  assert.match(onId.message, /^'B2C_1A_x{70}\.\.\.' is not a valid value for PolicyId on <TrustFrameworkPolicy>: it must match the pattern/);
});

test('a 100 KB PolicyId of allowed characters is valid, and a 100 KB PolicySchemaVersion fails on maxLength before its pattern', () => {
  assert.deepEqual(findingsOn(policy('B2C_1A_' + 'x'.repeat(100_000), '')).map((f) => f.code), []);
  const version = '0.3.0.0' + '.0'.repeat(50_000);
  const text = policy('B2C_1A_Test', '').replace('PolicySchemaVersion="0.3.0.0"', `PolicySchemaVersion="${version}"`);
  const found = findingsOn(text);
  assert.deepEqual(found.map((f) => [f.code, f.data!.facet, f.at === version]), [['schema-invalid-value', 'length', true]]);
  assert.equal(found[0].message, 'The value of PolicySchemaVersion on <TrustFrameworkPolicy> is too long: at most 256 characters.');
});

test('a long URL value (a 100 KB DataUri with a space at the end) gets its pattern finding on the text', () => {
  const uri = 'https://contoso.example/' + 'page/'.repeat(20_000) + 'end x';
  const text = policy(
    'B2C_1A_Test',
    `  <BuildingBlocks><ContentDefinitions><ContentDefinition Id="api.signup"><LoadUri>~/x.html</LoadUri><DataUri>${uri}</DataUri></ContentDefinition></ContentDefinitions></BuildingBlocks>`,
  );
  const found = findingsOn(text);
  assert.deepEqual(found.map((f) => [f.code, f.data!.element, f.data!.facet, f.at === uri]), [['schema-invalid-value', 'DataUri', 'pattern', true]]);
  // The same URL without the space is valid.
  assert.deepEqual(findingsOn(text.replace('end x', 'end')), []);
});

/** Values built from characters the pattern mentions plus a few others, of random lengths. */
function samples(pattern: string, count: number, next: () => number): string[] {
  const alphabet = [...new Set([...pattern.replace(/[\\[\](){}|?*+^$]/g, ''), 'a', 'Z', '0', '9', '.', '-', '/', ':', ' ', 'é', '😀', '_'])];
  const out = [''];
  for (let i = 0; i < count; i++) {
    let s = '';
    const length = Math.floor(next() * 40);
    for (let j = 0; j < length; j++) s += alphabet[Math.floor(next() * alphabet.length)];
    out.push(s);
  }
  return out;
}

test('the linear matcher agrees with the JavaScript RegExp translation on every bundled pattern and on tricky ones', () => {
  const bundled = new Map<string, XsdPattern>();
  for (const type of schema.simpleTypes.values()) for (const group of type.patterns) for (const p of group) bundled.set(p.source, p);
  assert.equal(bundled.size, 10, 'the 11 patterns of the official XSD (two identical GUID patterns)');
  const tricky = [
    '[a-z]{1,3}(-[a-zA-Z0-9]{2,4}){0,2}',
    '(ab|a)(bc|c)?d*',
    '((a|b)*c){2,}x?',
    '(a*)*b',
    '()|a+',
    '[\\w-[aeiou]]+\\d?',
    '\\i\\c*(:\\i\\c*)?',
    '\\p{Lu}\\p{Ll}*',
    '[^\\s.]{2}\\.[^:]*',
    '.{0,5}😀?',
    'a{0}b{2}c{1,}',
  ].map((p) => compileXsdPattern(p));
  const next = random(2026);
  let compared = 0;
  for (const pattern of [...bundled.values(), ...tricky]) {
    const regex = pattern.toRegExp();
    for (const value of samples(pattern.source, 300, next)) {
      assert.equal(pattern.test(value), regex.test(value), `${pattern.source} on ${JSON.stringify(value)}`);
      compared++;
    }
  }
  assert.ok(compared > 6000);
  // Valid examples match (the samples are mostly invalid).
  const match = (source: string, value: string) => bundled.get(source)!.test(value);
  assert.equal(match('[A-Za-z0-9_\\-\\.]*[A-Za-z0-9_\\-]+', 'B2C_1A_TrustFrameworkBase'), true);
  assert.equal(match('[A-Za-z0-9_\\-\\.]*[A-Za-z0-9_\\-]+', 'B2C_1A_Base.'), false);
  assert.equal(match('[a-z]{1,3}(-[a-zA-Z0-9]{2,4}){0,2}', 'zh-Hant-TW'), true);
});

test('patterns that backtrack exponentially in JavaScript are answered correctly on long values', () => {
  const long = 'a'.repeat(20_000);
  for (const source of ['(a|a)*b', '(a*)*b', '(a|aa)+c']) {
    const pattern = compileXsdPattern(source);
    assert.equal(pattern.test(long), false, source);
    assert.equal(pattern.test(long + source.slice(-1)), true, source);
  }
});

test('a pattern whose bounds would build a huge automaton is refused with a clear error', () => {
  assert.throws(() => compileXsdPattern('[a-z]{1,200000}'), (e: unknown) => e instanceof XsdRegexError && /pattern too large to compile/.test(e.message));
  // In a schema, the compiler names the line (patterns are checked when the schema is compiled).
  const xsd = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:simpleType name="T"><xs:restriction base="xs:string"><xs:pattern value="x{3,1}"/></xs:restriction></xs:simpleType></xs:schema>`;
  assert.throws(() => compileSchema(xsd), /line 1: invalid XSD pattern "x\{3,1\}": quantifier \{n,m\} with m < n/);
});

/**
 * The bundled schemas are compiled at build time (scripts/build-schemas.mjs) into a generated module that
 * loads without xmldom/XPath; a user's XSD is compiled once and cached on disk by content hash.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  compileSchema,
  deserializeSchema,
  loadBundledSchema,
  serializeSchema,
  SerializedSchemaError,
  validateDocument,
  type CompiledSchema,
} from '../../server/src/service/schema';
import { applyAdditions } from '../../server/src/service/schema/additions';
import {
  ADDITIONS_FILE,
  COMPILER_SOURCE_FILES,
  GENERATED_MODULE_FILE,
  generatedModuleText,
  OFFICIAL_XSD_FILE,
} from '../../server/src/service/schema/precompile';
import { defaultCacheDir, parseSchemaChoice, SchemaCache } from '../../server/src/schemaFile';
import { parseXml } from '../../server/src/service/xml';
import { PROJECT_DIR } from '../helpers/corpus';
import { policy } from '../helpers/policies';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), 'utf8');

/** Equal long texts, or a short message naming where they first differ (no 100 KB diff in the output). */
function assertSameText(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  assert.fail(`${what}: first difference at character ${i}: ${JSON.stringify(actual.slice(i, i + 80))} instead of ${JSON.stringify(expected.slice(i, i + 80))}`);
}
const officialXsd = read(OFFICIAL_XSD_FILE);

test('the generated module is current: rebuilding it from schemas/ and the compiler sources gives the same bytes', () => {
  const expected = generatedModuleText({ officialXsd, additions: read(ADDITIONS_FILE), compilerSources: COMPILER_SOURCE_FILES.map(read) });
  assertSameText(read(GENERATED_MODULE_FILE), expected, `${GENERATED_MODULE_FILE} is stale: run npm run build (node scripts/build-schemas.mjs)`);
});

test('the precompiled schemas are exactly the compiled XSDs (official: schemas/; current: with the additions)', () => {
  const json = (schema: CompiledSchema) => JSON.stringify(serializeSchema(schema));
  assertSameText(json(loadBundledSchema('official')), json(compileSchema(officialXsd)), 'official');
  assertSameText(json(loadBundledSchema('current')), json(compileSchema(applyAdditions(officialXsd, read(ADDITIONS_FILE)))), 'current');
});

test('a schema survives serialization: identity of shared declarations, wildcards, keys, patterns and bounds', () => {
  const compiled = compileSchema(officialXsd);
  const loaded = deserializeSchema(JSON.parse(JSON.stringify(serializeSchema(compiled))));
  assertSameText(JSON.stringify(serializeSchema(loaded)), JSON.stringify(serializeSchema(compiled)), 'round trip');
  const root = loaded.rootDecl('TrustFrameworkPolicy')!;
  const buildingBlocks = loaded.childDecl(root, [], 'BuildingBlocks')!;
  const claimsSchema = loaded.childDecl(buildingBlocks, [], 'ClaimsSchema')!;
  const claimType = loaded.childDecl(claimsSchema, [], 'ClaimType')!;
  assert.equal(claimType.type, loaded.complexTypes.get('ClaimType'), 'a named type is one object, shared by its elements');
  assert.equal(claimType.maxOccurs, Infinity);
  assert.deepEqual(claimsSchema.keys.map((k) => k.name), ['UniqueClaimTypeId']);
  const tenantId = loaded.attribute(root, 'TenantId')!.type;
  assert.equal(tenantId, loaded.simpleTypes.get('TenantId'));
  assert.equal(tenantId.patterns[0][0].test('contoso.onmicrosoft.com'), true);
  assert.equal(tenantId.patterns[0][0].test('contoso tenant'), false);
  const extensions = loaded.complexTypes.get('Extensions')!.content!.particle;
  assert.equal(extensions.kind, 'sequence');
  const wildcard = extensions.kind === 'sequence' ? extensions.items[0] : undefined;
  assert.deepEqual(wildcard && wildcard.kind === 'any' ? [wildcard.processContents, wildcard.maxOccurs] : [], ['skip', Infinity]);
});

test('the precompiled and the freshly compiled schema report the same findings on a broken policy', () => {
  const text = policy(
    'B2C_1A_Test',
    `  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="email"><DisplayName>Email</DisplayName><Foo/><DataType>String</DataType></ClaimType>
      <ClaimType Id="email" Ids="x"><DataType>string</DataType></ClaimType>
    </ClaimsSchema>
    <ContentDefinitions><ContentDefinition Id="c"><LoadUri>~/x.html</LoadUri><DataUri>ftp://nope</DataUri></ContentDefinition></ContentDefinitions>
  </BuildingBlocks>
  <ClaimsProviders><ClaimsProvider><TechnicalProfiles><TechnicalProfile Id="tp"><Extensions><Anything/></Extensions></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>`,
    'B2C_1A_Base',
  ).replace('<TenantId>yourtenant.onmicrosoft.com</TenantId>', '<TenantId>your tenant</TenantId>');
  const doc = parseXml(text);
  const findings = (schema: CompiledSchema) => validateDocument(schema, doc, { throwInternalErrors: true });
  const expected = findings(compileSchema(officialXsd));
  assert.deepEqual(
    expected.map((f) => f.code),
    ['schema-invalid-value', 'schema-unexpected-element', 'schema-invalid-value', 'schema-duplicate-key', 'schema-unknown-attribute', 'schema-invalid-value'],
  );
  assert.deepEqual(
    expected.map((f) => text.slice(f.span.start, f.span.end)),
    ['your tenant', 'Foo', 'String', 'email', 'Ids', 'ftp://nope'],
  );
  assert.deepEqual(findings(loadBundledSchema('official')), expected);
});

test('data of another format or shape is refused with SerializedSchemaError, never half-loaded', () => {
  const good = serializeSchema(loadBundledSchema('official'));
  assert.throws(() => deserializeSchema({ ...good, format: good.format + 1 }), SerializedSchemaError);
  assert.throws(() => deserializeSchema(null), SerializedSchemaError);
  assert.throws(() => deserializeSchema({ ...good, globalElements: [['TrustFrameworkPolicy', 99999]] }), SerializedSchemaError);
  assert.throws(() => deserializeSchema({ ...good, complexTypes: 7 }), SerializedSchemaError);
});

test('loading a bundled schema never loads xmldom, XPath or the XSD compiler', () => {
  const index = path.join(PROJECT_DIR, 'server', 'out', 'service', 'schema', 'index.js');
  const script = `
    const schema = require(${JSON.stringify(index)});
    const s = schema.loadBundledSchema('current');
    if (!s.rootDecl('TrustFrameworkPolicy')) throw new Error('no root');
    const loaded = Object.keys(require.cache).filter((f) => /xmldom|xpath|[\\\\/]compiler\\.js$/.test(f));
    process.stdout.write(JSON.stringify(loaded));`;
  assert.deepEqual(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })), []);
});

test('the schema setting: current (default), official, or a path; the CLI cache folder follows XDG', () => {
  assert.equal(parseSchemaChoice(undefined), 'current');
  assert.equal(parseSchemaChoice(' '), 'current');
  assert.equal(parseSchemaChoice('current'), 'current');
  assert.equal(parseSchemaChoice('official'), 'official');
  assert.deepEqual(parseSchemaChoice('./current'), { path: './current' });
  assert.deepEqual(parseSchemaChoice('C:\\schemas\\TrustFrameworkPolicy_0.3.0.0.xsd'), { path: 'C:\\schemas\\TrustFrameworkPolicy_0.3.0.0.xsd' });
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }), path.join('/var/cache/me', 'b2c-policy'));
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }), path.join(os.homedir(), '.cache', 'b2c-policy'));
  assert.equal(defaultCacheDir({}), path.join(os.homedir(), '.cache', 'b2c-policy'));
  const cache = new SchemaCache();
  assert.equal(cache.load(), cache.load('current'), 'bundled schemas are loaded once per cache');
  assert.notEqual(cache.load('official'), cache.load('current'));
});

/** A user's XSD with Microsoft's anchored pattern style. */
function userXsd(documentation: string): string {
  return `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:element name="Root"><xs:annotation><xs:documentation>${documentation}</xs:documentation></xs:annotation>
    <xs:complexType><xs:attribute name="Id" use="required"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="^[a-z]+$"/></xs:restriction></xs:simpleType></xs:attribute></xs:complexType>
  </xs:element>
</xs:schema>`;
}

test('a user XSD is compiled once and cached on disk by content hash; a damaged cache file is replaced', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-schema-cache-'));
  try {
    const xsdFile = path.join(dir, 'my.xsd');
    const cacheDir = path.join(dir, 'cache', 'b2c-policy');
    fs.writeFileSync(xsdFile, userXsd('Original text.'));
    const first = new SchemaCache({ cacheDir }).load({ path: xsdFile });
    assert.equal(first.rootDecl('Root')!.documentation, 'Original text.');
    assert.equal(first.attribute(first.rootDecl('Root')!, 'Id')!.type.patterns[0][0].test('abc'), true, '^...$ read as anchors');
    const cached = fs.readdirSync(cacheDir);
    assert.equal(cached.length, 1);
    assert.match(cached[0], /^schema-[0-9a-f]{32}\.json$/);

    // A new process (a new cache object) reads the compiled form from disk instead of compiling again:
    // edit the cached documentation and see it come back.
    const cacheFile = path.join(cacheDir, cached[0]);
    fs.writeFileSync(cacheFile, fs.readFileSync(cacheFile, 'utf8').replace('Original text.', 'From the cache.'));
    assert.equal(new SchemaCache({ cacheDir }).load({ path: xsdFile }).rootDecl('Root')!.documentation, 'From the cache.');

    // A damaged cache file: compiled again, told to the log, and rewritten.
    fs.writeFileSync(cacheFile, '{"format":');
    const messages: string[] = [];
    const again = new SchemaCache({ cacheDir, log: (m) => messages.push(m) }).load({ path: xsdFile });
    assert.equal(again.rootDecl('Root')!.documentation, 'Original text.');
    assert.equal(messages.length, 1);
    assert.match(messages[0], /ignoring the unreadable schema cache file/);
    assert.doesNotThrow(() => deserializeSchema(JSON.parse(fs.readFileSync(cacheFile, 'utf8'))));

    // Other content, other key; the same cache object keeps both in memory.
    const cache = new SchemaCache({ cacheDir });
    const a = cache.load({ path: xsdFile });
    fs.writeFileSync(xsdFile, userXsd('Changed text.'));
    const b = cache.load({ path: xsdFile });
    assert.equal(b.rootDecl('Root')!.documentation, 'Changed text.');
    assert.notEqual(a, b);
    assert.equal(fs.readdirSync(cacheDir).length, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without a cache folder nothing is written; an unwritable one is reported and the schema still loads', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-schema-nocache-'));
  try {
    const xsdFile = path.join(dir, 'my.xsd');
    fs.writeFileSync(xsdFile, userXsd('Text.'));
    assert.equal(new SchemaCache().load({ path: xsdFile }).rootDecl('Root')!.documentation, 'Text.');
    assert.deepEqual(fs.readdirSync(dir), ['my.xsd']);
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, '');
    const messages: string[] = [];
    const schema = new SchemaCache({ cacheDir: path.join(blocker, 'cache'), log: (m) => messages.push(m) }).load({ path: xsdFile });
    assert.equal(schema.rootDecl('Root')!.documentation, 'Text.');
    assert.equal(messages.length, 1);
    assert.match(messages[0], /could not write the schema cache file/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

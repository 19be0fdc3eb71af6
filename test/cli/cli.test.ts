import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CORPUS_DIR, needsCorpus, PROJECT_DIR } from '../helpers/corpus';
import { contosoPolicy as policy, SELF_ASSERTED_CONTENT_DEFINITIONS } from '../helpers/policies';
import { diskWorkspace } from '../helpers/workspace';

const CLI = path.join(PROJECT_DIR, 'dist', 'cli.js');

/** Compiled user schemas are cached below XDG_CACHE_HOME: a folder of this run, not the user's cache. */
const CACHE_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-cli-cache-'));

function run(args: string[], cwd = PROJECT_DIR) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: CACHE_HOME } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}


const workspace = (files: Record<string, string | Uint8Array>): string => diskWorkspace(files, 'b2c-cli-');

const BASE = policy(
  'B2C_1A_Base',
  `  <BuildingBlocks>
${SELF_ASSERTED_CONTENT_DEFINITIONS}
  </BuildingBlocks>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="TP-One">
          <DisplayName>One</DisplayName>
          <Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.SelfAssertedAttributeProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" />
          <Metadata>
            <Item Key="ContentDefinitionReferenceId">api.selfasserted</Item>
          </Metadata>
          <CryptographicKeys>
            <Key Id="issuer_secret" StorageReferenceId="TokenSigningKeyContainer" />
          </CryptographicKeys>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>`,
);
const CLEAN = policy('B2C_1A_Clean', '  <BuildingBlocks />');

test('exit 0 and a summary line for a clean folder; non-policy XML is ignored', () => {
  const dir = workspace({ 'a/Clean.xml': CLEAN, 'a/other.xml': '<project><x/></project>' });
  const r = run(['check', dir]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^1 policy file checked: 0 errors, 0 warnings/m);
});

test('exit 1 on an error, text format with path:line:column', () => {
  const dir = workspace({ 'Base.xml': BASE });
  const r = run(['check', 'Base.xml'], dir);
  assert.equal(r.code, 1);
  const line = BASE.split('\n').findIndex((l) => l.includes('TokenSigningKeyContainer')) + 1;
  const column = BASE.split('\n')[line - 1].indexOf('TokenSigningKeyContainer') + 1;
  assert.ok(r.stdout.includes(`Base.xml:${line}:${column}: error policy-key-prefix: Policy key 'TokenSigningKeyContainer' lacks`), r.stdout);
});

test('--policy-keys flags keys the tenant does not have', () => {
  const text = BASE.replace('TokenSigningKeyContainer', 'B2C_1A_TokenSigningKeyContainer');
  const dir = workspace({ 'Base.xml': text });
  assert.equal(run(['check', dir]).code, 0);
  const r = run(['check', dir, '--format', 'json', '--policy-keys', 'B2C_1A_Other,B2C_1A_More']);
  assert.equal(r.code, 1, 'a key the tenant lacks fails the upload (service message #12)');
  const json = JSON.parse(r.stdout);
  assert.deepEqual(json.files[0].diagnostics.map((d: { code: string; severity: string }) => [d.code, d.severity]), [['unknown-policy-key', 'error']]);
  assert.equal(run(['check', dir, '--policy-keys', 'b2c_1a_tokensigningkeycontainer']).code, 0, 'key names compare case-insensitively');
});

test('--format json follows the contract shape with 0-based ranges', () => {
  const dir = workspace({ 'x/Base.xml': BASE });
  const r = run(['check', 'x', '--format=json'], dir);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(json), ['files']);
  assert.equal(json.files[0].path, path.join('x', 'Base.xml'));
  const d = json.files[0].diagnostics[0];
  assert.deepEqual(Object.keys(d), ['code', 'severity', 'message', 'range']);
  const lines = BASE.split('\n');
  const line = lines.findIndex((l) => l.includes('TokenSigningKeyContainer'));
  const character = lines[line].indexOf('TokenSigningKeyContainer');
  assert.deepEqual(d.range, { start: { line, character }, end: { line, character: character + 'TokenSigningKeyContainer'.length } });
  assert.equal(d.code, 'policy-key-prefix');
  assert.equal(d.severity, 'error');
});

test('--format sarif has runs, results with ruleId, level and locations', () => {
  const dir = workspace({ 'Base.xml': BASE, 'RP.xml': policy('B2C_1A_RP', '  <RelyingParty>\n    <DefaultUserJourney ReferenceId="Nope" />\n  </RelyingParty>', 'B2C_1A_Base') });
  const r = run(['check', dir, '--format', 'sarif']);
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs.length, 1);
  assert.equal(sarif.runs[0].tool.driver.name, 'b2c-policy');
  const results = sarif.runs[0].results;
  const ruleIds = results.map((x: { ruleId: string }) => x.ruleId).sort();
  assert.ok(ruleIds.includes('policy-key-prefix') && ruleIds.includes('unresolved-reference'), ruleIds.join());
  for (const result of results) {
    assert.ok(['error', 'warning', 'note'].includes(result.level));
    assert.ok(result.message.text.length > 0);
    const loc = result.locations[0].physicalLocation;
    assert.match(loc.artifactLocation.uri, /\.xml$/);
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
  }
  const rules = sarif.runs[0].tool.driver.rules.map((x: { id: string }) => x.id);
  for (const id of ruleIds) assert.ok(rules.includes(id));
});

test('exit 2 with a one-line message on usage and I/O errors', () => {
  for (const args of [['check', '/nonexistent/folder'], ['check', '--format', 'xml'], ['frobnicate'], ['check', '--bogus'], ['check', '--schema', '/nonexistent.xsd', '.']]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^b2c-policy: /);
  }
});

test('a DOCTYPE is reported, never processed', () => {
  const text = BASE.replace('<TrustFrameworkPolicy', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<TrustFrameworkPolicy');
  const dir = workspace({ 'Base.xml': text });
  const r = run(['check', dir, '--format', 'json']);
  assert.equal(r.code, 1);
  assert.ok(JSON.parse(r.stdout).files[0].diagnostics.some((d: { code: string }) => d.code === 'doctype-not-allowed'));
  assert.ok(!r.stdout.includes('root:'), 'nothing from /etc/passwd');
});

test('the whole starter-pack corpus: chains resolve across folders; only the two add-on scenarios fail', { skip: needsCorpus }, () => {
  const r = run(['check', CORPUS_DIR, '--format', 'json']);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.stdout);
  assert.equal(json.files.length, 57);
  const errors = json.files.flatMap((f: { path: string; diagnostics: Array<{ severity: string; code: string }> }) =>
    f.diagnostics.filter((d) => d.severity === 'error').map((d) => `${path.basename(path.dirname(f.path))}:${d.code}`),
  );
  assert.deepEqual(errors.sort(), ['scenario-linkedin-identity-provider:unresolved-base-policy', 'scenario-password-change:unresolved-base-policy']);
  const pack = run(['check', path.join(CORPUS_DIR, 'SocialAndLocalAccounts')]);
  assert.equal(pack.code, 0, pack.stdout);
});

test('check --fix rewrites only the fixed spans (tenant case, key prefix, id case) and keeps the BOM and CRLF', () => {
  const original =
    '\ufeff' +
    policy(
      'B2C_1A_Base',
      `  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="email">
        <DisplayName>Email</DisplayName>
        <DataType>string</DataType>
      </ClaimType>
    </ClaimsSchema>
  </BuildingBlocks>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="TP">
          <DisplayName>TP</DisplayName>
          <Protocol Name="OAuth2" />
          <Metadata>
            <Item Key="client_id">0000-1111</Item>
            <Item Key="authorization_endpoint">https://MyTenant.b2clogin.com/x</Item>
            <Item Key="AccessTokenEndpoint">https://login.example.com/token</Item>
            <Item Key="ClaimsEndpoint">https://login.example.com/me</Item>
          </Metadata>
          <CryptographicKeys>
            <Key Id="client_secret" StorageReferenceId="AmazonSecret" />
          </CryptographicKeys>
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="Email" />
            <OutputClaim ClaimTypeReferenceId="nothing" />
          </OutputClaims>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>`,
    ).replace(/\n/g, '\r\n');
  const dir = workspace({ 'Base.xml': original });
  const r = run(['check', dir, '--fix', '--format', 'json']);
  assert.equal(r.code, 1, 'the unfixable unresolved reference remains');
  const fixed = fs.readFileSync(path.join(dir, 'Base.xml'), 'utf8');
  const expected = original
    .replace('https://MyTenant.b2clogin', 'https://mytenant.b2clogin')
    .replace('"AmazonSecret"', '"B2C_1A_AmazonSecret"')
    .replace('ClaimTypeReferenceId="Email"', 'ClaimTypeReferenceId="email"');
  assert.equal(fixed, expected);
  const remaining = JSON.parse(r.stdout).files[0].diagnostics.map((d: { code: string }) => d.code);
  assert.deepEqual(remaining, ['unresolved-reference']);
});

test('--schema with Microsoft\'s own (unrepaired) XSD gives the same results as the bundled schema', { skip: needsCorpus }, () => {
  const official = path.join(CORPUS_DIR, '..', '..', 'reference', 'TrustFrameworkPolicy_0.3.0.0.xsd');
  const mutated = fs.readFileSync(path.join(CORPUS_DIR, 'SocialAndLocalAccounts', 'TrustFrameworkExtensions.xml'), 'utf8')
    .replace('<DisplayName>Local Account SignIn</DisplayName>', '<DisplayName>Local Account SignIn</DisplayName><Bogus/>');
  const rp = fs.readFileSync(path.join(CORPUS_DIR, 'SocialAndLocalAccounts', 'SignUpOrSignin.xml'), 'utf8').replace('<Protocol Name="OpenIdConnect" />', '<Protocol Name="OpenIdConnectt" />');
  const dir = workspace({ 'TrustFrameworkExtensions.xml': mutated, 'SignUpOrSignin.xml': rp });
  for (const f of ['TrustFrameworkBase.xml', 'TrustFrameworkLocalization.xml']) fs.copyFileSync(path.join(CORPUS_DIR, 'SocialAndLocalAccounts', f), path.join(dir, f));
  const ours = run(['check', dir, '--format', 'json']);
  const theirs = run(['check', dir, '--format', 'json', '--schema', official]);
  assert.equal(theirs.code, ours.code, theirs.stderr);
  assert.deepEqual(JSON.parse(theirs.stdout), JSON.parse(ours.stdout));
  const codes = JSON.parse(ours.stdout).files.flatMap((f: { diagnostics: Array<{ code: string }> }) => f.diagnostics.map((d) => d.code));
  assert.ok(codes.includes('schema-unexpected-element') && codes.includes('schema-invalid-value'), codes.join());
});

test('add-claims-provider amazon on a copy of SocialAndLocalAccounts: the relying party changes only in its journey, the result checks clean, twice does not duplicate', { skip: needsCorpus }, () => {
  const source = path.join(CORPUS_DIR, 'SocialAndLocalAccounts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-add-'));
  for (const f of fs.readdirSync(source)) fs.copyFileSync(path.join(source, f), path.join(dir, f));
  const ext = path.join(dir, 'TrustFrameworkExtensions.xml');
  const rp = path.join(dir, 'SignUpOrSignin.xml');
  const rpBefore = fs.readFileSync(rp, 'utf8');
  const extBefore = fs.readFileSync(ext, 'utf8');
  const args = ['add-claims-provider', 'amazon', '--client-id', 'amzn1.application-oa2-client.123', '--policy-key', 'AmazonSecret', '--new-journey', 'CustomSignUpSignIn', '--relying-party', rp, ext];
  const r = run(args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Allowed Return URLs https:\/\/yourtenant\.b2clogin\.com\/yourtenant\.onmicrosoft\.com\/oauth2\/authresp/);
  assert.match(r.stdout, /B2C_1A_AmazonSecret/);
  assert.equal(fs.readFileSync(rp, 'utf8'), rpBefore.replace('<DefaultUserJourney ReferenceId="SignUpOrSignIn" />', '<DefaultUserJourney ReferenceId="CustomSignUpSignIn" />'));
  const extAfter = fs.readFileSync(ext, 'utf8');
  assert.equal(extAfter.charCodeAt(0), 0xfeff, 'the byte-order mark is kept');
  // Only insertions: every line of the original is still there, in order.
  const afterLines = extAfter.split('\n');
  let k = 0;
  for (const line of extBefore.split('\n')) {
    while (k < afterLines.length && afterLines[k] !== line) k++;
    assert.ok(k < afterLines.length, `original line kept: ${line}`);
    k++;
  }
  for (const expected of ['<TechnicalProfile Id="Amazon-OAuth2">', 'StorageReferenceId="B2C_1A_AmazonSecret"', '<ClaimsProviderSelection TargetClaimsExchangeId="AmazonExchange" />', '<ClaimsExchange Id="AmazonExchange" TechnicalProfileReferenceId="Amazon-OAuth2" />', '<UserJourney Id="CustomSignUpSignIn">']) {
    assert.equal(extAfter.split(expected).length - 1, 1, expected);
  }
  assert.ok(!/client_secret">[^<]/.test(extAfter), 'no secret written');
  const check = run(['check', dir, '--format', 'json']);
  assert.equal(check.code, 0, check.stdout);
  const again = run(args);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /^Updated/);
  assert.equal(fs.readFileSync(ext, 'utf8'), extAfter, 'running twice with the same answers changes nothing');
});

test('add-claims-provider: usage errors exit 2', () => {
  for (const args of [['add-claims-provider'], ['add-claims-provider', 'amazon', 'x.xml'], ['add-claims-provider', 'google', '--client-id', 'x', 'x.xml']]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^b2c-policy: /);
  }
});

test('b2c-policy build and check --env through the real CLI: the Dev output equals the hand-made expected folder byte for byte', () => {
  const fixture = path.join(PROJECT_DIR, 'test', 'fixtures', 'environments');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-cli-build-'));
  const r = run(['build', '--root', path.join(fixture, 'policies'), '--out', out, '--env', 'Dev']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const expected = path.join(fixture, 'expected', 'Dev');
  const names = fs.readdirSync(expected).sort();
  assert.deepEqual(fs.readdirSync(path.join(out, 'Dev')).sort(), names);
  for (const name of names) assert.equal(fs.readFileSync(path.join(out, 'Dev', name)).toString('hex'), fs.readFileSync(path.join(expected, name)).toString('hex'), name);
  const checked = run(['check', '--env', 'Dev', '--format', 'json', path.join(fixture, 'policies')]);
  assert.ok(checked.code === 0 || checked.code === 1, checked.stderr);
  const json = JSON.parse(checked.stdout);
  assert.deepEqual(json.files.map((f: { path: string }) => path.basename(f.path)).sort(), names);
  const usage = run(['check', '--env', 'Dev', '--fix', path.join(fixture, 'policies')]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--fix and --env cannot be combined/);
});

test("--schema current (default) and official on Microsoft's CAPTCHA how-to; an XSD file with a byte-order mark; compiled XSDs cached on disk", () => {
  const howTo = path.join(PROJECT_DIR, 'test', 'fixtures', 'schema-captcha-howto.xml');
  const schemaCodes = (args: string[]) => {
    const r = run(['check', howTo, '--format', 'json', ...args]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    return JSON.parse(r.stdout).files[0].diagnostics.map((d: { code: string }) => d.code).filter((c: string) => c.startsWith('schema-'));
  };
  assert.deepEqual(schemaCodes([]), []);
  assert.deepEqual(schemaCodes(['--schema', 'current']), []);
  assert.deepEqual(schemaCodes(['--schema', 'official']), ['schema-invalid-value', 'schema-unknown-attribute']);
  const xsd = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-xsd-')), 'withBom.xsd');
  fs.writeFileSync(xsd, '\ufeff' + fs.readFileSync(path.join(PROJECT_DIR, 'schemas', 'TrustFrameworkPolicy_0.3.0.0.xsd'), 'utf8'));
  assert.deepEqual(schemaCodes(['--schema', xsd]), ['schema-invalid-value', 'schema-unknown-attribute']);
  assert.ok(fs.readdirSync(path.join(CACHE_HOME, 'b2c-policy')).some((f) => /^schema-[0-9a-f]+\.json$/.test(f)), 'the compiled XSD is cached');
});

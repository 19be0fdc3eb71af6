import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CORPUS_DIR, needsCorpus, PROJECT_DIR } from '../helpers/corpus';

const CLI = path.join(PROJECT_DIR, 'dist', 'cli.js');
const NS = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';

function run(args: string[], cwd = PROJECT_DIR) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function policy(id: string, body: string, base?: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<TrustFrameworkPolicy xmlns="${NS}" PolicySchemaVersion="0.3.0.0" TenantId="yourtenant.onmicrosoft.com" PolicyId="${id}" PublicPolicyUri="http://yourtenant.onmicrosoft.com/${id}">
${base ? `  <BasePolicy>\n    <TenantId>yourtenant.onmicrosoft.com</TenantId>\n    <PolicyId>${base}</PolicyId>\n  </BasePolicy>\n` : ''}${body}
</TrustFrameworkPolicy>
`;
}

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const BASE = policy(
  'B2C_1A_Base',
  `  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="TP-One">
          <DisplayName>One</DisplayName>
          <Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.SelfAssertedAttributeProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" />
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
  assert.equal(r.code, 0, 'a warning does not fail the run');
  const json = JSON.parse(r.stdout);
  assert.deepEqual(json.files[0].diagnostics.map((d: { code: string; severity: string }) => [d.code, d.severity]), [['unknown-policy-key', 'warning']]);
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
            <Item Key="authorization_endpoint">https://MyTenant.b2clogin.com/x</Item>
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

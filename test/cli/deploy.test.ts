/**
 * The deploy commands as a user runs them, in a child process, against the local fake Graph and authority
 * (test/helpers/fakeGraph.ts) reached through the product's endpoint overrides (--graph-endpoint,
 * --authority-host); the real @azure/identity credentials sign in. The fake serves https with a certificate
 * made at test time, trusted through NODE_EXTRA_CA_CERTS (Node's documented way to add a CA).
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CORPUS_DIR, needsCorpus, PROJECT_DIR } from '../helpers/corpus';
import { selfSignedCertificate, startFakeGraph, type FakeGraph } from '../helpers/fakeGraph';

/** The deploy commands' module; `b2c-policy` dispatches to runDeployCommand once wired (see the report). */
/** The real CLI bundle (dist/cli.js), as users run it. */
const CLI = path.join(PROJECT_DIR, 'dist', 'cli.js');

const TENANT = 'fake.onmicrosoft.com';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const SECRET = 'fake-client-secret-Q9x~7v';
const GITHUB_REQUEST_TOKEN = 'fake-github-request-token-3k2j1';
const PIPELINES_TOKEN = 'fake-pipelines-system-token-8h7g';
const CERT_CLIENT = '99999999-2222-3333-4444-555555555555';

let fake: FakeGraph;
let tmp: string;
let caFile: string;
const clientCertificate = selfSignedCertificate('127.0.0.1', true);

before(async () => {
  if (needsCorpus) return;
  fake = await startFakeGraph({
    tenant: TENANT,
    tls: true,
    clients: [
      { clientId: CLIENT_ID, secret: SECRET },
      { clientId: CERT_CLIENT, certificatePem: clientCertificate.certPem },
    ],
    keySets: ['B2C_1A_TokenSigningKeyContainer', 'B2C_1A_TokenEncryptionKeyContainer'],
    checkPolicyKeys: true,
    putDelayMs: () => 5 + Math.floor(Math.random() * 20),
    githubRequestToken: GITHUB_REQUEST_TOKEN,
    pipelinesAccessToken: PIPELINES_TOKEN,
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-deploy-'));
  caFile = path.join(tmp, 'fake-graph-ca.pem');
  fs.writeFileSync(caFile, fake.caPem!);
});

after(async () => {
  await fake?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A copy of a starter pack with the placeholder tenant replaced (or not). */
function pack(name: string, replaceTenant = true): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'ws-'));
  fs.mkdirSync(path.join(dir, 'policies'));
  for (const f of fs.readdirSync(path.join(CORPUS_DIR, name))) {
    const text = fs.readFileSync(path.join(CORPUS_DIR, name, f), 'utf8');
    fs.writeFileSync(path.join(dir, 'policies', f), replaceTenant ? text.replace(/yourtenant/g, 'fake') : text);
  }
  return dir;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const SECRET_ENV = { AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_SECRET: SECRET };

function run(command: string, args: string[], cwd: string, env: Record<string, string> = SECRET_ENV, target = ['--tenant', TENANT, '--graph-endpoint', fake.url, '--authority-host', fake.url]): Promise<Run> {
  return new Promise((resolve) => {
    // Async: the fake answers from this process.
    const child = spawn(process.execPath, [CLI, command, ...args, ...target], { cwd, env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: caFile, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      assertNoSecret(stdout + stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Nothing printed holds a token, an assertion or a secret. */
function assertNoSecret(output: string): void {
  for (const secret of [SECRET, GITHUB_REQUEST_TOKEN, PIPELINES_TOKEN, clientCertificate.keyPem.split('\n')[1], ...fake.state.issuedSecrets()]) {
    assert.ok(!output.includes(secret), `output holds a secret (${secret.slice(0, 8)}...)`);
  }
  assert.ok(!output.includes('[object Object]'), output);
}

const mark = () => fake.state.requests.length;
const since = (m: number) => fake.state.requests.slice(m);
const lineOf = (file: string, needle: string) => fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
const columnOf = (file: string, needle: string, value = needle) => {
  const line = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '').split('\n')[lineOf(file, needle) - 1];
  return line.indexOf(needle) + needle.indexOf(value) + 1;
};

test('deploy of a starter pack: dry run sends nothing; then every base first, 201, then 200, then --changed uploads nothing', { skip: needsCorpus }, async () => {
  fake.state.policies.clear();
  const ws = pack('LocalAccounts');
  let m = mark();
  const dry = await run('deploy', ['--dir', 'policies', '--dry-run'], ws);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^Plan \(dry run, nothing is sent\): 6 policies in 4 levels to fake\.onmicrosoft\.com/m);
  assert.match(dry.stdout, /level 4: B2C_1A_PasswordReset \(policies\/PasswordReset\.xml\), B2C_1A_ProfileEdit \(policies\/ProfileEdit\.xml\), B2C_1A_signup_signin/);
  assert.deepEqual(since(m), [], 'a dry run neither signs in nor calls Graph');

  m = mark();
  const first = await run('deploy', ['--dir', 'policies'], ws);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /Signing in to fake\.onmicrosoft\.com .* with secret \(AZURE_CLIENT_SECRET is set\)/);
  assert.match(first.stdout, /Deployed 6 of 6 policies: 6 created, 0 updated, 0 failed, 0 skipped\./);
  const puts = since(m).filter((r) => r.method === 'PUT');
  assert.deepEqual(puts.map((p) => p.status), [201, 201, 201, 201, 201, 201]);
  assert.ok(puts.every((p) => p.contentType === 'application/xml' && p.auth === 'valid'));
  // The server refuses a child before its base; also check the order it saw.
  const ended = (id: string) => puts.find((p) => p.policyId === id)!.endedAt;
  const started = (id: string) => puts.find((p) => p.policyId === id)!.startedAt;
  assert.ok(started('B2C_1A_TrustFrameworkLocalization') > ended('B2C_1A_TrustFrameworkBase'));
  assert.ok(started('B2C_1A_TrustFrameworkExtensions') > ended('B2C_1A_TrustFrameworkLocalization'));
  for (const rp of ['B2C_1A_signup_signin', 'B2C_1A_ProfileEdit', 'B2C_1A_PasswordReset']) assert.ok(started(rp) > ended('B2C_1A_TrustFrameworkExtensions'));
  // The body is the file without its byte-order mark.
  assert.equal(fake.state.policies.get('B2C_1A_TRUSTFRAMEWORKBASE')!.xml, fs.readFileSync(path.join(ws, 'policies', 'TrustFrameworkBase.xml'), 'utf8').replace(/^\ufeff/, ''));
  assert.ok(fs.readFileSync(path.join(ws, '.b2c-policy', '.gitignore'), 'utf8').includes('\n*\n'));

  m = mark();
  const second = await run('deploy', ['--dir', 'policies', '--format', 'json'], ws);
  assert.equal(second.code, 0, second.stderr);
  const json = JSON.parse(second.stdout) as { files: Array<{ path: string; status: string; diagnostics: unknown[] }> };
  assert.deepEqual(json.files.map((f) => f.status), ['updated', 'updated', 'updated', 'updated', 'updated', 'updated']);
  assert.deepEqual(since(m).filter((r) => r.method === 'PUT').map((p) => p.status), [200, 200, 200, 200, 200, 200]);

  m = mark();
  const changed = await run('deploy', ['--dir', 'policies', '--changed'], ws);
  assert.equal(changed.code, 0, changed.stderr);
  assert.match(changed.stdout, /nothing to upload/);
  assert.deepEqual(since(m), [], 'nothing changed: no sign-in, no upload');

  // A folder with one relying party: its base is not a file here (check alone would call that an error) but
  // it is in the tenant, which the deploy looks up before uploading.
  fs.mkdirSync(path.join(ws, 'rp'));
  fs.copyFileSync(path.join(ws, 'policies', 'SignUpOrSignin.xml'), path.join(ws, 'rp', 'SignUpOrSignin.xml'));
  m = mark();
  const alone = await run('deploy', ['--dir', 'rp'], ws);
  assert.equal(alone.code, 0, alone.stdout + alone.stderr);
  assert.match(alone.stdout, /assumed in the tenant \(not among the files\): B2C_1A_TrustFrameworkExtensions, base of rp\/SignUpOrSignin\.xml/);
  assert.deepEqual(since(m).filter((r) => r.path.startsWith('/beta')).map((r) => `${r.method} ${r.status}`), ['GET 200', 'PUT 200']);
});

test('an injected validation error lands on the right file and line; siblings still go up; exit 1', { skip: needsCorpus }, async () => {
  fake.state.policies.clear();
  const ws = pack('LocalAccounts');
  const rp = path.join(ws, 'policies', 'SignUpOrSignin.xml');
  const line = lineOf(rp, '<RelyingParty>');
  const column = columnOf(rp, '<RelyingParty>', 'RelyingParty');
  const claimLine = lineOf(rp, 'ClaimTypeReferenceId="objectId"');
  fake.state.failValidation('B2C_1A_signup_signin', [
    `Schema validation error found at line ${line} col ${column} in policy "B2C_1A_SIGNUP_SIGNIN" of tenant "${TENANT}": The element 'RelyingParty' in namespace 'http://schemas.microsoft.com/online/cpim/schemas/2013/06' has invalid child element 'Colour'.`,
    `Policy "B2C_1A_SIGNUP_SIGNIN" of tenant "${TENANT}" makes a reference to ClaimType with id "objectId" but neither the policy nor any of its base policies contain such an element.`,
  ]);
  try {
    const r = await run('deploy', ['--dir', 'policies'], ws);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.ok(r.stdout.includes(`policies/SignUpOrSignin.xml:${line}:${column}: error deploy-rejected: Schema validation error found at line ${line} col ${column}`), r.stdout);
    assert.ok(r.stdout.includes(`policies/SignUpOrSignin.xml:${claimLine}:${columnOf(rp, 'ClaimTypeReferenceId="objectId"', 'objectId')}: error deploy-rejected: Policy "B2C_1A_SIGNUP_SIGNIN" of tenant`), r.stdout);
    assert.match(r.stdout, /failed {3}B2C_1A_signup_signin/);
    assert.match(r.stdout, /Deployed 5 of 6 policies: 5 created, 0 updated, 1 failed, 0 skipped\./);
  } finally {
    fake.state.failValidation('B2C_1A_signup_signin', []);
  }
});

test('429 with Retry-After and a token that stops working mid-run are both survived', { skip: needsCorpus }, async () => {
  fake.state.policies.clear();
  const ws = pack('LocalAccounts');
  fake.state.throttle(1, '1');
  fake.state.tokenMaxUses = 4;
  const m = mark();
  try {
    const r = await run('deploy', ['--dir', 'policies', '--concurrency', '1'], ws);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /retrying PUT \/trustFramework\/policies\/B2C_1A_TrustFrameworkBase\/\$value in 1\.0 s \(HTTP 429, Retry-After\)/);
    assert.match(r.stdout, /token rejected \(401\), signing in again/);
    const requests = since(m);
    assert.deepEqual(requests.filter((q) => q.path.endsWith('/oauth2/v2.0/token')).length, 2, 'signed in again after the 401');
    assert.deepEqual(requests.filter((q) => q.method === 'PUT').map((q) => q.status), [429, 201, 201, 201, 401, 201, 201, 201]);
  } finally {
    fake.state.tokenMaxUses = undefined;
  }
});

test('refusals before anything is sent: the placeholder tenant, errors in the policies (unless --force)', { skip: needsCorpus }, async () => {
  const raw = pack('SocialAccounts', false);
  let m = mark();
  const r = await run('deploy', ['--dir', 'policies'], raw);
  assert.equal(r.code, 1);
  const base = path.join(raw, 'policies', 'TrustFrameworkBase.xml');
  assert.ok(r.stdout.includes(`policies/TrustFrameworkBase.xml:${lineOf(base, 'TenantId="yourtenant')}:${columnOf(base, 'TenantId="yourtenant.onmicrosoft.com"', 'yourtenant.onmicrosoft.com')}: error deploy-tenant-mismatch: TenantId 'yourtenant.onmicrosoft.com' is not the target tenant 'fake.onmicrosoft.com'`), r.stdout);
  assert.match(r.stderr, /Refusing to deploy: \d+ problem\(s\) in 5 file\(s\); nothing was uploaded\./);
  const sarif = await run('deploy', ['--dir', 'policies', '--format', 'sarif'], raw);
  assert.equal(sarif.code, 1);
  const results = JSON.parse(sarif.stdout).runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
  assert.ok(results.length > 5 && results.every((x) => x.ruleId === 'deploy-tenant-mismatch'));
  assert.deepEqual(results.filter((x) => x.locations[0].physicalLocation.artifactLocation.uri === 'policies/TrustFrameworkBase.xml').map((x) => x.locations[0].physicalLocation.region.startLine), [lineOf(base, 'TenantId="yourtenant')]);
  assert.deepEqual(since(m), []);

  const broken = pack('SocialAccounts');
  const ext = path.join(broken, 'policies', 'TrustFrameworkExtensions.xml');
  fs.writeFileSync(ext, fs.readFileSync(ext, 'utf8').replace('</ClaimsProviders>', '<ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles><TechnicalProfile Id="Broken"><InputClaims><InputClaim ClaimTypeReferenceId="noSuchClaim" /></InputClaims></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>'));
  m = mark();
  const refused = await run('deploy', ['--dir', 'policies'], broken);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /policies\/TrustFrameworkExtensions\.xml:\d+:\d+: error unresolved-reference: .*noSuchClaim/);
  assert.match(refused.stderr, /Refusing to deploy: \d+ errors? in the policies \(fix them, or pass --force to upload anyway\)\./);
  assert.deepEqual(since(m), []);
  const forced = await run('deploy', ['--dir', 'policies', '--force', '--dry-run'], broken);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stderr, /Deploying despite \d+ errors? \(--force\)\./);
});

test('workload identity federation: GitHub Actions, Azure Pipelines, a token file; a client certificate', { skip: needsCorpus }, async () => {
  const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
  const m = mark();
  const github = await run('list', [], ws, { AZURE_CLIENT_ID: CLIENT_ID, ACTIONS_ID_TOKEN_REQUEST_URL: `${fake.url}/_github/oidc?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: GITHUB_REQUEST_TOKEN });
  assert.equal(github.code, 0, github.stderr);
  assert.match(github.stderr, /with github-oidc \(running in GitHub Actions with id-token permission\)/);
  // GitHub's token, exchanged at the authority, then Graph (@azure/identity may ask GitHub more than once).
  const calls = [...new Set(since(m).map((q) => `${q.method} ${q.path} ${q.status}`).filter((s) => !s.includes('openid-configuration')))];
  assert.deepEqual(calls, ['GET /_github/oidc 200', `POST /${TENANT}/oauth2/v2.0/token 200`, 'GET /beta/trustFramework/policies 200']);
  const pipelines = await run('keys', ['--format', 'json'], ws, {
    AZURE_CLIENT_ID: CLIENT_ID,
    AZURE_SERVICE_CONNECTION_ID: 'svc-1',
    SYSTEM_OIDCREQUESTURI: `${fake.url}/_pipelines/oidc`,
    SYSTEM_ACCESSTOKEN: PIPELINES_TOKEN,
  });
  assert.equal(pipelines.code, 0, pipelines.stderr);
  assert.match(pipelines.stderr, /with azure-pipelines/);
  assert.deepEqual(JSON.parse(pipelines.stdout), { keys: ['B2C_1A_TokenEncryptionKeyContainer', 'B2C_1A_TokenSigningKeyContainer'] });
  const tokenFile = path.join(tmp, 'federated-token');
  fs.writeFileSync(tokenFile, fake.state.issueAssertion());
  const workload = await run('list', ['--auth', 'workload-identity'], ws, { AZURE_CLIENT_ID: CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE: tokenFile });
  assert.equal(workload.code, 0, workload.stderr);
  assert.match(workload.stderr, /with workload-identity \(--auth\)/);
  const certificateFile = path.join(tmp, 'client.pem');
  fs.writeFileSync(certificateFile, clientCertificate.combinedPem);
  const certificate = await run('keys', [], ws, { AZURE_CLIENT_ID: CERT_CLIENT, AZURE_CLIENT_CERTIFICATE_PATH: certificateFile });
  assert.equal(certificate.code, 0, certificate.stderr);
  assert.match(certificate.stderr, /with certificate/);
  assert.equal(certificate.stdout, 'B2C_1A_TokenEncryptionKeyContainer\nB2C_1A_TokenSigningKeyContainer\n');
});

test('get downloads the tenant policies as <PolicyId>.xml and never overwrites without --force', { skip: needsCorpus }, async () => {
  const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
  fake.state.policies.clear();
  fake.state.policies.set('B2C_1A_A', { id: 'B2C_1A_A', xml: '<TrustFrameworkPolicy PolicyId="B2C_1A_A"/>' });
  fake.state.policies.set('B2C_1A_B', { id: 'B2C_1A_B', xml: '<TrustFrameworkPolicy PolicyId="B2C_1A_B"/>' });
  const r = await run('get', ['--out', 'tenant'], ws);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${path.join('tenant', 'B2C_1A_A.xml')}\n${path.join('tenant', 'B2C_1A_B.xml')}\n`);
  assert.equal(fs.readFileSync(path.join(ws, 'tenant', 'B2C_1A_B.xml'), 'utf8'), '<TrustFrameworkPolicy PolicyId="B2C_1A_B"/>');
  fs.writeFileSync(path.join(ws, 'tenant', 'B2C_1A_A.xml'), 'mine');
  const again = await run('get', ['b2c_1a_a', '--out', 'tenant'], ws);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /^b2c-policy get: 1 file\(s\) already exist \(tenant\/B2C_1A_A\.xml\); pass --force to overwrite\n$/m);
  assert.equal(fs.readFileSync(path.join(ws, 'tenant', 'B2C_1A_A.xml'), 'utf8'), 'mine');
  // A dangling symbolic link in the way counts as a file there; with --force it is replaced, never written through.
  const outside = path.join(tmp, `outside-${path.basename(ws)}.xml`);
  fs.rmSync(path.join(ws, 'tenant', 'B2C_1A_B.xml'));
  fs.symlinkSync(outside, path.join(ws, 'tenant', 'B2C_1A_B.xml'));
  const link = await run('get', ['b2c_1a_b', '--out', 'tenant'], ws);
  assert.equal(link.code, 2, link.stderr);
  const forced = await run('get', ['b2c_1a_b', '--out', 'tenant', '--force'], ws);
  assert.equal(forced.code, 0, forced.stderr);
  assert.ok(!fs.existsSync(outside), 'nothing written outside the folder through the link');
  assert.ok(!fs.lstatSync(path.join(ws, 'tenant', 'B2C_1A_B.xml')).isSymbolicLink());
  assert.equal(fs.readFileSync(path.join(ws, 'tenant', 'B2C_1A_B.xml'), 'utf8'), '<TrustFrameworkPolicy PolicyId="B2C_1A_B"/>');
});

test('usage and sign-in errors: exit 2 with one line, no secret printed', { skip: needsCorpus }, async () => {
  const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
  const unknown = await run('deploy', ['--dir', '.', '--fast'], ws);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, "b2c-policy deploy: unknown option '--fast'\n");
  const china = await run('list', ['--tenant', 'contoso.partner.onmschina.cn'], ws, SECRET_ENV, []);
  assert.equal(china.code, 2);
  assert.equal(china.stderr, "b2c-policy list: tenant 'contoso.partner.onmschina.cn' is a China (21Vianet) tenant but the target cloud is Global (Azure public cloud); choose the cloud with --cloud china (setting b2cPolicy.deploy.cloud: \"china\")\n");
  const noTenant = await run('keys', [], ws, SECRET_ENV, []);
  assert.equal(noTenant.code, 2);
  assert.equal(noTenant.stderr, 'b2c-policy keys: --tenant is required (or set AZURE_TENANT_ID)\n');
  const wrongSecret = await run('list', [], ws, { AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_SECRET: 'not-the-secret-123' });
  assert.equal(wrongSecret.code, 2);
  assert.match(wrongSecret.stderr, /^b2c-policy list: sign-in failed: .*AADSTS7000215: Invalid client secret provided/m);
  assert.ok(!wrongSecret.stderr.includes('not-the-secret-123'));
  const help = await run('deploy', ['--help'], ws);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: b2c-policy deploy/);
});

test('the deploy state is read and written inside the workspace only: a link to /dev/zero is not read, a link to a file elsewhere is replaced, not written through', { skip: needsCorpus }, async () => {
  fake.state.policies.clear();
  const ws = pack('LocalAccounts');
  const state = path.join(ws, '.b2c-policy', 'deploy-state.json');
  fs.mkdirSync(path.dirname(state));
  fs.symlinkSync('/dev/zero', state);
  const dry = await run('deploy', ['--dir', 'policies', '--dry-run', '--changed'], ws);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /^warning: .*deploy-state\.json: not a regular file: not read; the deploy state is not used$/m);
  const elsewhere = path.join(tmp, 'not-the-workspace.txt');
  fs.writeFileSync(elsewhere, 'mine');
  fs.rmSync(state);
  fs.symlinkSync(elsewhere, state);
  const deployed = await run('deploy', ['--dir', 'policies'], ws);
  assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  assert.equal(fs.readFileSync(elsewhere, 'utf8'), 'mine');
  assert.ok(fs.lstatSync(state).isFile(), 'the link is replaced by the state file');
  assert.ok(JSON.parse(fs.readFileSync(state, 'utf8')).targets, 'the state is written');
});

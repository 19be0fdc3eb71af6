import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { executePlan, type DeployEvent } from '../../server/src/deploy/deployer';
import { globalFetch, GraphClient, type FetchLike } from '../../server/src/deploy/graphClient';
import { buildPlan, type DeployInput } from '../../server/src/deploy/plan';
import { deletePolicy, getPolicyXml, GraphApiError, listKeySetIds, listPolicyIds, putPolicy } from '../../server/src/deploy/trustFramework';
import { startFakeGraph, type FakeGraph } from '../helpers/fakeGraph';
import { policy } from '../helpers/policies';

const TENANT = 'yourtenant.onmicrosoft.com';
const body = '  <BuildingBlocks />';
const PACK: DeployInput[] = [
  { path: 'SignUpOrSignin.xml', text: policy('B2C_1A_signup_signin', body, 'B2C_1A_Ext') },
  { path: 'ProfileEdit.xml', text: policy('B2C_1A_ProfileEdit', body, 'B2C_1A_Ext') },
  { path: 'Ext.xml', text: policy('B2C_1A_Ext', body, 'B2C_1A_Loc') },
  { path: 'Other.xml', text: policy('B2C_1A_Other', body, 'B2C_1A_Loc') },
  { path: 'Loc.xml', text: policy('B2C_1A_Loc', body, 'B2C_1A_Base') },
  { path: 'Base.xml', text: policy('B2C_1A_Base', body) },
];

/** A client for the fake: tokens from its authority, retries without real waiting (delays recorded). */
function clientFor(fake: FakeGraph, options: { fetch?: FetchLike } = {}) {
  const sleeps: number[] = [];
  const rejected: string[] = [];
  let token = fake.state.issueToken();
  const client = new GraphClient({
    endpoint: fake.url,
    fetch: options.fetch ?? globalFetch,
    getToken: async (o) => {
      if (o.rejected) {
        rejected.push(o.rejected);
        if (o.rejected === token) token = fake.state.issueToken();
      }
      return token;
    },
    sleep: async (ms) => void sleeps.push(ms),
    retry: { maxAttempts: 4 },
  });
  return { client, sleeps, rejected };
}

async function withFake(options: Parameters<typeof startFakeGraph>[0], run: (fake: FakeGraph) => Promise<void>): Promise<void> {
  const fake = await startFakeGraph({ tenant: TENANT, ...options });
  try {
    await run(fake);
  } finally {
    await fake.stop();
  }
}

async function raw(fake: FakeGraph, method: string, path: string, headers: Record<string, string> = {}, requestBody?: string | Uint8Array) {
  const r = await globalFetch(`${fake.url}/beta${path}`, { method, headers, body: requestBody });
  return { status: r.status, text: await r.text() };
}

test('fake Graph: tokens are checked (missing, unknown, expired, wrong audience -> 401 with the Graph error JSON)', () =>
  withFake({}, async (fake) => {
    const missing = await raw(fake, 'GET', '/trustFramework/policies');
    assert.equal(missing.status, 401);
    const error = JSON.parse(missing.text).error;
    assert.equal(error.code, 'InvalidAuthenticationToken');
    assert.equal(error.message, 'Access token is empty.');
    assert.deepEqual(Object.keys(error.innerError).sort(), ['client-request-id', 'correlationId', 'date', 'request-id']);
    assert.equal((await raw(fake, 'GET', '/trustFramework/policies', { Authorization: 'Bearer made-up' })).status, 401);
    const other = fake.state.issueToken({ audience: 'https://microsoftgraph.chinacloudapi.cn' });
    assert.match((await raw(fake, 'GET', '/trustFramework/policies', { Authorization: `Bearer ${other}` })).text, /Invalid audience/);
    const good = fake.state.issueToken();
    assert.equal((await raw(fake, 'GET', '/trustFramework/policies', { Authorization: `Bearer ${good}` })).status, 200);
    fake.state.expireTokens();
    assert.match((await raw(fake, 'GET', '/trustFramework/policies', { Authorization: `Bearer ${good}` })).text, /Lifetime validation failed, the token is expired\./);
    assert.deepEqual(fake.state.requests.map((r) => r.auth), ['missing', 'unknown', 'wrong-audience', 'valid', 'expired']);
    // The log never holds a token.
    assert.ok(!JSON.stringify(fake.state.requests).includes(good));
  }));

test('fake Graph: 201 then 200, base before child, raw XML only, get, list, delete, keySets', () =>
  withFake({ keySets: ['B2C_1A_TokenSigningKeyContainer'] }, async (fake) => {
    const { client } = clientFor(fake);
    const bytes = (t: string) => new TextEncoder().encode(t);
    const child = await putPolicy(client, 'B2C_1A_Loc', bytes(PACK[4].text));
    assert.equal(child.status, 400);
    assert.equal(JSON.parse(child.text).error.message, `Policy with 'policyId': B2C_1A_BASE cannot be found in the directory '${fake.state.directoryId}'.`);
    assert.equal((await putPolicy(client, 'B2C_1A_Base', bytes('\ufeff' + PACK[5].text))).status, 400, 'a byte-order mark is not raw XML');
    assert.equal((await putPolicy(client, 'B2C_1A_Base', bytes(PACK[5].text))).status, 201);
    assert.equal((await putPolicy(client, 'B2C_1A_Base', bytes(PACK[5].text))).status, 200);
    assert.equal((await putPolicy(client, 'B2C_1A_Loc', bytes(PACK[4].text))).status, 201);
    const wrongTenant = await putPolicy(client, 'B2C_1A_X', bytes(policy('B2C_1A_X', body).replace(/yourtenant/g, 'contoso')));
    assert.equal(JSON.parse(wrongTenant.text).error.message, `TenantId in the policy xml 'contoso.onmicrosoft.com' is not same as the one in login tenant '${TENANT}'.`);
    assert.deepEqual((await listPolicyIds(client)).sort(), ['B2C_1A_Base', 'B2C_1A_Loc']);
    assert.equal(await getPolicyXml(client, 'b2c_1a_base'), PACK[5].text);
    await deletePolicy(client, 'B2C_1A_Loc');
    await assert.rejects(getPolicyXml(client, 'B2C_1A_Loc'), (e: unknown) => e instanceof GraphApiError && e.failure.status === 404);
    assert.deepEqual(await listKeySetIds(client), ['B2C_1A_TokenSigningKeyContainer']);
  }));

test('deploy: every base before its children, in parallel within a level, whatever the timing', () =>
  withFake({ putDelayMs: () => 20 + Math.floor(Math.random() * 15) }, async (fake) => {
    const { client } = clientFor(fake);
    const plan = buildPlan(PACK, { targetTenant: TENANT });
    const report = await executePlan(plan, { client, concurrency: 4 });
    assert.deepEqual(report.results.map((r) => r.status), ['created', 'created', 'created', 'created', 'created', 'created']);
    const puts = fake.state.puts();
    assert.ok(puts.every((p) => p.status === 201));
    const finished = new Map(puts.map((p) => [p.policyId!.toUpperCase(), p.endedAt]));
    for (const p of plan.policies) {
      if (!p.baseKey) continue;
      const started = puts.find((q) => q.policyId!.toUpperCase() === p.key)!.startedAt;
      assert.ok(started > finished.get(p.baseKey)!, `${p.policyId} started before its base ${p.baseId} was stored`);
    }
    // Siblings overlapped: the two children of Ext were in flight together.
    const rp = puts.filter((q) => ['B2C_1A_signup_signin', 'B2C_1A_ProfileEdit'].includes(q.policyId!));
    assert.ok(rp[1].startedAt < rp[0].endedAt, 'siblings were uploaded one after the other');
    const again = await executePlan(plan, { client });
    assert.deepEqual(again.results.map((r) => r.status), ['updated', 'updated', 'updated', 'updated', 'updated', 'updated']);
  }));

test('deploy: a rejected policy stops its descendants, not its siblings; findings land in its file', () =>
  withFake({}, async (fake) => {
    fake.state.failValidation('B2C_1A_Ext', [`User journey 'PasswordReset' does not contain a send claims step.`, `Policy "B2C_1A_EXT" of tenant "${TENANT}" makes a reference to ClaimType with id "x" but neither the policy nor any of its base policies contain such an element.`]);
    const { client } = clientFor(fake);
    const events: DeployEvent[] = [];
    const report = await executePlan(buildPlan(PACK, { targetTenant: TENANT }), { client, onEvent: (e) => events.push(e) });
    const status = Object.fromEntries(report.results.map((r) => [r.policyId, r.status]));
    assert.deepEqual(status, { B2C_1A_Base: 'created', B2C_1A_Loc: 'created', B2C_1A_Ext: 'failed', B2C_1A_Other: 'created', B2C_1A_signup_signin: 'skipped', B2C_1A_ProfileEdit: 'skipped' });
    const ext = report.results.find((r) => r.policyId === 'B2C_1A_Ext')!;
    assert.deepEqual(ext.findings.map((f) => [f.code, f.message.slice(0, 30)]), [
      ['deploy-rejected', "User journey 'PasswordReset' d"],
      ['deploy-rejected', 'Policy "B2C_1A_EXT" of tenant '],
    ]);
    assert.equal(report.results.find((r) => r.policyId === 'B2C_1A_ProfileEdit')!.reason, 'skipped: base policy B2C_1A_Ext failed');
    assert.deepEqual(fake.state.puts().map((p) => p.policyId).sort(), ['B2C_1A_Base', 'B2C_1A_Ext', 'B2C_1A_Loc', 'B2C_1A_Other']);
    assert.deepEqual(events.filter((e) => e.type === 'level').map((e) => (e as { count: number }).count), [4, 4, 4, 4]);
  }));

test('deploy: 429 with Retry-After is waited for and retried; an expiring token is renewed', () =>
  withFake({}, async (fake) => {
    let calls = 0;
    const counting: FetchLike = (url, init) => {
      calls++;
      return globalFetch(url, init);
    };
    const { client, sleeps, rejected } = clientFor(fake, { fetch: counting });
    fake.state.throttle(1, '2');
    fake.state.tokenMaxUses = 3;
    const report = await executePlan(buildPlan(PACK.slice(2), { targetTenant: TENANT }), { client, concurrency: 1 });
    assert.deepEqual(report.results.map((r) => r.status), ['created', 'created', 'created', 'created']);
    assert.deepEqual(sleeps, [2000]);
    assert.equal(rejected.length, 1);
    // The token is good for three requests (the throttled one counts): the fourth is refused, then renewed.
    assert.deepEqual(fake.state.requests.map((r) => `${r.status} ${r.auth}`), ['429 valid', '201 valid', '201 valid', '401 expired', '201 valid', '201 valid']);
    assert.equal(calls, 6);
  }));

test('deploy: a base that is neither deployed nor in the tenant fails its children before any upload', () =>
  withFake({ policies: { B2C_1A_Loc: PACK[4].text } }, async (fake) => {
    const { client } = clientFor(fake);
    const plan = buildPlan([PACK[0], PACK[2]], { targetTenant: TENANT });
    // Ext's base (Loc) is in the tenant; signup's base (Ext) is deployed in this run.
    const ok = await executePlan(plan, { client });
    assert.deepEqual(ok.results.map((r) => `${r.policyId} ${r.status}`), ['B2C_1A_Ext created', 'B2C_1A_signup_signin created']);
    fake.state.policies.clear();
    fake.state.requests.length = 0;
    const missing = await executePlan(plan, { client });
    assert.deepEqual(missing.results.map((r) => `${r.policyId} ${r.status}`), ['B2C_1A_Ext failed', 'B2C_1A_signup_signin skipped']);
    assert.equal(missing.results[0].findings[0].code, 'deploy-missing-base');
    assert.equal(missing.results[0].findings[0].message, "Base policy 'B2C_1A_Loc' is not in the tenant and not among the policies deployed; deploy it first");
    assert.deepEqual(fake.state.requests.map((r) => `${r.method} ${r.path}`), ['GET /beta/trustFramework/policies']);
  }));

test('deploy: an HTML error page and a 403 read as one useful line each', () =>
  withFake({}, async (fake) => {
    const { client } = clientFor(fake);
    fake.state.inject({ count: 4, status: 502, contentType: 'text/html', body: '<html><head><title>Bad Gateway</title></head><body><h1>502</h1></body></html>' });
    const [base] = (await executePlan(buildPlan([PACK[5]], { targetTenant: TENANT }), { client })).results;
    assert.equal(base.status, 'failed');
    assert.equal(base.findings[0].code, 'deploy-request-failed');
    assert.equal(base.findings[0].message, 'Upload failed: HTTP 502 Bad Gateway (an HTML page: "Bad Gateway"; is the Graph endpoint right?) (gave up after 4 attempts)');
    fake.state.inject({ count: 1, status: 403, body: JSON.stringify({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }) });
    const [denied] = (await executePlan(buildPlan([PACK[5]], { targetTenant: TENANT }), { client })).results;
    assert.match(denied.findings[0].message, /^Upload failed: Insufficient privileges to complete the operation\. \(deploying needs the Policy\.ReadWrite\.TrustFramework permission/);
  }));

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'crypto';
import { buildPlan, PlanError, type DeployInput } from '../../server/src/deploy/plan';
import { parseState, previousHashes, recordDeploy, targetKey } from '../../server/src/deploy/state';
import type { DeployFileResult } from '../../server/src/deploy/deployer';
import { policy } from '../helpers/policies';

const TENANT = 'yourtenant.onmicrosoft.com';
const body = '  <BuildingBlocks />';

/** Base <- Loc <- Ext <- (SignIn, Profile); given out of order on purpose. */
const PACK: DeployInput[] = [
  { path: 'env/SignUpOrSignin.xml', text: policy('B2C_1A_signup_signin', body, 'B2C_1A_TrustFrameworkExtensions') },
  { path: 'env/TrustFrameworkExtensions.xml', text: policy('B2C_1A_TrustFrameworkExtensions', body, 'B2C_1A_TrustFrameworkLocalization') },
  { path: 'env/ProfileEdit.xml', text: policy('B2C_1A_ProfileEdit', body, 'B2C_1A_TrustFrameworkExtensions') },
  { path: 'env/TrustFrameworkBase.xml', text: policy('B2C_1A_TrustFrameworkBase', body) },
  { path: 'env/TrustFrameworkLocalization.xml', text: policy('B2C_1A_TrustFrameworkLocalization', body, 'B2C_1A_TrustFrameworkBase') },
];

const levelIds = (plan: ReturnType<typeof buildPlan>) => plan.levels.map((l) => l.map((p) => p.policyId));

test('levels: every base before its children, siblings in one level, input order kept within a level', () => {
  const plan = buildPlan(PACK, { targetTenant: TENANT });
  assert.deepEqual(plan.refusals, []);
  assert.deepEqual(levelIds(plan), [['B2C_1A_TrustFrameworkBase'], ['B2C_1A_TrustFrameworkLocalization'], ['B2C_1A_TrustFrameworkExtensions'], ['B2C_1A_signup_signin', 'B2C_1A_ProfileEdit']]);
  assert.deepEqual(plan.assumedBases, []);
});

test('base ids match case-insensitively (the service reports ids in capitals)', () => {
  const plan = buildPlan(
    [
      { path: 'b.xml', text: policy('B2C_1A_Child', body, 'b2c_1a_BASE') },
      { path: 'a.xml', text: policy('B2C_1A_Base', body) },
    ],
    { targetTenant: TENANT },
  );
  assert.deepEqual(levelIds(plan), [['B2C_1A_Base'], ['B2C_1A_Child']]);
});

test('a base outside the input is assumed to be in the tenant, and its children go in the first level', () => {
  const plan = buildPlan([PACK[0], PACK[2]], { targetTenant: TENANT });
  assert.deepEqual(levelIds(plan), [['B2C_1A_signup_signin', 'B2C_1A_ProfileEdit']]);
  assert.deepEqual(plan.assumedBases, [{ policyId: 'B2C_1A_TrustFrameworkExtensions', children: ['env/SignUpOrSignin.xml', 'env/ProfileEdit.xml'], reason: 'not-in-input' }]);
});

test('a cycle of base policies is refused on each BasePolicy/PolicyId', () => {
  const a = policy('B2C_1A_A', body, 'B2C_1A_B');
  const b = policy('B2C_1A_B', body, 'B2C_1A_A');
  const plan = buildPlan(
    [
      { path: 'a.xml', text: a },
      { path: 'b.xml', text: b },
      { path: 'base.xml', text: policy('B2C_1A_Other', body) },
    ],
    { targetTenant: TENANT },
  );
  assert.deepEqual(
    plan.refusals.map((r) => [r.path, r.findings.map((f) => f.code)]),
    [
      ['a.xml', ['base-policy-cycle']],
      ['b.xml', ['base-policy-cycle']],
    ],
  );
  const span = plan.refusals[0].findings[0].span;
  assert.equal(a.slice(span.start, span.end), 'B2C_1A_B');
  assert.match(plan.refusals[0].findings[0].message, /B2C_1A_A -> B2C_1A_B -> B2C_1A_A/);
});

test('a policy naming itself as its base is a cycle', () => {
  const plan = buildPlan([{ path: 'a.xml', text: policy('B2C_1A_A', body, 'B2C_1A_A') }], { targetTenant: TENANT });
  assert.deepEqual(plan.refusals.map((r) => r.findings.map((f) => f.code)), [['base-policy-cycle']]);
});

test('refusals: unreplaced tokens (not in comments), another tenant, an empty PolicyId, a duplicate PolicyId', () => {
  const withToken = policy('B2C_1A_T', `  <!-- {Settings:InComment} -->\n  <BuildingBlocks><ClaimsSchema><ClaimType Id="x"><DisplayName>{Settings:Name}</DisplayName></ClaimType></ClaimsSchema></BuildingBlocks>`).replace(
    'PublicPolicyUri="http://yourtenant.onmicrosoft.com/B2C_1A_T"',
    'PublicPolicyUri="http://#{Tenant}#/B2C_1A_T"',
  );
  const otherTenant = policy('B2C_1A_O', body, 'B2C_1A_T').replace(/yourtenant/g, 'contoso');
  const noId = policy('', body);
  const dupe = policy('B2C_1A_t', body);
  const plan = buildPlan(
    [
      { path: 'token.xml', text: withToken },
      { path: 'other.xml', text: otherTenant },
      { path: 'noid.xml', text: noId },
      { path: 'dupe.xml', text: dupe },
    ],
    { targetTenant: 'YourTenant.onmicrosoft.com' },
  );
  const byPath = Object.fromEntries(plan.refusals.map((r) => [r.path, r.findings.map((f) => [f.code, r.file.text.slice(f.span.start, f.span.end)])]));
  assert.deepEqual(byPath['token.xml'], [
    ['deploy-unreplaced-token', '#{Tenant}#'],
    ['deploy-unreplaced-token', '{Settings:Name}'],
    ['duplicate-policy-id', 'B2C_1A_T'],
  ]);
  assert.deepEqual(byPath['other.xml'], [
    ['deploy-tenant-mismatch', 'contoso.onmicrosoft.com'],
    ['deploy-tenant-mismatch', 'contoso.onmicrosoft.com'],
  ]);
  // The second mismatch is the BasePolicy's TenantId element text.
  const baseTenant = plan.refusals.find((r) => r.path === 'other.xml')!.findings[1].span;
  assert.equal(otherTenant.slice(baseTenant.start - '<TenantId>'.length, baseTenant.start), '<TenantId>');
  assert.deepEqual(byPath['noid.xml'], [['deploy-invalid-policy-id', '']]);
  assert.deepEqual(byPath['dupe.xml'], [['duplicate-policy-id', 'B2C_1A_t']]);
});

test('a tenant GUID target cannot be compared with TenantId: no mismatch refusal (the service judges)', () => {
  const plan = buildPlan([PACK[3]], { targetTenant: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' });
  assert.deepEqual(plan.refusals, []);
});

test('a policy over the service limit of 1,024 KB is refused; one just under is not', () => {
  const filler = (n: number) => policy('B2C_1A_Big', `  <!--${'x'.repeat(n)}-->`);
  const size = (t: string) => Buffer.byteLength(t, 'utf8');
  const base = size(filler(0));
  const under = buildPlan([{ path: 'ok.xml', text: filler(1024 * 1024 - base) }], { targetTenant: TENANT });
  assert.equal(under.policies[0].body.length, 1024 * 1024);
  assert.deepEqual(under.refusals, []);
  const over = buildPlan([{ path: 'big.xml', text: filler(1024 * 1024 - base + 1) }], { targetTenant: TENANT });
  assert.deepEqual(over.refusals.map((r) => r.findings.map((f) => [f.code, f.message])), [[['deploy-too-large', 'The policy is 1025 KB; the service accepts at most 1,024 KB per policy']]]);
});

test('PolicyId with characters outside the schema pattern is refused', () => {
  const plan = buildPlan([{ path: 'bad.xml', text: policy('B2C_1A_bad/id', body) }], { targetTenant: TENANT });
  assert.deepEqual(plan.refusals.map((r) => r.findings.map((f) => f.code)), [['deploy-invalid-policy-id']]);
});

test('--only keeps the named files (by name, path or PolicyId) and reports their bases as assumed', () => {
  const plan = buildPlan(PACK, { targetTenant: TENANT, only: ['SignUpOrSignin.xml', 'b2c_1a_trustframeworkextensions'] });
  assert.deepEqual(levelIds(plan), [['B2C_1A_TrustFrameworkExtensions'], ['B2C_1A_signup_signin']]);
  assert.deepEqual(plan.assumedBases, [{ policyId: 'B2C_1A_TrustFrameworkLocalization', children: ['env/TrustFrameworkExtensions.xml'], reason: 'not-selected' }]);
  assert.deepEqual(plan.notSelected.map((p) => p.policyId).sort(), ['B2C_1A_ProfileEdit', 'B2C_1A_TrustFrameworkBase', 'B2C_1A_TrustFrameworkLocalization']);
  assert.throws(() => buildPlan(PACK, { targetTenant: TENANT, only: ['Nope.xml'] }), (e: unknown) => e instanceof PlanError && /'Nope.xml'/.test(e.message));
});

test('the body is UTF-8 without the byte-order mark; the hash is over those bytes', () => {
  const text = PACK[3].text;
  const plan = buildPlan([{ path: 'bom.xml', text: '\ufeff' + text }], { targetTenant: TENANT });
  const p = plan.policies[0];
  assert.deepEqual([...p.body.slice(0, 5)], [...Buffer.from('<?xml')]);
  assert.equal(Buffer.from(p.body).toString('utf8'), text);
  assert.equal(p.hash, createHash('sha256').update(text, 'utf8').digest('hex'));
});

test('--changed: only policies whose body differs from the last successful upload to the same target', () => {
  const first = buildPlan(PACK, { targetTenant: TENANT });
  const target = targetKey('https://graph.microsoft.com/', TENANT);
  const results = first.levels.flat().map((p): DeployFileResult => ({ path: p.path, policyId: p.policyId, status: p.policyId === 'B2C_1A_ProfileEdit' ? 'failed' : 'created', file: p.file, hash: p.hash, findings: [] }));
  const state = recordDeploy(parseState(undefined).state, target, results, new Date(0));
  const edited = PACK.map((i) => (i.path === 'env/TrustFrameworkExtensions.xml' ? { ...i, text: i.text.replace('<BuildingBlocks />', '<BuildingBlocks></BuildingBlocks>') } : i));
  const second = buildPlan(edited, { targetTenant: TENANT, previousHashes: previousHashes(state, target) });
  // Extensions changed, ProfileEdit failed last time; the rest is unchanged.
  assert.deepEqual(levelIds(second), [['B2C_1A_TrustFrameworkExtensions'], ['B2C_1A_ProfileEdit']]);
  assert.deepEqual(second.unchanged.map((p) => p.policyId).sort(), ['B2C_1A_TrustFrameworkBase', 'B2C_1A_TrustFrameworkLocalization', 'B2C_1A_signup_signin']);
  assert.deepEqual(second.assumedBases, [{ policyId: 'B2C_1A_TrustFrameworkLocalization', children: ['env/TrustFrameworkExtensions.xml'], reason: 'unchanged' }]);
  // Another tenant (or endpoint) has its own record.
  assert.deepEqual(previousHashes(state, targetKey('https://graph.microsoft.com', 'other.onmicrosoft.com')), {});
  assert.equal(Object.keys(previousHashes(state, targetKey('https://GRAPH.microsoft.com', 'YourTenant.onmicrosoft.com'))).length, 4);
});

test('an unreadable state file counts every policy as changed, with a warning', () => {
  const { state, warning } = parseState('{not json');
  assert.deepEqual(state.targets, {});
  assert.match(warning ?? '', /deploy-state\.json/);
});

test('non-policy XML is ignored, not refused', () => {
  const plan = buildPlan([{ path: 'other.xml', text: '<project/>' }, PACK[3]], { targetTenant: TENANT });
  assert.deepEqual(plan.ignored, ['other.xml']);
  assert.deepEqual(levelIds(plan), [['B2C_1A_TrustFrameworkBase']]);
});

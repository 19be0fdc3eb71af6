import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Analysis } from '../../server/src/service/analysis/analysis';

const NS = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';

/** A small policy: PolicyId, optional BasePolicy, and body XML inside TrustFrameworkPolicy. */
function policy(policyId: string, base: string | undefined, body = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<TrustFrameworkPolicy xmlns="${NS}" PolicySchemaVersion="0.3.0.0" TenantId="contoso.onmicrosoft.com" PolicyId="${policyId}" PublicPolicyUri="http://contoso.onmicrosoft.com/${policyId}">
${base !== undefined ? `  <BasePolicy><TenantId>contoso.onmicrosoft.com</TenantId><PolicyId>${base}</PolicyId></BasePolicy>\n` : ''}${body}
</TrustFrameworkPolicy>
`;
}

function profiles(...ids: string[]): string {
  return `<ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles>
${ids.map((id) => `<TechnicalProfile Id="${id}"><DisplayName>${id}</DisplayName><Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.ClaimsTransformationProtocolProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" /></TechnicalProfile>`).join('\n')}
</TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;
}

function journey(id: string, steps: Array<{ order: number; exchanges: string[] }>): string {
  return `<UserJourneys><UserJourney Id="${id}"><OrchestrationSteps>
${steps
  .map(
    (s) =>
      `<OrchestrationStep Order="${s.order}" Type="ClaimsExchange"><ClaimsExchanges>${s.exchanges
        .map((e) => `<ClaimsExchange Id="${e}" TechnicalProfileReferenceId="TP-${e}" />`)
        .join('')}</ClaimsExchanges></OrchestrationStep>`,
  )
  .join('\n')}
</OrchestrationSteps></UserJourney></UserJourneys>`;
}

const ws = (p: string) => `file:///ws/${p}`;
const codes = (service: Analysis, uri: string) => service.findings(uri).map((f) => f.code);

function chainUris(service: Analysis, uri: string): string[] {
  return service.index.chain(service.index.get(uri)!).files.map((f) => f.uri);
}

test('chain resolution: relying party -> Extensions -> Base', () => {
  const service = new Analysis();
  service.index.setDiskFile(ws('dev/TrustFrameworkBase.xml'), policy('B2C_1A_TrustFrameworkBase', undefined));
  service.index.setDiskFile(ws('dev/TrustFrameworkExtensions.xml'), policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase'));
  service.index.setDiskFile(ws('dev/SignUpOrSignin.xml'), policy('B2C_1A_signup_signin', 'B2C_1A_TrustFrameworkExtensions'));
  const chain = service.index.chain(service.index.get(ws('dev/SignUpOrSignin.xml'))!);
  assert.deepEqual(
    chain.files.map((f) => f.uri),
    [ws('dev/SignUpOrSignin.xml'), ws('dev/TrustFrameworkExtensions.xml'), ws('dev/TrustFrameworkBase.xml')],
  );
  assert.equal(chain.missingBase, undefined);
  assert.equal(chain.cycle, undefined);
  assert.equal(service.index.effective(service.index.get(ws('dev/SignUpOrSignin.xml'))!).complete, true);
  for (const f of ['dev/TrustFrameworkBase.xml', 'dev/TrustFrameworkExtensions.xml', 'dev/SignUpOrSignin.xml']) assert.deepEqual(codes(service, ws(f)), [], f);
});

test('BasePolicy PolicyId is matched case-insensitively', () => {
  const service = new Analysis();
  service.index.setDiskFile(ws('dev/TrustFrameworkBase.xml'), policy('B2C_1A_TrustFrameworkBase', undefined));
  service.index.setDiskFile(ws('dev/TrustFrameworkExtensions.xml'), policy('B2C_1A_TrustFrameworkExtensions', 'b2c_1a_trustframeworkBASE'));
  assert.deepEqual(chainUris(service, ws('dev/TrustFrameworkExtensions.xml')), [ws('dev/TrustFrameworkExtensions.xml'), ws('dev/TrustFrameworkBase.xml')]);
  assert.deepEqual(codes(service, ws('dev/TrustFrameworkExtensions.xml')), []);
});

test('environments with the same PolicyIds side by side resolve within their own folder', () => {
  const service = new Analysis();
  for (const env of ['dev', 'prod']) {
    service.index.setDiskFile(ws(`${env}/TrustFrameworkBase.xml`), policy('B2C_1A_TrustFrameworkBase', undefined, profiles(`TP-${env}`)));
    service.index.setDiskFile(ws(`${env}/TrustFrameworkExtensions.xml`), policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase'));
    service.index.setDiskFile(ws(`${env}/SignUpOrSignin.xml`), policy('B2C_1A_signup_signin', 'B2C_1A_TrustFrameworkExtensions'));
  }
  for (const env of ['dev', 'prod']) {
    assert.deepEqual(chainUris(service, ws(`${env}/SignUpOrSignin.xml`)), [
      ws(`${env}/SignUpOrSignin.xml`),
      ws(`${env}/TrustFrameworkExtensions.xml`),
      ws(`${env}/TrustFrameworkBase.xml`),
    ]);
    const effective = service.index.effective(service.index.get(ws(`${env}/SignUpOrSignin.xml`))!);
    const other = env === 'dev' ? 'prod' : 'dev';
    assert.equal(effective.lookup('technicalProfile', `TP-${env}`).exact.length, 1);
    assert.equal(effective.lookup('technicalProfile', `TP-${other}`).exact.length, 0, 'no bleeding between environments');
    for (const f of ['TrustFrameworkBase.xml', 'TrustFrameworkExtensions.xml', 'SignUpOrSignin.xml']) assert.deepEqual(codes(service, ws(`${env}/${f}`)), [], `${env}/${f}`);
  }
});

test('the nearest folder resolves: a child in ws/a/b/ finds its base in ws/a/', () => {
  const service = new Analysis();
  service.index.setDiskFile(ws('a/TrustFrameworkBase.xml'), policy('B2C_1A_TrustFrameworkBase', undefined));
  service.index.setDiskFile(ws('a/b/Child.xml'), policy('B2C_1A_Child', 'B2C_1A_TrustFrameworkBase'));
  // A farther candidate does not make it ambiguous.
  service.index.setDiskFile(ws('x/y/z/TrustFrameworkBase.xml'), policy('B2C_1A_TrustFrameworkBase', undefined));
  assert.deepEqual(chainUris(service, ws('a/b/Child.xml')), [ws('a/b/Child.xml'), ws('a/TrustFrameworkBase.xml')]);
  assert.deepEqual(codes(service, ws('a/b/Child.xml')), []);
});

test('two candidates at equal distance and none closer: unresolved-base-policy listing both', () => {
  const service = new Analysis();
  const text = policy('B2C_1A_Child', 'B2C_1A_TrustFrameworkBase');
  service.index.setDiskFile(ws('child/Child.xml'), text);
  service.index.setDiskFile(ws('dev/TrustFrameworkBase.xml'), policy('B2C_1A_TrustFrameworkBase', undefined));
  service.index.setDiskFile(ws('prod/TrustFrameworkBase.xml'), policy('B2C_1A_TrustFrameworkBase', undefined));
  const resolution = service.index.resolveBase(service.index.get(ws('child/Child.xml'))!);
  assert.equal(resolution.status, 'missing');
  const findings = service.findings(ws('child/Child.xml'));
  const base = findings.filter((f) => f.code === 'unresolved-base-policy');
  assert.equal(base.length, 1);
  assert.equal(base[0].severity, 'error');
  const at = text.indexOf('B2C_1A_TrustFrameworkBase<');
  assert.deepEqual(base[0].span, { start: at, end: at + 'B2C_1A_TrustFrameworkBase'.length });
  assert.deepEqual([...(base[0].data!.candidates as string[])].sort(), [ws('dev/TrustFrameworkBase.xml'), ws('prod/TrustFrameworkBase.xml')]);
  assert.equal(base[0].data!.policyId, 'B2C_1A_TrustFrameworkBase');
});

test('a cycle A -> B -> A is reported as base-policy-cycle and does not hang', () => {
  const service = new Analysis();
  const a = policy('B2C_1A_A', 'B2C_1A_B');
  const b = policy('B2C_1A_B', 'B2C_1A_A');
  service.index.setDiskFile(ws('c/A.xml'), a);
  service.index.setDiskFile(ws('c/B.xml'), b);
  const chain = service.index.chain(service.index.get(ws('c/A.xml'))!);
  assert.ok(chain.cycle);
  assert.deepEqual(chain.files.map((f) => f.uri), [ws('c/A.xml'), ws('c/B.xml')]);
  for (const [uri, text, target] of [
    [ws('c/A.xml'), a, 'B2C_1A_B'],
    [ws('c/B.xml'), b, 'B2C_1A_A'],
  ]) {
    const cycle = service.findings(uri).filter((f) => f.code === 'base-policy-cycle');
    assert.equal(cycle.length, 1, uri);
    assert.equal(cycle[0].severity, 'error');
    const at = text.indexOf(`${target}</PolicyId>`);
    assert.deepEqual(cycle[0].span, { start: at, end: at + target.length });
  }
  assert.equal(service.index.effective(service.index.get(ws('c/A.xml'))!).complete, false);
  assert.ok(service.affectedBy(ws('c/A.xml')).includes(ws('c/B.xml')));
});

test('override: the child technical profile with the parent Id comes first in the effective lookup', () => {
  const service = new Analysis();
  service.index.setDiskFile(ws('dev/TrustFrameworkBase.xml'), policy('B2C_1A_TrustFrameworkBase', undefined, profiles('Shared', 'BaseOnly')));
  service.index.setDiskFile(ws('dev/TrustFrameworkExtensions.xml'), policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase', profiles('shared')));
  const effective = service.index.effective(service.index.get(ws('dev/TrustFrameworkExtensions.xml'))!);
  const all = effective.definitionsOf('technicalProfile');
  const shared = all.find((d) => d.id.toLowerCase() === 'shared')!;
  assert.equal(shared.uri, ws('dev/TrustFrameworkExtensions.xml'));
  const lookup = effective.lookup('technicalProfile', 'shared');
  assert.equal(lookup.exact[0].uri, ws('dev/TrustFrameworkExtensions.xml'));
  assert.deepEqual(lookup.caseOnly.map((d) => d.uri), [ws('dev/TrustFrameworkBase.xml')]);
  const exact = effective.lookup('technicalProfile', 'Shared');
  assert.equal(exact.exact[0].uri, ws('dev/TrustFrameworkBase.xml'));
  assert.equal(effective.lookup('technicalProfile', 'BaseOnly').exact[0].uri, ws('dev/TrustFrameworkBase.xml'));
});

test('override: a journey step with the same Order in the child replaces the parent step', () => {
  const service = new Analysis();
  service.index.setDiskFile(
    ws('dev/TrustFrameworkBase.xml'),
    policy('B2C_1A_TrustFrameworkBase', undefined, journey('X', [{ order: 1, exchanges: ['A'] }, { order: 2, exchanges: ['B'] }, { order: 3, exchanges: ['C'] }])),
  );
  service.index.setDiskFile(
    ws('dev/TrustFrameworkExtensions.xml'),
    policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase', journey('x', [{ order: 2, exchanges: ['B2'] }, { order: 4, exchanges: ['D'] }])),
  );
  const effective = service.index.effective(service.index.get(ws('dev/TrustFrameworkExtensions.xml'))!);
  const steps = effective.journey('userJourney', 'X')!.steps;
  assert.deepEqual(steps.map((s) => s.order), [1, 2, 3, 4]);
  assert.deepEqual(steps.map((s) => s.step.exchanges.map((e) => e.id)), [['A'], ['B2'], ['C'], ['D']]);
  assert.deepEqual(steps.map((s) => s.file.uri.slice('file:///ws/dev/'.length)), [
    'TrustFrameworkBase.xml',
    'TrustFrameworkExtensions.xml',
    'TrustFrameworkBase.xml',
    'TrustFrameworkExtensions.xml',
  ]);
  // The base's own effective journey is unchanged.
  const baseSteps = service.index.effective(service.index.get(ws('dev/TrustFrameworkBase.xml'))!).journey('userJourney', 'X')!.steps;
  assert.deepEqual(baseSteps.map((s) => s.step.exchanges.map((e) => e.id)), [['A'], ['B'], ['C']]);
});

test('an open document overrides the disk content; closing it restores the disk content', () => {
  const service = new Analysis();
  const baseUri = ws('dev/TrustFrameworkBase.xml');
  const extUri = ws('dev/TrustFrameworkExtensions.xml');
  service.index.setDiskFile(baseUri, policy('B2C_1A_TrustFrameworkBase', undefined, profiles('OnDisk')));
  const rpText = policy('B2C_1A_rp', 'B2C_1A_TrustFrameworkBase', journey('J', [{ order: 1, exchanges: ['E'] }]).replace('TP-E', 'OnDisk').replace('</OrchestrationSteps>', '<OrchestrationStep Order="2" Type="SendClaims" /></OrchestrationSteps>'));
  service.index.setDiskFile(extUri, rpText);
  assert.deepEqual(codes(service, extUri), []);
  const diskBase = service.index.get(baseUri)!;

  service.index.setOpenDocument(baseUri, policy('B2C_1A_TrustFrameworkBase', undefined, profiles('InEditor')));
  assert.equal(service.index.isOpen(baseUri), true);
  assert.ok(service.index.get(baseUri)!.text.includes('InEditor'));
  const findings = service.findings(extUri);
  assert.deepEqual(findings.map((f) => [f.code, f.data?.kind, f.data?.id]), [['unresolved-reference', 'technicalProfile', 'OnDisk']]);

  service.index.closeOpenDocument(baseUri);
  assert.equal(service.index.isOpen(baseUri), false);
  assert.equal(service.index.get(baseUri), diskBase);
  assert.deepEqual(codes(service, extUri), []);

  // A disk change while the document is open stays hidden until close.
  service.index.setOpenDocument(baseUri, policy('B2C_1A_TrustFrameworkBase', undefined, profiles('OnDisk', 'Open')));
  service.index.setDiskFile(baseUri, policy('B2C_1A_TrustFrameworkBase', undefined, profiles('Changed')));
  assert.ok(service.index.get(baseUri)!.text.includes('"Open"'));
  assert.deepEqual(codes(service, extUri), []);
  service.index.closeOpenDocument(baseUri);
  assert.ok(service.index.get(baseUri)!.text.includes('Changed'));
  assert.deepEqual(codes(service, extUri), ['unresolved-reference']);
});

test('incremental: editing Extensions changes only its version; affectedBy covers its chain and children only', () => {
  const service = new Analysis();
  const baseUri = ws('dev/TrustFrameworkBase.xml');
  const extUri = ws('dev/TrustFrameworkExtensions.xml');
  const rpUri = ws('dev/SignUpOrSignin.xml');
  const otherBase = ws('other/TrustFrameworkBase.xml');
  const otherRp = ws('other/SignUpOrSignin.xml');
  service.index.setDiskFile(baseUri, policy('B2C_1A_TrustFrameworkBase', undefined, profiles('T1')));
  service.index.setDiskFile(extUri, policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase'));
  service.index.setDiskFile(rpUri, policy('B2C_1A_signup_signin', 'B2C_1A_TrustFrameworkExtensions'));
  service.index.setDiskFile(otherBase, policy('B2C_1A_OtherBase', undefined));
  service.index.setDiskFile(otherRp, policy('B2C_1A_OtherRp', 'B2C_1A_OtherBase'));
  for (const uri of [baseUri, extUri, rpUri, otherBase, otherRp]) service.findings(uri);

  const before = new Map([baseUri, extUri, rpUri, otherBase, otherRp].map((u) => [u, service.index.get(u)!]));
  const extBefore = before.get(extUri)!;
  service.index.setOpenDocument(extUri, policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase', profiles('T2')));
  const extAfter = service.index.get(extUri)!;
  assert.notEqual(extAfter.version, extBefore.version);
  for (const uri of [baseUri, rpUri, otherBase, otherRp]) assert.equal(service.index.get(uri), before.get(uri), `${uri} is the same object`);

  const affected = service.affectedBy(extUri);
  assert.ok(affected.includes(extUri));
  assert.ok(affected.includes(rpUri));
  assert.ok(!affected.includes(otherBase));
  assert.ok(!affected.includes(otherRp));

  // Setting identical text again is a no-op.
  assert.equal(service.index.setOpenDocument(extUri, extAfter.text), extAfter);
  assert.equal(service.index.get(extUri)!.version, extAfter.version);
  // The RP sees the new definition through its chain.
  assert.equal(service.index.effective(service.index.get(rpUri)!).lookup('technicalProfile', 'T2').exact.length, 1);
});

test('a base that changes its PolicyId: its former children are affected (taken before the change, as the server does)', () => {
  const service = new Analysis();
  const baseUri = ws('dev/TrustFrameworkBase.xml');
  const rpUri = ws('dev/SignUpOrSignin.xml');
  service.index.setDiskFile(baseUri, policy('B2C_1A_TrustFrameworkBase', undefined));
  service.index.setDiskFile(rpUri, policy('B2C_1A_signup_signin', 'B2C_1A_TrustFrameworkBase'));
  assert.deepEqual(codes(service, rpUri), []);
  const before = service.affectedBy(baseUri);
  service.index.setOpenDocument(baseUri, policy('B2C_1A_Renamed', undefined));
  assert.deepEqual(codes(service, rpUri), ['unresolved-base-policy']);
  assert.ok(before.includes(rpUri));
  assert.ok(!service.affectedBy(baseUri).includes(rpUri), 'after the rename the RP no longer builds on it');
});

test('SubjectNamingInfo ClaimType may name an output claim\'s PartnerClaimType (relyingparty.md), not only a ClaimType', () => {
  const base = policy('B2C_1A_Base', undefined, `  <BuildingBlocks><ClaimsSchema><ClaimType Id="objectId"><DataType>string</DataType></ClaimType></ClaimsSchema></BuildingBlocks>`);
  const rp = (subject: string) =>
    policy(
      'B2C_1A_RP',
      'B2C_1A_Base',
      `  <RelyingParty><DefaultUserJourney ReferenceId="J" /><TechnicalProfile Id="PolicyProfile"><DisplayName>P</DisplayName><Protocol Name="SAML2" />
    <OutputClaims><OutputClaim ClaimTypeReferenceId="objectId" PartnerClaimType="SubjectNamingInfo" /></OutputClaims>
    <SubjectNamingInfo ClaimType="${subject}" />
  </TechnicalProfile></RelyingParty>`,
    );
  const service = new Analysis({ log: (m) => { throw new Error(m); } });
  service.index.setDiskFile(ws('Base.xml'), base);
  const claimProblems = () => service.findings(ws('RP.xml')).filter((f) => f.code === 'unresolved-reference' && f.data?.kind === 'claimType').map((f) => f.data?.id);
  service.index.setDiskFile(ws('RP.xml'), rp('SubjectNamingInfo'));
  assert.deepEqual(claimProblems(), [], 'the partner claim type of an output claim');
  service.index.setDiskFile(ws('RP.xml'), rp('objectId'));
  assert.deepEqual(claimProblems(), [], 'a claim type');
  service.index.setDiskFile(ws('RP.xml'), rp('nameId'));
  assert.deepEqual(claimProblems(), ['nameId']);
});

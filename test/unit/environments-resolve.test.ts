import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  applySourceEdits,
  buildEnvironments,
  composeEdits,
  findSettingsTokens,
  mapResolvedSpanToSource,
  parseAppSettings,
  resolveEnvironment,
  rewritePolicyId,
  type SourceEdit,
  type SourceFile,
} from '../../server/src/service/environments';
import { POLICY_NAMESPACE } from '../helpers/policies';

function settingsOf(environments: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, Environments: environments }, null, 2);
}

function source(relativePath: string, text: string, hadBom = false): SourceFile {
  return { relativePath, text, hadBom };
}

function rp(id: string, base: string | undefined, extraAttributes = '', body = ''): string {
  return (
    `<TrustFrameworkPolicy xmlns="${POLICY_NAMESPACE}" PolicySchemaVersion="0.3.0.0" TenantId="{Settings:Tenant}" PolicyId="${id}" PublicPolicyUri="http://{Settings:Tenant}/${id}"${extraAttributes}>\n` +
    (base ? `  <BasePolicy>\n    <TenantId>{Settings:Tenant}</TenantId>\n    <PolicyId>${base}</PolicyId>\n  </BasePolicy>\n` : '') +
    body +
    '</TrustFrameworkPolicy>\n'
  );
}

test('tokens: Settings and keys in any case, built-ins as Microsoft\'s extension defines them, values inserted literally', () => {
  const text = [
    '{Settings:Tenant} {settings:tenant} {SETTINGS:Environment}',
    '{Settings:Filename} {Settings:PolicyFilename}',
    '{Settings:apiurl} {Settings:Money} {Settings:Nested} {Settings:} {Setting:Tenant}',
  ].join('\n');
  const appSettings = settingsOf([
    { Name: 'Dev', Tenant: 'contoso.onmicrosoft.com', PolicySettings: { ApiUrl: 'https://api/{x}', Money: '$& $1', Nested: '{Settings:ApiUrl}' } },
  ]);
  const result = buildEnvironments(appSettings, [source('sub/B2C_1A_signup_B2C_1A_x.v2.xml', text)]);
  const file = result.environments[0].files![0];
  assert.equal(
    file.text,
    [
      'contoso.onmicrosoft.com contoso.onmicrosoft.com Dev',
      'B2C_1A_signup_B2C_1A_x.v2 signup_x.v2',
      // One pass: a value holding a token is written as it is; `$&` is not a replacement pattern here.
      'https://api/{x} $& $1 {Settings:ApiUrl} {Settings:} {Setting:Tenant}',
    ].join('\n'),
  );
  assert.deepEqual(findSettingsTokens('a{Settings:X}b{settings:y z}').map((t) => [t.key, t.span.start, t.span.end, t.keySpan.start]), [
    ['X', 1, 13, 11],
    ['y z', 14, 28, 24],
  ]);
});

test('a token with no value is a build error naming file, line and key; nothing is output for that environment', () => {
  const text = '<a>\r\n  <b>{Settings:Present}</b>\r\n  <c x="{Settings:Missing}"/>\r\n</a>\r\n';
  const appSettings = settingsOf([
    { Name: 'Dev', PolicySettings: { Present: 'p', Missing: 'm' } },
    { Name: 'Prod', Production: true, PolicySettings: { Present: 'p' } },
  ]);
  const result = buildEnvironments(appSettings, [source('Policy.xml', text), source('Other.xml', '<x/>')]);
  const [dev, prod] = result.environments;
  assert.equal(dev.files?.length, 2);
  assert.equal(prod.files, undefined);
  assert.deepEqual(
    prod.problems.map((p) => [p.code, p.severity, p.file, p.range.start.line, p.range.start.character, text.slice(p.span.start, p.span.end), p.data]),
    [['undefined-setting', 'error', 'Policy.xml', 2, 8, '{Settings:Missing}', { key: 'Missing', environments: ['Prod'] }]],
  );
  assert.equal(prod.problems[0].message, `{Settings:Missing} has no value in environment 'Prod': add "Missing" to its PolicySettings.`);
  // resolveEnvironment (for checks) still returns the files, the token left as it was.
  const parsed = parseAppSettings(appSettings);
  const resolved = resolveEnvironment(parsed.settings, parsed.settings.environments[1], [source('Policy.xml', text)]);
  assert.equal(resolved.files[0].text, text.replace('{Settings:Present}', 'p'));
  // An environment without Tenant fails on {Settings:Tenant} with its own advice.
  const noTenant = buildEnvironments(settingsOf([{ Name: 'Dev' }]), [source('a.xml', '{Settings:Tenant}')]);
  assert.match(noTenant.environments[0].problems[0].message, /give the environment a "Tenant"/);
});

test('byte-order mark, CRLF and untouched text are kept exactly; eol reported', () => {
  const text = '<?xml version="1.0"?>\r\n<!-- {Settings:Environment} -->\r\n<x a="{Settings:Tenant}"\tb=\'1\'>  \r\n</x>';
  const result = buildEnvironments(settingsOf([{ Name: 'Test', Tenant: 't.onmicrosoft.com' }]), [source('a.xml', text, true), source('b.xml', 'a\nb\r\n', false), source('c.xml', 'x', false)]);
  const [a, b, c] = result.environments[0].files!;
  assert.equal(a.text, '<?xml version="1.0"?>\r\n<!-- Test -->\r\n<x a="t.onmicrosoft.com"\tb=\'1\'>  \r\n</x>');
  assert.equal(a.hadBom, true);
  assert.equal(a.eol, '\r\n');
  assert.deepEqual([b.hadBom, b.eol, c.eol], [false, 'mixed', 'none']);
});

test('position map: copied text maps exactly; a span in a value maps to its token; empty spans too', () => {
  const text = 'ab{Settings:K}cd{Settings:E}ef';
  const edits: SourceEdit[] = [
    { start: 2, end: 14, newText: 'VALUE' },
    { start: 16, end: 28, newText: '' },
  ];
  const { text: resolved, map } = applySourceEdits(text, edits);
  assert.equal(resolved, 'abVALUEcdef');
  const back = (start: number, end: number) => {
    const s = mapResolvedSpanToSource(map, { start, end });
    return text.slice(s.start, s.end);
  };
  assert.equal(back(0, 2), 'ab');
  assert.equal(back(3, 5), '{Settings:K}');
  assert.equal(back(1, 8), 'b{Settings:K}c');
  assert.equal(back(7, 9), 'cd');
  assert.equal(back(9, 11), 'ef');
  assert.equal(back(8, 10), 'd{Settings:E}e');
  assert.equal(back(4, 4), '{Settings:K}');
  assert.deepEqual(mapResolvedSpanToSource(map, { start: 7, end: 7 }), { start: 14, end: 14 });
  assert.deepEqual(mapResolvedSpanToSource(map, { start: 11, end: 11 }), { start: 30, end: 30 });
});

test('composed edits: applying them to the source equals applying the second edits to the resolved text (many random cases)', () => {
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let round = 0; round < 400; round++) {
    // A source with tokens, some resolved to empty values.
    let text = '';
    const firstEdits: SourceEdit[] = [];
    for (let i = 0; i < 6; i++) {
      text += 'abcdef'.slice(0, random(4));
      if (random(2)) {
        const token = `{Settings:K${i}}`;
        firstEdits.push({ start: text.length, end: text.length + token.length, newText: ['', 'v', 'value'][random(3)] });
        text += token;
      }
    }
    const first = applySourceEdits(text, firstEdits);
    // Random non-overlapping second edits on the resolved text: inserts, deletes, replacements.
    const second: SourceEdit[] = [];
    let at = 0;
    while (at <= first.text.length && second.length < 4) {
      const start = at + random(3);
      if (start > first.text.length) break;
      const end = Math.min(first.text.length, start + random(3));
      second.push({ start, end, newText: ['', 'P_', 'S'][random(3)] });
      at = end + 1;
    }
    const expected = applySourceEdits(first.text, second).text;
    const composed = composeEdits(firstEdits, first.map, first.text, second);
    assert.equal(applySourceEdits(text, composed).text, expected, `round ${round}: ${JSON.stringify({ text, firstEdits, second })}`);
  }
});

const PREFIXED = settingsOf([
  { Name: 'Dev', Tenant: 'dev.onmicrosoft.com', PolicyIdPrefix: 'DEV_', PolicyIdSuffix: '_v2', PolicySettings: { Rp: 'B2C_1A_signup_signin', Ext: 'TrustFrameworkExtensions' } },
]);

test('PolicyIdPrefix/Suffix rewrite PolicyId, PublicPolicyUri and BasePolicy of the set together; a base outside the set keeps its id', () => {
  const files = [
    source('Base.xml', rp('B2C_1A_TrustFrameworkBase', undefined)),
    source('Ext.xml', rp('B2C_1A_{Settings:Ext}', 'B2C_1A_TrustFrameworkBase')),
    source('Rp.xml', rp('{Settings:Rp}', 'B2C_1A_TRUSTFRAMEWORKEXTENSIONS')),
    source('Other.xml', rp('Custom', 'B2C_1A_SharedBase')),
  ];
  const built = buildEnvironments(PREFIXED, files).environments[0];
  assert.deepEqual(built.problems, []);
  const [base, ext, rpFile, other] = built.files!;
  assert.deepEqual([base.policyId, ext.policyId, rpFile.policyId, other.policyId], ['B2C_1A_DEV_TrustFrameworkBase_v2', 'B2C_1A_DEV_TrustFrameworkExtensions_v2', 'B2C_1A_DEV_signup_signin_v2', 'DEV_Custom_v2']);
  assert.ok(ext.text.includes('PolicyId="B2C_1A_DEV_TrustFrameworkExtensions_v2" PublicPolicyUri="http://dev.onmicrosoft.com/B2C_1A_DEV_TrustFrameworkExtensions_v2"'), ext.text);
  assert.ok(ext.text.includes('<PolicyId>B2C_1A_DEV_TrustFrameworkBase_v2</PolicyId>'));
  assert.ok(rpFile.text.includes('PolicyId="B2C_1A_DEV_signup_signin_v2" PublicPolicyUri="http://dev.onmicrosoft.com/B2C_1A_DEV_signup_signin_v2"'), rpFile.text);
  // The base is matched in any case, and written in its own case with the prefix.
  assert.ok(rpFile.text.includes('<PolicyId>B2C_1A_DEV_TRUSTFRAMEWORKEXTENSIONS_v2</PolicyId>'));
  assert.ok(other.text.includes('<PolicyId>B2C_1A_SharedBase</PolicyId>'), 'a base outside the set is not renamed');
  // The map sends the whole prefixed id of the relying party back to the token that produced it.
  const idStart = rpFile.text.indexOf('B2C_1A_DEV_signup_signin_v2');
  const span = mapResolvedSpanToSource(rpFile.map, { start: idStart, end: idStart + 'B2C_1A_DEV_signup_signin_v2'.length });
  assert.equal(rpFile.source.text.slice(span.start, span.end), '{Settings:Rp}');
  // In the Extensions file the prefix is inserted in copied text: the id maps to "B2C_1A_{Settings:Ext}".
  const extStart = ext.text.indexOf('B2C_1A_DEV_TrustFrameworkExtensions_v2');
  const extSpan = mapResolvedSpanToSource(ext.map, { start: extStart, end: extStart + 'B2C_1A_DEV_TrustFrameworkExtensions_v2'.length });
  assert.equal(ext.source.text.slice(extSpan.start, extSpan.end), 'B2C_1A_{Settings:Ext}');
  assert.equal(rewritePolicyId('b2c_1a_x', 'P_', ''), 'b2c_1a_P_x');
  assert.equal(rewritePolicyId('Plain', 'P_', '_S'), 'P_Plain_S');
});

test('policy id collisions: an error when the environment makes two ids equal, a warning when the sources already share one', () => {
  const appSettings = settingsOf([{ Name: 'Dev', Tenant: 't', PolicySettings: { A: 'Same', B: 'same' } }]);
  const made = buildEnvironments(appSettings, [source('a/P.xml', rp('B2C_1A_{Settings:A}', undefined)), source('b/P.xml', rp('B2C_1A_{Settings:B}', undefined))]).environments[0];
  assert.equal(made.files, undefined);
  assert.deepEqual(made.problems.map((p) => [p.code, p.severity, p.file]), [
    ['policy-id-collision', 'error', 'a/P.xml'],
    ['policy-id-collision', 'error', 'b/P.xml'],
  ]);
  const sourceText = made.problems[0];
  assert.equal(rp('B2C_1A_{Settings:A}', undefined).slice(sourceText.span.start, sourceText.span.end), 'B2C_1A_{Settings:A}');
  const shared = buildEnvironments(appSettings, [source('a/P.xml', rp('B2C_1A_X', undefined)), source('b/P.xml', rp('B2C_1A_x', undefined))]).environments[0];
  assert.equal(shared.files?.length, 2);
  assert.deepEqual(shared.problems.map((p) => p.severity), ['warning', 'warning']);
});

const DEV_SETTINGS = ` DeploymentMode="{Settings:Mode}"\n  UserJourneyRecorderEndpoint="urn:journeyrecorder:applicationinsights"`;
const INSIGHTS = `  <RelyingParty>
    <DefaultUserJourney ReferenceId="J" />
    <UserJourneyBehaviors>
      <JourneyInsights TelemetryEngine="ApplicationInsights" InstrumentationKey="k" DeveloperMode="{Settings:DevMode}" ClientEnabled="false" ServerEnabled="true" TelemetryVersion="1.0.0" />
    </UserJourneyBehaviors>
  </RelyingParty>
`;

test('production: DeploymentMode other than Production and JourneyInsights DeveloperMode="true" are refused, at source positions', () => {
  const text = rp('B2C_1A_RP', undefined, DEV_SETTINGS, INSIGHTS);
  const appSettings = settingsOf([
    { Name: 'Dev', Tenant: 't', PolicySettings: { Mode: 'Development', DevMode: 'true' } },
    { Name: 'Prod', Production: true, Tenant: 't', PolicySettings: { Mode: 'Development', DevMode: 'true' } },
    { Name: 'Live', Production: true, Tenant: 't', PolicySettings: { Mode: 'Production', DevMode: 'false' } },
  ]);
  const [dev, prod, live] = buildEnvironments(appSettings, [source('RP.xml', text)]).environments;
  assert.deepEqual(dev.problems, []);
  assert.deepEqual(live.problems, []);
  assert.ok(live.files![0].text.includes('UserJourneyRecorderEndpoint="urn:journeyrecorder:applicationinsights"'), 'the documented production configuration builds');
  assert.equal(prod.files, undefined);
  assert.deepEqual(
    prod.problems.map((p) => [p.code, p.severity, text.slice(p.span.start, p.span.end), p.data]),
    [
      ['development-setting-in-production', 'error', 'DeploymentMode="{Settings:Mode}"', { kind: 'deploymentMode', stripped: false }],
      ['development-setting-in-production', 'error', 'DeveloperMode="{Settings:DevMode}"', { kind: 'journeyInsights', stripped: false }],
    ],
  );
  assert.equal(prod.problems[0].range.start.line, 0);
});

test('production with the strip option: the attribute and the JourneyInsights line go, every other byte stays', () => {
  const text = rp('B2C_1A_RP', undefined, DEV_SETTINGS, INSIGHTS).replace(/\n/g, '\r\n');
  const appSettings = settingsOf([{ Name: 'Prod', Production: true, Tenant: 't', PolicySettings: { Mode: 'Development', DevMode: 'true' } }]);
  const prod = buildEnvironments(appSettings, [source('RP.xml', text, true)], { stripDevelopmentSettings: true }).environments[0];
  assert.deepEqual(prod.problems.map((p) => [p.severity, p.data]), [
    ['information', { kind: 'deploymentMode', stripped: true }],
    ['information', { kind: 'journeyInsights', stripped: true }],
  ]);
  const expected = text
    .replace(/\{Settings:Tenant\}/g, 't')
    .replace(' DeploymentMode="{Settings:Mode}"', '')
    .replace(/ {6}<JourneyInsights [^\r]*\r\n/, '');
  assert.equal(prod.files![0].text, expected);
  assert.equal(prod.files![0].hadBom, true);
  assert.ok(prod.files![0].text.includes('<UserJourneyBehaviors>\r\n    </UserJourneyBehaviors>'));
});

test('appsettings errors build nothing; unknown environment names are reported', () => {
  const broken = buildEnvironments('{"Environments": [{"Name": "a/b"}]}', [source('a.xml', 'x')]);
  assert.deepEqual(broken.environments, []);
  assert.deepEqual(broken.appSettingsProblems.map((p) => [p.code, p.file, p.range.start.character]), [['appsettings-invalid', 'appsettings.json', 27]]);
  const unknown = buildEnvironments(settingsOf([{ Name: 'Dev' }]), [], { environments: ['dev', 'Staging'] });
  assert.deepEqual(unknown.unknownEnvironments, ['Staging']);
  assert.deepEqual(unknown.environments, []);
  const chosen = buildEnvironments(settingsOf([{ Name: 'Dev' }, { Name: 'Test' }]), [source('a.xml', 'x')], { environments: ['TEST'] });
  assert.deepEqual(chosen.environments.map((e) => [e.environment, e.outputFolder]), [['Test', 'Environments/Test']]);
});

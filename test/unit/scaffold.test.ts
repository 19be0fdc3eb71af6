import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { TextEdit } from 'vscode-languageserver-types';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { SchemaCache } from '../../server/src/schemaFile';
import {
  AMAZON,
  applyEdits,
  consoleUrls,
  insertClaimsProvider,
  ScaffoldError,
  withPolicyKeyPrefix,
} from '../../server/src/service/features/scaffold';
import { LineIndex } from '../../server/src/service/xml/lines';
import { CORPUS_DIR, needsCorpus } from '../helpers/corpus';
import { serviceForFiles } from '../helpers/service';

const PACKS = ['LocalAccounts', 'SocialAccounts', 'SocialAndLocalAccounts', 'SocialAndLocalAccountsWithMfa'];

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** code + message of every finding, as a multiset. */
function findingKeys(service: Analysis, uri: string): string[] {
  return service.findings(uri).map((f) => `${f.code}: ${f.message}`);
}

function newFindings(before: string[], after: string[]): string[] {
  const remaining = [...before];
  const out: string[] = [];
  for (const a of after) {
    const i = remaining.indexOf(a);
    if (i >= 0) remaining.splice(i, 1);
    else out.push(a);
  }
  return out;
}

/** Text outside the edits is byte-identical: removing the inserted text gives back the original. */
function assertOnlyInsertionsAndValueEdits(original: string, edits: TextEdit[]): void {
  const lines = new LineIndex(original);
  const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => a.start - b.start);
  const edited = applyEdits(original, edits);
  let at = 0;
  let delta = 0;
  for (const s of spans) {
    assert.equal(edited.slice(at + delta, s.start + delta), original.slice(at, s.start), 'text between edits unchanged');
    assert.equal(edited.slice(s.start + delta, s.start + delta + s.text.length), s.text);
    delta += s.text.length - (s.end - s.start);
    at = s.end;
  }
  assert.equal(edited.slice(at + delta), original.slice(at));
}

function loadPack(pack: string): { service: Analysis; uri: (name: string) => string; files: string[] } {
  const dir = path.join(CORPUS_DIR, pack);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(dir, f));
  const { service, uris } = serviceForFiles(files);
  return { service, files: uris, uri: (name) => uris[files.findIndex((f) => path.basename(f) === name)] };
}

function applyAll(service: Analysis, changes: Record<string, TextEdit[]>): void {
  for (const [uri, edits] of Object.entries(changes)) service.index.setOpenDocument(uri, applyEdits(service.index.get(uri)!.text, edits));
}

/** Definitions LocalAccounts' base lacks (it has no social accounts), referenced by the Amazon profile. */
const LOCAL_ACCOUNTS_MISSING = ['issuerUserId', 'CreateRandomUPNUserName', 'CreateUserPrincipalName', 'CreateAlternativeSecurityId', 'SM-SocialLogin'];

for (const pack of PACKS) {
  test(`${pack}: insert Amazon with a new journey and point SignUpOrSignin at it`, { skip: needsCorpus }, () => {
    const { service, uri, files } = loadPack(pack);
    const extensions = uri('TrustFrameworkExtensions.xml');
    const relyingParty = uri('SignUpOrSignin.xml');
    const before = new Map(files.map((u) => [u, findingKeys(service, u)]));
    const originals = new Map(files.map((u) => [u, service.index.get(u)!.text]));

    const result = insertClaimsProvider(service, extensions, 'amazon', {
      clientId: 'amzn1.application-oa2-client.123',
      newJourney: 'CustomSignUpSignIn',
      relyingParties: [relyingParty],
    });
    assert.equal(result.alreadyPresent, false);
    assert.equal(result.journeyId, 'CustomSignUpSignIn');
    assert.deepEqual(Object.keys(result.edit.changes).sort(), [extensions, relyingParty].sort());
    assert.deepEqual(result.info, {
      tenant: 'yourtenant',
      allowedOrigin: 'https://yourtenant.b2clogin.com',
      returnUrl: 'https://yourtenant.b2clogin.com/yourtenant.onmicrosoft.com/oauth2/authresp',
      policyKey: 'B2C_1A_AmazonSecret',
    });
    for (const [u, edits] of Object.entries(result.edit.changes)) assertOnlyInsertionsAndValueEdits(originals.get(u)!, edits);
    // The relying party edit touches only the attribute value.
    assert.equal(result.edit.changes[relyingParty].length, 1);
    assert.equal(result.edit.changes[relyingParty][0].newText, 'CustomSignUpSignIn');

    applyAll(service, result.edit.changes);
    const ext = service.index.get(extensions)!.text;
    assert.equal(count(ext, '<TechnicalProfile Id="Amazon-OAuth2">'), 1);
    assert.match(ext, /\n    <ClaimsProvider>\n      <Domain>amazon\.com<\/Domain>\n      <DisplayName>Amazon<\/DisplayName>\n      <TechnicalProfiles>\n        <TechnicalProfile Id="Amazon-OAuth2">\n/);
    for (const expected of [
      '<Protocol Name="OAuth2" />',
      '<Item Key="ProviderName">amazon</Item>',
      '<Item Key="authorization_endpoint">https://www.amazon.com/ap/oa</Item>',
      '<Item Key="AccessTokenEndpoint">https://api.amazon.com/auth/o2/token</Item>',
      '<Item Key="ClaimsEndpoint">https://api.amazon.com/user/profile</Item>',
      '<Item Key="scope">profile</Item>',
      '<Item Key="HttpBinding">POST</Item>',
      '<Item Key="UsePolicyInRedirectUri">false</Item>',
      '<Item Key="client_id">amzn1.application-oa2-client.123</Item>',
      '<Key Id="client_secret" StorageReferenceId="B2C_1A_AmazonSecret" />',
      '<OutputClaim ClaimTypeReferenceId="issuerUserId" PartnerClaimType="user_id" />',
      '<OutputClaim ClaimTypeReferenceId="email" PartnerClaimType="email" />',
      '<OutputClaim ClaimTypeReferenceId="displayName" PartnerClaimType="name" />',
      '<OutputClaim ClaimTypeReferenceId="identityProvider" DefaultValue="amazon.com" />',
      '<OutputClaim ClaimTypeReferenceId="authenticationSource" DefaultValue="socialIdpAuthentication" />',
      '<OutputClaimsTransformation ReferenceId="CreateRandomUPNUserName" />',
      '<OutputClaimsTransformation ReferenceId="CreateUserPrincipalName" />',
      '<OutputClaimsTransformation ReferenceId="CreateAlternativeSecurityId" />',
      '<UseTechnicalProfileForSessionManagement ReferenceId="SM-SocialLogin" />',
      '<UserJourney Id="CustomSignUpSignIn">',
      '<ClaimsProviderSelection TargetClaimsExchangeId="AmazonExchange" />',
      '<ClaimsExchange Id="AmazonExchange" TechnicalProfileReferenceId="Amazon-OAuth2" />',
    ]) {
      assert.ok(ext.includes(expected), `Extensions contains ${expected}`);
    }
    assert.ok(!/secret<|client_secret">/.test(ext), 'no secret value written');
    assert.match(service.index.get(relyingParty)!.text, /<DefaultUserJourney ReferenceId="CustomSignUpSignIn" \/>/);

    // The copied journey: the effective SignUpOrSignIn with the provider in the selection step and the next step.
    const file = service.index.get(extensions)!;
    const effective = service.index.effective(file);
    const journey = effective.journey('userJourney', 'CustomSignUpSignIn')!;
    const source = effective.journey('userJourney', 'SignUpOrSignIn')!;
    assert.equal(journey.declarations.length, 1);
    assert.equal(journey.declarations[0].file.uri, extensions);
    assert.deepEqual(journey.steps.map((s) => [s.order, s.step.type]), source.steps.map((s) => [s.order, s.step.type]));
    const selectionIndex = journey.steps.findIndex((s) => s.step.type === 'CombinedSignInAndSignUp');
    assert.ok(journey.steps[selectionIndex + 1].step.exchanges.some((x) => x.id === 'AmazonExchange'));
    assert.ok(file.references.some((r) => r.kind === 'claimsExchange' && r.id === 'AmazonExchange' && r.step?.journeyId === 'CustomSignUpSignIn' && r.step.order === journey.steps[selectionIndex].order));

    // No new findings in any file (LocalAccounts: only the social definitions its base lacks).
    const added = files.flatMap((u) => newFindings(before.get(u)!, findingKeys(service, u)).map((f) => `${path.basename(u)}: ${f}`));
    if (pack === 'LocalAccounts') {
      assert.ok(added.length > 0);
      for (const f of added) {
        assert.ok(f.startsWith('TrustFrameworkExtensions.xml: unresolved-reference'), f);
        assert.ok(LOCAL_ACCOUNTS_MISSING.some((id) => f.includes(`'${id}'`)), f);
      }
      for (const id of LOCAL_ACCOUNTS_MISSING) assert.ok(added.some((f) => f.includes(`'${id}'`)), `missing ${id} reported`);
    } else {
      assert.deepEqual(added, []);
    }

    // Running it twice: reported as present, nothing duplicated.
    const again = insertClaimsProvider(service, extensions, 'amazon', {
      clientId: 'amzn1.application-oa2-client.123',
      newJourney: 'CustomSignUpSignIn',
      relyingParties: [relyingParty],
    });
    assert.equal(again.alreadyPresent, true);
    assert.deepEqual(again.edit.changes, {});
    // With new answers: values updated in place.
    const update = insertClaimsProvider(service, extensions, 'amazon', { clientId: 'other-id', policyKey: 'AmazonKey2', newJourney: 'CustomSignUpSignIn' });
    assert.equal(update.alreadyPresent, true);
    assert.deepEqual(update.edit.changes[extensions].map((e) => e.newText).sort(), ['B2C_1A_AmazonKey2', 'other-id']);
    const updated = applyEdits(ext, update.edit.changes[extensions]);
    assert.equal(count(updated, 'Amazon-OAuth2"'), 2); // the profile and the exchange
    assert.equal(count(updated, '<ClaimsExchange Id="AmazonExchange"'), 1);
    assert.equal(count(updated, 'TargetClaimsExchangeId="AmazonExchange"'), 1);
    assert.ok(updated.includes('<Item Key="client_id">other-id</Item>'));
    assert.ok(updated.includes('StorageReferenceId="B2C_1A_AmazonKey2"'));
  });
}

test('SocialAndLocalAccounts: an existing base journey gets its two steps overridden in Extensions', { skip: needsCorpus }, () => {
  const { service, uri, files } = loadPack('SocialAndLocalAccounts');
  const extensions = uri('TrustFrameworkExtensions.xml');
  const before = new Map(files.map((u) => [u, findingKeys(service, u)]));
  const result = insertClaimsProvider(service, extensions, 'amazon', { clientId: 'cid', journey: 'SignUpOrSignIn' });
  assert.equal(result.journeyId, 'SignUpOrSignIn');
  applyAll(service, result.edit.changes);
  const file = service.index.get(extensions)!;
  const own = file.journeys.find((j) => j.id === 'SignUpOrSignIn')!;
  assert.deepEqual(own.steps.map((s) => s.order), [1, 2]);
  const journey = service.index.effective(file).journey('userJourney', 'SignUpOrSignIn')!;
  assert.equal(journey.steps.length, 7);
  assert.ok(journey.steps[1].step.exchanges.some((x) => x.id === 'AmazonExchange'));
  assert.ok(journey.steps[1].step.exchanges.some((x) => x.id === 'FacebookExchange'), 'the copied step keeps the base exchanges');
  for (const u of files) assert.deepEqual(newFindings(before.get(u)!, findingKeys(service, u)), [], u);
  const again = insertClaimsProvider(service, extensions, 'amazon', { clientId: 'cid', journey: 'SignUpOrSignIn' });
  assert.equal(again.alreadyPresent, true);
  assert.deepEqual(again.edit.changes, {});
});

test('CRLF and tab indentation are kept; missing containers are created in schema order', () => {
  const base = [
    '<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicySchemaVersion="0.3.0.0" TenantId="Contoso.onmicrosoft.com" PolicyId="B2C_1A_Base" PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_Base">',
    '  <UserJourneys>',
    '    <UserJourney Id="SignUpOrSignIn">',
    '      <OrchestrationSteps>',
    '        <OrchestrationStep Order="1" Type="ClaimsProviderSelection" ContentDefinitionReferenceId="api.idpselections">',
    '          <ClaimsProviderSelections>',
    '            <ClaimsProviderSelection TargetClaimsExchangeId="FacebookExchange" />',
    '          </ClaimsProviderSelections>',
    '        </OrchestrationStep>',
    '        <OrchestrationStep Order="2" Type="ClaimsExchange">',
    '          <ClaimsExchanges>',
    '            <ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="Facebook-OAUTH" />',
    '          </ClaimsExchanges>',
    '        </OrchestrationStep>',
    '        <OrchestrationStep Order="3" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />',
    '      </OrchestrationSteps>',
    '    </UserJourney>',
    '  </UserJourneys>',
    '</TrustFrameworkPolicy>',
    '',
  ].join('\n');
  const extensionsText = [
    '<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicySchemaVersion="0.3.0.0" TenantId="Contoso.onmicrosoft.com" PolicyId="B2C_1A_Ext" PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_Ext">',
    '\t<BasePolicy>',
    '\t\t<TenantId>Contoso.onmicrosoft.com</TenantId>',
    '\t\t<PolicyId>B2C_1A_Base</PolicyId>',
    '\t</BasePolicy>',
    '\t<!-- keep me -->',
    '\t<RelyingParty>',
    '\t\t<DefaultUserJourney ReferenceId="SignUpOrSignIn" />',
    '\t</RelyingParty>',
    '</TrustFrameworkPolicy>',
    '',
  ].join('\r\n');
  const service = new Analysis({ schema: new SchemaCache().load() });
  const baseUri = pathToFileURL('/ws/Base.xml').href;
  const extUri = pathToFileURL('/ws/Ext.xml').href;
  service.index.setDiskFile(baseUri, base);
  service.index.setDiskFile(extUri, extensionsText);
  const result = insertClaimsProvider(service, extUri, 'amazon', { clientId: 'a&b', policyKey: 'AmazonSecret', relyingParties: [extUri] });
  assert.equal(result.journeyId, 'CustomSignUpSignIn');
  assert.equal(result.info.policyKey, 'B2C_1A_AmazonSecret');
  assert.equal(result.info.allowedOrigin, 'https://contoso.b2clogin.com');
  assert.equal(result.info.returnUrl, 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/oauth2/authresp');
  assertOnlyInsertionsAndValueEdits(extensionsText, result.edit.changes[extUri]);
  const text = applyEdits(extensionsText, result.edit.changes[extUri]);
  assert.equal(count(text, '\n'), count(text, '\r\n'), 'every line ends with CRLF');
  assert.ok(text.includes('\r\n\t<ClaimsProviders>\r\n\t\t<ClaimsProvider>\r\n\t\t\t<Domain>amazon.com</Domain>'));
  assert.ok(text.includes('<Item Key="client_id">a&amp;b</Item>'));
  assert.ok(!/^ /m.test(text), 'no space indentation');
  const order = ['<BasePolicy>', '<ClaimsProviders>', '<UserJourneys>', '<!-- keep me -->', '<RelyingParty>'].map((s) => text.indexOf(s));
  assert.deepEqual([...order].sort((a, b) => a - b), order);
  assert.ok(text.includes('\t\t<UserJourney Id="CustomSignUpSignIn">\r\n\t\t\t<OrchestrationSteps>\r\n\t\t\t\t<OrchestrationStep Order="1"'));
  assert.ok(text.includes('\t\t\t\t\t\t<ClaimsProviderSelection TargetClaimsExchangeId="FacebookExchange" />\r\n\t\t\t\t\t\t<ClaimsProviderSelection TargetClaimsExchangeId="AmazonExchange" />\r\n'));
  assert.ok(text.includes('<DefaultUserJourney ReferenceId="CustomSignUpSignIn" />'));
  service.index.setOpenDocument(extUri, text);
  const journey = service.index.effective(service.index.get(extUri)!).journey('userJourney', 'CustomSignUpSignIn')!;
  assert.deepEqual(journey.steps[1].step.exchanges.map((x) => x.id), ['FacebookExchange', 'AmazonExchange']);
});

test('policy key prefix, answers and template data', () => {
  assert.equal(withPolicyKeyPrefix('AmazonSecret'), 'B2C_1A_AmazonSecret');
  assert.equal(withPolicyKeyPrefix('B2C_1A_AmazonSecret'), 'B2C_1A_AmazonSecret');
  assert.equal(withPolicyKeyPrefix('b2c_1a_x'), 'b2c_1a_x');
  assert.deepEqual(consoleUrls('YourTenant.onmicrosoft.com'), {
    tenant: 'yourtenant',
    allowedOrigin: 'https://yourtenant.b2clogin.com',
    returnUrl: 'https://yourtenant.b2clogin.com/yourtenant.onmicrosoft.com/oauth2/authresp',
  });
  assert.deepEqual(AMAZON.questions.map((q) => [q.id, q.required, q.defaultValue]), [
    ['clientId', true, undefined],
    ['policyKey', false, 'B2C_1A_AmazonSecret'],
  ]);
  const service = new Analysis({ schema: new SchemaCache().load() });
  const uri = 'file:///ws/Ext.xml';
  service.index.setDiskFile(uri, '<TrustFrameworkPolicy PolicyId="X" TenantId="t.onmicrosoft.com"/>');
  assert.throws(() => insertClaimsProvider(service, uri, 'amazon', { clientId: ' ' }), ScaffoldError);
  assert.throws(() => insertClaimsProvider(service, uri, 'myspace', { clientId: 'x' }), ScaffoldError);
  assert.throws(() => insertClaimsProvider(service, uri, 'amazon', { clientId: 'x', journey: 'Nope' }), ScaffoldError);
});

test('applyEdits applies same-position inserts in order and rejects overlaps', () => {
  const at = (line: number, character: number) => ({ line, character });
  assert.equal(applyEdits('ab\ncd', [{ range: { start: at(1, 0), end: at(1, 0) }, newText: 'X' }, { range: { start: at(1, 0), end: at(1, 0) }, newText: 'Y' }, { range: { start: at(0, 0), end: at(0, 1) }, newText: 'Z' }]), 'Zb\nXYcd');
  assert.throws(() => applyEdits('abc', [{ range: { start: at(0, 0), end: at(0, 2) }, newText: '' }, { range: { start: at(0, 1), end: at(0, 3) }, newText: '' }]));
});

test('SocialAndLocalAccounts with CRLF line ends: edits keep CRLF and add no findings', { skip: needsCorpus }, () => {
  const { service, files } = loadPack('SocialAndLocalAccounts');
  for (const u of files) service.index.setOpenDocument(u, service.index.get(u)!.text.replace(/\r?\n/g, '\r\n'));
  const extensions = files.find((u) => u.endsWith('/TrustFrameworkExtensions.xml'))!;
  const relyingParty = files.find((u) => u.endsWith('/SignUpOrSignin.xml'))!;
  const before = new Map(files.map((u) => [u, findingKeys(service, u)]));
  const result = insertClaimsProvider(service, extensions, 'amazon', { clientId: 'cid', policyKey: 'AmazonSecret', relyingParties: [relyingParty] });
  assert.equal(result.journeyId, 'CustomSignUpSignIn');
  assert.equal(result.info.policyKey, 'B2C_1A_AmazonSecret');
  applyAll(service, result.edit.changes);
  const text = service.index.get(extensions)!.text;
  assert.equal(count(text, '\n'), count(text, '\r\n'));
  assert.ok(text.includes('StorageReferenceId="B2C_1A_AmazonSecret"'));
  for (const u of files) assert.deepEqual(newFindings(before.get(u)!, findingKeys(service, u)), [], u);
});

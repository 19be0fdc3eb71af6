// Inserting a claims provider into Microsoft's starter packs (read from ../shared; skipped visibly without them).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Analysis } from '../../server/src/service/analysis/analysis';
import type { TextEdit } from 'vscode-languageserver-types';
import { applyEdits, insertClaimsProvider } from '../../server/src/service/features/scaffold';
import { CORPUS_DIR, needsCorpus } from '../helpers/corpus';
import { assertOnlyInsertionsAndValueEdits, count } from '../helpers/scaffold';
import { serviceForFiles } from '../helpers/service';

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

function applyAll(service: Analysis, changes: Record<string, TextEdit[]>): void {
  for (const [uri, edits] of Object.entries(changes)) service.index.setOpenDocument(uri, applyEdits(service.index.get(uri)!.text, edits));
}

const PACKS = ['LocalAccounts', 'SocialAccounts', 'SocialAndLocalAccounts', 'SocialAndLocalAccountsWithMfa'];

function loadPack(pack: string): { service: Analysis; uri: (name: string) => string; files: string[] } {
  const dir = path.join(CORPUS_DIR, pack);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(dir, f));
  const { service, uris } = serviceForFiles(files);
  return { service, files: uris, uri: (name) => uris[files.findIndex((f) => path.basename(f) === name)] };
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

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SchemaCache } from '../../server/src/schemaFile';
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { compactPolicy as policy } from '../helpers/policies';

const schema = new SchemaCache().load();

const step = (order: number, type: string, exchange?: string) =>
  `<OrchestrationStep Order="${order}" Type="${type}">` +
  (type === 'CombinedSignInAndSignUp' || type === 'ClaimsProviderSelection' ? `<ClaimsProviderSelections><ClaimsProviderSelection TargetClaimsExchangeId="${exchange}" /></ClaimsProviderSelections>` : '') +
  (type === 'ClaimsExchange' ? `<ClaimsExchanges><ClaimsExchange Id="${exchange}" TechnicalProfileReferenceId="TP" /></ClaimsExchanges>` : '') +
  `</OrchestrationStep>`;
const journey = (id: string, ...steps: string[]) => `<UserJourney Id="${id}"><OrchestrationSteps>${steps.join('')}</OrchestrationSteps></UserJourney>`;

const BASE = policy(
  'B2C_1A_Base',
  `<ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles><TechnicalProfile Id="TP"><Protocol Name="OpenIdConnect" /></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>
<UserJourneys>${[
    journey('SignUpOrSignIn', step(1, 'CombinedSignInAndSignUp', 'A'), step(2, 'ClaimsExchange', 'A'), step(3, 'SendClaims')),
    journey('ProfileEdit', step(1, 'ClaimsProviderSelection', 'B'), step(2, 'ClaimsExchange', 'B'), step(3, 'SendClaims')),
    journey('PasswordReset', step(1, 'ClaimsExchange', 'C'), step(2, 'SendClaims')),
    journey('RedeemRefreshToken', step(1, 'ClaimsExchange', 'D'), step(2, 'SendClaims')),
    journey('SelectionLast', step(1, 'ClaimsProviderSelection', 'E')),
  ].join('\n')}</UserJourneys>`,
);
const EXT = policy('B2C_1A_Ext', `<UserJourneys>${journey('CustomSignUpSignIn', step(1, 'CombinedSignInAndSignUp', 'F'), step(2, 'ClaimsExchange', 'F'), step(3, 'SendClaims'))}</UserJourneys>`, 'B2C_1A_Base');
const rp = (id: string, journeyId: string) => policy(id, `<RelyingParty><DefaultUserJourney ReferenceId="${journeyId}" /></RelyingParty>`, 'B2C_1A_Ext');

/** The starter pack's three relying parties and two more: five relying parties build on the Extensions file. */
const RELYING_PARTIES: Record<string, [string, string]> = {
  'file:///ws/pack/SignUpOrSignin.xml': ['B2C_1A_signup_signin', 'SignUpOrSignIn'],
  'file:///ws/pack/SignUpOrSigninKmsi.xml': ['B2C_1A_signup_signin_kmsi', 'signuporsignin'],
  'file:///ws/pack/PasswordReset.xml': ['B2C_1A_PasswordReset', 'PasswordReset'],
  'file:///ws/pack/ProfileEdit.xml': ['B2C_1A_ProfileEdit', 'ProfileEdit'],
  'file:///ws/pack/SignInWithAmazon.xml': ['B2C_1A_signin_amazon', 'CustomSignUpSignIn'],
};
const EXT_URI = 'file:///ws/pack/TrustFrameworkExtensions.xml';

function workspace(base = BASE): PolicyLanguageService {
  const s = new PolicyLanguageService({ schema });
  s.setDiskFile('file:///ws/pack/TrustFrameworkBase.xml', base);
  s.setDiskFile(EXT_URI, EXT);
  for (const [uri, [id, j]] of Object.entries(RELYING_PARTIES)) s.setDiskFile(uri, rp(id, j));
  // Another sample beside it: same PolicyIds, other folder; its relying party is not in this chain.
  s.setDiskFile('file:///ws/other/TrustFrameworkBase.xml', base);
  s.setDiskFile('file:///ws/other/TrustFrameworkExtensions.xml', EXT);
  s.setDiskFile('file:///ws/other/SignUpOrSignin.xml', rp('B2C_1A_signup_signin', 'SignUpOrSignIn'));
  return s;
}

const preselected = (s: PolicyLanguageService, j?: string) =>
  s.scaffoldContext(EXT_URI, j).relyingParties.filter((r) => r.preselect).map((r) => r.policyId).sort();

test('five relying parties: only those on the journey a new one is copied from are pre-selected; all are listed', () => {
  const s = workspace();
  const context = s.scaffoldContext(EXT_URI);
  assert.equal(context.copySource, 'SignUpOrSignIn');
  assert.deepEqual(context.relyingParties.map((r) => `${r.policyId} (${r.defaultJourney})`).sort(), [
    'B2C_1A_PasswordReset (PasswordReset)',
    'B2C_1A_ProfileEdit (ProfileEdit)',
    'B2C_1A_signin_amazon (CustomSignUpSignIn)',
    'B2C_1A_signup_signin (SignUpOrSignIn)',
    'B2C_1A_signup_signin_kmsi (signuporsignin)',
  ]);
  assert.deepEqual(preselected(s), ['B2C_1A_signup_signin', 'B2C_1A_signup_signin_kmsi']);
});

test('a chosen existing journey pre-selects its own relying parties', () => {
  const s = workspace();
  assert.deepEqual(preselected(s, 'CustomSignUpSignIn'), ['B2C_1A_signin_amazon']);
  assert.deepEqual(preselected(s, 'profileedit'), ['B2C_1A_ProfileEdit']);
});

test('only journeys that can take a provider button are offered', () => {
  // PasswordReset and RedeemRefreshToken have no selection step; SelectionLast has no step after it for the exchange.
  assert.deepEqual(workspace().scaffoldContext(EXT_URI).journeys, ['CustomSignUpSignIn', 'ProfileEdit', 'SignUpOrSignIn']);
  const s = workspace();
  for (const j of ['PasswordReset', 'RedeemRefreshToken', 'SelectionLast']) {
    const result = s.insertClaimsProvider({ uri: EXT_URI, provider: 'amazon', answers: { clientId: 'amzn1.x', journey: j } });
    assert.ok('error' in result, `${j} really fails`);
  }
});

test('no SignUpOrSignIn to copy: no copy source, nothing pre-selected for a new journey', () => {
  const s = workspace(BASE.replace('Id="SignUpOrSignIn"', 'Id="SignIn"'));
  const context = s.scaffoldContext(EXT_URI);
  assert.equal(context.copySource, undefined);
  assert.deepEqual(context.relyingParties.filter((r) => r.preselect), []);
});

test('inserting with the pre-selected relying parties leaves PasswordReset and ProfileEdit on their journeys', () => {
  const s = workspace();
  const chosen = s.scaffoldContext(EXT_URI).relyingParties.filter((r) => r.preselect).map((r) => r.uri);
  const result = s.insertClaimsProvider({ uri: EXT_URI, provider: 'amazon', answers: { clientId: 'amzn1.x', newJourney: 'AmazonSignUpSignIn', relyingParties: chosen } });
  assert.ok(!('error' in result));
  assert.deepEqual(Object.keys(result.edit.changes).sort(), [EXT_URI, 'file:///ws/pack/SignUpOrSignin.xml', 'file:///ws/pack/SignUpOrSigninKmsi.xml'].sort());
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkTechnicalProfileMetadata } from '../../server/src/service/rules/technicalProfileMetadata';
import { codes, runRules, spanOf } from '../helpers/catalogRules';
import { policy } from '../helpers/policies';

const BASE = 'file:///ws/TrustFrameworkBase.xml';
const EXT = 'file:///ws/TrustFrameworkExtensions.xml';
const SELF_ASSERTED = 'Web.TPEngine.Providers.SelfAssertedAttributeProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null';
const AAD = 'Web.TPEngine.Providers.AzureActiveDirectoryProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null';

const providers = (profiles: string) => `  <ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles>
${profiles}
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;

const LOGIN = (metadata: string) => `    <TechnicalProfile Id="login-NonInteractive">
      <DisplayName>Local Account SignIn</DisplayName>
      <Protocol Name="OpenIdConnect" />
      <Metadata>
        <Item Key="METADATA">https://login.microsoftonline.com/{tenant}/.well-known/openid-configuration</Item>
        <Item Key="response_types">id_token</Item>
${metadata}
      </Metadata>
    </TechnicalProfile>`;

const check = (files: Record<string, string>, uri: string) => runRules([checkTechnicalProfileMetadata], files, uri);

test('a complete OpenID Connect profile gives nothing', () => {
  const base = policy('B2C_1A_Base', providers(LOGIN('        <Item Key="client_id">11111111-1111-1111-1111-111111111111</Item>')));
  assert.deepEqual(check({ [BASE]: base }, BASE), []);
});

test('a misspelled key is a warning with the closest key of the type, on the Key value', () => {
  const base = policy('B2C_1A_Base', providers(LOGIN('        <Item Key="client_id">x</Item>\n        <Item Key="ClientId">y</Item>')));
  const findings = check({ [BASE]: base }, BASE);
  assert.deepEqual(codes(findings), ['warning unknown-metadata-key']);
  assert.deepEqual(findings[0].span, spanOf(base, '"ClientId"', 'ClientId'));
  assert.deepEqual(findings[0].data, { key: 'ClientId', closest: 'client_id', profileType: 'openid-connect' });
});

test('ClaimTypeOnWhichToEnable / ClaimValueOnWhichToEnable are read by every type (technicalprofiles.md); response_types by OAuth2 (its page); api-version by the AAD provider (samples#449)', () => {
  const oauth2 = `    <TechnicalProfile Id="Facebook-Unlink">
      <DisplayName>Unlink Facebook</DisplayName>
      <Protocol Name="OAuth2" />
      <Metadata>
        <Item Key="ClaimTypeOnWhichToEnable">issuers</Item>
        <Item Key="ClaimValueOnWhichToEnable">facebook.com</Item>
        <Item Key="response_types">code</Item>
      </Metadata>
      <EnabledForUserJourneys>OnItemExistenceInStringCollectionClaim</EnabledForUserJourneys>
    </TechnicalProfile>
    <TechnicalProfile Id="AAD-Write">
      <DisplayName>Write</DisplayName>
      <Protocol Name="Proprietary" Handler="${AAD}" />
      <Metadata>
        <Item Key="Operation">Write</Item>
        <Item Key="api-version">1.6</Item>
        <Item Key="api-versio">1.6</Item>
      </Metadata>
    </TechnicalProfile>`;
  const base = policy('B2C_1A_Base', providers(oauth2));
  const findings = check({ [BASE]: base }, BASE).filter((f) => f.code === 'unknown-metadata-key');
  assert.deepEqual(findings.map((f) => f.data?.key), ['api-versio'], 'only the misspelling is unknown');
  assert.equal(findings[0].data?.closest, 'api-version');
});

test('the JWT issuer reads ClientCredentialsUserJourneyId (client-credentials-grant-flow.md)', () => {
  const issuer = `    <TechnicalProfile Id="JwtIssuer">
      <DisplayName>JWT Issuer</DisplayName>
      <Protocol Name="None" />
      <OutputTokenFormat>JWT</OutputTokenFormat>
      <Metadata>
        <Item Key="issuer_refresh_token_user_identity_claim_type">objectId</Item>
        <Item Key="ClientCredentialsUserJourneyId">ClientCredentialsJourney</Item>
        <Item Key="ClientCredentialUserJourneyId">ClientCredentialsJourney</Item>
      </Metadata>
      <CryptographicKeys>
        <Key Id="issuer_secret" StorageReferenceId="B2C_1A_TokenSigningKeyContainer" />
        <Key Id="issuer_refresh_token_key" StorageReferenceId="B2C_1A_TokenEncryptionKeyContainer" />
      </CryptographicKeys>
    </TechnicalProfile>`;
  const findings = check({ [BASE]: policy('B2C_1A_Base', providers(issuer)) }, BASE);
  assert.deepEqual(findings.map((f) => [f.code, f.data?.key, f.data?.closest]), [['unknown-metadata-key', 'ClientCredentialUserJourneyId', 'ClientCredentialsUserJourneyId']]);
});

test('an OpenID Connect identity provider written with OutputTokenFormat JWT is judged as a provider, not as a JWT issuer', () => {
  // As Microsoft's custom-claims-provider sample and the Azure AD setup page's ContosoProfile write it.
  const provider = `    <TechnicalProfile Id="ClaimsExchange-OIDC">
      <DisplayName>Contoso</DisplayName>
      <Protocol Name="OpenIdConnect" />
      <OutputTokenFormat>JWT</OutputTokenFormat>
      <Metadata>
        <Item Key="METADATA">https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration</Item>
        <Item Key="ProviderName">https://sts.windows.net/00000000-0000-0000-0000-000000000000/</Item>
        <Item Key="client_id">11111111-1111-1111-1111-111111111111</Item>
        <Item Key="IdTokenAudience">11111111-1111-1111-1111-111111111111</Item>
        <Item Key="response_types">id_token</Item>
        <Item Key="UsePolicyInRedirectUri">false</Item>
        <Item Key="response_mode">form_post</Item>
      </Metadata>
    </TechnicalProfile>`;
  assert.deepEqual(codes(check({ [BASE]: policy('B2C_1A_Base', providers(provider)) }, BASE)), []);
});

test('an empty required item is an error with the service\'s facts (message #13), on the item of the file that holds it', () => {
  const base = policy('B2C_1A_Base', providers(LOGIN('')));
  const ext = policy('B2C_1A_Ext', providers('    <TechnicalProfile Id="login-NonInteractive"><Metadata><Item Key="client_id"></Item></Metadata></TechnicalProfile>'), 'B2C_1A_Base');
  const files = { [BASE]: base, [EXT]: ext };
  const inExt = check(files, EXT);
  assert.deepEqual(codes(inExt), ['error missing-metadata']);
  assert.match(inExt[0].message, /TechnicalProfile "login-NonInteractive" defines an invalid value "" for the metadata item "client_id"/);
  assert.deepEqual(inExt[0].span, spanOf(ext, '"client_id"', 'client_id'));
  assert.equal(inExt[0].data!.empty, true);
  assert.deepEqual(check(files, BASE), [], 'the base is not blamed: its Extensions sets the item');
});

test('a missing required item: reported on the declaration unless a policy that builds on the file supplies it', () => {
  const base = policy('B2C_1A_Base', providers(LOGIN('')));
  const alone = check({ [BASE]: base }, BASE);
  assert.deepEqual(codes(alone), ['error missing-metadata']);
  assert.deepEqual(alone[0].span, spanOf(base, 'Id="login-NonInteractive"', 'login-NonInteractive'));
  assert.deepEqual(alone[0].data, { id: 'login-NonInteractive', key: 'client_id', empty: false, profileType: 'openid-connect' });

  const ext = policy('B2C_1A_Ext', providers('    <TechnicalProfile Id="login-NonInteractive"><Metadata><Item Key="client_id">abc</Item></Metadata></TechnicalProfile>'), 'B2C_1A_Base');
  const files = { [BASE]: base, [EXT]: ext };
  assert.deepEqual(check(files, BASE), []);
  assert.deepEqual(check(files, EXT), []);

  const extWithout = policy('B2C_1A_Ext', '', 'B2C_1A_Base');
  assert.deepEqual(codes(check({ [BASE]: base, [EXT]: extWithout }, BASE)), ['error missing-metadata']);
  assert.deepEqual(check({ [BASE]: base, [EXT]: extWithout }, EXT), [], 'reported where the profile is declared only');
});

test('required keys: OAuth2 needs client_secret unless it authenticates with private_key_jwt', () => {
  const oauth = (extra: string) =>
    policy(
      'B2C_1A_Base',
      providers(`    <TechnicalProfile Id="Facebook-OAUTH">
      <DisplayName>Facebook</DisplayName>
      <Protocol Name="OAuth2" />
      <Metadata>
        <Item Key="client_id">1</Item>
        <Item Key="authorization_endpoint">https://www.facebook.com/dialog/oauth</Item>
        <Item Key="AccessTokenEndpoint">https://graph.facebook.com/oauth/access_token</Item>
        <Item Key="ClaimsEndpoint">https://graph.facebook.com/me</Item>
${extra}
      </Metadata>
    </TechnicalProfile>`),
    );
  const without = oauth('');
  const findings = check({ [BASE]: without }, BASE);
  assert.deepEqual(codes(findings), ['error missing-cryptographic-key']);
  assert.deepEqual(findings[0].data, { id: 'Facebook-OAUTH', keyId: 'client_secret', profileType: 'oauth2' });
  assert.deepEqual(findings[0].span, spanOf(without, '"Facebook-OAUTH"', 'Facebook-OAUTH'));
  const jwt = oauth('        <Item Key="token_endpoint_auth_method">private_key_jwt</Item>');
  assert.deepEqual(
    check({ [BASE]: jwt }, BASE).map((f) => f.data!.keyId),
    ['assertion_signing_key'],
  );
});

test('duplicate Item Keys in one Metadata element: an error on the second (service message #21)', () => {
  const base = policy('B2C_1A_Base', providers(LOGIN('        <Item Key="client_id">a</Item>\n        <Item Key="client_id">b</Item>')));
  const findings = check({ [BASE]: base }, BASE);
  assert.deepEqual(codes(findings), ['error duplicate-metadata-key']);
  assert.deepEqual(findings[0].span, spanOf(base, 'Key="client_id">b', 'client_id'));
});

test('values: a bad boolean or enumeration is a warning on the value; 0, case variants, tokens and claim resolvers pass', () => {
  const body = LOGIN(`        <Item Key="client_id">{Settings:ClientId}</Item>
        <Item Key="UsePolicyInRedirectUri">nope</Item>
        <Item Key="HttpBinding">post</Item>
        <Item Key="response_mode">body</Item>
        <Item Key="SingleLogoutEnabled">0</Item>
        <Item Key="ProviderName">{OIDC:ClientId}</Item>`);
  const base = policy('B2C_1A_Base', providers(body));
  const findings = check({ [BASE]: base }, BASE);
  assert.deepEqual(codes(findings), ['warning invalid-metadata-value', 'warning invalid-metadata-value']);
  assert.deepEqual(findings[0].span, spanOf(base, '>nope<', 'nope'));
  assert.deepEqual(findings[1].data, { key: 'response_mode', value: 'body', values: ['query', 'form_post', 'fragment'] });
});

test('handlers: an unknown type name is an error with the closest handler; Proprietary without Handler too', () => {
  const wrong = SELF_ASSERTED.replace('SelfAssertedAttributeProvider', 'SelfAssertedAttributesProvider');
  const base = policy(
    'B2C_1A_Base',
    providers(`    <TechnicalProfile Id="A"><DisplayName>A</DisplayName><Protocol Name="Proprietary" Handler="${wrong}" /></TechnicalProfile>
    <TechnicalProfile Id="B"><DisplayName>B</DisplayName><Protocol Name="Proprietary" /></TechnicalProfile>`),
  );
  const findings = check({ [BASE]: base }, BASE);
  assert.deepEqual(codes(findings), ['error unknown-protocol-handler', 'error unknown-protocol-handler']);
  assert.deepEqual(findings[0].span, spanOf(base, `"${wrong}"`, wrong));
  assert.equal(findings[0].data!.closest, 'Web.TPEngine.Providers.SelfAssertedAttributeProvider');
  assert.deepEqual(findings[1].span, spanOf(base, '<Protocol Name="Proprietary" />', 'Protocol'));
});

test('self-asserted: ContentDefinitionReferenceId required unless the step that runs the profile has a content definition; language.* accepted', () => {
  const profile = (id: string, metadata: string) =>
    `    <TechnicalProfile Id="${id}"><DisplayName>S</DisplayName><Protocol Name="Proprietary" Handler="${SELF_ASSERTED}" /><Metadata>${metadata}</Metadata></TechnicalProfile>`;
  const journeys = `  <UserJourneys><UserJourney Id="J"><OrchestrationSteps>
    <OrchestrationStep Order="1" Type="CombinedSignInAndSignUp" ContentDefinitionReferenceId="api.signuporsignin">
      <ClaimsExchanges><ClaimsExchange Id="X" TechnicalProfileReferenceId="ByStep" /></ClaimsExchanges>
    </OrchestrationStep>
  </OrchestrationSteps></UserJourney></UserJourneys>`;
  const base = policy(
    'B2C_1A_Base',
    providers([profile('ByStep', ''), profile('Alone', '<Item Key="language.button_continue">Go</Item>')].join('\n')) + '\n' + journeys,
  );
  const findings = check({ [BASE]: base }, BASE);
  assert.deepEqual(
    findings.map((f) => `${f.code} ${f.data!.id}`),
    ['missing-metadata Alone'],
  );
});

test('included profiles give protocol and items; a profile others include is a building block, not judged for requirements', () => {
  const base = policy(
    'B2C_1A_Base',
    providers(`    <TechnicalProfile Id="AAD-Common"><DisplayName>AAD</DisplayName><Protocol Name="Proprietary" Handler="${AAD}" /></TechnicalProfile>
    <TechnicalProfile Id="AAD-Read"><Metadata><Item Key="Operation">Read</Item><Item Key="Operations">Read</Item></Metadata><IncludeTechnicalProfile ReferenceId="AAD-Common" /></TechnicalProfile>
    <TechnicalProfile Id="AAD-NoOp"><IncludeTechnicalProfile ReferenceId="AAD-Common" /></TechnicalProfile>`),
  );
  const findings = check({ [BASE]: base }, BASE);
  assert.deepEqual(
    findings.map((f) => `${f.code} ${f.data!.key ?? ''} ${f.data!.id ?? ''}`.trim()),
    ['unknown-metadata-key Operations', 'missing-metadata Operation AAD-NoOp'],
  );
});

test('extension attributes on a directory profile require ApplicationObjectId and ClientId (service message #14)', () => {
  const base = policy(
    'B2C_1A_Base',
    providers(`    <TechnicalProfile Id="AAD-UserWriteMFAMethod"><DisplayName>W</DisplayName><Protocol Name="Proprietary" Handler="${AAD}" />
      <Metadata><Item Key="Operation">Write</Item></Metadata>
      <PersistedClaims><PersistedClaim ClaimTypeReferenceId="extension_mfaMethod" /></PersistedClaims>
    </TechnicalProfile>`),
  );
  assert.deepEqual(
    check({ [BASE]: base }, BASE).map((f) => f.data!.key),
    ['ApplicationObjectId', 'ClientId'],
  );
});

test('SAML: PartnerEntity on a SAML relying party; a Protocol None + OutputTokenFormat SAML2 profile is a SAML issuer (as Microsoft\'s saml-sp samples write them)', () => {
  const rp = policy(
    'B2C_1A_RP',
    `  <ClaimsProviders><ClaimsProvider><DisplayName>Token Issuer</DisplayName><TechnicalProfiles>
    <TechnicalProfile Id="Saml2AssertionIssuer">
      <DisplayName>Token Issuer</DisplayName>
      <Protocol Name="None" />
      <OutputTokenFormat>SAML2</OutputTokenFormat>
      <Metadata><Item Key="IssuerUri">https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1A_saml</Item></Metadata>
      <CryptographicKeys>
        <Key Id="MetadataSigning" StorageReferenceId="B2C_1A_SamlIdpCert" />
        <Key Id="SamlAssertionSigning" StorageReferenceId="B2C_1A_SamlIdpCert" />
        <Key Id="SamlMessageSigning" StorageReferenceId="B2C_1A_SamlIdpCert" />
      </CryptographicKeys>
    </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>
  <RelyingParty><DefaultUserJourney ReferenceId="J" /><TechnicalProfile Id="PolicyProfile"><DisplayName>P</DisplayName><Protocol Name="SAML2" />
    <Metadata><Item Key="PartnerEntity">https://samltestapp.example/metadata</Item></Metadata>
  </TechnicalProfile></RelyingParty>`,
  );
  assert.deepEqual(codes(check({ [BASE]: rp }, BASE)), []);
});

test('relying party SAML metadata is judged against relyingparty.md', () => {
  const rp = policy(
    'B2C_1A_RP',
    `  <RelyingParty><DefaultUserJourney ReferenceId="J" /><TechnicalProfile Id="PolicyProfile"><DisplayName>P</DisplayName><Protocol Name="SAML2" />
    <Metadata><Item Key="KeyEncryptionMethod">RsaOaep</Item><Item Key="WantsSignedResponse">true</Item></Metadata>
  </TechnicalProfile></RelyingParty>`,
  );
  const findings = check({ [BASE]: rp }, BASE);
  assert.deepEqual(codes(findings), ['warning unknown-metadata-key']);
  assert.equal(findings[0].data!.closest, 'WantsSignedResponses');
});

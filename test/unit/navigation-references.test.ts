import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { at, EXTENSIONS, navigationService, showLocations, TEXTS, uriOf, type FileKey } from './navigation-fixture';

const service = navigationService();

function references(key: FileKey, needle: string, includeDeclaration = true, env: 'dev' | 'prod' = 'dev', s = service): string[] {
  return showLocations(s, s.references(uriOf(key, env), at(s.text(uriOf(key, env))!, needle), includeDeclaration));
}

const EMAIL = [
  'RP:13 <OutputClaim ClaimTypeReferenceId="[email]" />',
  'Base:9 <ClaimType Id="[email]">',
  'Base:48 <OutputClaim ClaimTypeReferenceId="[email]" Required="true" />',
  'Base:60 <OutputClaim ClaimTypeReferenceId="[email]" />',
  'Extensions:21 <OutputClaim ClaimTypeReferenceId="[email]" />',
  'Localization:14 <LocalizedString ElementType="ClaimType" ElementId="[email]" StringId="DisplayName">Email Address</LocalizedString>',
];

test('references of a claim type: every file of every chain that contains it, localization entries included, never the other environment', () => {
  assert.deepEqual(references('Base', '<ClaimType Id="em|ail"'), EMAIL);
  // The same answer from any occurrence of the symbol.
  assert.deepEqual(references('RP', 'ClaimTypeReferenceId="em|ail"'), EMAIL);
  assert.deepEqual(references('Localization', 'ElementId="e|mail"'), EMAIL);
  // Without the declaration.
  assert.deepEqual(references('RP', 'ClaimTypeReferenceId="em|ail"', false), EMAIL.filter((l) => !l.includes('ClaimType Id=')));
  // prod/ has the same PolicyIds: its own symbol.
  assert.deepEqual(references('RP', 'ClaimTypeReferenceId="em|ail"', true, 'prod'), EMAIL.map((l) => 'prod/' + l));
});

test('references include the overriding definitions in descendants, and the case-insensitive matches', () => {
  assert.deepEqual(references('Base', 'TechnicalProfile Id="login|'), [
    'Base:34 <TechnicalProfile Id="[login-NonInteractive]">',
    'Base:53 <ValidationTechnicalProfile ReferenceId="[login-NonInteractive]" />',
    'Extensions:11 <TechnicalProfile Id="[login-NonInteractive]">',
    'Extensions:24 <ValidationTechnicalProfile ReferenceId="[login-NonInteractive]" />',
  ]);
  assert.deepEqual(references('Extensions', 'TechnicalProfile Id="login|', false), [
    'Base:53 <ValidationTechnicalProfile ReferenceId="[login-NonInteractive]" />',
    'Extensions:24 <ValidationTechnicalProfile ReferenceId="[login-NonInteractive]" />',
  ]);
  assert.deepEqual(references('Base', '<ClaimType Id="sur|'), ['Base:14 <ClaimType Id="[surname]">', 'Base:49 <OutputClaim ClaimTypeReferenceId="[surName]" />']);
});

test('references of a claim type from Precondition values and SubjectNamingInfo', () => {
  assert.deepEqual(references('Base', '<Value>obj|'), [
    'RP:14 <OutputClaim ClaimTypeReferenceId="[objectId]" PartnerClaimType="sub" />',
    'RP:16 <SubjectNamingInfo ClaimType="[objectId]" />',
    'Base:5 <ClaimType Id="[objectId]">',
    'Base:38 <OutputClaim ClaimTypeReferenceId="[objectId]" PartnerClaimType="oid" />',
    'Base:50 <OutputClaim ClaimTypeReferenceId="[objectId]" />',
    'Base:67 <InputClaim ClaimTypeReferenceId="[objectId]" Required="true" />',
    'Base:105 <Value>[objectId]</Value>',
  ]);
});

test('references of a technical profile include the ClaimsExchanges that use it', () => {
  assert.deepEqual(references('Base', 'TechnicalProfile Id="Facebook|', false), ['Base:110 <ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="[Facebook-OAUTH]" />']);
});

test('references of a claims exchange: the selections that target it and its localized button text', () => {
  const facebook = [
    'Base:95 <ClaimsProviderSelection TargetClaimsExchangeId="[FacebookExchange]" />',
    'Base:110 <ClaimsExchange Id="[FacebookExchange]" TechnicalProfileReferenceId="Facebook-OAUTH" />',
    'Localization:15 <LocalizedString ElementType="ClaimsProvider" StringId="[FacebookExchange]">Facebook</LocalizedString>',
  ];
  assert.deepEqual(references('Base', 'TargetClaimsExchangeId="Face|'), facebook);
  assert.deepEqual(references('Base', '<ClaimsExchange Id="Face|'), facebook);
  assert.deepEqual(references('Base', '<ClaimsExchange Id="Local|'), [
    'Base:96 <ClaimsProviderSelection ValidationClaimsExchangeId="[LocalAccountSigninEmailExchange]" />',
    'Base:99 <ClaimsExchange Id="[LocalAccountSigninEmailExchange]" TechnicalProfileReferenceId="SelfAsserted-LocalAccountSignin-Email" />',
  ]);
});

test('a step overridden in a descendant links both exchanges through the base selection', () => {
  const override = `  <UserJourneys>
    <UserJourney Id="SignUpOrSignIn">
      <OrchestrationSteps>
        <OrchestrationStep Order="2" Type="ClaimsExchange">
          <ClaimsExchanges>
            <ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="Ext-Profile" />
          </ClaimsExchanges>
        </OrchestrationStep>
      </OrchestrationSteps>
    </UserJourney>
  </UserJourneys>
</TrustFrameworkPolicy>`;
  const s = navigationService({ Extensions: EXTENSIONS.replace('</TrustFrameworkPolicy>', override) });
  const expected = [
    'Base:95 <ClaimsProviderSelection TargetClaimsExchangeId="[FacebookExchange]" />',
    'Base:110 <ClaimsExchange Id="[FacebookExchange]" TechnicalProfileReferenceId="Facebook-OAUTH" />',
    'Extensions:35 <ClaimsExchange Id="[FacebookExchange]" TechnicalProfileReferenceId="Ext-Profile" />',
    'Localization:15 <LocalizedString ElementType="ClaimsProvider" StringId="[FacebookExchange]">Facebook</LocalizedString>',
  ];
  assert.deepEqual(references('Extensions', '<ClaimsExchange Id="Face|', true, 'dev', s), expected);
  assert.deepEqual(references('Base', 'TargetClaimsExchangeId="Face|', true, 'dev', s), expected);
});

test('references of a PolicyId: the BasePolicy elements that resolve to it', () => {
  assert.deepEqual(references('Extensions', '<PolicyId>B2C|'), [
    'Extensions:5 <PolicyId>[B2C_1A_TrustFrameworkLocalization]</PolicyId>',
    `Localization:2 ${TEXTS.Localization.split('\n')[1].replace('PolicyId="B2C_1A_TrustFrameworkLocalization"', 'PolicyId="[B2C_1A_TrustFrameworkLocalization]"')}`,
  ]);
});

test('no references where no id is', () => {
  assert.deepEqual(references('Base', '<DisplayName>Em|ail'), []);
});

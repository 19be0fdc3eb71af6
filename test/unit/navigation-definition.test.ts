import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { at, BASE, EXTENSIONS, LOCALIZATION, navigationService, RELYING_PARTY, show, showLinks, TEXTS, uriOf, type FileKey } from './navigation-fixture';

const service = navigationService();

/** Go to definition from the `|` in `needle` of a dev file: each target shown in its line, and the origin. */
function definition(key: FileKey, needle: string, env: 'dev' | 'prod' = 'dev'): { targets: string[]; origins: string[] } {
  const uri = uriOf(key, env);
  const links = service.definition(uri, at(TEXTS[key], needle));
  return { targets: showLinks(service, links), origins: [...new Set(links.map((l) => show(service, uri, l.originSelectionRange!)))] };
}

test('definition from a reference in a relying party: the claim type in the base of its own environment', () => {
  assert.deepEqual(definition('RP', 'ClaimTypeReferenceId="em|ail"'), {
    targets: ['Base:9 <ClaimType Id="[email]">'],
    origins: ['RP:13 <OutputClaim ClaimTypeReferenceId="[email]" />'],
  });
  assert.deepEqual(definition('RP', 'ClaimTypeReferenceId="em|ail"', 'prod').targets, ['prod/Base:9 <ClaimType Id="[email]">']);
});

test('definition of an element completed further down the chain: every part, nearest first; a base sees only its own chain', () => {
  assert.deepEqual(definition('Extensions', 'ValidationTechnicalProfile ReferenceId="login|').targets, [
    'Extensions:11 <TechnicalProfile Id="[login-NonInteractive]">',
    'Base:34 <TechnicalProfile Id="[login-NonInteractive]">',
  ]);
  // The base's own reference is judged with the base's chain: the Extensions part is not in it.
  assert.deepEqual(definition('Base', 'ValidationTechnicalProfile ReferenceId="login-Non|').targets, ['Base:34 <TechnicalProfile Id="[login-NonInteractive]">']);
});

test('definition targets select the id and span the whole element (for Peek)', () => {
  const [link] = service.definition(uriOf('RP'), at(RELYING_PARTY, 'DefaultUserJourney ReferenceId="SignUp|'));
  assert.equal(link.targetUri, uriOf('Base'));
  assert.equal(show(service, link.targetUri, link.targetSelectionRange), 'Base:91 <UserJourney Id="[SignUpOrSignIn]">');
  const lines = BASE.split('\n');
  assert.equal(lines[link.targetRange.start.line].slice(link.targetRange.start.character), '<UserJourney Id="SignUpOrSignIn">');
  assert.equal(lines[link.targetRange.end.line].slice(0, link.targetRange.end.character).trim(), '</UserJourney>');
});

test('definition from the id of a definition: the element it overrides; a root definition goes to itself', () => {
  assert.deepEqual(definition('Extensions', 'TechnicalProfile Id="login-|').targets, ['Base:34 <TechnicalProfile Id="[login-NonInteractive]">']);
  assert.deepEqual(definition('Base', 'TechnicalProfile Id="login-|').targets, ['Base:34 <TechnicalProfile Id="[login-NonInteractive]">']);
});

test('definition of claims exchanges: TargetClaimsExchangeId in the next step, ValidationClaimsExchangeId in the same step', () => {
  assert.deepEqual(definition('Base', 'TargetClaimsExchangeId="Face|'), {
    targets: ['Base:110 <ClaimsExchange Id="[FacebookExchange]" TechnicalProfileReferenceId="Facebook-OAUTH" />'],
    origins: ['Base:95 <ClaimsProviderSelection TargetClaimsExchangeId="[FacebookExchange]" />'],
  });
  assert.deepEqual(definition('Base', 'ValidationClaimsExchangeId="Local|').targets, [
    'Base:99 <ClaimsExchange Id="[LocalAccountSigninEmailExchange]" TechnicalProfileReferenceId="SelfAsserted-LocalAccountSignin-Email" />',
  ]);
});

test('definition of BasePolicy/PolicyId: the base file, at its PolicyId', () => {
  const links = service.definition(uriOf('Extensions'), at(EXTENSIONS, '<PolicyId>B2C_1A_Trust|'));
  assert.equal(links.length, 1);
  assert.equal(links[0].targetUri, uriOf('Localization'));
  assert.equal(show(service, uriOf('Extensions'), links[0].originSelectionRange!), 'Extensions:5 <PolicyId>[B2C_1A_TrustFrameworkLocalization]</PolicyId>');
  const selected = LOCALIZATION.split('\n')[links[0].targetSelectionRange.start.line].slice(links[0].targetSelectionRange.start.character, links[0].targetSelectionRange.end.character);
  assert.equal(selected, 'B2C_1A_TrustFrameworkLocalization');
});

test('definition from the other reference kinds: Precondition value, localization ElementId, metadata item, SubjectNamingInfo, case-only match', () => {
  assert.deepEqual(definition('Base', '<Value>object|').targets, ['Base:5 <ClaimType Id="[objectId]">']);
  assert.deepEqual(definition('Localization', 'ElementId="em|').targets, ['Base:9 <ClaimType Id="[email]">']);
  assert.deepEqual(definition('Base', '<Item Key="ContentDefinitionReferenceId">api|').targets, ['Base:24 <ContentDefinition Id="[api.signuporsignin]">']);
  assert.deepEqual(definition('RP', 'SubjectNamingInfo ClaimType="obj|').targets, ['Base:5 <ClaimType Id="[objectId]">']);
  assert.deepEqual(definition('Base', 'ClaimTypeReferenceId="surN|'), {
    targets: ['Base:14 <ClaimType Id="[surname]">'],
    origins: ['Base:49 <OutputClaim ClaimTypeReferenceId="[surName]" />'],
  });
  // The end of an id counts (the cursor stands after it).
  assert.deepEqual(definition('RP', 'ClaimTypeReferenceId="email|"').targets, ['Base:9 <ClaimType Id="[email]">']);
});

test('no definition on text that is not an id, or on an id no chain defines', () => {
  assert.deepEqual(definition('Base', '<DisplayName>Em|ail').targets, []);
  assert.deepEqual(definition('Base', '<Claim|Type Id="email"').targets, []);
  const broken = navigationService({ RP: RELYING_PARTY.replace('ClaimTypeReferenceId="email"', 'ClaimTypeReferenceId="mail"') });
  assert.deepEqual(broken.definition(uriOf('RP'), at(broken.text(uriOf('RP'))!, 'ClaimTypeReferenceId="ma|il"')), []);
});

test('a base reference its own chain cannot resolve goes to the policies that build on it', () => {
  // references.ts accepts such a reference (a base may rely on its Extensions); definition follows it there.
  const s = navigationService({ Base: BASE.replace('<OutputClaim ClaimTypeReferenceId="email" />\n          </OutputClaims>\n        </TechnicalProfile>\n        <TechnicalProfile Id="AAD', '<OutputClaim ClaimTypeReferenceId="email" />\n          </OutputClaims>\n          <IncludeTechnicalProfile ReferenceId="Ext-Profile" />\n        </TechnicalProfile>\n        <TechnicalProfile Id="AAD') });
  const links = s.definition(uriOf('Base'), at(s.text(uriOf('Base'))!, 'IncludeTechnicalProfile ReferenceId="Ext|'));
  assert.deepEqual(showLinks(s, links), ['Extensions:17 <TechnicalProfile Id="[Ext-Profile]">']);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DocumentHighlightKind, type Location, type Position } from 'vscode-languageserver-types';
import { Commands } from '../../server/src/protocol';
import { at, BASE, EXTENSIONS, navigationService, RELYING_PARTY, show, showLocations, uriOf, type FileKey } from './navigation-fixture';

const service = navigationService();

/** Each lens as `line: title -> locations` (the command and its uri/position arguments are checked too). */
function lenses(key: FileKey, s = service): string[] {
  const uri = uriOf(key);
  return s.codeLenses(uri).map((lens) => {
    assert.equal(lens.command?.command, Commands.showReferences);
    const [argUri, position, locations] = lens.command!.arguments as [string, Position, Location[]];
    assert.equal(argUri, uri);
    assert.equal(position.line, lens.range.start.line);
    return `${show(s, uri, lens.range)}: ${lens.command!.title} -> ${showLocations(s, locations).join(' | ')}`;
  });
}

test('code lenses above profiles, claim types and journeys: reference counts, overridden in descendants', () => {
  assert.deepEqual(lenses('Base'), [
    'Base:5 <[ClaimType] Id="objectId">: 6 references -> RP:14 <OutputClaim ClaimTypeReferenceId="[objectId]" PartnerClaimType="sub" /> | RP:16 <SubjectNamingInfo ClaimType="[objectId]" /> | Base:38 <OutputClaim ClaimTypeReferenceId="[objectId]" PartnerClaimType="oid" /> | Base:50 <OutputClaim ClaimTypeReferenceId="[objectId]" /> | Base:67 <InputClaim ClaimTypeReferenceId="[objectId]" Required="true" /> | Base:105 <Value>[objectId]</Value>',
    'Base:9 <[ClaimType] Id="email">: 5 references -> RP:13 <OutputClaim ClaimTypeReferenceId="[email]" /> | Base:48 <OutputClaim ClaimTypeReferenceId="[email]" Required="true" /> | Base:60 <OutputClaim ClaimTypeReferenceId="[email]" /> | Extensions:21 <OutputClaim ClaimTypeReferenceId="[email]" /> | Localization:14 <LocalizedString ElementType="ClaimType" ElementId="[email]" StringId="DisplayName">Email Address</LocalizedString>',
    'Base:14 <[ClaimType] Id="surname">: 1 reference -> Base:49 <OutputClaim ClaimTypeReferenceId="[surName]" />',
    'Base:18 <[ClaimType] Id="displayName">: 1 reference -> Base:70 <OutputClaim ClaimTypeReferenceId="[displayName]" />',
    'Base:34 <[TechnicalProfile] Id="login-NonInteractive">: 2 references -> Base:53 <ValidationTechnicalProfile ReferenceId="[login-NonInteractive]" /> | Extensions:24 <ValidationTechnicalProfile ReferenceId="[login-NonInteractive]" />',
    'Base:34 <[TechnicalProfile] Id="login-NonInteractive">: overridden in TrustFrameworkExtensions.xml -> Extensions:11 <TechnicalProfile Id="[login-NonInteractive]">',
    'Base:41 <[TechnicalProfile] Id="SelfAsserted-LocalAccountSignin-Email">: 1 reference -> Base:99 <ClaimsExchange Id="LocalAccountSigninEmailExchange" TechnicalProfileReferenceId="[SelfAsserted-LocalAccountSignin-Email]" />',
    'Base:56 <[TechnicalProfile] Id="Facebook-OAUTH">: 1 reference -> Base:110 <ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="[Facebook-OAUTH]" />',
    'Base:63 <[TechnicalProfile] Id="AAD-UserReadUsingObjectId">: 1 reference -> Base:115 <ClaimsExchange Id="AADUserReadWithObjectId" TechnicalProfileReferenceId="[AAD-UserReadUsingObjectId]" />',
    'Base:78 <[TechnicalProfile] Id="JwtIssuer">: 1 reference -> Base:118 <OrchestrationStep Order="4" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="[JwtIssuer]" />',
    'Base:91 <[UserJourney] Id="SignUpOrSignIn">: 1 reference -> RP:8 <DefaultUserJourney ReferenceId="[SignUpOrSignIn]" />',
  ]);
});

test('code lenses on an override: the same count, and what it overrides', () => {
  assert.deepEqual(lenses('Extensions'), [
    'Extensions:11 <[TechnicalProfile] Id="login-NonInteractive">: 2 references -> Base:53 <ValidationTechnicalProfile ReferenceId="[login-NonInteractive]" /> | Extensions:24 <ValidationTechnicalProfile ReferenceId="[login-NonInteractive]" />',
    'Extensions:11 <[TechnicalProfile] Id="login-NonInteractive">: overrides TrustFrameworkBase.xml -> Base:34 <TechnicalProfile Id="[login-NonInteractive]">',
    'Extensions:17 <[TechnicalProfile] Id="Ext-Profile">: 0 references -> ',
  ]);
  assert.deepEqual(lenses('RP'), []);
});

test('code lens counts follow edits in other files', () => {
  const s = navigationService();
  assert.match(lenses('Extensions', s)[2], /: 0 references/);
  s.openDocument(uriOf('RP'), RELYING_PARTY.replace('<SubjectNamingInfo', '<ValidationTechnicalProfiles><ValidationTechnicalProfile ReferenceId="ext-profile" /></ValidationTechnicalProfiles>\n      <SubjectNamingInfo'));
  assert.match(lenses('Extensions', s)[2], /: 1 reference -> RP:16 .*ReferenceId="\[ext-profile\]"/);
  s.closeDocument(uriOf('RP'));
  assert.match(lenses('Extensions', s)[2], /: 0 references/);
});

test('document highlight: the occurrences of the id in the same file, definitions as writes', () => {
  const highlights = service.documentHighlights(uriOf('Base'), at(BASE, 'ClaimTypeReferenceId="em|ail" Required'));
  assert.deepEqual(
    highlights.map((h) => `${show(service, uriOf('Base'), h.range)} ${h.kind === DocumentHighlightKind.Write ? 'write' : 'read'}`),
    [
      'Base:9 <ClaimType Id="[email]"> write',
      'Base:48 <OutputClaim ClaimTypeReferenceId="[email]" Required="true" /> read',
      'Base:60 <OutputClaim ClaimTypeReferenceId="[email]" /> read',
    ],
  );
  // An id the chain does not define: the same id of the same kind in the file.
  const s = navigationService({ Extensions: EXTENSIONS.replaceAll('ClaimTypeReferenceId="email"', 'ClaimTypeReferenceId="mail"').replace('</OutputClaims>', '  <OutputClaim ClaimTypeReferenceId="MAIL" />\n          </OutputClaims>') });
  const text = s.text(uriOf('Extensions'))!;
  assert.deepEqual(
    s.documentHighlights(uriOf('Extensions'), at(text, 'ClaimTypeReferenceId="ma|il"')).map((h) => show(s, uriOf('Extensions'), h.range)),
    ['Extensions:21 <OutputClaim ClaimTypeReferenceId="[mail]" />', 'Extensions:22 <OutputClaim ClaimTypeReferenceId="[MAIL]" />'],
  );
  assert.deepEqual(service.documentHighlights(uriOf('Base'), at(BASE, '<Display|Name>Email')), []);
});

test('document links: BasePolicy/PolicyId opens the base file it resolves to; none for a missing base', () => {
  const links = service.documentLinks(uriOf('Extensions'));
  assert.deepEqual(
    links.map((l) => [show(service, uriOf('Extensions'), l.range), l.target]),
    [['Extensions:5 <PolicyId>[B2C_1A_TrustFrameworkLocalization]</PolicyId>', uriOf('Localization')]],
  );
  assert.deepEqual(service.documentLinks(uriOf('Base')), []);
  const missing = navigationService({ RP: RELYING_PARTY.replace('<PolicyId>B2C_1A_TrustFrameworkExtensions', '<PolicyId>B2C_1A_Nowhere') });
  assert.deepEqual(missing.documentLinks(uriOf('RP')), []);
});

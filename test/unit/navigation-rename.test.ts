import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import type { PolicyLanguageService } from '../../server/src/service/languageService';
import { invalidIdReason } from '../../server/src/service/features/rename';
import { applyChanges, at, BASE, EXTENSIONS, label, LOCALIZATION, navigationService, RELYING_PARTY, show, TEXTS, uriOf, type FileKey } from './navigation-fixture';

function renameAt(s: PolicyLanguageService, key: FileKey, needle: string, newName: string): WorkspaceEdit | { error: string } {
  return s.rename(uriOf(key), at(s.text(uriOf(key))!, needle), newName);
}

/** Every finding of every file as `file code`, sorted (messages name ids, so codes are compared). */
function findingCodes(s: PolicyLanguageService): string[] {
  return s.policyUris().flatMap((u) => s.findings(u).map((f) => `${label(u)} ${f.code}`)).sort();
}

/** Applies a rename to a fresh service; returns the new texts by file key and asserts no new finding appeared. */
function applyRename(key: FileKey, needle: string, newName: string): { texts: Partial<Record<FileKey, string>>; edit: WorkspaceEdit; service: PolicyLanguageService } {
  const s = navigationService();
  const before = findingCodes(s);
  const edit = renameAt(s, key, needle, newName);
  assert.ok(!('error' in edit), `rename refused: ${JSON.stringify(edit)}`);
  const changed = applyChanges(s, edit.changes!);
  for (const [uri, text] of Object.entries(changed)) s.setDiskFile(uri, text);
  const after = findingCodes(s);
  for (const code of after) assert.ok(before.includes(code), `new finding after renaming to '${newName}': ${code}`);
  const texts: Partial<Record<FileKey, string>> = {};
  for (const [uri, text] of Object.entries(changed)) texts[label(uri) as FileKey] = text;
  return { texts, edit, service: s };
}

test('rename a claim type: definition and every reference in every file of the chains, one edit per occurrence, never prod/', () => {
  const { texts, edit } = applyRename('RP', 'ClaimTypeReferenceId="em|ail"', 'emailAddress');
  assert.deepEqual(Object.keys(edit.changes!).sort(), [uriOf('RP'), uriOf('Base'), uriOf('Extensions'), uriOf('Localization')].sort());
  assert.deepEqual(Object.fromEntries(Object.entries(edit.changes!).map(([u, e]) => [label(u), e.length])), { Base: 3, Extensions: 1, Localization: 1, RP: 1 });
  assert.equal(texts.Base, BASE.replace('<ClaimType Id="email">', '<ClaimType Id="emailAddress">').replaceAll('ClaimTypeReferenceId="email"', 'ClaimTypeReferenceId="emailAddress"'));
  assert.equal(texts.Extensions, EXTENSIONS.replace('ClaimTypeReferenceId="email"', 'ClaimTypeReferenceId="emailAddress"'));
  assert.equal(texts.Localization, LOCALIZATION.replace('ElementId="email"', 'ElementId="emailAddress"'));
  assert.equal(texts.RP, RELYING_PARTY.replace('ClaimTypeReferenceId="email"', 'ClaimTypeReferenceId="emailAddress"'));
});

test('rename renames case-insensitive matches too (and the id-case-mismatch hint goes)', () => {
  const { texts, service } = applyRename('Base', '<ClaimType Id="sur|', 'familyName');
  assert.equal(texts.Base, BASE.replace('<ClaimType Id="surname">', '<ClaimType Id="familyName">').replace('ClaimTypeReferenceId="surName"', 'ClaimTypeReferenceId="familyName"'));
  assert.ok(navigationService().findings(uriOf('Base')).some((f) => f.code === 'id-case-mismatch'), 'the hint before');
  assert.deepEqual(service.findings(uriOf('Base')).filter((f) => f.code === 'id-case-mismatch'), []);
});

test('rename from an override renames the base declaration, the override and every reference', () => {
  const { texts, edit } = applyRename('Extensions', 'TechnicalProfile Id="login|', 'login-NonInteractive-v2');
  assert.deepEqual(
    Object.entries(edit.changes!).flatMap(([u, edits]) => edits.map((e) => show(navigationService(), u, e.range))).sort(),
    [
      'Base:34 <TechnicalProfile Id="[login-NonInteractive]">',
      'Base:53 <ValidationTechnicalProfile ReferenceId="[login-NonInteractive]" />',
      'Extensions:11 <TechnicalProfile Id="[login-NonInteractive]">',
      'Extensions:24 <ValidationTechnicalProfile ReferenceId="[login-NonInteractive]" />',
    ],
  );
  assert.equal(texts.Extensions, EXTENSIONS.replaceAll('"login-NonInteractive"', '"login-NonInteractive-v2"'));
});

test('rename a claims exchange: the exchange, the selection targeting it and its localized button text', () => {
  const { texts } = applyRename('Base', 'TargetClaimsExchangeId="Face|', 'FacebookSignIn');
  assert.equal(texts.Base, BASE.replace('TargetClaimsExchangeId="FacebookExchange"', 'TargetClaimsExchangeId="FacebookSignIn"').replace('<ClaimsExchange Id="FacebookExchange"', '<ClaimsExchange Id="FacebookSignIn"'));
  assert.equal(texts.Localization, LOCALIZATION.replace('StringId="FacebookExchange"', 'StringId="FacebookSignIn"'));
});

test('rename a user journey: DefaultUserJourney in the relying party follows', () => {
  const { texts } = applyRename('RP', 'DefaultUserJourney ReferenceId="Sign|', 'SignInOnly');
  assert.equal(texts.RP, RELYING_PARTY.replace('ReferenceId="SignUpOrSignIn"', 'ReferenceId="SignInOnly"'));
  assert.equal(texts.Base, BASE.replace('<UserJourney Id="SignUpOrSignIn">', '<UserJourney Id="SignInOnly">'));
});

test('a case-only rename is allowed and edits only the occurrences that differ', () => {
  const s = navigationService();
  const edit = renameAt(s, 'Base', '<ClaimType Id="sur|', 'surName');
  assert.ok(!('error' in edit));
  assert.deepEqual(Object.entries(edit.changes!).flatMap(([u, edits]) => edits.map((e) => show(s, u, e.range))), ['Base:14 <ClaimType Id="[surname]">']);
});

test('rename refuses names an id cannot hold, with the reason', () => {
  const s = navigationService();
  const cases: Array<[string, RegExp]> = [
    ['', /empty/],
    ['two words', /white space/],
    [' email', /white space/],
    ['a\tb', /control characters/],
    ['a<b', /character '<'/],
    ['a&b', /character '&'/],
    ['a"b', /character '"'/],
    ["a'b", /character '''/],
    ['a\u0000b', /control characters/],
  ];
  for (const [name, reason] of cases) {
    const result = renameAt(s, 'Base', '<ClaimType Id="em|ail"', name);
    assert.ok('error' in result, `'${name}' refused`);
    assert.match(result.error, reason);
  }
  assert.equal(invalidIdReason('{Settings:Prefix}-email'), undefined);
  assert.equal(invalidIdReason('api.signuporsignin.v2'), undefined);
});

test('rename refuses a name that collides with a definition of the same kind in any affected chain', () => {
  const s = navigationService();
  const inBase = renameAt(s, 'Base', '<ClaimType Id="em|ail"', 'DisplayName');
  assert.deepEqual(inBase, { error: "A ClaimType with Id 'displayName' already exists (TrustFrameworkBase.xml); choose another name." });
  // Ext-Profile exists only in Extensions, a chain the base's profile lives in.
  const inDescendant = renameAt(s, 'Base', 'TechnicalProfile Id="login|', 'Ext-Profile');
  assert.deepEqual(inDescendant, { error: "A TechnicalProfile with Id 'Ext-Profile' already exists (TrustFrameworkExtensions.xml); choose another name." });
  // Another kind with that id is no collision.
  assert.ok(!('error' in renameAt(s, 'Base', '<ClaimType Id="em|ail"', 'JwtIssuer')));
  // Exchange ids are unique per journey, across its steps.
  assert.deepEqual(renameAt(s, 'Base', '<ClaimsExchange Id="Face|', 'aadUserReadWithObjectId'), {
    error: "Journey 'SignUpOrSignIn' already has a ClaimsExchange 'AADUserReadWithObjectId' (step 3, TrustFrameworkBase.xml); choose another name.",
  });
});

test('prepareRename: the id range and placeholder; null where no id is; a message for an id nothing defines', () => {
  const s = navigationService();
  const ok = s.prepareRename(uriOf('RP'), at(RELYING_PARTY, 'ClaimTypeReferenceId="obj|ectId"'));
  assert.ok(ok && !('error' in ok));
  assert.equal(ok.placeholder, 'objectId');
  assert.equal(show(s, uriOf('RP'), ok.range), 'RP:14 <OutputClaim ClaimTypeReferenceId="[objectId]" PartnerClaimType="sub" />');
  const exchange = s.prepareRename(uriOf('Base'), at(BASE, 'ValidationClaimsExchangeId="Loc|'));
  assert.ok(exchange && !('error' in exchange));
  assert.equal(exchange.placeholder, 'LocalAccountSigninEmailExchange');
  assert.equal(s.prepareRename(uriOf('Base'), at(BASE, '<Display|Name>Email')), null);
  const base = s.prepareRename(uriOf('Extensions'), at(EXTENSIONS, '<PolicyId>B2C|'));
  assert.ok(base && !('error' in base), 'BasePolicy/PolicyId names the base: renameable');
  assert.equal(base.placeholder, 'B2C_1A_TrustFrameworkLocalization');
  const broken = navigationService({ RP: RELYING_PARTY.replace('ClaimTypeReferenceId="email"', 'ClaimTypeReferenceId="mail"') });
  assert.deepEqual(broken.prepareRename(uriOf('RP'), at(broken.text(uriOf('RP'))!, 'ClaimTypeReferenceId="ma|il"')), {
    error: "No ClaimType 'mail' is defined in SignUpOrSignin.xml or its base policies: nothing to rename.",
  });
  const dangling = navigationService({ Base: BASE.replace('TargetClaimsExchangeId="FacebookExchange"', 'TargetClaimsExchangeId="GoogleExchange"') });
  assert.deepEqual(dangling.prepareRename(uriOf('Base'), at(dangling.text(uriOf('Base'))!, 'TargetClaimsExchangeId="Goo|')), {
    error: "No ClaimsExchange 'GoogleExchange' in the next orchestration step of journey 'SignUpOrSignIn': nothing to rename.",
  });
});

test('renaming there and back gives the original bytes', () => {
  const s = navigationService();
  const there = renameAt(s, 'Base', '<ClaimType Id="em|ail"', 'mail');
  assert.ok(!('error' in there));
  for (const [uri, text] of Object.entries(applyChanges(s, there.changes!))) s.setDiskFile(uri, text);
  const back = renameAt(s, 'Base', '<ClaimType Id="ma|il"', 'email');
  assert.ok(!('error' in back));
  for (const [uri, text] of Object.entries(applyChanges(s, back.changes!))) s.setDiskFile(uri, text);
  for (const key of Object.keys(TEXTS) as FileKey[]) assert.equal(s.text(uriOf(key)), TEXTS[key], key);
});

// ---- PolicyId (features/renamePolicy.ts) ----------------------------------------------------------------------

test('rename a PolicyId: the policy, its PublicPolicyUri segment and the BasePolicy of the policies built on it, never prod/', () => {
  const { texts, edit } = applyRename('Base', 'PolicyId="B2C_1A_TrustFrameworkB|ase"', 'B2C_1A_ContosoBase');
  assert.deepEqual(
    Object.entries(edit.changes!).flatMap(([u, edits]) => edits.map((e) => show(navigationService(), u, e.range).replace(/ TenantId=.* PolicyId=/, ' ... PolicyId='))).sort(),
    [
      'Base:2 <TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicySchemaVersion="0.3.0.0" TenantId="yourtenant.onmicrosoft.com" PolicyId="[B2C_1A_TrustFrameworkBase]" PublicPolicyUri="http://yourtenant.onmicrosoft.com/B2C_1A_TrustFrameworkBase">'.replace(/ TenantId=.* PolicyId=/, ' ... PolicyId='),
      'Base:2 <TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicySchemaVersion="0.3.0.0" TenantId="yourtenant.onmicrosoft.com" PolicyId="B2C_1A_TrustFrameworkBase" PublicPolicyUri="http://yourtenant.onmicrosoft.com/[B2C_1A_TrustFrameworkBase]">'.replace(/ TenantId=.* PolicyId=/, ' ... PolicyId='),
      'Localization:5 <PolicyId>[B2C_1A_TrustFrameworkBase]</PolicyId>',
    ].sort(),
  );
  assert.equal(texts.Base, BASE.replaceAll('B2C_1A_TrustFrameworkBase', 'B2C_1A_ContosoBase'));
  assert.equal(texts.Localization, LOCALIZATION.replace('<PolicyId>B2C_1A_TrustFrameworkBase</PolicyId>', '<PolicyId>B2C_1A_ContosoBase</PolicyId>'));
  assert.ok(Object.keys(edit.changes!).every((u) => !u.includes('/prod/')), 'the other environment keeps its PolicyIds');
});

test('rename a PolicyId from a BasePolicy/PolicyId renames the base it resolves to', () => {
  const { texts } = applyRename('Extensions', '<PolicyId>B2C_1A_TrustFrameworkLoc|', 'B2C_1A_Localization_v2');
  assert.equal(texts.Localization, LOCALIZATION.replaceAll('B2C_1A_TrustFrameworkLocalization', 'B2C_1A_Localization_v2'));
  assert.equal(texts.Extensions, EXTENSIONS.replace('<PolicyId>B2C_1A_TrustFrameworkLocalization</PolicyId>', '<PolicyId>B2C_1A_Localization_v2</PolicyId>'));
  assert.equal(texts.Base, undefined, 'the base of the renamed policy is not touched');
});

test('PolicyId rename refuses names a PolicyId cannot hold, user-flow names, and a name another policy of the folder has', () => {
  const s = navigationService();
  const at_ = (name: string) => renameAt(s, 'Base', 'PolicyId="B2C_1A_TrustFrameworkB|ase"', name);
  assert.deepEqual(at_('B2C_1A_Base v2'), { error: "A PolicyId holds only letters, digits, '_', '-' and '.' (and {Settings:...} tokens), not ' ': 'B2C_1A_Base v2'." });
  assert.deepEqual(at_('B2C_1A_Base.'), { error: "A PolicyId cannot end with a dot: 'B2C_1A_Base.'." });
  assert.deepEqual(at_('B2C_1_Base'), { error: "'B2C_1_Base' is named like a built-in user flow (B2C_1_...); a custom policy's id starts with B2C_1A_." });
  assert.deepEqual(at_('b2c_1a_trustframeworkextensions'), { error: "A policy with PolicyId 'B2C_1A_TrustFrameworkExtensions' already exists (TrustFrameworkExtensions.xml); choose another name." });
  assert.ok(!('error' in at_('{Settings:Prefix}B2C_1A_Base')), 'a template token is accepted');
  const missing = navigationService({ Extensions: EXTENSIONS.replace('<PolicyId>B2C_1A_TrustFrameworkLocalization<', '<PolicyId>B2C_1A_Nowhere<') });
  assert.deepEqual(missing.prepareRename(uriOf('Extensions'), at(missing.text(uriOf('Extensions'))!, '<PolicyId>B2C_1A_Now|')), {
    error: "Base policy 'B2C_1A_Nowhere' is not in the workspace (or not in one place): nothing to rename.",
  });
});

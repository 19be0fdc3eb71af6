import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { fuzzyScore } from '../../server/src/service/features/workspaceSymbols';
import { BASE, navigationService, RELYING_PARTY, show, uriOf } from './navigation-fixture';

const service = navigationService();
const KIND_NAMES = Object.fromEntries(Object.entries(SymbolKind).map(([name, value]) => [value, name]));

/** The tree as indented lines: `name [Kind] — detail`. */
function outline(symbols: DocumentSymbol[], indent = ''): string[] {
  return symbols.flatMap((s) => [`${indent}${s.name} [${KIND_NAMES[s.kind]}]${s.detail ? ` — ${s.detail}` : ''}`, ...outline(s.children ?? [], indent + '  ')]);
}

test('outline of a base: building blocks, providers by DisplayName with their profiles, journeys with steps and exchanges', () => {
  assert.deepEqual(outline(service.documentSymbols(uriOf('Base'))), [
    'BuildingBlocks [Namespace]',
    '  ClaimsSchema [Namespace]',
    '    objectId [Field] — string',
    '    email [Field] — string',
    '    surname [Field] — string',
    '    displayName [Field] — string',
    '  ContentDefinitions [Namespace]',
    '    api.signuporsignin [File] — urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:2.1.7',
    'ClaimsProviders [Namespace]',
    '  Local Account [Module]',
    '    login-NonInteractive [Class] — Local Account SignIn',
    '    SelfAsserted-LocalAccountSignin-Email [Class] — Local Account Signin',
    '    Facebook-OAUTH [Class] — Facebook',
    '    AAD-UserReadUsingObjectId [Class] — Read the user',
    '  Token Issuer [Module]',
    '    JwtIssuer [Class] — JWT Issuer',
    'UserJourneys [Namespace]',
    '  SignUpOrSignIn [Struct]',
    '    Step 1 (CombinedSignInAndSignUp) [EnumMember]',
    '      LocalAccountSigninEmailExchange [Method] — SelfAsserted-LocalAccountSignin-Email',
    '    Step 2 (ClaimsExchange) [EnumMember]',
    '      FacebookExchange [Method] — Facebook-OAUTH',
    '    Step 3 (ClaimsExchange) [EnumMember]',
    '      AADUserReadWithObjectId [Method] — AAD-UserReadUsingObjectId',
    '    Step 4 (SendClaims) [EnumMember] — JwtIssuer',
  ]);
  assert.deepEqual(outline(service.documentSymbols(uriOf('RP'))), [
    'BasePolicy [Package] — B2C_1A_TrustFrameworkExtensions',
    'RelyingParty [Interface]',
    '  DefaultUserJourney [Struct] — SignUpOrSignIn',
    '  PolicyProfile [Class] — PolicyProfile',
  ]);
});

test('outline ranges: the whole element, the Id selected (breadcrumbs and Outline follow the cursor with them)', () => {
  const profile = service.documentSymbols(uriOf('Base'))[1].children![0].children![0];
  assert.equal(show(service, uriOf('Base'), profile.selectionRange), 'Base:34 <TechnicalProfile Id="[login-NonInteractive]">');
  const lines = BASE.split('\n');
  assert.equal(lines[profile.range.start.line].slice(profile.range.start.character), '<TechnicalProfile Id="login-NonInteractive">');
  assert.equal(lines[profile.range.end.line].slice(0, profile.range.end.character).trim(), '</TechnicalProfile>');
  const step = service.documentSymbols(uriOf('Base'))[2].children![0].children![1];
  assert.equal(show(service, uriOf('Base'), step.selectionRange), 'Base:102 <[OrchestrationStep] Order="2" Type="ClaimsExchange">');
});

test('outline of an unfinished document: no crash, names never empty', () => {
  const s = navigationService({ RP: RELYING_PARTY.replace('<TechnicalProfile Id="PolicyProfile">', '<TechnicalProfile Id="">').replace('</RelyingParty>', '') });
  const names = outline(s.documentSymbols(uriOf('RP')));
  assert.ok(names.includes('  TechnicalProfile (no Id) [Class] — PolicyProfile'), names.join('\n'));
  assert.deepEqual(service.documentSymbols('file:///ws/dev/not-there.xml'), []);
});

test('workspace symbols: fuzzy match on ids, the folder in the container so environments are told apart', () => {
  const found = service.workspaceSymbols('lognon').map((s) => `${s.name} | ${KIND_NAMES[s.kind]} | ${s.containerName} | ${show(service, s.location.uri, s.location.range)}`);
  assert.deepEqual(found, [
    'login-NonInteractive | Class | TechnicalProfile · dev/TrustFrameworkBase.xml | Base:34 <TechnicalProfile Id="[login-NonInteractive]">',
    'login-NonInteractive | Class | TechnicalProfile · dev/TrustFrameworkExtensions.xml | Extensions:11 <TechnicalProfile Id="[login-NonInteractive]">',
    'login-NonInteractive | Class | TechnicalProfile · prod/TrustFrameworkBase.xml | prod/Base:34 <TechnicalProfile Id="[login-NonInteractive]">',
    'login-NonInteractive | Class | TechnicalProfile · prod/TrustFrameworkExtensions.xml | prod/Extensions:11 <TechnicalProfile Id="[login-NonInteractive]">',
  ]);
  // Every definition of both environments for an empty query; an exact match ranks first.
  assert.equal(service.workspaceSymbols('').length, 2 * 14);
  assert.equal(service.workspaceSymbols('email')[0].name, 'email');
  assert.deepEqual(service.workspaceSymbols('zzz'), []);
  assert.equal(fuzzyScore('aur', 'AAD-UserReadUsingObjectId')! > fuzzyScore('aur', 'authenticationSource')!, true);
  assert.equal(fuzzyScore('xq', 'email'), undefined);
});

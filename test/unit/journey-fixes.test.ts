import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { applyEdits } from '../../server/src/service/edits/textEdits';
import type { PolicyLanguageService } from '../../server/src/service/languageService';
import { compactPolicy } from '../helpers/policies';
import { memoryWorkspace } from '../helpers/workspace';

const PROFILES = `  <BuildingBlocks><ClaimsSchema>
    <ClaimType Id="name"><DisplayName>n</DisplayName><DataType>string</DataType></ClaimType>
  </ClaimsSchema></BuildingBlocks>
  <ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles>
    <TechnicalProfile Id="A"><DisplayName>a</DisplayName><Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.ClaimsTransformationProtocolProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" /></TechnicalProfile>
    <TechnicalProfile Id="B"><DisplayName>b</DisplayName><Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.ClaimsTransformationProtocolProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" /></TechnicalProfile>
    <TechnicalProfile Id="JwtIssuer"><DisplayName>JWT</DisplayName><Protocol Name="None" /><OutputTokenFormat>JWT</OutputTokenFormat><Metadata><Item Key="issuer_refresh_token_user_identity_claim_type">name</Item></Metadata>
      <CryptographicKeys><Key Id="issuer_secret" StorageReferenceId="B2C_1A_TokenSigningKeyContainer" /><Key Id="issuer_refresh_token_key" StorageReferenceId="B2C_1A_TokenEncryptionKeyContainer" /></CryptographicKeys>
    </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;

const exchange = (order: number, ...profiles: string[]) =>
  `        <OrchestrationStep Order="${order}" Type="ClaimsExchange">\n          <ClaimsExchanges>\n${profiles.map((p) => `            <ClaimsExchange Id="${p}Exchange" TechnicalProfileReferenceId="${p}" />`).join('\n')}\n          </ClaimsExchanges>\n        </OrchestrationStep>`;
const journey = (id: string, steps: string[]) => `  <UserJourneys>\n    <UserJourney Id="${id}">\n      <OrchestrationSteps>\n${steps.join('\n')}\n      </OrchestrationSteps>\n    </UserJourney>\n  </UserJourneys>`;

const URI = 'file:///ws/Base.xml';

function fixFor(service: PolicyLanguageService, code: string, title: RegExp): { diagnostic: Diagnostic; fixed: string } {
  const diagnostic = service.diagnostics(URI).find((d) => d.code === code);
  assert.ok(diagnostic, `${code} in ${JSON.stringify(service.diagnostics(URI).map((d) => d.code))}`);
  const action = service.codeActions(URI, [diagnostic]).find((a) => title.test(a.title));
  assert.ok(action, `a fix matching ${title}: ${service.codeActions(URI, [diagnostic]).map((a) => a.title).join(' | ')}`);
  return { diagnostic, fixed: applyEdits(service.text(URI)!, action.edit!.changes![URI]) };
}

const codes = (service: PolicyLanguageService) => service.diagnostics(URI).filter((d) => (d.severity ?? 1) <= 2).map((d) => d.code);

test('"Renumber the steps 1..n": one edit of every Order; the gap warning goes away', () => {
  const text = compactPolicy('B2C_1A_Base', PROFILES + journey('J', [exchange(1, 'A'), exchange(3, 'B'), '        <OrchestrationStep Order="7" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />']));
  const { service } = memoryWorkspace({ 'Base.xml': text });
  const { fixed } = fixFor(service, 'step-order-gap', /^Renumber the steps of J 1\.\.3$/);
  assert.equal(fixed, text.replace('Order="3"', 'Order="2"').replace('Order="7"', 'Order="3"'));
  service.openDocument(URI, fixed);
  assert.deepEqual(codes(service), []);
});

test('"Renumber" is not offered when the journey\'s steps come from several files (steps merge by Order)', () => {
  const base = compactPolicy('B2C_1A_Base', PROFILES + journey('J', [exchange(1, 'A'), exchange(2, 'B'), '        <OrchestrationStep Order="3" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />']));
  const ext = compactPolicy('B2C_1A_Ext', journey('J', [exchange(5, 'A')]), 'B2C_1A_Base');
  const { service, uri } = memoryWorkspace({ 'Base.xml': base, 'Ext.xml': ext });
  const gap = service.diagnostics(uri('Ext.xml')).find((d) => d.code === 'step-order-gap');
  assert.ok(gap);
  assert.deepEqual(service.codeActions(uri('Ext.xml'), [gap]).map((a) => a.title).filter((t) => t.startsWith('Renumber')), []);
});

test('"Add a SendClaims step": a last step with the issuer the chain\'s other journeys use', () => {
  const text = compactPolicy('B2C_1A_Base', PROFILES + journey('J', [exchange(1, 'A'), '        <OrchestrationStep Order="2" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />']).replace('  </UserJourneys>', `    <UserJourney Id="PasswordReset">\n      <OrchestrationSteps>\n${exchange(1, 'B')}\n      </OrchestrationSteps>\n    </UserJourney>\n  </UserJourneys>`));
  const { service } = memoryWorkspace({ 'Base.xml': text });
  const { fixed } = fixFor(service, 'journey-without-send-claims', /^Add a SendClaims step \(Order 2, issuer JwtIssuer\)$/);
  assert.ok(fixed.includes(`${exchange(1, 'B')}\n        <OrchestrationStep Order="2" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />\n      </OrchestrationSteps>`), fixed);
  service.openDocument(URI, fixed);
  assert.deepEqual(codes(service), []);
});

test('"Add a ClaimsProviderSelection step" before a step with several exchanges: buttons for each exchange, later steps move up one Order', () => {
  const text = compactPolicy('B2C_1A_Base', PROFILES + journey('J', [exchange(1, 'A', 'B'), '        <OrchestrationStep Order="2" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />']));
  const { service } = memoryWorkspace({ 'Base.xml': text });
  const { fixed } = fixFor(service, 'exchanges-without-selection', /^Add a ClaimsProviderSelection step before step 1 \(its buttons: AExchange, BExchange\)$/);
  const expected = text
    .replace('Order="2" Type="SendClaims"', 'Order="3" Type="SendClaims"')
    .replace(
      '        <OrchestrationStep Order="1" Type="ClaimsExchange">',
      '        <OrchestrationStep Order="1" Type="ClaimsProviderSelection">\n          <ClaimsProviderSelections>\n            <ClaimsProviderSelection TargetClaimsExchangeId="AExchange" />\n            <ClaimsProviderSelection TargetClaimsExchangeId="BExchange" />\n          </ClaimsProviderSelections>\n        </OrchestrationStep>\n        <OrchestrationStep Order="2" Type="ClaimsExchange">',
    );
  assert.equal(fixed, expected);
  service.openDocument(URI, fixed);
  assert.deepEqual(codes(service), []);
});

test('a relying-party output claim no step produces: remove it (its whole line) or give it a DefaultValue', () => {
  const base = compactPolicy('B2C_1A_Base', PROFILES + journey('J', [exchange(1, 'A'), '        <OrchestrationStep Order="2" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />']));
  const rp = compactPolicy(
    'B2C_1A_RP',
    '  <RelyingParty>\n    <DefaultUserJourney ReferenceId="J" />\n    <TechnicalProfile Id="PolicyProfile">\n      <DisplayName>p</DisplayName>\n      <Protocol Name="OpenIdConnect" />\n      <OutputClaims>\n        <OutputClaim ClaimTypeReferenceId="name" />\n      </OutputClaims>\n      <SubjectNamingInfo ClaimType="name" />\n    </TechnicalProfile>\n  </RelyingParty>',
    'B2C_1A_Base',
  );
  const { service, uri } = memoryWorkspace({ 'Base.xml': base, 'RP.xml': rp });
  const diagnostic = service.diagnostics(uri('RP.xml')).find((d) => d.code === 'output-claim-not-produced')!;
  assert.ok(diagnostic);
  const actions = service.codeActions(uri('RP.xml'), [diagnostic]);
  assert.deepEqual(actions.map((a) => a.title), ['Remove this output claim from the relying party', 'Add an empty DefaultValue to this output claim (then type the value)']);
  assert.equal(applyEdits(rp, actions[0].edit!.changes![uri('RP.xml')]), rp.replace('        <OutputClaim ClaimTypeReferenceId="name" />\n', ''));
  assert.equal(applyEdits(rp, actions[1].edit!.changes![uri('RP.xml')]), rp.replace('<OutputClaim ClaimTypeReferenceId="name" />', '<OutputClaim ClaimTypeReferenceId="name" DefaultValue="" />'));
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkClaimTypeRedeclared } from '../../server/src/service/rules/claimTypeRedeclared';
import { checkTechnicalProfileOverrides } from '../../server/src/service/rules/technicalProfileOverrides';
import { codes, runRules, spanOf } from '../helpers/catalogRules';
import { policy } from '../helpers/policies';

const BASE = 'file:///ws/TrustFrameworkBase.xml';
const EXT = 'file:///ws/TrustFrameworkExtensions.xml';

const providers = (profiles: string) =>
  `  <ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles>\n${profiles}\n  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;
const BASE_TEXT = policy(
  'B2C_1A_Base',
  providers(`    <TechnicalProfile Id="Facebook-OAUTH"><DisplayName>Facebook</DisplayName><Protocol Name="OAuth2" /></TechnicalProfile>
    <TechnicalProfile Id="AAD-Common"><DisplayName>AAD</DisplayName><Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.AzureActiveDirectoryProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" /></TechnicalProfile>`),
);
const overrides = (files: Record<string, string>, uri: string) => runRules([checkTechnicalProfileOverrides], files, uri);

test('an Extensions profile whose Id no base declares, without DisplayName and Protocol: error with the closest base Id (message #16)', () => {
  const ext = policy('B2C_1A_Ext', providers('    <TechnicalProfile Id="Facebook-OAuth2"><Metadata><Item Key="client_id">1</Item></Metadata></TechnicalProfile>'), 'B2C_1A_Base');
  const findings = overrides({ [BASE]: BASE_TEXT, [EXT]: ext }, EXT);
  assert.deepEqual(codes(findings), ['error incomplete-technical-profile']);
  assert.deepEqual(findings[0].span, spanOf(ext, '"Facebook-OAuth2"', 'Facebook-OAuth2'));
  assert.deepEqual(findings[0].data, { id: 'Facebook-OAuth2', missing: ['DisplayName', 'Protocol'], closest: 'Facebook-OAUTH' });
  assert.match(findings[0].message, /The required "DisplayName" and "Protocol" elements are missing from TechnicalProfile with id "Facebook-OAuth2"/);
});

test('overrides (also differing only in case), complete new profiles and new profiles that include one are fine', () => {
  const ext = policy(
    'B2C_1A_Ext',
    providers(`    <TechnicalProfile Id="facebook-oauth"><Metadata><Item Key="client_id">1</Item></Metadata></TechnicalProfile>
    <TechnicalProfile Id="Google-OAUTH"><DisplayName>Google</DisplayName><Protocol Name="OAuth2" /></TechnicalProfile>
    <TechnicalProfile Id="AAD-Read"><IncludeTechnicalProfile ReferenceId="AAD-Common" /></TechnicalProfile>`),
    'B2C_1A_Base',
  );
  assert.deepEqual(overrides({ [BASE]: BASE_TEXT, [EXT]: ext }, EXT), []);
});

test('a base profile missing its DisplayName is reported without a suggestion; a missing base means nothing is judged', () => {
  const base = policy('B2C_1A_Base', providers('    <TechnicalProfile Id="X"><Protocol Name="OAuth2" /></TechnicalProfile>'));
  const findings = overrides({ [BASE]: base }, BASE);
  assert.deepEqual(findings.map((f) => f.data), [{ id: 'X', missing: ['DisplayName'], closest: undefined }]);
  const orphan = policy('B2C_1A_Ext', providers('    <TechnicalProfile Id="Y" />'), 'B2C_1A_Missing');
  assert.deepEqual(overrides({ [EXT]: orphan }, EXT), []);
});

const claims = (id: string, dataType: string) =>
  `  <BuildingBlocks><ClaimsSchema><ClaimType Id="${id}"><DisplayName>D</DisplayName>${dataType ? `<DataType>${dataType}</DataType>` : ''}</ClaimType></ClaimsSchema></BuildingBlocks>`;

test('a ClaimType redeclared with another DataType: error on the DataType; the same type or none is fine', () => {
  const base = policy('B2C_1A_Base', claims('refreshTokensValidFromDateTime', 'dateTime'));
  const ext = policy('B2C_1A_Ext', claims('refreshTokensValidFromDateTime', 'string'), 'B2C_1A_Base');
  const findings = runRules([checkClaimTypeRedeclared], { [BASE]: base, [EXT]: ext }, EXT);
  assert.deepEqual(codes(findings), ['error claim-type-redeclared']);
  assert.deepEqual(findings[0].span, spanOf(ext, '<DataType>string<', 'string'));
  assert.equal(findings[0].data!.baseDataType, 'dateTime');
  for (const same of [claims('refreshTokensValidFromDateTime', 'DateTime'), claims('refreshTokensValidFromDateTime', ''), claims('other', 'string')]) {
    const e = policy('B2C_1A_Ext', same, 'B2C_1A_Base');
    assert.deepEqual(runRules([checkClaimTypeRedeclared], { [BASE]: base, [EXT]: e }, EXT), []);
  }
  assert.deepEqual(runRules([checkClaimTypeRedeclared], { [BASE]: base, [EXT]: ext }, BASE), [], 'the base is not blamed');
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'url';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { SchemaCache } from '../../server/src/schemaFile';
import {
  AMAZON,
  applyEdits,
  consoleUrls,
  insertClaimsProvider,
  ScaffoldError,
  withPolicyKeyPrefix,
} from '../../server/src/service/features/scaffold';
import { assertOnlyInsertionsAndValueEdits, count } from '../helpers/scaffold';

// The same edits on Microsoft's starter packs: test/conformance/scaffold-starterpack.test.ts.

test('CRLF and tab indentation are kept; missing containers are created in schema order', () => {
  const base = [
    '<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicySchemaVersion="0.3.0.0" TenantId="Contoso.onmicrosoft.com" PolicyId="B2C_1A_Base" PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_Base">',
    '  <UserJourneys>',
    '    <UserJourney Id="SignUpOrSignIn">',
    '      <OrchestrationSteps>',
    '        <OrchestrationStep Order="1" Type="ClaimsProviderSelection" ContentDefinitionReferenceId="api.idpselections">',
    '          <ClaimsProviderSelections>',
    '            <ClaimsProviderSelection TargetClaimsExchangeId="FacebookExchange" />',
    '          </ClaimsProviderSelections>',
    '        </OrchestrationStep>',
    '        <OrchestrationStep Order="2" Type="ClaimsExchange">',
    '          <ClaimsExchanges>',
    '            <ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="Facebook-OAUTH" />',
    '          </ClaimsExchanges>',
    '        </OrchestrationStep>',
    '        <OrchestrationStep Order="3" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />',
    '      </OrchestrationSteps>',
    '    </UserJourney>',
    '  </UserJourneys>',
    '</TrustFrameworkPolicy>',
    '',
  ].join('\n');
  const extensionsText = [
    '<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicySchemaVersion="0.3.0.0" TenantId="Contoso.onmicrosoft.com" PolicyId="B2C_1A_Ext" PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_Ext">',
    '\t<BasePolicy>',
    '\t\t<TenantId>Contoso.onmicrosoft.com</TenantId>',
    '\t\t<PolicyId>B2C_1A_Base</PolicyId>',
    '\t</BasePolicy>',
    '\t<!-- keep me -->',
    '\t<RelyingParty>',
    '\t\t<DefaultUserJourney ReferenceId="SignUpOrSignIn" />',
    '\t</RelyingParty>',
    '</TrustFrameworkPolicy>',
    '',
  ].join('\r\n');
  const service = new Analysis({ schema: new SchemaCache().load() });
  const baseUri = pathToFileURL('/ws/Base.xml').href;
  const extUri = pathToFileURL('/ws/Ext.xml').href;
  service.index.setDiskFile(baseUri, base);
  service.index.setDiskFile(extUri, extensionsText);
  const result = insertClaimsProvider(service, extUri, 'amazon', { clientId: 'a&b', policyKey: 'AmazonSecret', relyingParties: [extUri] });
  assert.equal(result.journeyId, 'CustomSignUpSignIn');
  assert.equal(result.info.policyKey, 'B2C_1A_AmazonSecret');
  assert.equal(result.info.allowedOrigin, 'https://contoso.b2clogin.com');
  assert.equal(result.info.returnUrl, 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/oauth2/authresp');
  assertOnlyInsertionsAndValueEdits(extensionsText, result.edit.changes[extUri]);
  const text = applyEdits(extensionsText, result.edit.changes[extUri]);
  assert.equal(count(text, '\n'), count(text, '\r\n'), 'every line ends with CRLF');
  assert.ok(text.includes('\r\n\t<ClaimsProviders>\r\n\t\t<ClaimsProvider>\r\n\t\t\t<Domain>amazon.com</Domain>'));
  assert.ok(text.includes('<Item Key="client_id">a&amp;b</Item>'));
  assert.ok(!/^ /m.test(text), 'no space indentation');
  const order = ['<BasePolicy>', '<ClaimsProviders>', '<UserJourneys>', '<!-- keep me -->', '<RelyingParty>'].map((s) => text.indexOf(s));
  assert.deepEqual([...order].sort((a, b) => a - b), order);
  assert.ok(text.includes('\t\t<UserJourney Id="CustomSignUpSignIn">\r\n\t\t\t<OrchestrationSteps>\r\n\t\t\t\t<OrchestrationStep Order="1"'));
  assert.ok(text.includes('\t\t\t\t\t\t<ClaimsProviderSelection TargetClaimsExchangeId="FacebookExchange" />\r\n\t\t\t\t\t\t<ClaimsProviderSelection TargetClaimsExchangeId="AmazonExchange" />\r\n'));
  assert.ok(text.includes('<DefaultUserJourney ReferenceId="CustomSignUpSignIn" />'));
  service.index.setOpenDocument(extUri, text);
  const journey = service.index.effective(service.index.get(extUri)!).journey('userJourney', 'CustomSignUpSignIn')!;
  assert.deepEqual(journey.steps[1].step.exchanges.map((x) => x.id), ['FacebookExchange', 'AmazonExchange']);
});

test('policy key prefix, answers and template data', () => {
  assert.equal(withPolicyKeyPrefix('AmazonSecret'), 'B2C_1A_AmazonSecret');
  assert.equal(withPolicyKeyPrefix('B2C_1A_AmazonSecret'), 'B2C_1A_AmazonSecret');
  assert.equal(withPolicyKeyPrefix('b2c_1a_x'), 'b2c_1a_x');
  assert.deepEqual(consoleUrls('YourTenant.onmicrosoft.com'), {
    tenant: 'yourtenant',
    allowedOrigin: 'https://yourtenant.b2clogin.com',
    returnUrl: 'https://yourtenant.b2clogin.com/yourtenant.onmicrosoft.com/oauth2/authresp',
  });
  assert.deepEqual(AMAZON.questions.map((q) => [q.id, q.required, q.defaultValue]), [
    ['clientId', true, undefined],
    ['policyKey', false, 'B2C_1A_AmazonSecret'],
  ]);
  const service = new Analysis({ schema: new SchemaCache().load() });
  const uri = 'file:///ws/Ext.xml';
  service.index.setDiskFile(uri, '<TrustFrameworkPolicy PolicyId="X" TenantId="t.onmicrosoft.com"/>');
  assert.throws(() => insertClaimsProvider(service, uri, 'amazon', { clientId: ' ' }), ScaffoldError);
  assert.throws(() => insertClaimsProvider(service, uri, 'myspace', { clientId: 'x' }), ScaffoldError);
  assert.throws(() => insertClaimsProvider(service, uri, 'amazon', { clientId: 'x', journey: 'Nope' }), ScaffoldError);
});

test('applyEdits applies same-position inserts in order and rejects overlaps', () => {
  const at = (line: number, character: number) => ({ line, character });
  assert.equal(applyEdits('ab\ncd', [{ range: { start: at(1, 0), end: at(1, 0) }, newText: 'X' }, { range: { start: at(1, 0), end: at(1, 0) }, newText: 'Y' }, { range: { start: at(0, 0), end: at(0, 1) }, newText: 'Z' }]), 'Zb\nXYcd');
  assert.throws(() => applyEdits('abc', [{ range: { start: at(0, 0), end: at(0, 2) }, newText: '' }, { range: { start: at(0, 1), end: at(0, 3) }, newText: '' }]));
});

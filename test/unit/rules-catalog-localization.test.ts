import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkLocalizationStrings } from '../../server/src/service/rules/localizationStrings';
import { codes, runRules, spanOf } from '../helpers/catalogRules';
import { policy } from '../helpers/policies';

const BASE = 'file:///ws/TrustFrameworkBase.xml';
const LOC = 'file:///ws/TrustFrameworkLocalization.xml';
const EXT = 'file:///ws/TrustFrameworkExtensions.xml';

const base = (dataUri: string) =>
  policy(
    'B2C_1A_Base',
    `  <BuildingBlocks><ContentDefinitions>
    <ContentDefinition Id="api.signuporsignin"><LoadUri>~/unified</LoadUri><DataUri>${dataUri}</DataUri></ContentDefinition>
    <ContentDefinition Id="api.idpselections"><LoadUri>~/idp</LoadUri><DataUri>urn:com:microsoft:aad:b2c:elements:contract:providerselection:1.2.1</DataUri></ContentDefinition>
  </ContentDefinitions></BuildingBlocks>`,
  );

const localization = (strings: string, linked = true) =>
  policy(
    'B2C_1A_Loc',
    `  <BuildingBlocks>
    <ContentDefinitions>
${linked ? '      <ContentDefinition Id="api.signuporsignin"><LocalizedResourcesReferences><LocalizedResourcesReference Language="en" LocalizedResourcesReferenceId="api.signuporsignin.en" /></LocalizedResourcesReferences></ContentDefinition>' : ''}
      <ContentDefinition Id="api.idpselections"><LocalizedResourcesReferences><LocalizedResourcesReference Language="en" LocalizedResourcesReferenceId="api.idpselections.en" /></LocalizedResourcesReferences></ContentDefinition>
    </ContentDefinitions>
    <Localization Enabled="true">
      <SupportedLanguages DefaultLanguage="en"><SupportedLanguage>en</SupportedLanguage></SupportedLanguages>
      <LocalizedResources Id="api.signuporsignin.en"><LocalizedStrings>
${strings}
      </LocalizedStrings></LocalizedResources>
      <LocalizedResources Id="api.idpselections.en"><LocalizedStrings>
        <LocalizedString ElementType="UxElement" StringId="intro">Sign in</LocalizedString>
      </LocalizedStrings></LocalizedResources>
    </Localization>
  </BuildingBlocks>`,
    'B2C_1A_Base',
  );

const check = (files: Record<string, string>, uri = LOC) => runRules([checkLocalizationStrings], files, uri);
const ux = (id: string) => `        <LocalizedString ElementType="UxElement" StringId="${id}">x</LocalizedString>`;

test('UxElement ids are judged against the page contract and version of the content definition that uses the resources (message #17)', () => {
  const current = base('urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:2.1.5');
  const loc = localization([ux('createaccount_one_link'), ux('createaccount_link')].join('\n'));
  const findings = check({ [BASE]: current, [LOC]: loc });
  assert.deepEqual(codes(findings), ['error unknown-string-id']);
  assert.deepEqual(findings[0].span, spanOf(loc, '"createaccount_link"', 'createaccount_link'));
  assert.match(findings[0].message, /The localized string with ElementType: UxElement and StringId: createaccount_link has an invalid StringId: not a string id of page unifiedssp:2\.1\.5/);
  assert.deepEqual(findings[0].data, { elementType: 'UxElement', stringId: 'createaccount_link', closest: 'createaccount_intro' }); // distance 4, as createaccount_one_link; ties go alphabetically

  const old = base('urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:1.2.0');
  assert.deepEqual(
    check({ [BASE]: old, [LOC]: loc }).map((f) => f.data!.stringId),
    ['createaccount_one_link'],
    'the same ids judged against version 1.2.0',
  );
});

test('pages whose ids the reference does not list are not judged; unlinked resources are judged against every page, as a warning', () => {
  const current = base('urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:2.1.5');
  const unlinked = localization([ux('createaccount_one_link'), ux('createaccount_one_linkx')].join('\n'), false);
  const findings = check({ [BASE]: current, [LOC]: unlinked });
  assert.deepEqual(codes(findings), ['warning unknown-string-id']);
  assert.equal(findings[0].data!.closest, 'createaccount_one_link');

  // A content definition of a policy that builds on the file links the resources.
  const ext = policy(
    'B2C_1A_Ext',
    '  <BuildingBlocks><ContentDefinitions><ContentDefinition Id="api.signuporsignin"><LocalizedResourcesReferences><LocalizedResourcesReference Language="en" LocalizedResourcesReferenceId="api.signuporsignin.en" /></LocalizedResourcesReferences></ContentDefinition></ContentDefinitions></BuildingBlocks>',
    'B2C_1A_Loc',
  );
  assert.deepEqual(codes(check({ [BASE]: current, [LOC]: unlinked, [EXT]: ext })), ['error unknown-string-id']);
});

test('ClaimType and Predicate StringIds are fixed (errors); ErrorMessage accepts UserMessageIf... names; names of user ids are not judged', () => {
  const current = base('urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:2.1.5');
  const loc = localization(
    [
      '        <LocalizedString ElementType="ClaimType" ElementId="email" StringId="DisplayName">E</LocalizedString>',
      '        <LocalizedString ElementType="ClaimType" ElementId="email" StringId="HelpText">E</LocalizedString>',
      '        <LocalizedString ElementType="Predicate" ElementId="Length" StringId="HelpText">E</LocalizedString>',
      '        <LocalizedString ElementType="ErrorMessage" StringId="UserMessageIfClaimsTransformationInvalidPhoneNumber">E</LocalizedString>',
      '        <LocalizedString ElementType="ErrorMessage" StringId="ResourceOwnerFlowInvalidCredentials">E</LocalizedString>',
      '        <LocalizedString ElementType="ErrorMessage" StringId="InvalidPasswordMessage">E</LocalizedString>',
      '        <LocalizedString ElementType="ClaimsProvider" StringId="FacebookExchange">Facebook</LocalizedString>',
      '        <LocalizedString ElementType="FormatLocalizedStringTransformationClaimType" StringId="ResponseMessage_EmailExists">{0}</LocalizedString>',
      '        <LocalizedString ElementType="DisplayControl" ElementId="emailVerificationControl" StringId="but_send_codes">x</LocalizedString>',
      '        <LocalizedString ElementType="UxElement" StringId="{Settings:Heading}">x</LocalizedString>',
    ].join('\n'),
  );
  const findings = check({ [BASE]: current, [LOC]: loc });
  assert.deepEqual(
    findings.map((f) => `${f.severity} ${f.data!.elementType} ${f.data!.stringId}`),
    ['error ClaimType HelpText', 'warning ErrorMessage InvalidPasswordMessage', 'warning DisplayControl but_send_codes'],
  );
});

test('DataUri: an unknown layout version (inside the published range) or page is a warning on that part; known contracts, old forms and other URIs pass', () => {
  const text = base('urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:1.5.0');
  const findings = check({ [BASE]: text }, BASE);
  assert.deepEqual(codes(findings), ['warning unknown-page-contract']);
  assert.deepEqual(findings[0].span, spanOf(text, 'unifiedssp:1.5.0', '1.5.0'));
  assert.deepEqual(findings[0].data, { page: 'unifiedssp', version: '1.5.0', latest: '2.1.14' });

  const page = base('urn:com:microsoft:aad:b2c:elements:contract:unifiedsspx:2.1.5');
  const pageFindings = check({ [BASE]: page }, BASE);
  assert.deepEqual(pageFindings[0].span, spanOf(page, 'contract:unifiedsspx:', 'unifiedsspx'));
  for (const fine of ['urn:com:microsoft:aad:b2c:elements:unifiedssp:1.1.0', 'https://contoso.com/unified.html', '{Settings:UnifiedDataUri}']) {
    assert.deepEqual(check({ [BASE]: base(fine) }, BASE), [], fine);
  }
});

test('unknown-page-contract: a version newer than every listed one is a hint (the catalog lags the service), one inside the listed range a warning', () => {
  const contentDefinitions = (version: string) => `<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicySchemaVersion="0.3.0.0" TenantId="t.onmicrosoft.com" PolicyId="B2C_1A_Base" PublicPolicyUri="http://t/B2C_1A_Base">
  <BuildingBlocks><ContentDefinitions><ContentDefinition Id="api.selfasserted"><LoadUri>~/x.html</LoadUri><DataUri>urn:com:microsoft:aad:b2c:elements:contract:selfasserted:${version}</DataUri></ContentDefinition></ContentDefinitions></BuildingBlocks>
</TrustFrameworkPolicy>`;
  const judge = (version: string) => runRules([checkLocalizationStrings], { 'file:///ws/Base.xml': contentDefinitions(version) }, 'file:///ws/Base.xml').map((f) => [f.code, f.severity]);
  assert.deepEqual(judge('2.1.27'), [['unknown-page-contract', 'hint']]);
  assert.deepEqual(judge('3.0.0'), [['unknown-page-contract', 'hint']]);
  assert.deepEqual(judge('2.1.26'), []);
  assert.deepEqual(judge('1.9.0'), [['unknown-page-contract', 'warning']]);
  assert.deepEqual(judge('2.1.x'), [['unknown-page-contract', 'warning']]);
});

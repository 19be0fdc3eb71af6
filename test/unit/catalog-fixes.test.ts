import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { applyEdits } from '../../server/src/service/edits/textEdits';
import { compactPolicy as policy } from '../helpers/policies';
import { memoryWorkspace } from '../helpers/workspace';

const providers = (profiles: string) =>
  `  <ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles>\n${profiles}\n  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;
const BASE = policy(
  'B2C_1A_Base',
  providers(`    <TechnicalProfile Id="Facebook-OAUTH"><DisplayName>Facebook</DisplayName><Protocol Name="OAuth2" />
      <Metadata><Item Key="client_id">1</Item><Item Key="authorization_endpoint">https://www.facebook.com/dialog/oauth</Item><Item Key="AccessTokenEndpoint">https://graph.facebook.com/oauth/access_token</Item><Item Key="ClaimsEndpoint">https://graph.facebook.com/me</Item></Metadata>
      <CryptographicKeys><Key Id="client_secret" StorageReferenceId="B2C_1A_FacebookSecret" /></CryptographicKeys>
    </TechnicalProfile>`),
);

/** The diagnostic of `code` in Ext.xml, its quick fixes' titles, and the text after the first fix. */
function fix(ext: string, code: string): { diagnostic: Diagnostic; titles: string[]; fixed: string | undefined } {
  const { service, uri } = memoryWorkspace({ 'Base.xml': BASE, 'Ext.xml': ext });
  const diagnostic = service.diagnostics(uri('Ext.xml')).find((d) => d.code === code);
  assert.ok(diagnostic, `${code} in ${JSON.stringify(service.diagnostics(uri('Ext.xml')).map((d) => d.code))}`);
  const actions = service.codeActions(uri('Ext.xml'), [diagnostic]);
  const fixed = actions[0] ? applyEdits(ext, actions[0].edit!.changes![uri('Ext.xml')]) : undefined;
  if (fixed) {
    // The fix clears the finding.
    service.openDocument(uri('Ext.xml'), fixed);
    assert.ok(!service.diagnostics(uri('Ext.xml')).some((d) => d.code === code && d.range.start.line === diagnostic.range.start.line), `${code} gone after the fix`);
  }
  return { diagnostic, titles: actions.map((a) => a.title), fixed };
}

test('incomplete-technical-profile: "Change the Id to \'Facebook-OAUTH\'" replaces the misspelt Id of the would-be override', () => {
  const ext = policy('B2C_1A_Ext', providers('    <TechnicalProfile Id="Facebook-OAuth2"><Metadata><Item Key="client_id">2</Item></Metadata></TechnicalProfile>'), 'B2C_1A_Base');
  const { titles, fixed } = fix(ext, 'incomplete-technical-profile');
  assert.deepEqual(titles, ["Change the Id to 'Facebook-OAUTH'"]);
  assert.equal(fixed, ext.replace('Id="Facebook-OAuth2"', 'Id="Facebook-OAUTH"'));
});

test('unknown-metadata-key and unknown-cryptographic-key: change to the closest key the profile\'s type reads', () => {
  const key = policy('B2C_1A_Ext', providers('    <TechnicalProfile Id="Facebook-OAUTH"><Metadata><Item Key="ClaimsEndpointAccessTokenName">x</Item><Item Key="client_idd">2</Item></Metadata></TechnicalProfile>'), 'B2C_1A_Base');
  const metadata = fix(key, 'unknown-metadata-key');
  assert.deepEqual(metadata.titles, ["Change the key to 'client_id'"]);
  assert.equal(metadata.fixed, key.replace('Key="client_idd"', 'Key="client_id"'));

  const secret = policy('B2C_1A_Ext', providers('    <TechnicalProfile Id="Facebook-OAUTH"><CryptographicKeys><Key Id="client_secrt" StorageReferenceId="B2C_1A_Other" /></CryptographicKeys></TechnicalProfile>'), 'B2C_1A_Base');
  const keys = fix(secret, 'unknown-cryptographic-key');
  assert.deepEqual(keys.titles, ["Change the key Id to 'client_secret'"]);
  assert.equal(keys.fixed, secret.replace('Id="client_secrt"', 'Id="client_secret"'));
});

test('unknown-protocol-handler: only the handler\'s type name changes; the assembly part stays as written', () => {
  const ext = policy(
    'B2C_1A_Ext',
    providers(
      '    <TechnicalProfile Id="Claims"><DisplayName>C</DisplayName><Protocol Name="Proprietary" Handler=" Web.TPEngine.Providers.ClaimsTransformationProtocolProvidr, Web.TPEngine" /></TechnicalProfile>',
    ),
    'B2C_1A_Base',
  );
  const { titles, fixed } = fix(ext, 'unknown-protocol-handler');
  assert.deepEqual(titles, ["Change the handler to 'Web.TPEngine.Providers.ClaimsTransformationProtocolProvider'"]);
  assert.equal(fixed, ext.replace('ProtocolProvidr, Web.TPEngine"', 'ProtocolProvider, Web.TPEngine"'));
});

test('unknown-string-id: change to the closest id of the page', () => {
  const ext = policy(
    'B2C_1A_Ext',
    `  <BuildingBlocks>
    <ContentDefinitions>
      <ContentDefinition Id="api.signuporsignin">
        <DataUri>urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:2.1.5</DataUri>
        <LocalizedResourcesReferences><LocalizedResourcesReference Language="en" LocalizedResourcesReferenceId="api.signuporsignin.en" /></LocalizedResourcesReferences>
      </ContentDefinition>
    </ContentDefinitions>
    <Localization><SupportedLanguages DefaultLanguage="en"><SupportedLanguage>en</SupportedLanguage></SupportedLanguages>
      <LocalizedResources Id="api.signuporsignin.en"><LocalizedStrings>
        <LocalizedString ElementType="UxElement" StringId="createaccount_one_linkx">Sign up now</LocalizedString>
      </LocalizedStrings></LocalizedResources>
    </Localization>
  </BuildingBlocks>`,
    'B2C_1A_Base',
  );
  const { titles, fixed } = fix(ext, 'unknown-string-id');
  assert.deepEqual(titles, ["Change the StringId to 'createaccount_one_link'"]);
  assert.equal(fixed, ext.replace('StringId="createaccount_one_linkx"', 'StringId="createaccount_one_link"'));
});

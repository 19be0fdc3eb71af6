import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CodeAction, CompletionItem, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { start, stop } from '../helpers/lsp';
import { applyEdits } from '../../server/src/service/edits/textEdits';
import { LineIndex } from '../../server/src/service/xml/lines';

const NS = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';
const root = (id: string, tenant: string) =>
  `<TrustFrameworkPolicy xmlns="${NS}" PolicySchemaVersion="0.3.0.0" TenantId="${tenant}.onmicrosoft.com" PolicyId="${id}" PublicPolicyUri="http://${tenant}.onmicrosoft.com/${id}">`;

const BASE = `${root('B2C_1A_Base', 'contoso')}
  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="objectId"><DisplayName>Object id</DisplayName><DataType>string</DataType></ClaimType>
    </ClaimsSchema>
    <ClaimsTransformations>
      <ClaimsTransformation Id="CreateId" TransformationMethod="CreateRandomString">
        <InputParameters><InputParameter Id="randomGeneratorType" DataType="string" Value="GUID" /></InputParameters>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="objectId" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>
    </ClaimsTransformations>
  </BuildingBlocks>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Facebook</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="Facebook-OAUTH">
          <DisplayName>Facebook</DisplayName>
          <Protocol Name="OAuth2" />
          <Metadata>
            <Item Key="ClaimsEndpoint">https://graph.facebook.com/me</Item>
          </Metadata>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
</TrustFrameworkPolicy>
`;

/** An Extensions file left with the starter pack's placeholder tenant and a misspelt "override" of Facebook-OAUTH. */
const EXT = `${root('B2C_1A_Ext', 'yourtenant')}
  <BasePolicy><TenantId>yourtenant.onmicrosoft.com</TenantId><PolicyId>B2C_1A_Base</PolicyId></BasePolicy>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Facebook</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="Facebook-OAUHT">
          <Metadata>
            <Item Key="client_id">0000</Item>
          </Metadata>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
</TrustFrameworkPolicy>
`;

test('over the real server: TransformationMethod completion with signatures, metadata key hover, quick fixes for a misspelt override and the placeholder tenant', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-catalogs-'));
  fs.writeFileSync(path.join(dir, 'Base.xml'), BASE);
  fs.writeFileSync(path.join(dir, 'Ext.xml'), EXT);
  const baseUri = pathToFileURL(path.join(dir, 'Base.xml')).href;
  const extUri = pathToFileURL(path.join(dir, 'Ext.xml')).href;
  const client = await start(dir);
  try {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: baseUri, languageId: 'xml', version: 1, text: BASE } });
    const lines = new LineIndex(BASE);
    const methodAt = lines.positionAt(BASE.indexOf('TransformationMethod="') + 'TransformationMethod="'.length);
    const items = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: baseUri }, position: methodAt })) as CompletionItem[];
    const random = items.find((i) => i.label === 'CreateRandomString');
    assert.ok(random, items.map((i) => i.label).join());
    assert.match(String(random.detail), /^CreateRandomString\(randomGeneratorType: string, .*\) -> outputClaim: string$/);

    const keyAt = lines.positionAt(BASE.indexOf('Key="ClaimsEndpoint"') + 'Key="'.length + 2);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: baseUri }, position: keyAt })) as Hover;
    assert.match((hover.contents as MarkupContent).value, /^\*\*Metadata\*\* `ClaimsEndpoint` · OAuth2 identity provider technical profile\n\nUser information endpoint\./);

    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: extUri, languageId: 'xml', version: 1, text: EXT } });
    const diagnostics = await client.until(() => {
      const d = client.diagnostics.get(extUri);
      return d?.some((x) => x.code === 'incomplete-technical-profile') && d.some((x) => x.code === 'placeholder-tenant') ? d : undefined;
    }, 'the findings of Ext.xml');
    const actionsFor = async (d: Diagnostic) =>
      (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: extUri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];

    const incomplete = diagnostics.find((d) => d.code === 'incomplete-technical-profile')!;
    const rename = (await actionsFor(incomplete)).find((a) => a.title === "Change the Id to 'Facebook-OAUTH'");
    assert.ok(rename, 'the rename quick fix');
    assert.equal(applyEdits(EXT, rename.edit!.changes![extUri]), EXT.replace('Id="Facebook-OAUHT"', 'Id="Facebook-OAUTH"'));

    const placeholder = diagnostics.find((d) => d.code === 'placeholder-tenant')!;
    assert.equal(placeholder.severity, 3, 'information');
    const replace = (await actionsFor(placeholder)).find((a) => a.title === "Replace yourtenant with 'contoso'");
    assert.ok(replace, 'the tenant quick fix');
    assert.equal(applyEdits(EXT, replace.edit!.changes![extUri]), EXT.replace(/yourtenant/g, 'contoso'));
  } finally {
    await stop(client);
  }
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CompletionItem, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { start, stop } from '../helpers/lsp';
import { withCursor } from '../helpers/corpus';
import { LineIndex } from '../../server/src/service/xml/lines';

const NS = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';
const BASE = `<TrustFrameworkPolicy xmlns="${NS}" PolicySchemaVersion="0.3.0.0" TenantId="t.onmicrosoft.com" PolicyId="B2C_1A_Base" PublicPolicyUri="http://t.onmicrosoft.com/B2C_1A_Base">
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="Base-Profile">
          <DisplayName>Base profile</DisplayName>
          <Protocol Name="OAuth2" />
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
</TrustFrameworkPolicy>
`;
const EXT = withCursor(`<TrustFrameworkPolicy xmlns="${NS}" PolicySchemaVersion="0.3.0.0" TenantId="t.onmicrosoft.com" PolicyId="B2C_1A_Ext" PublicPolicyUri="http://t.onmicrosoft.com/B2C_1A_Ext">
  <BasePolicy>
    <TenantId>t.onmicrosoft.com</TenantId>
    <PolicyId>B2C_1A_Base</PolicyId>
  </BasePolicy>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Ext</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="Ext-Profile">
          <DisplayName>Ext profile</DisplayName>
          <Protocol Name="Proprietary" Handler="x" />
          <UseTechnicalProfileForSessionManagement ReferenceId="|" />
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
</TrustFrameworkPolicy>
`);

test('completion and hover over the real server: the chain\'s technical profiles, and what a reference points to', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-features-'));
  fs.writeFileSync(path.join(dir, 'Base.xml'), BASE);
  const extUri = pathToFileURL(path.join(dir, 'Ext.xml')).href;
  const client = await start(dir);
  try {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: extUri, languageId: 'xml', version: 1, text: EXT.text } });
    const position = new LineIndex(EXT.text).positionAt(EXT.offset);
    const items = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: extUri }, position })) as CompletionItem[];
    const labels = items.map((i) => i.label).sort();
    assert.deepEqual(labels, ['Base-Profile', 'Ext-Profile']);
    const base = items.find((i) => i.label === 'Base-Profile')!;
    assert.match(String(base.detail), /Base\.xml/);

    const text = EXT.text.slice(0, EXT.offset) + 'Base-Profile' + EXT.text.slice(EXT.offset);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: extUri, version: 2 }, contentChanges: [{ text }] });
    const hoverAt = new LineIndex(text).positionAt(EXT.offset + 3);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: extUri }, position: hoverAt })) as Hover;
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /Base-Profile/);
    assert.match(value, /Base\.xml/);
    assert.match(value, /OAuth2/);
  } finally {
    await stop(client);
  }
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { start, stop } from '../helpers/lsp';
import { contosoPolicy as policy, SELF_ASSERTED_CONTENT_DEFINITIONS } from '../helpers/policies';



const tp = (id: string, extra = '') => `        <TechnicalProfile Id="${id}">
          <DisplayName>${id}</DisplayName>
          <Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.SelfAssertedAttributeProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" />
          <Metadata>
            <Item Key="ContentDefinitionReferenceId">api.selfasserted</Item>
          </Metadata>${extra}
        </TechnicalProfile>`;
const providers = (profiles: string) => `  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local</DisplayName>
      <TechnicalProfiles>
${profiles}
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>`;

const BASE = policy(
  'B2C_1A_Base',
  `  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="objectId">
        <DisplayName>User's Object ID</DisplayName>
        <DataType>string</DataType>
      </ClaimType>
    </ClaimsSchema>
${SELF_ASSERTED_CONTENT_DEFINITIONS}
  </BuildingBlocks>
` + providers(tp('TP-One')),
);
const EXT = policy(
  'B2C_1A_Ext',
  providers(tp('TP-Ext', `\n          <CryptographicKeys>\n            <Key Id="issuer_secret" StorageReferenceId="AmazonSecret" />\n          </CryptographicKeys>\n          <UseTechnicalProfileForSessionManagement ReferenceId="TP-Two" />`)),
  'B2C_1A_Base',
);
const RP = policy(
  'B2C_1A_RP',
  `  <RelyingParty>
    <DefaultUserJourney ReferenceId="Journey" />
    <TechnicalProfile Id="PolicyProfile">
      <DisplayName>PolicyProfile</DisplayName>
      <Protocol Name="OpenIdConnect" />
      <OutputClaims>
        <OutputClaim ClaimTypeReferenceId="objectId" PartnerClaimType="sub" />
      </OutputClaims>
      <SubjectNamingInfo ClaimType="objectId" />
    </TechnicalProfile>
  </RelyingParty>`,
  'B2C_1A_Ext',
);

function rangeOf(text: string, needle: string, occurrence = 0) {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, needle);
  const before = text.slice(0, offset).split('\n');
  const line = before.length - 1;
  const character = before[line].length;
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

test('the real server over stdio: diagnostics with codes and exact ranges; a base edit re-publishes the dependent files', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-lsp-'));
  const files = { base: path.join(dir, 'TrustFrameworkBase.xml'), ext: path.join(dir, 'TrustFrameworkExtensions.xml'), rp: path.join(dir, 'SignUpOrSignin.xml'), other: path.join(dir, 'pom.xml') };
  fs.writeFileSync(files.base, BASE);
  fs.writeFileSync(files.ext, EXT);
  fs.writeFileSync(files.rp, RP);
  fs.writeFileSync(files.other, '<project><modelVersion>4.0.0</modelVersion></project>');
  const uri = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, pathToFileURL(f).href])) as Record<keyof typeof files, string>;
  const client = await start(dir);
  try {
    for (const [key, text] of [['base', BASE], ['ext', EXT], ['other', fs.readFileSync(files.other, 'utf8')]] as const) {
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri[key], languageId: 'xml', version: 1, text } });
    }
    const ext = await client.until(() => client.diagnostics.get(uri.ext), 'Extensions diagnostics');
    const summary = ext.map((d) => ({ code: d.code, severity: d.severity, source: d.source, range: d.range }));
    assert.deepEqual(summary, [
      { code: 'policy-key-prefix', severity: 1, source: 'b2c-policy', range: rangeOf(EXT, 'AmazonSecret') },
      { code: 'unresolved-reference', severity: 1, source: 'b2c-policy', range: rangeOf(EXT, 'TP-Two') },
    ]);
    assert.deepEqual(ext[1].data, { kind: 'technicalProfile', id: 'TP-Two', code: 'unresolved-reference' });
    // The relying party is not open, but validateWorkspace publishes it: its journey does not exist.
    const rp = await client.until(() => client.diagnostics.get(uri.rp), 'relying-party diagnostics');
    assert.deepEqual(rp.map((d) => [d.code, d.range]), [['unresolved-reference', rangeOf(RP, 'Journey', 1)]]);
    assert.equal(client.diagnostics.get(uri.other), undefined, 'non-policy XML gets nothing');

    // Define TP-Two in the base: the Extensions file is re-published without the unresolved reference.
    const fixedBase = BASE.replace(tp('TP-One'), tp('TP-One') + '\n' + tp('TP-Two'));
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri.base, version: 2 },
      contentChanges: [{ text: fixedBase }],
    });
    const after = await client.until(() => {
      const d = client.diagnostics.get(uri.ext);
      return d && d.length === 1 ? d : undefined;
    }, 'Extensions re-published after the base edit');
    assert.equal(after[0].code, 'policy-key-prefix');

    // Mid-typing in the base never breaks the server: an unfinished attribute value is an xml-syntax error.
    const broken = fixedBase.replace('<DisplayName>TP-One</DisplayName>', '<DisplayName>TP-One</DisplayName>\n          <OutputClaim ClaimTypeReferenceId="');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri.base, version: 3 }, contentChanges: [{ text: broken }] });
    const baseDiagnostics = await client.until(() => client.diagnostics.get(uri.base)?.some((d) => d.code === 'xml-syntax') && client.diagnostics.get(uri.base), 'xml-syntax in base');
    assert.ok(baseDiagnostics.some((d) => d.code === 'xml-syntax' && d.range.start.line === rangeOf(broken, '"\n').start.line));
  } finally {
    await stop(client);
  }
});

test('a file created on disk is picked up through didChangeWatchedFiles and resolves the missing base', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-lsp-'));
  const extFile = path.join(dir, 'TrustFrameworkExtensions.xml');
  fs.writeFileSync(extFile, EXT.replace('AmazonSecret', 'B2C_1A_AmazonSecret'));
  const client = await start(dir);
  try {
    const extUri = pathToFileURL(extFile).href;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: extUri, languageId: 'xml', version: 1, text: fs.readFileSync(extFile, 'utf8') } });
    const missing = await client.until(() => (client.diagnostics.get(extUri)?.length ? client.diagnostics.get(extUri) : undefined), 'missing base');
    assert.deepEqual(missing.map((d) => d.code).sort(), ['unresolved-base-policy', 'unverified-references']);
    const baseFile = path.join(dir, 'TrustFrameworkBase.xml');
    fs.writeFileSync(baseFile, BASE.replace(tp('TP-One'), tp('TP-One') + '\n' + tp('TP-Two')));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(baseFile).href, type: 1 }] });
    await client.until(() => client.diagnostics.get(extUri)?.length === 0, 'cleared after the base appears');
  } finally {
    await stop(client);
  }
});

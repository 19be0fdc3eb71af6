import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { start, stop } from '../helpers/lsp';
import { LineIndex } from '../../server/src/service/xml/lines';

const NS = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';
const BASE = `<TrustFrameworkPolicy xmlns="${NS}" PolicySchemaVersion="0.3.0.0" TenantId="yourtenant.onmicrosoft.com" PolicyId="B2C_1A_Base" PublicPolicyUri="http://yourtenant.onmicrosoft.com/B2C_1A_Base">
  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="displayName">
        <DisplayName>Display Name</DisplayName>
        <DataType>string</DataType>
      </ClaimType>
    </ClaimsSchema>
  </BuildingBlocks>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="Facebook-OAUTH">
          <DisplayName>Facebook</DisplayName>
          <Protocol Name="OAuth2" />
          <Metadata>
            <Item Key="authorization_endpoint">https://Contoso.b2clogin.com/Contoso.onmicrosoft.com/oauth2/authresp</Item>
          </Metadata>
          <CryptographicKeys>
            <Key Id="client_secret" StorageReferenceId="FacebookSecret" />
          </CryptographicKeys>
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="DisplayName" />
            <OutputClaim ClaimTypeReferenceId="displayNam" />
          </OutputClaims>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
  <UserJourneys>
    <UserJourney Id="J">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="ClaimsProviderSelection" ContentDefinitionReferenceId="x">
          <ClaimsProviderSelections>
            <ClaimsProviderSelection TargetClaimsExchangeId="AmazonExchange" />
          </ClaimsProviderSelections>
        </OrchestrationStep>
        <OrchestrationStep Order="2" Type="ClaimsExchange">
          <ClaimsExchanges>
            <ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="Facebook-OAUTH" />
          </ClaimsExchanges>
        </OrchestrationStep>
      </OrchestrationSteps>
    </UserJourney>
  </UserJourneys>
</TrustFrameworkPolicy>
`;

function apply(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

test('each quick fix through textDocument/codeAction, applied, changes exactly its span', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-actions-'));
  const file = path.join(dir, 'TrustFrameworkBase.xml');
  fs.writeFileSync(file, BASE);
  const uri = pathToFileURL(file).href;
  const client = await start(dir);
  try {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text: BASE } });
    const diagnostics = await client.until(() => client.diagnostics.get(uri)?.length ? client.diagnostics.get(uri) : undefined, 'diagnostics');
    const byCode = (code: string) => diagnostics.filter((d) => d.code === code);
    const actionsFor = async (d: Diagnostic): Promise<CodeAction[]> =>
      (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];

    // tenant-name-case: lowercase just the tenant label; and "fix all" in the file
    const tenants = byCode('tenant-name-case');
    assert.equal(tenants.length, 2);
    const tenantActions = await actionsFor(tenants[0]);
    assert.deepEqual(tenantActions.map((a) => a.title), ["Lowercase the tenant name: 'contoso'", 'Fix all tenant names in this file (2)']);
    const one = apply(BASE, tenantActions[0].edit!.changes![uri]);
    assert.equal(one, BASE.replace('https://Contoso.b2clogin', 'https://contoso.b2clogin'));
    const all = apply(BASE, tenantActions[1].edit!.changes![uri]);
    assert.equal(all, BASE.replace('https://Contoso.b2clogin.com/Contoso.onmicrosoft', 'https://contoso.b2clogin.com/contoso.onmicrosoft'));

    // policy-key-prefix
    const key = await actionsFor(byCode('policy-key-prefix')[0]);
    assert.equal(apply(BASE, key[0].edit!.changes![uri]), BASE.replace('"FacebookSecret"', '"B2C_1A_FacebookSecret"'));

    // id-case-mismatch
    const caseActions = await actionsFor(byCode('id-case-mismatch')[0]);
    assert.equal(apply(BASE, caseActions[0].edit!.changes![uri]), BASE.replace('"DisplayName" />', '"displayName" />'));

    // unresolved-reference: closest ids of the same kind
    const typo = byCode('unresolved-reference').find((d) => (d.data as { kind: string }).kind === 'claimType')!;
    const typoActions = await actionsFor(typo);
    assert.equal(typoActions[0].title, "Change to 'displayName'");
    assert.equal(apply(BASE, typoActions[0].edit!.changes![uri]), BASE.replace('"displayNam"', '"displayName"'));

    // unresolved TargetClaimsExchangeId: change to an exchange of the next step, or add one to that step
    const target = byCode('unresolved-reference').find((d) => (d.data as { kind: string }).kind === 'claimsExchange')!;
    const targetActions = await actionsFor(target);
    const add = targetActions.find((a) => a.title === "Add a ClaimsExchange 'AmazonExchange' to step 2")!;
    assert.ok(add, targetActions.map((a) => a.title).join());
    const added = apply(BASE, add.edit!.changes![uri]);
    assert.equal(
      added,
      BASE.replace(
        '<ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="Facebook-OAUTH" />',
        '<ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="Facebook-OAUTH" />\n            <ClaimsExchange Id="AmazonExchange" TechnicalProfileReferenceId="TechnicalProfileId" />',
      ),
    );
    // After the edit, the target resolves: only the placeholder profile is left to fill in.
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: added }] });
    const after = await client.until(() => {
      const d = client.diagnostics.get(uri);
      return d && !d.some((x) => (x.data as { kind?: string } | undefined)?.kind === 'claimsExchange') ? d : undefined;
    }, 're-published after the edit');
    assert.ok(after.some((d) => d.code === 'unresolved-reference' && (d.data as { id: string }).id === 'TechnicalProfileId'));
  } finally {
    await stop(client);
  }
});

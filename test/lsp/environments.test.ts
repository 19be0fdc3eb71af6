/**
 * Environments through the real server over stdio: appsettings.json found by the walker, undefined settings
 * published on the token, appsettings.json's own problems published on it, built copies never indexed, the
 * roots request, the build request writing each environment's folder, the change notification, and completion
 * of setting keys.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import type { BuildResult, EnvironmentsResult, OrError } from '../../server/src/protocol';
import { start, stop } from '../helpers/lsp';
import { POLICY_NAMESPACE } from '../helpers/policies';

const BASE = `<TrustFrameworkPolicy xmlns="${POLICY_NAMESPACE}" PolicySchemaVersion="0.3.0.0" TenantId="{Settings:Tenant}" PolicyId="B2C_1A_Base" PublicPolicyUri="http://{Settings:Tenant}/B2C_1A_Base">
  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="email">
        <DisplayName>{Settings:EmailLabel}</DisplayName>
        <DataType>string</DataType>
      </ClaimType>
    </ClaimsSchema>
  </BuildingBlocks>
</TrustFrameworkPolicy>
`;

const SETTINGS = `{
  "Environments": [
    { "Name": "Dev", "Tenant": "contosodev.onmicrosoft.com", "PolicySettings": { "EmailLabel": "Email (dev)" } },
    { "Name": "Test", "Tenant": "contosotest.onmicrosoft.com", "PolicySettings": {} },
  ]
}
`;

test('environments over JSON-RPC: diagnostics on tokens and on appsettings.json, built copies not indexed, build and roots requests, completion of keys', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-lsp-env-'));
  const root = path.join(dir, 'policies');
  fs.mkdirSync(path.join(root, 'Environments', 'Dev'), { recursive: true });
  fs.writeFileSync(path.join(root, 'appsettings.json'), SETTINGS);
  fs.writeFileSync(path.join(root, 'Base.xml'), BASE);
  // A stale built copy with the same PolicyId: never indexed, so never reported.
  fs.writeFileSync(path.join(root, 'Environments', 'Dev', 'Base.xml'), BASE.replace('{Settings:EmailLabel}', '{Settings:Nope}'));
  const uri = (...p: string[]) => pathToFileURL(path.join(root, ...p)).href;
  const client = await start(dir);
  const changes: EnvironmentsResult[] = [];
  client.connection.onNotification('b2cPolicy/environmentsChanged', (p: EnvironmentsResult) => changes.push(p));
  try {
    const onBase = await client.until(() => client.diagnostics.get(uri('Base.xml')), 'diagnostics of Base.xml');
    assert.deepEqual(
      onBase.map((d) => [d.code, d.severity, d.range, d.message]),
      [['undefined-setting', 2, { start: { line: 4, character: 21 }, end: { line: 4, character: 42 } }, "{Settings:EmailLabel} has no value in environment 'Test': the build of that environment fails."]],
    );
    const onSettings = await client.until(() => client.diagnostics.get(uri('appsettings.json')), 'diagnostics of appsettings.json');
    assert.deepEqual(onSettings.map((d) => [d.code, d.severity, d.range.start]), [['appsettings-nonstandard-json', 2, { line: 3, character: SETTINGS.split('\n')[3].lastIndexOf(',') }]]);
    assert.equal(client.diagnostics.has(uri('Environments', 'Dev', 'Base.xml')), false, 'the built copy is not indexed');

    const roots: EnvironmentsResult = await client.connection.sendRequest('b2cPolicy/environments', {});
    assert.deepEqual(roots.roots, [
      {
        rootUri: pathToFileURL(root).href,
        settingsUri: uri('appsettings.json'),
        environmentsFolder: 'Environments',
        environments: [
          { name: 'Dev', production: false, tenant: 'contosodev.onmicrosoft.com' },
          { name: 'Test', production: false, tenant: 'contosotest.onmicrosoft.com' },
        ],
        hasErrors: false,
      },
    ]);
    assert.ok(changes.length >= 1 && JSON.stringify(changes[changes.length - 1]) === JSON.stringify(roots), 'the server told the client about the roots it found');

    // Build: Dev is written (the stale copy replaced), Test has an error and is not written.
    const built = (await client.connection.sendRequest('b2cPolicy/build', { rootUri: pathToFileURL(root).href })) as OrError<BuildResult>;
    assert.ok(!('error' in built), JSON.stringify(built));
    const [result] = built.roots;
    assert.deepEqual(result.built, [{ environment: 'Dev', folderUri: uri('Environments', 'Dev'), files: 1 }]);
    assert.deepEqual(result.failed, [{ environment: 'Test', errors: 1 }]);
    assert.deepEqual(
      result.problems.filter((p) => p.severity === 'error').map((p) => [p.uri, p.code, p.environment, p.range.start]),
      [[uri('Base.xml'), 'undefined-setting', 'Test', { line: 4, character: 21 }]],
    );
    const devText = fs.readFileSync(path.join(root, 'Environments', 'Dev', 'Base.xml'), 'utf8');
    assert.equal(devText, BASE.replace(/\{Settings:Tenant\}/g, 'contosodev.onmicrosoft.com').replace('{Settings:EmailLabel}', 'Email (dev)'));
    assert.equal(fs.existsSync(path.join(root, 'Environments', 'Test')), false);
    assert.deepEqual(await client.connection.sendRequest('b2cPolicy/build', { rootUri: pathToFileURL(dir).href }), { error: `${pathToFileURL(dir).href} is not a policy root (a folder with an appsettings.json that declares Environments)` });

    // The built file arrives through the file watcher: still not indexed.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('Environments', 'Dev', 'Base.xml'), type: 1 }] });
    // appsettings.json changed on disk: Test gets the key, a Prod appears; the warning goes and the client is told.
    fs.writeFileSync(path.join(root, 'appsettings.json'), SETTINGS.replace('"PolicySettings": {} },', '"PolicySettings": { "EmailLabel": "Email" } }, { "Name": "Prod", "Tenant": "contoso.onmicrosoft.com", "PolicySettings": { "EmailLabel": "Email" } }'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('appsettings.json'), type: 2 }] });
    await client.until(() => client.diagnostics.get(uri('Base.xml'))?.length === 0, 'the undefined-setting warning cleared');
    await client.until(() => changes.some((c) => c.roots[0]?.environments.length === 3), 'the change notification with Prod');
    assert.equal(client.diagnostics.has(uri('Environments', 'Dev', 'Base.xml')), false);

    // Completion after {Settings: (':' is a trigger character).
    const text = BASE.replace('{Settings:EmailLabel}', '{Settings:');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('Base.xml'), languageId: 'xml', version: 1, text } });
    const answer: CompletionList | CompletionItem[] = await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: uri('Base.xml') }, position: { line: 4, character: 31 }, context: { triggerKind: 2, triggerCharacter: ':' } });
    const items = Array.isArray(answer) ? answer : answer.items;
    assert.deepEqual(items.map((i) => i.label), ['Tenant', 'Filename', 'PolicyFilename', 'Environment', 'EmailLabel']);
  } finally {
    await stop(client);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CodeLens, DocumentHighlight, DocumentLink, DocumentSymbol, Location, Position, Range, SymbolInformation, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { Commands } from '../../server/src/protocol';
import { start, stop, type LspClient } from '../helpers/lsp';
import { at, ENVIRONMENTS, FILE_NAMES, TEXTS, type FileKey } from '../unit/navigation-fixture';

/** The fixture's two environments on disk; returns the folder and a uri maker. */
function writeWorkspace(): { dir: string; uri: (key: FileKey, env?: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-navigation-'));
  for (const env of ENVIRONMENTS) {
    fs.mkdirSync(path.join(dir, env));
    for (const key of Object.keys(FILE_NAMES) as FileKey[]) fs.writeFileSync(path.join(dir, env, FILE_NAMES[key]), TEXTS[key]);
  }
  return { dir, uri: (key, env = 'dev') => pathToFileURL(path.join(dir, env, FILE_NAMES[key])).href };
}

/** `file:line text-of-range` for a location of the fixture. */
function show(uri: string, range: Range): string {
  const key = (Object.keys(FILE_NAMES) as FileKey[]).find((k) => uri.endsWith('/' + FILE_NAMES[k]))!;
  const line = TEXTS[key].split('\n')[range.start.line];
  assert.equal(range.start.line, range.end.line);
  return `${uri.includes('/prod/') ? 'prod/' : ''}${key}:${range.start.line + 1} ${line.slice(range.start.character, range.end.character)}`;
}

async function opened(client: LspClient, uri: string, key: FileKey): Promise<void> {
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text: TEXTS[key] } });
  // Indexing is done once the other environment's base has its diagnostics (its case-only reference hint).
  await client.until(() => [...client.diagnostics.keys()].some((u) => u.includes('/prod/') && u.endsWith(FILE_NAMES.Base)), 'the whole workspace indexed');
}

const position = (key: FileKey, needle: string): Position => at(TEXTS[key], needle);

test('navigation over the real server: definition, references, rename, symbols, highlights, links, code lenses', async () => {
  const { dir, uri } = writeWorkspace();
  const client = await start(dir);
  const request = <R>(method: string, params: unknown) => client.connection.sendRequest(method, params) as Promise<R>;
  try {
    await opened(client, uri('RP'), 'RP');

    const definition = await request<Location[]>('textDocument/definition', { textDocument: { uri: uri('RP') }, position: position('RP', 'ClaimTypeReferenceId="em|ail"') });
    assert.deepEqual(definition.map((l) => [l.uri, show(l.uri, l.range)]), [[uri('Base'), 'Base:9 email']]);

    const references = await request<Location[]>('textDocument/references', {
      textDocument: { uri: uri('RP') },
      position: position('RP', 'ClaimTypeReferenceId="em|ail"'),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(references.map((l) => show(l.uri, l.range)), ['RP:13 email', 'Base:9 email', 'Base:48 email', 'Base:60 email', 'Extensions:21 email', 'Localization:14 email']);

    const prepared = await request<{ range: Range; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uri('RP') }, position: position('RP', 'SubjectNamingInfo ClaimType="obj|') });
    assert.deepEqual([show(uri('RP'), prepared.range), prepared.placeholder], ['RP:16 objectId', 'objectId']);
    assert.equal(await request('textDocument/prepareRename', { textDocument: { uri: uri('RP') }, position: position('RP', '<Relying|Party>') }), null);

    const edit = await request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri('RP') }, position: position('RP', 'ClaimTypeReferenceId="em|ail"'), newName: 'emailAddress' });
    assert.deepEqual(
      Object.entries(edit.changes!).flatMap(([u, edits]) => edits.map((e) => `${show(u, e.range)} -> ${e.newText}`)).sort(),
      ['Base:48 email -> emailAddress', 'Base:60 email -> emailAddress', 'Base:9 email -> emailAddress', 'Extensions:21 email -> emailAddress', 'Localization:14 email -> emailAddress', 'RP:13 email -> emailAddress'],
    );
    await assert.rejects(
      request('textDocument/rename', { textDocument: { uri: uri('RP') }, position: position('RP', 'ClaimTypeReferenceId="em|ail"'), newName: 'displayName' }),
      (e: Error) => /A ClaimType with Id 'displayName' already exists \(TrustFrameworkBase\.xml\)/.test(e.message),
    );
    await assert.rejects(
      request('textDocument/rename', { textDocument: { uri: uri('RP') }, position: position('RP', 'ClaimTypeReferenceId="em|ail"'), newName: 'e mail' }),
      (e: Error) => /white space/.test(e.message),
    );

    const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri('RP') } });
    assert.deepEqual(symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]), [['BasePolicy', []], ['RelyingParty', ['DefaultUserJourney', 'PolicyProfile']]]);

    const found = await request<SymbolInformation[]>('workspace/symbol', { query: 'FacebookOA' });
    assert.deepEqual(found.map((s) => `${s.name} ${s.containerName}`), ['Facebook-OAUTH TechnicalProfile · dev/TrustFrameworkBase.xml', 'Facebook-OAUTH TechnicalProfile · prod/TrustFrameworkBase.xml']);

    const highlights = await request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri: uri('RP') }, position: position('RP', 'ClaimType="obj|') });
    assert.deepEqual(highlights.map((h) => show(uri('RP'), h.range)), ['RP:14 objectId', 'RP:16 objectId']);

    const links = await request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uri('RP') } });
    assert.deepEqual(links.map((l) => [show(uri('RP'), l.range), l.target]), [['RP:5 B2C_1A_TrustFrameworkExtensions', uri('Extensions')]]);

    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('Extensions'), languageId: 'xml', version: 1, text: TEXTS.Extensions } });
    const lenses = await request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri('Extensions') } });
    assert.deepEqual(lenses.map((l) => `${l.range.start.line + 1} ${l.command?.title} ${l.command?.command}`), [
      `11 2 references ${Commands.showReferences}`,
      `11 overrides TrustFrameworkBase.xml ${Commands.showReferences}`,
      `17 0 references ${Commands.showReferences}`,
    ]);
    const [lensUri, , lensLocations] = lenses[0].command!.arguments as [string, Position, Location[]];
    assert.equal(lensUri, uri('Extensions'));
    assert.deepEqual(lensLocations.map((l) => show(l.uri, l.range)), ['Base:53 login-NonInteractive', 'Extensions:24 login-NonInteractive']);
  } finally {
    await stop(client);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the codeLens setting turns code lenses off', async () => {
  const { dir, uri } = writeWorkspace();
  const client = await start(dir, { codeLens: false });
  try {
    await opened(client, uri('Base'), 'Base');
    // The server answers with the client's settings once it has read them: ask until they are in effect.
    let lenses: CodeLens[] = [];
    for (let i = 0; i < 50; i++) {
      lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: uri('Base') } })) as CodeLens[];
      if (lenses.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(lenses, []);
    // Definitions still work: only the lenses are off.
    const definition = (await client.connection.sendRequest('textDocument/definition', { textDocument: { uri: uri('Base') }, position: position('Base', '<Value>obj|') })) as Location[];
    assert.deepEqual(definition.map((l) => show(l.uri, l.range)), ['Base:5 objectId']);
  } finally {
    await stop(client);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('code lenses are refreshed when indexing ends and when a file changes on disk (workspace/codeLens/refresh), and then count its references', async () => {
  const { dir, uri } = writeWorkspace();
  const client = await start(dir, {}, { codeLens: { refreshSupport: true } });
  let refreshes = 0;
  const refreshed: Array<() => void> = [];
  client.connection.onRequest('workspace/codeLens/refresh', () => {
    refreshes++;
    for (const r of refreshed.splice(0)) r();
    return null;
  });
  /** Resolves at the next refresh request after `seen` of them (fails after 10 s). */
  const refreshAfter = (seen: number) =>
    new Promise<void>((resolve, reject) => {
      if (refreshes > seen) return resolve();
      const timer = setTimeout(() => reject(new Error(`no workspace/codeLens/refresh after ${seen}`)), 10_000);
      refreshed.push(() => (clearTimeout(timer), resolve()));
    });
  const lensTitle = async () => {
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: uri('Extensions') } })) as CodeLens[];
    return lenses.find((l) => l.range.start.line === 10)?.command?.title;
  };
  try {
    await opened(client, uri('Extensions'), 'Extensions');
    await refreshAfter(0); // the end of indexing
    assert.equal(await lensTitle(), '2 references');
    // The base (not open) gains a second reference to login-NonInteractive on disk; the watcher reports it.
    const basePath = path.join(dir, 'dev', FILE_NAMES.Base);
    const reference = '<ValidationTechnicalProfile ReferenceId="login-NonInteractive" />';
    assert.ok(TEXTS.Base.includes(reference));
    fs.writeFileSync(basePath, TEXTS.Base.replace(reference, reference + reference));
    const seen = refreshes;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('Base'), type: 2 }] });
    await refreshAfter(seen);
    assert.equal(await lensTitle(), '3 references');
  } finally {
    await stop(client);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { JourneyGraph } from '../../server/src/graph/model';
import { JourneyGraphRequest, PolicyFileOutlineRequest, PolicySetsRequest } from '../../server/src/protocol';
import { BASE_XML, EXT_XML, positionOf, RP_XML } from '../helpers/journeyPolicies';
import { journeyGraphShapeProblems } from '../helpers/journeyGraphShape';
import { start, stop } from '../helpers/lsp';

test('journey graph, policy sets and file outline over the real server (JSON-RPC); the graph follows an unsaved edit', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-journey-'));
  const files = { 'Base.xml': BASE_XML, 'Ext.xml': EXT_XML, 'RP.xml': RP_XML };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const uri = (name: string) => pathToFileURL(path.join(dir, name)).href;
  const client = await start(dir);
  try {
    // Opened in the editor: the server handles notifications and requests in order, so the requests below see them.
    for (const [name, text] of Object.entries(files)) await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(name), languageId: 'xml', version: 1, text } });
    const graph = (await client.connection.sendRequest(JourneyGraphRequest.method, { uri: uri('RP.xml'), position: { line: 0, character: 0 } })) as JourneyGraph;
    assert.deepEqual(journeyGraphShapeProblems(graph), []);
    assert.equal(graph.journey.id, 'SignIn');
    assert.deepEqual(graph.nodes.filter((n) => n.kind === 'step').map((n) => n.id), ['step:1', 'step:2', 'step:3', 'step:4']);
    assert.deepEqual(graph.chain.map((c) => c.uri), [uri('RP.xml'), uri('Ext.xml'), uri('Base.xml')]);

    const named = (await client.connection.sendRequest(JourneyGraphRequest.method, { uri: uri('Base.xml'), journeyId: 'WithSub' })) as JourneyGraph;
    assert.equal(named.journey.id, 'WithSub');
    const atCursor = (await client.connection.sendRequest(JourneyGraphRequest.method, { uri: uri('Base.xml'), position: positionOf(BASE_XML, 'SubLocalExchange') })) as JourneyGraph;
    assert.equal(atCursor.journey.id, 'Sub');
    assert.deepEqual(await client.connection.sendRequest(JourneyGraphRequest.method, { uri: uri('RP.xml'), journeyId: 'Nope' }), {
      error: "No user journey or sub-journey 'Nope' in the chain of RP.xml; the chain has Loop, SignIn, Sub, WithSub.",
    });

    // An unsaved edit of the extensions file: the exchange's profile is gone, its node carries the error.
    const broken = EXT_XML.replace('TechnicalProfileReferenceId="Reader"', 'TechnicalProfileReferenceId="Nope"');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri('Ext.xml'), version: 2 }, contentChanges: [{ text: broken }] });
    const edited = (await client.connection.sendRequest(JourneyGraphRequest.method, { uri: uri('RP.xml'), position: { line: 0, character: 0 } })) as JourneyGraph;
    const exchange = edited.nodes.find((n) => n.id === 'step:3/exchange:ReadAgainExchange')!;
    assert.equal(exchange.profile!.found, false);
    assert.deepEqual(exchange.findings.map((f) => [f.severity, f.code]), [['error', 'unresolved-reference']]);

    const sets = (await client.connection.sendRequest(PolicySetsRequest.method, {})) as { folders: Array<{ relyingParties: Array<{ chain: Array<{ uri: string; errors: number }> }> }> };
    assert.deepEqual(
      sets.folders[0].relyingParties[0].chain.map((f) => [path.basename(f.uri), f.errors]),
      [
        ['RP.xml', 0],
        ['Ext.xml', 1],
        ['Base.xml', 0],
      ],
    );
    const outline = (await client.connection.sendRequest(PolicyFileOutlineRequest.method, { uri: uri('Ext.xml') })) as Array<{ kind: string; id: string }>;
    assert.deepEqual(outline.map((i) => `${i.kind} ${i.id}`), ['technicalProfile Social-IdP', 'userJourney SignIn']);
  } finally {
    await stop(client);
  }
});

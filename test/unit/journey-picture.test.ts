import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cardOf, textWidth, CHAR_WIDTH } from '../../server/src/graph/cards';
import { createLayoutEngine, layoutJourneyGraph, MAX_DRAWN_NODES, type PlacedGraph, type PlacedNode } from '../../server/src/graph/layout';
import { toMermaid } from '../../server/src/graph/mermaid';
import type { JourneyGraph } from '../../server/src/graph/model';
import { renderSvg } from '../../server/src/graph/svg';
import { parseXml } from '../../server/src/service/xml';
import { attributeValue, walkElements } from '../../server/src/service/xml/query';
import { BASE_XML, EXT_XML, RP_XML } from '../helpers/journeyPolicies';
import { parseMermaidFlowchart } from '../helpers/mermaid';
import { memoryWorkspace } from '../helpers/workspace';

const engine = createLayoutEngine();

function graph(files: Record<string, string> = {}, journeyId?: string): JourneyGraph {
  const { service, uri } = memoryWorkspace({ 'Base.xml': BASE_XML, 'Ext.xml': EXT_XML, 'RP.xml': RP_XML, ...files });
  const g = service.journeyGraph(uri('RP.xml'), journeyId ? { journeyId } : { line: 0, character: 0 });
  if ('error' in g) assert.fail(g.error);
  return g;
}

test('Mermaid: steps are subgraphs holding their exchanges, validation profiles and issuer; the edges and their labels read back', () => {
  const chart = parseMermaidFlowchart(toMermaid(graph()));
  assert.equal(chart.direction, 'TD');
  const subgraphs = [...chart.nodes.values()].filter((n) => n.shape === 'subgraph');
  assert.deepEqual(
    subgraphs.map((n) => [n.id, n.label]),
    [
      ['step_1', 'Step 1 CombinedSignInAndSignUp · Base.xml'],
      ['step_2', 'Step 2 ClaimsExchange · Base.xml'],
      ['step_3', "Step 3 ClaimsExchange · Ext.xml, replaces Base.xml's ClaimsExchange"],
      ['step_4', 'Step 4 SendClaims · Base.xml'],
    ],
    'a subgraph title is one line',
  );
  assert.equal(chart.nodes.get('journey')!.shape, 'stadium');
  assert.deepEqual(chart.nodes.get('step_1_exchange_LocalExchange'), {
    id: 'step_1_exchange_LocalExchange',
    label: 'LocalExchange\nSelfAsserted-Signin\nself-asserted · SelfAssertedAttributeProvider',
    shape: 'box',
    parent: 'step_1',
  });
  assert.equal(chart.nodes.get('step_4_issuer')!.parent, 'step_4');
  assert.deepEqual(
    chart.edges.map((e) => [e.from, e.to, e.label ?? '', e.dotted]),
    [
      ['journey', 'step_1', '', false],
      ['step_1_exchange_LocalExchange', 'step_1_exchange_LocalExchange_validation_Login', '', true],
      ['step_1', 'step_2', 'skipped if objectId exists', false],
      ['step_1', 'step_2_exchange_SocialExchange', 'Contoso Social', true],
      ['step_2', 'step_3', '', false],
      ['step_3', 'step_4', '', false],
    ],
  );
  assert.equal(chart.classes.size, 0, 'a clean chain has no error or warning class');
});

test('Mermaid: quotes, angle brackets, pipes and # in labels are entity codes that read back as written; a node with an error gets the error class', () => {
  const base = BASE_XML.replace('<Value>objectId</Value>', '<Value>objectId</Value><Value>a "b" &lt;c&gt; | #d</Value>').replace('Type="ClaimsExist"', 'Type="ClaimEquals"');
  const broken = EXT_XML.replace('TechnicalProfileReferenceId="Reader"', 'TechnicalProfileReferenceId="Nope"');
  const text = toMermaid(graph({ 'Base.xml': base, 'Ext.xml': broken }));
  const chart = parseMermaidFlowchart(text);
  assert.equal(chart.edges.find((e) => e.to === 'step_2')!.label, 'skipped if objectId is a "b" <c> | #d');
  assert.ok(text.includes('#quot;b#quot; #lt;c#gt; #124; #35;d'), text);
  assert.deepEqual(chart.classes.get('error'), ['step_3_exchange_ReadAgainExchange']);
  assert.equal(chart.nodes.get('step_3_exchange_ReadAgainExchange')!.label, 'ReadAgainExchange\nNope\ntechnical profile not found');
});

test('cards: one row per fact, widths from the monospace advance, long rows cut with the full text in the tooltip', () => {
  const g = graph();
  const step = g.nodes.find((n) => n.id === 'step:1')!;
  const card = cardOf(step, g, { hasIncomingSequence: true, expanded: false });
  assert.deepEqual(card.rows.map((r) => [r.style, r.text]), [
    ['title', 'Step 1 CombinedSignInAndSignUp'],
    ['detail', 'Base.xml'],
    ['claims', '+ email, objectId'],
  ]);
  assert.equal(card.width, Math.ceil(textWidth('Step 1 CombinedSignInAndSignUp') + 20));
  assert.equal(textWidth('ab'), 2 * CHAR_WIDTH);
  assert.equal(textWidth('署名'), 4 * CHAR_WIDTH, 'wide characters take two cells');
  const social = g.nodes.find((n) => n.id === 'step:2/exchange:SocialExchange')!;
  assert.deepEqual(
    cardOf(social, g, { hasIncomingSequence: false, expanded: false }).rows.map((r) => [r.text, r.declaration]),
    [
      ['SocialExchange', undefined],
      ['Social-IdP', undefined],
      ['oauth2 · OAuth2', undefined],
      ['also in Ext.xml', 0],
    ],
  );
  const long = { ...step, step: { ...step.step!, preconditions: ['skipped if ' + 'x'.repeat(100) + ' exists'] } };
  const cut = cardOf(long, g, { hasIncomingSequence: false, expanded: false });
  const condition = cut.rows.find((r) => r.style === 'condition')!;
  assert.equal([...condition.text].length, 60);
  assert.ok(condition.text.endsWith('…'));
  assert.ok(cut.tooltip.includes('x'.repeat(100)));
});

function inside(child: PlacedNode, parent: PlacedNode): boolean {
  return child.x >= parent.x && child.y >= parent.y + parent.card.height && child.x + child.width <= parent.x + parent.width && child.y + child.height <= parent.y + parent.height;
}
function overlap(a: PlacedNode, b: PlacedNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
function checkGeometry(placed: PlacedGraph): void {
  const byId = new Map(placed.nodes.map((p) => [p.node.id, p]));
  for (const p of placed.nodes) {
    assert.ok(p.x >= 0 && p.y >= 0 && p.x + p.width <= placed.width && p.y + p.height <= placed.height, `${p.node.id} inside the picture`);
    assert.ok(p.width >= p.card.width && p.height >= p.card.height, `${p.node.id} fits its card`);
    if (p.node.parent) assert.ok(inside(p, byId.get(p.node.parent)!), `${p.node.id} below the header of its frame`);
  }
  for (const a of placed.nodes) for (const b of placed.nodes) if (a !== b && a.node.parent === b.node.parent) assert.ok(!overlap(a, b), `${a.node.id} and ${b.node.id} do not overlap`);
  for (const e of placed.edges) {
    assert.ok(e.points.length >= 2, `${e.edge.id} is routed`);
    for (const q of e.points) assert.ok(q.x >= 0 && q.y >= 0 && q.x <= placed.width && q.y <= placed.height, `${e.edge.id} inside the picture`);
    if (e.label) assert.ok(e.label.x >= 0 && e.label.x + e.label.width <= placed.width, `${e.edge.id}'s label inside the picture`);
  }
}

test('layout: steps top to bottom in Order, every node inside its frame below the header, no overlaps, every edge routed; the selection enters its exchange from the left', async () => {
  const placed = await layoutJourneyGraph(graph(), {}, engine);
  checkGeometry(placed);
  const steps = placed.nodes.filter((p) => p.node.kind === 'step');
  assert.deepEqual(steps.map((s) => s.node.id), ['step:1', 'step:2', 'step:3', 'step:4']);
  for (let i = 1; i < steps.length; i++) assert.ok(steps[i].y >= steps[i - 1].y + steps[i - 1].height, `step ${i + 1} below step ${i}`);
  const selection = placed.edges.find((e) => e.edge.kind === 'selection')!;
  const target = placed.nodes.find((p) => p.node.id === 'step:2/exchange:SocialExchange')!;
  const source = steps[0];
  const [first, ...rest] = selection.points;
  const last = rest[rest.length - 1];
  assert.equal(first.y, source.y + source.height, 'starts at the bottom of the selecting step');
  assert.equal(last.x, target.x, 'ends at the left side of the exchange');
  assert.ok(last.y > target.y && last.y < target.y + target.height);
  for (let i = 1; i < selection.points.length; i++) assert.ok(selection.points[i].x === selection.points[i - 1].x || selection.points[i].y === selection.points[i - 1].y, 'orthogonal');
  assert.ok(selection.label!.x + selection.label!.width <= Math.min(...selection.points.map((q) => q.x)), 'the label left of its lane');
  const sequence = placed.edges.find((e) => e.edge.id === 'sequence:step:1->step:2')!;
  assert.ok(sequence.label && sequence.label.x >= sequence.points[0].x, 'the precondition label right of the spine');
});

test('layout: a sub-journey is collapsed until expanded; expanded, its steps sit inside its frame', async () => {
  const g = graph({}, 'WithSub');
  const collapsed = await layoutJourneyGraph(g, {}, engine);
  assert.deepEqual(collapsed.nodes.map((p) => p.node.id), ['journey', 'step:1', 'step:1/subJourney:Sub', 'step:2', 'step:2/issuer']);
  assert.equal(collapsed.nodes.find((p) => p.node.id === 'step:1/subJourney:Sub')!.card.rows[1].text, '▸ expand');
  const expanded = await layoutJourneyGraph(g, { expanded: new Set(['step:1/subJourney:Sub']) }, engine);
  checkGeometry(expanded);
  const frame = expanded.nodes.find((p) => p.node.id === 'step:1/subJourney:Sub')!;
  assert.ok(frame.compound);
  assert.equal(frame.card.rows[1].text, '▾ collapse');
  const inner = expanded.nodes.find((p) => p.node.id === 'step:1/subJourney:Sub/step:1')!;
  assert.ok(inside(inner, frame));
  assert.deepEqual((await layoutJourneyGraph(g, { expanded: 'all' }, engine)).nodes.length, g.nodes.length);
});

test('SVG: well-formed, one node group per drawn node with its id, kind and tooltip; the broken exchange outlined as an error; text escaped; no style attributes', async () => {
  const base = BASE_XML.replace('<Value>objectId</Value>', '<Value>objectId</Value><Value>&lt;b&gt; &amp; "c"</Value>').replace('Type="ClaimsExist"', 'Type="ClaimEquals"');
  const broken = EXT_XML.replace('TechnicalProfileReferenceId="Reader"', 'TechnicalProfileReferenceId="Nope"');
  const g = graph({ 'Base.xml': base, 'Ext.xml': broken });
  const svg = renderSvg(await layoutJourneyGraph(g, {}, engine), { embedStyle: true });
  const doc = parseXml(svg);
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.root!.name, 'svg');
  assert.equal(attributeValue(doc.root!, 'xmlns'), 'http://www.w3.org/2000/svg');
  const groups = [...walkElements(doc.root)].filter((e) => e.name === 'g' && attributeValue(e, 'data-node'));
  assert.deepEqual(groups.map((e) => attributeValue(e, 'data-node')).sort(), g.nodes.map((n) => n.id).sort());
  const brokenGroup = groups.find((e) => attributeValue(e, 'data-node') === 'step:3/exchange:ReadAgainExchange')!;
  assert.deepEqual(attributeValue(brokenGroup, 'class')!.split(' '), ['node', 'exchange', 'error']);
  const title = brokenGroup.children.find((c) => c.type === 'element' && c.name === 'title');
  assert.ok(title && title.type === 'element' && title.children.some((t) => t.type === 'text' && t.value.includes('error: ') && t.value.includes("No TechnicalProfile with Id 'Nope'")), 'the message is the tooltip');
  assert.equal(groups.filter((e) => attributeValue(e, 'class')!.split(' ').includes('error')).length, 1, 'only the broken exchange is red');
  const labels = [...walkElements(doc.root)].filter((e) => e.name === 'text').map((e) => e.children.map((c) => (c.type === 'text' ? c.value : '')).join(''));
  assert.ok(labels.includes('skipped if objectId is <b> & "c"'), labels.join(' | '));
  assert.ok(!/\sstyle="/.test(svg), 'classes only: a strict Content-Security-Policy drops style attributes');
  assert.ok(svg.includes('<style>') && !renderSvg(await layoutJourneyGraph(g, {}, engine)).includes('<style>'), 'the style sheet only when asked');
});

test('SVG: highlighting a claim marks the nodes that produce it and read it and dims the other cards', async () => {
  const g = graph();
  const svg = renderSvg(await layoutJourneyGraph(g, {}, engine), { highlightClaim: 'OBJECTID' });
  const doc = parseXml(svg);
  const classes = new Map([...walkElements(doc.root)].filter((e) => attributeValue(e, 'data-node')).map((e) => [attributeValue(e, 'data-node')!, attributeValue(e, 'class')!.split(' ')]));
  const marked = (name: string) => [...classes].filter(([, c]) => c.includes(name)).map(([id]) => id).sort();
  assert.deepEqual(marked('produces'), ['step:1', 'step:1/exchange:LocalExchange/validation:Login']);
  assert.deepEqual(marked('reads'), ['step:2', 'step:3/exchange:ReadAgainExchange', 'step:4/issuer']);
  assert.ok(classes.get('step:2/exchange:SocialExchange')!.includes('dimmed'));
  assert.ok(!classes.get('step:3')!.includes('dimmed'), 'frames are not dimmed');
});

test('layout: a journey with more boxes than can be drawn in reasonable time is refused with a message, before any layout', async () => {
  const g = graph();
  const step = g.nodes.find((n) => n.id === 'step:3')!;
  const many = { ...g, nodes: [...g.nodes, ...Array.from({ length: MAX_DRAWN_NODES }, (_, i) => ({ ...step, id: `step:3/x${i}`, kind: 'exchange' as const, parent: 'step:3' }))] };
  const t0 = Date.now();
  await assert.rejects(layoutJourneyGraph(many, {}, engine), new RegExp(`the journey has ${g.nodes.length + MAX_DRAWN_NODES} boxes to draw, more than ${MAX_DRAWN_NODES}`));
  assert.ok(Date.now() - t0 < 1000, 'refused at once');
});

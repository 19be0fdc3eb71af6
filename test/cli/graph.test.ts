import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseXml } from '../../server/src/service/xml';
import { attributeValue, walkElements } from '../../server/src/service/xml/query';
import { CORPUS_DIR, corpusPacks, needsCorpus, PROJECT_DIR } from '../helpers/corpus';
import { journeyGraphShapeProblems } from '../helpers/journeyGraphShape';
import { BASE_XML, EXT_XML, RP_XML } from '../helpers/journeyPolicies';
import { parseMermaidFlowchart, type MermaidChart } from '../helpers/mermaid';
import { serviceForFiles } from '../helpers/service';
import { diskWorkspace } from '../helpers/workspace';

const CLI = path.join(PROJECT_DIR, 'dist', 'cli.js');
const CACHE_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-graph-cache-'));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'graph', ...args], { cwd: PROJECT_DIR, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: CACHE_HOME } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const workspace = (files: Record<string, string | Uint8Array>): string => diskWorkspace(files, 'b2c-graph-');

const steps = (chart: MermaidChart) => [...chart.nodes.values()].filter((n) => /^step_\d+$/.test(n.id));

test('graph --format mermaid: the relying party\'s journey as a flowchart that reads back; exit 0', () => {
  const dir = workspace({ 'Base.xml': BASE_XML, 'Ext.xml': EXT_XML, 'RP.xml': RP_XML });
  const r = run([path.join(dir, 'RP.xml')]);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  const chart = parseMermaidFlowchart(r.stdout);
  assert.deepEqual(steps(chart).map((s) => s.label.split(' · ')[0]), ['Step 1 CombinedSignInAndSignUp', 'Step 2 ClaimsExchange', 'Step 3 ClaimsExchange', 'Step 4 SendClaims']);
  assert.ok(chart.edges.some((e) => e.from === 'step_1' && e.to === 'step_2_exchange_SocialExchange' && e.dotted && e.label === 'Contoso Social'));
  assert.equal(chart.nodes.get('journey')!.label, 'UserJourney SignIn\nrelying party B2C_1A_RP (RP.xml)');
});

test('graph --format svg --out: a well-formed standalone SVG with its style sheet; a broken reference makes exit 1 and a red node', () => {
  const dir = workspace({ 'Base.xml': BASE_XML, 'Ext.xml': EXT_XML.replace('TechnicalProfileReferenceId="Reader"', 'TechnicalProfileReferenceId="Nope"'), 'RP.xml': RP_XML });
  const out = path.join(dir, 'journey.svg');
  const r = run([path.join(dir, 'RP.xml'), '--format', 'svg', '--out', out]);
  assert.equal(r.stdout, '');
  assert.equal(r.code, 1, r.stderr);
  const doc = parseXml(fs.readFileSync(out, 'utf8'));
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.root!.name, 'svg');
  const red = [...walkElements(doc.root)].filter((e) => (attributeValue(e, 'class') ?? '').split(' ').includes('error')).map((e) => attributeValue(e, 'data-node'));
  assert.deepEqual(red, ['step:3/exchange:ReadAgainExchange']);
  assert.ok([...walkElements(doc.root)].some((e) => e.name === 'style'));
});

test('graph --format json: the journey graph in its documented shape; --journey names another journey or a sub-journey', () => {
  const dir = workspace({ 'Base.xml': BASE_XML, 'Ext.xml': EXT_XML, 'RP.xml': RP_XML });
  const r = run([path.join(dir, 'RP.xml'), '--format', 'json', '--journey', 'WithSub']);
  assert.equal(r.code, 0, r.stderr);
  const graph = JSON.parse(r.stdout);
  assert.deepEqual(journeyGraphShapeProblems(graph), []);
  assert.equal(graph.journey.id, 'WithSub');
  assert.ok(graph.nodes.some((n: { id: string }) => n.id === 'step:1/subJourney:Sub/step:1'));
  const sub = JSON.parse(run([path.join(dir, 'Base.xml'), '--format=json', '--journey=Sub']).stdout);
  assert.equal(sub.journey.kind, 'subJourney');
  assert.deepEqual(journeyGraphShapeProblems({ ...graph, extra: 1 }), ['$.extra: not a documented field'], 'the shape check can fail');
});

test('graph: usage and lookup errors exit 2 with one line on stderr', () => {
  const dir = workspace({ 'Base.xml': BASE_XML, 'RP.xml': RP_XML, 'notes.xml': '<notes/>' });
  const cases: Array<[string[], RegExp]> = [
    [[], /^b2c-policy: missing POLICY_FILE; try 'b2c-policy graph --help'\n$/],
    [[path.join(dir, 'RP.xml'), '--format', 'png'], /^b2c-policy: unknown format 'png' \(mermaid, svg or json\); try/],
    [[path.join(dir, 'Base.xml'), '--journey', 'Nope'], /^b2c-policy: No user journey or sub-journey 'Nope' in the chain of Base\.xml; the chain has Loop, SignIn, Sub, WithSub\.\n$/],
    [[path.join(dir, 'notes.xml')], /not a policy file/],
    [[path.join(dir, 'absent.xml')], /absent\.xml: no such file or folder/],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
  assert.match(run(['--help']).stdout, /^Usage: b2c-policy graph POLICY_FILE/);
});

test('graph on the starter packs: every relying party\'s journey reads back as Mermaid, one subgraph per effective step, no error anywhere; SocialAndLocalAccounts has 7 steps and the Facebook branch', { skip: needsCorpus }, () => {
  let checked = 0;
  for (const pack of corpusPacks()) {
    const file = path.join(CORPUS_DIR, pack, 'SignUpOrSignin.xml');
    if (!fs.existsSync(file)) continue;
    const r = run([file]);
    assert.equal(r.code, 0, `${pack}: ${r.stderr}`);
    const chart = parseMermaidFlowchart(r.stdout);
    // The journey model of the pack, in this process: one subgraph per effective step of the default journey.
    const dir = path.join(CORPUS_DIR, pack);
    const { service, uris } = serviceForFiles(fs.readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => path.join(dir, f)), false);
    const rp = service.policy(uris.find((u) => u.endsWith('/SignUpOrSignin.xml'))!)!;
    const model = service.chainModel(rp);
    const journeyId = /<DefaultUserJourney ReferenceId="([^"]+)"/.exec(rp.text)![1];
    assert.equal(steps(chart).length, model.journey('userJourney', journeyId)!.steps.length, pack);
    assert.ok(steps(chart).length > 0, pack);
    assert.equal(chart.classes.get('error'), undefined, `${pack} has no error`);
    assert.equal(chart.classes.get('warning'), undefined, `${pack} has no warning`);
    checked++;
  }
  assert.ok(checked >= 8, `${checked} packs with SignUpOrSignin.xml`);
  const chart = parseMermaidFlowchart(run([path.join(CORPUS_DIR, 'SocialAndLocalAccounts', 'SignUpOrSignin.xml')]).stdout);
  assert.deepEqual(
    steps(chart).map((s) => s.label.split(' · ')[0]),
    ['Step 1 CombinedSignInAndSignUp', 'Step 2 ClaimsExchange', 'Step 3 ClaimsExchange', 'Step 4 ClaimsExchange', 'Step 5 ClaimsExchange', 'Step 6 ClaimsExchange', 'Step 7 SendClaims'],
  );
  const facebook = chart.edges.find((e) => e.to === 'step_2_exchange_FacebookExchange')!;
  assert.deepEqual(facebook, { from: 'step_1', to: 'step_2_exchange_FacebookExchange', label: 'Facebook', dotted: true });
  assert.equal(chart.nodes.get('step_2_exchange_FacebookExchange')!.parent, 'step_2');
  assert.match(chart.nodes.get('step_2_exchange_FacebookExchange')!.label, /^FacebookExchange\nFacebook-OAUTH\noauth2 · OAuth2$/);
  assert.equal(chart.nodes.get('step_7_issuer')!.label.split('\n')[0], 'issuer JwtIssuer');
  const json = run([path.join(CORPUS_DIR, 'SocialAndLocalAccounts', 'SignUpOrSignin.xml'), '--format', 'json']);
  assert.deepEqual(journeyGraphShapeProblems(JSON.parse(json.stdout)), []);
  const svg = run([path.join(CORPUS_DIR, 'SocialAndLocalAccounts', 'SignUpOrSignin.xml'), '--format', 'svg']);
  assert.equal(svg.code, 0);
  assert.deepEqual(parseXml(svg.stdout).problems, []);
});

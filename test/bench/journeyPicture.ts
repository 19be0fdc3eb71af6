/**
 * Bench section 5 (issue 13): the journey picture and the .vsix.
 * - Every user journey of every relying party's chain in the starter packs is built as a journey graph; the
 *   largest (most nodes, sub-journeys expanded) and SocialAndLocalAccounts' SignUpOrSignIn are timed: graph
 *   build, ELK layout (first layout in a fresh process, which includes loading ELK, and warm), SVG, Mermaid.
 * - The .vsix: packaged with vsce as users get it (its vscode:prepublish makes the production bundles), each
 *   entry's size and compressed size read from the archive; dist/ gets its development bundles back after.
 *   vsce comes from the e2e tool cache (.vscode-test/tools) when there, else from npx (@vscode/vsce 3.9.2).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createLayoutEngine, layoutJourneyGraph } from '../../server/src/graph/layout';
import { toMermaid } from '../../server/src/graph/mermaid';
import type { JourneyGraph } from '../../server/src/graph/model';
import { renderSvg } from '../../server/src/graph/svg';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { buildJourneyGraph } from '../../server/src/service/features/journeyGraph';
import type { CompiledSchema } from '../../server/src/service/schema';
import { firstChild } from '../../server/src/service/xml/query';
import { CORPUS_DIR, corpusPacks, PROJECT_DIR, readText } from '../helpers/corpus';

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The bench's own helpers (bench.ts). */
export interface BenchTools {
  median(values: number[]): number;
  table(headers: string[], rows: Array<Array<string | number>>): string;
}

interface Candidate {
  name: string;
  analysis: Analysis;
  uri: string;
  journeyId: string;
  graph: JourneyGraph;
}

export async function journeyPictureBench(schema: CompiledSchema, { median, table }: BenchTools): Promise<void> {
  const timeAsync = async (fn: () => Promise<unknown>, runs: number) => {
    await fn();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = now();
      await fn();
      samples.push(now() - t0);
    }
    return median(samples);
  };
  const candidates: Candidate[] = [];
  for (const pack of corpusPacks()) {
    const analysis = new Analysis({ schema });
    const dir = path.join(CORPUS_DIR, pack);
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.xml'))) analysis.index.setDiskFile(pathToFileURL(path.join(dir, f)).href, readText(path.join(dir, f)));
    for (const file of analysis.index.policies()) {
      if (!file.xml.root || !firstChild(file.xml.root, 'RelyingParty')) continue;
      for (const journey of analysis.chainModel(file).journeys()) {
        if (journey.kind !== 'userJourney' || candidates.some((c) => c.name === `${pack} ${journey.id}`)) continue;
        const graph = buildJourneyGraph(analysis, file.uri, { journeyId: journey.id });
        if (!('error' in graph)) candidates.push({ name: `${pack} ${journey.id}`, analysis, uri: file.uri, journeyId: journey.id, graph });
      }
    }
  }
  candidates.sort((a, b) => b.graph.nodes.length - a.graph.nodes.length);
  const chosen = [candidates[0], candidates.find((c) => c.name === 'SocialAndLocalAccounts SignUpOrSignIn')].filter((c): c is Candidate => !!c);
  const engine = createLayoutEngine();
  const rows: Array<Array<string | number>> = [];
  for (const c of chosen) {
    const build = median(
      Array.from({ length: 15 }, () => {
        const t0 = now();
        buildJourneyGraph(c.analysis, c.uri, { journeyId: c.journeyId });
        return now() - t0;
      }),
    );
    const cold = median(coldLayouts(c.graph, 5));
    const warm = await timeAsync(() => layoutJourneyGraph(c.graph, { expanded: 'all' }, engine), 15);
    const placed = await layoutJourneyGraph(c.graph, { expanded: 'all' }, engine);
    const svg = await timeAsync(async () => renderSvg(placed, { embedStyle: true }), 15);
    const mermaid = await timeAsync(async () => toMermaid(c.graph), 15);
    rows.push([c.name, c.graph.nodes.length, c.graph.edges.length, build.toFixed(2), cold.toFixed(0), warm.toFixed(1), svg.toFixed(2), mermaid.toFixed(2), `${placed.width}x${placed.height}`]);
  }
  console.log(`\nJourney picture (issue 13): ${candidates.length} user journeys of relying-party chains; the largest (sub-journeys expanded) and SocialAndLocalAccounts' SignUpOrSignIn (medians of 15; layout "first" is a fresh process loading ELK, median of 5)`);
  console.log(table(['journey', 'nodes', 'edges', 'graph ms', 'layout first ms', 'layout warm ms', 'SVG ms', 'Mermaid ms', 'picture px'], rows));
  vsixSize(table);
}

/** The first layout in fresh processes: loading ELK (1.5 MB of JavaScript) and laying out once. */
function coldLayouts(graph: JourneyGraph, runs: number): number[] {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-bench-')), 'graph.json');
  fs.writeFileSync(file, JSON.stringify(graph));
  const layout = JSON.stringify(path.join(PROJECT_DIR, 'server', 'out', 'graph', 'layout.js'));
  const script = `const t=process.hrtime.bigint();const g=JSON.parse(require('fs').readFileSync(${JSON.stringify(file)},'utf8'));require(${layout}).layoutJourneyGraph(g,{expanded:'all'}).then(()=>process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6)))`;
  return Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
}

/** Packages the extension and prints the .vsix's size and its entries. */
function vsixSize(table: BenchTools['table']): void {
  const cached = path.join(PROJECT_DIR, '.vscode-test', 'tools', 'node_modules', '.bin', 'vsce');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-vsix-')), 'b2c-policy-tools.vsix');
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--baseContentUrl', 'https://example.invalid/x', '--baseImagesUrl', 'https://example.invalid/x', '--skip-license', '--out', out];
  try {
    if (fs.existsSync(cached)) execFileSync(cached, args, { cwd: PROJECT_DIR, stdio: 'ignore' });
    else execFileSync('npx', ['--yes', '@vscode/vsce@3.9.2', ...args], { cwd: PROJECT_DIR, stdio: 'ignore' });
  } catch (e) {
    console.log(`\n.vsix: not packaged (${(e as Error).message.split('\n')[0]})`);
    return;
  } finally {
    // vsce's vscode:prepublish left the production bundles in dist/: the development ones back.
    execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: PROJECT_DIR, stdio: 'ignore' });
  }
  const entries = zipEntries(fs.readFileSync(out));
  const rows = entries.map((e) => [e.name, (e.size / 1024).toFixed(0), (e.compressed / 1024).toFixed(0)]);
  console.log(`\n.vsix as packaged by vsce (production bundles, no dist/cli.js): ${(fs.statSync(out).size / 1024).toFixed(0)} KB (limit 2,048 KB)`);
  console.log(table(['entry', 'KB', 'KB compressed'], rows));
}

/** The entries of a zip archive, from its central directory. */
function zipEntries(zip: Buffer): Array<{ name: string; size: number; compressed: number }> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out: Array<{ name: string; size: number; compressed: number }> = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    out.push({ compressed: zip.readUInt32LE(at + 20), size: zip.readUInt32LE(at + 24), name: zip.toString('utf8', at + 46, at + 46 + nameLength) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

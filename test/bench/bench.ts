/**
 * `npm run bench`: how fast the engine is on real policies (Microsoft's starter packs from ../shared), ending
 * with the goals of issue 10 ("Fast at any size") and issue 9 (the journey model at scale), each with today's
 * figure, measured side by side in this run (the README's benchmark table copies that last table).
 *
 * 1. packs: per starter pack, full diagnostics (parse, index, schema, every rule) on a cold service vs
 *    libxml2-wasm's XSD-only validation of the same files, alternating run by run;
 * 2. cli: `b2c-policy check` on one pack vs a bare `node -e 0`, whole processes, alternating;
 * 3. workspace: the starter packs copied into K folders (K = 10, 20, 40): time, retained heap (per file),
 *    growth per doubling, journey models built;
 * 4. keystroke: an edit in the 74 KB TrustFrameworkBase.xml to its fresh diagnostics (server work: re-parse
 *    and diagnostics; the debounce apart), alone and in the 2,280-file workspace with every journey model built;
 * 5. lsp: dist/server.js over stdio on a 1,995-file workspace (lspStartup.ts);
 * 6. hostile: schema loading, hostile values, the XML parser on hostile inputs;
 * 7. navigation: definition, references, rename, code lenses, symbols on the 2,280-file workspace (navigation.ts);
 * 8. environments: a templated pack with three environments in the editor (environments.ts);
 * 9. journey: the journey picture's graph, layout, SVG and Mermaid on the largest corpus journey, and the .vsix's
 *    size (journeyPicture.ts).
 * `npm run bench -- packs lsp` runs some sections only (the goals table then lists what was measured).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as fs from 'fs';
import { DEBOUNCE_MS } from '../../server/src/lsp/diagnostics';
import { SchemaCache } from '../../server/src/schemaFile';
import type { Analysis } from '../../server/src/service/analysis/analysis';
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { validateDocument, type CompiledSchema } from '../../server/src/service/schema';
import { parseXml } from '../../server/src/service/xml';
import { CORPUS_DIR, corpusAvailable, corpusPacks, PROJECT_DIR } from '../helpers/corpus';
import { environmentsInTheEditor } from './environments';
import { hostileInputTable, hostileValues, schemaLoading } from './hostile';
import { journeyPictureBench } from './journeyPicture';
import { hoverSummary, measureLspStartup } from './lspStartup';
import { navigationBench } from './navigation';
import { fmt, heapMb, loadPack, median, now, processesSideBySide, quantile, samples, sideBySide, syntheticWorkspace, table, type Pack, type PackFile } from './measure';

interface Goal {
  what: string;
  goal: string;
  today: string;
  met: boolean;
}

const goals: Goal[] = [];

function goal(what: string, target: string, today: string, met: boolean): void {
  goals.push({ what, goal: target, today, met });
}

function newService(schema: CompiledSchema): PolicyLanguageService {
  return new PolicyLanguageService({ schema });
}

/** The analysis behind the facade (bench only: to count the journey models it built). */
function analysisOf(service: PolicyLanguageService): Analysis {
  return (service as unknown as { analysis: Analysis }).analysis;
}

/** A cold check: a new service, every file set from disk, then every file's findings. */
function checkAll(schema: CompiledSchema, files: PackFile[]): { service: PolicyLanguageService; findings: number } {
  const service = newService(schema);
  for (const f of files) service.setDiskFile(f.uri, f.text);
  let findings = 0;
  for (const f of files) findings += service.findings(f.uri).length;
  return { service, findings };
}

async function libxml2Validator(): Promise<((texts: string[]) => void) | undefined> {
  try {
    // libxml2-wasm is ESM-only and a devDependency: load it dynamically from CommonJS.
    const dynamicImport = new Function('s', 'return import(s)') as (s: string) => Promise<typeof import('libxml2-wasm')>;
    const lib = await dynamicImport('libxml2-wasm');
    const xsdText = fs.readFileSync(path.join(PROJECT_DIR, 'schemas', 'TrustFrameworkPolicy_0.3.0.0.xsd'), 'utf8');
    const validator = lib.XsdValidator.fromDoc(lib.XmlDocument.fromString(xsdText));
    return (texts) => {
      for (const text of texts) {
        const doc = lib.XmlDocument.fromString(text);
        try {
          validator.validate(doc);
        } catch {
          // an invalid document still counts as validated
        } finally {
          doc.dispose();
        }
      }
    };
  } catch (e) {
    console.log(`(libxml2-wasm unavailable: ${(e as Error).message})`);
    return undefined;
  }
}

// ---- 1. packs ------------------------------------------------------------------------------------------------

async function packsSection(schema: CompiledSchema): Promise<void> {
  const xmllint = await libxml2Validator();
  const packs: Pack[] = corpusPacks().map((p) => loadPack(p));
  const rows: Array<Array<string | number>> = [];
  let ours = 0;
  let lib = 0;
  for (const pack of packs) {
    const bytes = pack.files.reduce((n, f) => n + f.text.length, 0);
    const texts = pack.files.map((f) => f.text);
    const [o, l] = sideBySide([() => checkAll(schema, pack.files), xmllint ? () => xmllint(texts) : () => undefined], 21);
    ours += o;
    lib += l;
    rows.push([pack.name, pack.files.length, (bytes / 1024).toFixed(0), o.toFixed(2), xmllint ? l.toFixed(2) : 'n/a', xmllint ? (o / l).toFixed(2) : 'n/a']);
  }
  rows.push(['all packs', packs.reduce((n, p) => n + p.files.length, 0), '', ours.toFixed(1), lib.toFixed(1), (ours / lib).toFixed(2)]);
  // The same files through our parser and schema validation only (what libxml2-wasm does), for comparison.
  const all = packs.flatMap((p) => p.files.map((f) => f.text));
  const [xsdOnly, libAll] = sideBySide([() => all.forEach((t) => validateDocument(schema, parseXml(t))), xmllint ? () => xmllint(all) : () => undefined], 21);
  rows.push(['all packs: our parse + schema only', all.length, '', xsdOnly.toFixed(1), xmllint ? libAll.toFixed(1) : 'n/a', xmllint ? (xsdOnly / libAll).toFixed(2) : 'n/a']);
  console.log('Full diagnostics per starter pack (cold service: parse, index, schema, every rule) vs libxml2-wasm XSD-only validation of the same files (medians of 21, alternating)');
  console.log(table(['pack', 'files', 'KB', 'ours ms', 'libxml2 ms', 'ratio'], rows) + '\n');
  if (xmllint) goal('Full diagnostics, all starter packs, vs libxml2-wasm XSD-only', '<= 1.0x', `${(ours / lib).toFixed(2)}x (${ours.toFixed(0)} ms vs ${lib.toFixed(0)} ms)`, ours <= lib);
}

// ---- 2. cli --------------------------------------------------------------------------------------------------

function cliSection(): void {
  const cli = path.join(PROJECT_DIR, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) {
    console.log('CLI process time: skipped (run npm run build first)\n');
    return;
  }
  const [bare, help, check] = processesSideBySide([['-e', '0'], [cli, '--help'], [cli, 'check', path.join(CORPUS_DIR, 'LocalAccounts')]], 15);
  console.log('CLI, whole processes (medians of 15, alternating)');
  console.log(
    table(
      ['process', 'ms', 'x node -e 0'],
      [
        ['node -e 0', bare.toFixed(0), '1.00'],
        ['node dist/cli.js --help (load only)', help.toFixed(0), (help / bare).toFixed(2)],
        ['node dist/cli.js check LocalAccounts', check.toFixed(0), (check / bare).toFixed(2)],
      ],
    ) + '\n',
  );
  goal('CLI check on one pack (whole process) vs node -e 0', '<= 2.0x', `${(check / bare).toFixed(2)}x (${check.toFixed(0)} ms vs ${bare.toFixed(0)} ms)`, check <= 2 * bare);
}

// ---- 3. workspace and 4. keystroke ---------------------------------------------------------------------------

const BASE = 'SocialAndLocalAccountsWithMfa/TrustFrameworkBase.xml';

/** One cold check of the workspace of `copies` folders, in a frame of its own (nothing of an earlier one stays reachable). */
function measureWorkspace(schema: CompiledSchema, copies: number): { files: PackFile[]; service: PolicyLanguageService; ms: number; retainedMb: number; findings: number; models: number } {
  const files = syntheticWorkspace(copies);
  const before = heapMb();
  const start = now();
  const { service, findings } = checkAll(schema, files);
  const ms = now() - start;
  const retainedMb = heapMb() - before;
  return { files, service, ms, retainedMb, findings, models: analysisOf(service).chainModelsBuilt };
}

/** measureWorkspace in a fresh process (this file run with --workspace-child K). */
function workspaceInChild(copies: number): { files: number; ms: number; retainedMb: number; findings: number; models: number } {
  const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--workspace-child', String(copies)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as { files: number; ms: number; retainedMb: number; findings: number; models: number };
}

function workspaceSection(schema: CompiledSchema, keystroke: boolean): void {
  const rows: Array<Array<string | number>> = [];
  let previous: number | undefined;
  let largest: { service: PolicyLanguageService; files: PackFile[]; models: number } | undefined;
  for (const k of [10, 20, 40]) {
    // Three cold runs per size, each in a fresh process (as a server indexes a workspace once), the median time
    // and its heap: in one process, the runs before change the later ones (JIT warm-up, heap growth) and moved
    // the doubling ratio between 1.8x and 2.3x from run to run.
    const runs = [0, 1, 2].map(() => workspaceInChild(k)).sort((a, b) => a.ms - b.ms);
    const r = runs[1];
    const growth = previous ? r.ms / previous : NaN;
    const perFileKb = (r.retainedMb * 1024) / r.files;
    rows.push([k, r.files, r.ms.toFixed(0), (r.ms / r.files).toFixed(2), r.retainedMb.toFixed(0), perFileKb.toFixed(0), previous ? growth.toFixed(2) : '-', r.findings, r.models]);
    if (k === 40) {
      goal('2,280 files: cold check, time', '<= 5 s', `${(r.ms / 1000).toFixed(1)} s`, r.ms <= 5000);
      goal('2,280 files: retained heap (per file)', '<= 250 MB', `${r.retainedMb.toFixed(0)} MB (${perFileKb.toFixed(0)} KB/file)`, r.retainedMb <= 250);
      goal('Time growth per doubling (1,140 -> 2,280 files)', '<= 2.1x', `${growth.toFixed(2)}x`, growth <= 2.1);
    }
    previous = r.ms;
  }
  if (keystroke) {
    const r = measureWorkspace(schema, 40);
    largest = { service: r.service, files: r.files, models: r.models };
  }
  console.log('Synthetic workspace: every starter pack copied into K folders (cold: a fresh process, new service, parse + index + check every file; median of 3 processes; heap kept by the service)');
  console.log(table(['K', 'files', 'total ms', 'ms/file', 'retained MB', 'KB/file', 'x per doubling', 'findings', 'journey models built'], rows) + '\n');
  if (!keystroke || !largest) return;

  // 4. keystroke: the base alone (its pack) and in the 2,280-file workspace.
  const pack = loadPack('SocialAndLocalAccountsWithMfa');
  const alone = checkAll(schema, pack.files).service;
  const rowsK: Array<Array<string | number>> = [];
  const measureEdit = (service: PolicyLanguageService, uri: string, text: string, withAffected: boolean) => {
    let n = 0;
    service.openDocument(uri, text);
    const edit = () => {
      n++;
      const edited = text.replace('<ClaimsSchema>', `<ClaimsSchema><!-- edit ${n} -->`);
      const affected = service.openDocument(uri, edited);
      service.diagnostics(uri);
      if (withAffected) for (const a of affected) service.diagnostics(a);
    };
    // Typing, not the first keystrokes after opening: 20 edits before the 200 measured (the first edits of a session
    // run code V8 has not optimized yet; with one warm-up the first case measured had a p95 of 9-11 ms, the later
    // ones 8-10 ms, although they do more).
    for (let i = 0; i < 20; i++) edit();
    return samples(edit, 200);
  };
  const baseAlone = pack.files.find((f) => f.uri.endsWith(BASE))!;
  const baseBig = largest.files.find((f) => f.uri.endsWith(`env20/${BASE}`))!;
  const kb = (Buffer.byteLength(baseAlone.text) / 1000).toFixed(0); // the file's size as the issue states it (74 KB)
  const cases: Array<[string, PolicyLanguageService, PackFile, boolean]> = [
    [`its pack alone: the base's diagnostics`, alone, baseAlone, false],
    [`its pack alone: + every affected file`, alone, baseAlone, true],
    [`2,280-file workspace: the base's diagnostics`, largest.service, baseBig, false],
    [`2,280-file workspace: + every affected file`, largest.service, baseBig, true],
  ];
  const p95s: number[] = [];
  for (const [label, service, file, withAffected] of cases) {
    const s = measureEdit(service, file.uri, file.text, withAffected);
    p95s.push(quantile(s, 0.95));
    rowsK.push([label, median(s).toFixed(2), quantile(s, 0.95).toFixed(2), Math.max(...s).toFixed(1)]);
  }
  console.log(`One edit in the ${kb} KB ${BASE} to fresh diagnostics: re-parse + diagnostics (server work, 200 edits after 20 unmeasured ones; the server's debounce of ${DEBOUNCE_MS} ms comes before it)`);
  console.log(table(['edit', 'median ms', 'p95 ms', 'max ms'], rowsK) + '\n');
  goal(`Edit in the ${kb} KB base to its fresh diagnostics, server work (p95; debounce ${DEBOUNCE_MS} ms apart)`, '<= 10 ms', `${p95s[0].toFixed(1)} ms`, p95s[0] <= 10);
  goal(
    `Same edit in the 2,280-file workspace, after the check built every chain's journey model (${largest.models}) (p95)`,
    '<= 10 ms',
    `${p95s[2].toFixed(1)} ms`,
    p95s[2] <= 10,
  );
}

// ---- 5. lsp --------------------------------------------------------------------------------------------------

async function lspSection(): Promise<void> {
  if (!fs.existsSync(path.join(PROJECT_DIR, 'dist', 'server.js'))) {
    console.log('Language server: skipped (run npm run build first)\n');
    return;
  }
  const r = await measureLspStartup(35, DEBOUNCE_MS);
  console.log(`Language server (dist/server.js over stdio) on a ${r.files.toLocaleString('en')}-file workspace, one document opened after initialized`);
  console.log(
    table(
      ['what', 'ms (from initialized)'],
      [
        ['open document: diagnostics from its whole chain', fmt(r.firstDiagnosticsMs, 0)],
        ['hover sent with didOpen: answered after (ms)', fmt(r.firstHoverMs, 0)],
        ['hovers while indexing (every 100 ms)', hoverSummary(r.hoversWhileIndexing)],
        ['indexing done (progress end)', fmt(r.indexingMs, 0)],
        ['last diagnostics published (whole workspace)', fmt(r.lastPublishMs, 0)],
        [`edit of the open document to fresh diagnostics (debounce of ${r.debounceMs} ms excluded)`, fmt(r.editMs, 1)],
        ['server peak resident memory (MB)', fmt(r.peakRssMb, 0)],
      ],
    ) + '\n',
  );
  const nav = r.navigation;
  const p50p95 = (xs: number[]) => `${fmt(median(xs), 1)} / ${fmt(quantile(xs, 0.95), 1)}`;
  console.log(`Navigation over JSON-RPC once indexed (round trips from every ClaimTypeReferenceId of the open relying party, ${nav.definition.length} each)`);
  console.log(table(['request', 'p50 / p95 ms', 'max ms'], [
    ['definition', p50p95(nav.definition), fmt(Math.max(...nav.definition), 1)],
    ['references', p50p95(nav.references), fmt(Math.max(...nav.references), 1)],
    ['rename', p50p95(nav.rename), fmt(Math.max(...nav.rename), 1)],
  ]) + '\n');
  goal(`Language server, ${r.files.toLocaleString('en')} files: definition (p95)`, '<= 50 ms', `${fmt(quantile(nav.definition, 0.95), 1)} ms`, quantile(nav.definition, 0.95) <= 50);
  goal(`Language server, ${r.files.toLocaleString('en')} files: references and rename (p95)`, '<= 200 ms', `${fmt(quantile(nav.references, 0.95), 1)} ms and ${fmt(quantile(nav.rename, 0.95), 1)} ms`, Math.max(quantile(nav.references, 0.95), quantile(nav.rename, 0.95)) <= 200);
  goal(`Language server, ${r.files.toLocaleString('en')} files: open document's diagnostics after initialized`, '<= 500 ms', `${fmt(r.firstDiagnosticsMs, 0)} ms`, r.firstDiagnosticsMs <= 500);
  const worst = r.hoversWhileIndexing.length ? Math.max(...r.hoversWhileIndexing) : NaN;
  goal(
    'Language server: requests answered while indexing (hovers every 100 ms until indexing ends)',
    'each within 250 ms (not blocked)',
    r.hoversWhileIndexing.length ? `${r.hoversWhileIndexing.length} answered, worst ${worst.toFixed(0)} ms; indexing ${fmt(r.indexingMs / 1000, 1)} s, peak RSS ${fmt(r.peakRssMb, 0)} MB` : 'indexing ended first',
    r.hoversWhileIndexing.length > 0 && worst <= 250,
  );
}

// ---- main ----------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (process.argv[2] === '--workspace-child') {
    const r = measureWorkspace(new SchemaCache().load(), Number(process.argv[3]));
    process.stdout.write(JSON.stringify({ files: r.files.length, ms: r.ms, retainedMb: r.retainedMb, findings: r.findings, models: r.models }));
    return;
  }
  if (!corpusAvailable) {
    console.error(`bench needs the starter pack at ${CORPUS_DIR}`);
    process.exit(2);
  }
  const only = process.argv.slice(2);
  const run = (section: string) => only.length === 0 || only.includes(section);
  const os = await import('os');
  console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const t0 = now();
  const schema = new SchemaCache().load();
  console.log(`schema load (bundled, precompiled, in process): ${(now() - t0).toFixed(1)} ms\n`);

  if (run('packs')) await packsSection(schema);
  if (run('cli')) cliSection();
  if (run('workspace') || run('keystroke')) workspaceSection(schema, run('keystroke'));
  if (run('lsp')) await lspSection();
  if (run('hostile')) {
    console.log(schemaLoading() + '\n');
    console.log(hostileValues() + '\n');
    console.log(hostileInputTable() + '\n');
  }
  if (run('navigation')) navigationBench(schema);
  if (run('environments')) environmentsInTheEditor(schema);
  if (run('journey')) await journeyPictureBench(schema, { median, table });
  console.log(`Goals (issue 10, and issue 9's journey model at scale), measured in this run; load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(table(['goal line', 'goal', 'today', 'met'], goals.map((g) => [g.what, g.goal, g.today, g.met ? 'yes' : 'no'])));
}

void main();

/**
 * `npm run bench`: how fast the engine is on real policies (Microsoft's starter pack from ../shared).
 * 0. schema loading (precompiled vs compiling the XSD, cold processes; the CLI vs a bare node) and hostile
 *    100 KB values (patterns, length facets);
 * 1. per starter pack: parse, index and check the whole chain (schema + cross-references), and
 *    libxml2-wasm's XSD-only validation of the same files against our schema, as a ratio;
 * 2. a synthetic workspace: the starter packs copied into K folders (K = 10, 20, 40): time and peak memory
 *    and the growth factor per doubling;
 * 3. one edit in TrustFrameworkExtensions.xml to fresh diagnostics for it;
 * 4. the XML parser on hostile inputs (issue 10) of 1 and 4 MB: ms per MB (equal at both sizes when linear)
 *    and the heap the parsed document keeps;
 * 5. navigation on the K = 40 synthetic workspace (2,280 files): definition, references, rename, code lens,
 *    symbols at positions drawn across the workspace (p50/p95 over many requests, cold caches included).
 * 6. environments in the editor (issue 12): a templated pack with three environments, the cost of a keystroke
 *    and of the debounced diagnostics with every environment's resolved copy checked, against the same files
 *    without appsettings.json.
 * 7. the journey picture (issue 13): graph, layout, SVG and Mermaid times on the largest corpus journey, and
 *    the .vsix's size (journeyPicture.ts).
 * Timings are medians of several runs, after a warm-up.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { SchemaCache } from '../../server/src/schemaFile';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { parsePolicyFile } from '../../server/src/service/policy/model';
import { compileXsdPattern, loadBundledSchema, validateDocument, type CompiledSchema } from '../../server/src/service/schema';
import { parseXml } from '../../server/src/service/xml';
import { CORPUS_DIR, corpusAvailable, corpusPacks, PROJECT_DIR, readText } from '../helpers/corpus';
import { templatedPack } from '../helpers/templatedPack';
import { journeyPictureBench } from './journeyPicture';

const now = () => Number(process.hrtime.bigint()) / 1e6;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    fn();
    samples.push(now() - t0);
  }
  return median(samples);
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** A small deterministic generator (mulberry32), so every run measures the same positions. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(headers), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.slice(1).map(line)].join('\n');
}

interface Pack {
  name: string;
  files: Array<{ uri: string; text: string; absolute: string }>;
}

function loadPack(name: string, prefix = 'file:///bench'): Pack {
  const dir = path.join(CORPUS_DIR, name);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => ({ uri: `${prefix}/${name}/${f}`, text: readText(path.join(dir, f)), absolute: path.join(dir, f) }));
  return { name, files };
}

function checkAll(schema: CompiledSchema, packs: Pack[]): { service: Analysis; findings: number } {
  const service = new Analysis({ schema });
  for (const pack of packs) for (const f of pack.files) service.index.setDiskFile(f.uri, f.text);
  let findings = 0;
  for (const pack of packs) for (const f of pack.files) findings += service.findings(f.uri).length;
  return { service, findings };
}

async function libxml2Validator(): Promise<((texts: string[]) => void) | undefined> {
  try {
    // libxml2-wasm is ESM-only and a devDependency: load it dynamically from CommonJS.
    const dynamicImport = new Function('s', 'return import(s)') as (s: string) => Promise<typeof import('libxml2-wasm')>;
    const lib = await dynamicImport('libxml2-wasm');
    const xsdText = fs.readFileSync(path.join(PROJECT_DIR, 'schemas', 'TrustFrameworkPolicy_0.3.0.0.xsd'), 'utf8');
    const xsdDoc = lib.XmlDocument.fromString(xsdText);
    const validator = lib.XsdValidator.fromDoc(xsdDoc);
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

async function main(): Promise<void> {
  if (!corpusAvailable) {
    console.error(`bench needs the starter pack at ${CORPUS_DIR}`);
    process.exit(2);
  }
  const t0 = now();
  const schema = new SchemaCache().load();
  console.log(`schema load (bundled, precompiled): ${(now() - t0).toFixed(1)} ms\n`);
  schemaLoadingAndHostileValues();
  const xmllint = await libxml2Validator();

  // 1. per pack
  const packs = corpusPacks().map((p) => loadPack(p));
  const rows: Array<Array<string | number>> = [];
  let totalOurs = 0;
  let totalLib = 0;
  for (const pack of packs) {
    const bytes = pack.files.reduce((n, f) => n + f.text.length, 0);
    const ours = time(() => checkAll(schema, [pack]), 15);
    const lib = xmllint ? time(() => xmllint(pack.files.map((f) => f.text)), 15) : NaN;
    totalOurs += ours;
    totalLib += lib;
    rows.push([pack.name, pack.files.length, (bytes / 1024).toFixed(0), ours.toFixed(2), lib.toFixed(2), (ours / lib).toFixed(2)]);
  }
  rows.push(['all packs', packs.reduce((n, p) => n + p.files.length, 0), '', totalOurs.toFixed(2), totalLib.toFixed(2), (totalOurs / totalLib).toFixed(2)]);
  console.log('Full diagnostics per starter pack (parse + index + schema + cross-references), vs libxml2-wasm XSD-only validation of the same files');
  console.log(table(['pack', 'files', 'KB', 'ours ms', 'libxml2 ms', 'ratio'], rows));

  // 2. synthetic workspace
  console.log('\nSynthetic workspace: every starter pack copied into K folders (cold: new service, parse + index + check every file)');
  const scaleRows: Array<Array<string | number>> = [];
  let previous: number | undefined;
  for (const k of [10, 20, 40]) {
    const copies: Pack[] = [];
    for (let i = 0; i < k; i++) for (const p of corpusPacks()) copies.push(loadPack(p, `file:///bench/env${i}`));
    const fileCount = copies.reduce((n, p) => n + p.files.length, 0);
    if (global.gc) global.gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const start = now();
    const { service, findings } = checkAll(schema, copies);
    const elapsed = now() - start;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    clearInterval(sampler);
    const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
    scaleRows.push([k, fileCount, elapsed.toFixed(0), (elapsed / fileCount).toFixed(2), ((peak - heapBefore) / 1048576).toFixed(0), retainedMb.toFixed(0), previous ? (elapsed / previous).toFixed(2) : '-', findings]);
    previous = elapsed;
    void service;
  }
  console.log(table(['K', 'files', 'total ms', 'ms/file', 'peak heap MB', 'retained MB', 'x per doubling', 'findings'], scaleRows));

  // 3. keystroke to diagnostics
  const pack = loadPack('SocialAndLocalAccounts');
  const { service } = checkAll(schema, [pack]);
  const ext = pack.files.find((f) => f.uri.endsWith('TrustFrameworkExtensions.xml'))!;
  const rp = pack.files.find((f) => f.uri.endsWith('SignUpOrSignin.xml'))!;
  let n = 0;
  const edit = () => {
    n++;
    const text = ext.text.replace('<ClaimsProviders>', `<ClaimsProviders><!-- edit ${n} -->`);
    service.index.setOpenDocument(ext.uri, text);
    service.findings(ext.uri);
  };
  const editExt = time(edit, 30);
  const editWithDependents = time(() => {
    edit();
    for (const uri of service.affectedBy(ext.uri)) service.findings(uri);
  }, 30);
  const baseEdit = pack.files.find((f) => f.uri.endsWith('TrustFrameworkBase.xml'))!;
  const editBase = time(() => {
    n++;
    service.index.setOpenDocument(baseEdit.uri, baseEdit.text.replace('<ClaimsSchema>', `<ClaimsSchema><!-- ${n} -->`));
    for (const uri of service.affectedBy(baseEdit.uri)) service.findings(uri);
  }, 30);
  void rp;
  console.log('\nOne edit to fresh diagnostics (SocialAndLocalAccounts, median of 30)');
  console.log(
    table(
      ['edit', 'ms'],
      [
        ['TrustFrameworkExtensions.xml: re-parse + diagnostics of the file', editExt.toFixed(2)],
        ['TrustFrameworkExtensions.xml: + every affected file of the chain', editWithDependents.toFixed(2)],
        ['TrustFrameworkBase.xml: re-parse + every dependent file', editBase.toFixed(2)],
      ],
    ),
  );

  navigationBench(schema);
  environmentsInTheEditor(schema);
  await journeyPictureBench(schema, { median, table });
}

/**
 * 5. Navigation on the synthetic workspace of 40 copies of every pack (2,280 files), through the facade the
 * server calls, at positions drawn (deterministically) from every copy: most requests meet cold caches (a
 * family's symbol table is built on its first request). "after an edit": the base of the family was just
 * changed, so its tables are rebuilt.
 */
function navigationBench(schema: CompiledSchema): void {
  const service = new PolicyLanguageService({ schema });
  const files: Array<{ uri: string; text: string }> = [];
  for (let i = 0; i < 40; i++) for (const p of corpusPacks()) files.push(...loadPack(p, `file:///bench/env${i}`).files);
  const load = now();
  service.setDiskFiles(files);
  const loaded = now() - load;
  const parsed = files.map((f) => parsePolicyFile(f.uri, f.text));
  const next = random(8);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const referencePositions = () => {
    const file = pick(parsed.filter((f) => f.references.length));
    const r = pick(file.references);
    return { uri: file.uri, position: file.lines.positionAt(r.span.start + 1) };
  };
  const definitionPositions = () => {
    const file = pick(parsed.filter((f) => f.definitions.length));
    const d = pick(file.definitions);
    return { uri: file.uri, position: file.lines.positionAt(d.idSpan.start + 1) };
  };
  const measure = (runs: number, at: () => { uri: string; position: { line: number; character: number } }, fn: (uri: string, position: { line: number; character: number }) => unknown) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { uri, position } = at();
      const t0 = now();
      fn(uri, position);
      samples.push(now() - t0);
    }
    return samples;
  };
  const bases = parsed.filter((f) => f.uri.endsWith('/TrustFrameworkBase.xml'));
  let edits = 0;
  const afterEdit = () => {
    const base = pick(bases);
    service.openDocument(base.uri, base.text.replace('<ClaimsSchema>', `<ClaimsSchema><!-- ${++edits} -->`));
    const d = pick(base.definitions.filter((x) => x.kind === 'claimType'));
    return { uri: base.uri, position: base.lines.positionAt(d.idSpan.start + 1) };
  };
  const rows: Array<[string, number[]]> = [
    ['definition (random references)', measure(400, referencePositions, (u, p) => service.definition(u, p))],
    ['references (random references)', measure(200, referencePositions, (u, p) => service.references(u, p, true))],
    ['references (random definitions)', measure(200, definitionPositions, (u, p) => service.references(u, p, true))],
    ['rename (random definitions, edit computed)', measure(200, definitionPositions, (u, p) => service.rename(u, p, 'RenamedId'))],
    ['references, base just edited (tables rebuilt)', measure(50, afterEdit, (u, p) => service.references(u, p, true))],
    ['code lenses of a TrustFrameworkBase.xml', measure(50, () => ({ uri: pick(bases).uri, position: { line: 0, character: 0 } }), (u) => service.codeLenses(u))],
    ['document symbols of a TrustFrameworkBase.xml', measure(50, () => ({ uri: pick(bases).uri, position: { line: 0, character: 0 } }), (u) => service.documentSymbols(u))],
    ['workspace symbols (query "aadread")', measure(10, () => ({ uri: '', position: { line: 0, character: 0 } }), () => service.workspaceSymbols('aadread'))],
  ];
  console.log(`\nNavigation on the synthetic workspace (${files.length} files, loaded with setDiskFiles in ${loaded.toFixed(0)} ms), through PolicyLanguageService`);
  console.log(table(['request', 'n', 'p50 ms', 'p95 ms', 'max ms'], rows.map(([name, samples]) => [name, samples.length, percentile(samples, 50).toFixed(2), percentile(samples, 95).toFixed(2), Math.max(...samples).toFixed(2)])));
}

// ---- schema loading and hostile values (issue 10) ------------------------------------------------------------

/** Median wall time of a fresh node process running `args`, in ms. */
function processTime(args: string[], runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = now();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    if (i > 0) samples.push(now() - t); // the first run warms the file cache
  }
  return median(samples);
}

/**
 * Cold schema loading (fresh processes): the precompiled bundled schema vs compiling the XSD; the generated
 * module's size; the CLI on one pack vs a bare node; and checking 100 KB values against patterns and length facets.
 */
function schemaLoadingAndHostileValues(): void {
  const out = path.join(PROJECT_DIR, 'server', 'out');
  const xsd = path.join(PROJECT_DIR, 'schemas', 'TrustFrameworkPolicy_0.3.0.0.xsd');
  const timed = (body: string) => `const t=process.hrtime.bigint();${body};process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const coldRuns = (body: string) => {
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) samples.push(Number(execFileSync(process.execPath, ['-e', timed(body)], { encoding: 'utf8' })));
    return median(samples);
  };
  const schemaModule = JSON.stringify(path.join(out, 'service', 'schema', 'index.js'));
  const precompiled = coldRuns(`require(${schemaModule}).loadBundledSchema('current')`);
  const fromXsd = coldRuns(`require(${schemaModule}).compileSchema(require('fs').readFileSync(${JSON.stringify(xsd)},'utf8'))`);
  const generated = fs.statSync(path.join(PROJECT_DIR, 'server', 'src', 'service', 'schema', 'generated', 'bundledSchemas.ts')).size;
  const rows: Array<Array<string | number>> = [
    ['load the bundled schema, precompiled (require + JSON.parse + objects), cold process', precompiled.toFixed(1)],
    ['compile the same schema from its XSD (require xmldom/xpath + compile), cold process', fromXsd.toFixed(1)],
  ];
  const cli = path.join(PROJECT_DIR, 'dist', 'cli.js');
  if (fs.existsSync(cli) && corpusAvailable) {
    const bare = processTime(['-e', '0'], 10);
    const check = processTime([cli, 'check', path.join(CORPUS_DIR, 'LocalAccounts')], 10);
    rows.push(['node -e 0', bare.toFixed(1)], [`node dist/cli.js check LocalAccounts (x ${(check / bare).toFixed(2)} of node -e 0)`, check.toFixed(1)]);
  } else rows.push(['CLI process time', 'skipped: run npm run build first']);
  console.log(`Schema loading (medians; generated module ${(generated / 1024).toFixed(0)} KB for both bundled schemas)`);
  console.log(table(['what', 'ms'], rows));

  const bundled = loadBundledSchema('current');
  const check = (text: string) => validateDocument(bundled, parseXml(text)).length;
  const policyWith = (attributes: string, body = '') =>
    `<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicySchemaVersion="0.3.0.0" TenantId="t.onmicrosoft.com" PublicPolicyUri="http://t/P" ${attributes}>${body}</TrustFrameworkPolicy>`;
  const hugeId = 'B2C_1A_' + 'x'.repeat(100_000) + '.';
  const policyIdPattern = bundled.simpleTypes.get('PolicyId')!.patterns[0][0];
  const valueRows: Array<Array<string | number>> = [
    ['100 KB PolicyId ending in a dot (pattern finding), whole document', time(() => check(policyWith(`PolicyId="${hugeId}"`)), 5).toFixed(1)],
    ['100 KB PolicySchemaVersion (maxLength finding, no pattern run)', time(() => check(policyWith(`PolicyId="P"`).replace('"0.3.0.0"', `"${'0.'.repeat(50_000)}0"`)), 5).toFixed(1)],
    [
      '100 KB DataUri with a space (pattern finding)',
      time(() => check(policyWith('PolicyId="P"', `<BuildingBlocks><ContentDefinitions><ContentDefinition Id="c"><LoadUri>~/x</LoadUri><DataUri>https://c/${'page/'.repeat(20_000)}x y</DataUri></ContentDefinition></ContentDefinitions></BuildingBlocks>`)), 5).toFixed(1),
    ],
    ['PolicyId pattern, linear matcher, 100 KB value', time(() => policyIdPattern.test(hugeId), 5).toFixed(2)],
    ['PolicyId pattern, JavaScript RegExp (backtracking), 10 KB value', time(() => policyIdPattern.toRegExp().test(hugeId.slice(-10_000)), 3).toFixed(1)],
    ['(a|a)*b on 20,000 a, linear matcher (exponential when backtracking)', time(() => compileXsdPattern('(a|a)*b').test('a'.repeat(20_000)), 5).toFixed(2)],
  ];
  console.log('\nHostile values (median ms)');
  console.log(table(['value', 'ms'], valueRows));
  console.log('');
}

/** Inputs that made the parser quadratic or worse, each built to about `bytes` bytes. */
function hostileInputs(bytes: number): Array<{ name: string; text: string }> {
  const times = (unit: string) => Math.ceil(bytes / unit.length);
  const attributes: string[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const attribute = ` a${i}=""`;
    attributes.push(attribute);
    size += attribute.length;
  }
  return [
    { name: 'attributes on one element', text: '<r' + attributes.join('') + '/>' },
    { name: 'one attribute repeated', text: '<r' + ' a=""'.repeat(times(' a=""')) + '/>' },
    { name: 'mismatched end tags', text: '<r>' + '<a>'.repeat(times('<a></b>')) + '</b>'.repeat(times('<a></b>')) + '</r>' },
    { name: 'unfinished end tags "</a"', text: '<r>' + '</a'.repeat(times('</a')) },
    { name: 'elements never closed', text: '<a>'.repeat(times('<a>')) },
    { name: 'unfinished start tags', text: '<r>' + '<a '.repeat(times('<a ')) + '</r>' },
    { name: "stray '<' in text", text: '<r>' + 'x < '.repeat(times('x < ')) + '</r>' },
    { name: "'<' in attribute values", text: '<r>' + '<i k="a<b"/>'.repeat(times('<i k="a<b"/>')) + '</r>' },
    { name: 'open quotes, one per line', text: '<r>' + '<i k="\n'.repeat(times('<i k="\n')) + '</r>' },
    { name: "unescaped '&'", text: '<r>' + 'a & '.repeat(times('a & ')) + '</r>' },
  ];
}

/** The heap a parsed document keeps (MB), and its problem count; measured in a frame of its own so that no
 * document of an earlier call is still reachable. */
function parsedHeap(text: string): { mb: number; problems: number } {
  if (global.gc) global.gc();
  const before = process.memoryUsage().heapUsed;
  const doc = parseXml(text);
  if (global.gc) global.gc();
  const mb = (process.memoryUsage().heapUsed - before) / 1048576;
  return { mb, problems: doc.problems.length - (doc.omittedProblems ? 1 : 0) + doc.omittedProblems };
}

function hostileInputTable(): string {
  const MB = 1048576;
  const rows: Array<Array<string | number>> = [];
  const small = hostileInputs(MB);
  const large = hostileInputs(4 * MB);
  for (let i = 0; i < small.length; i++) {
    const msPerMb = (text: string, runs: number) => (time(() => parseXml(text), runs) / (text.length / MB)).toFixed(0);
    // Timing first: it also flattens the generated strings, whose memory must not count as the document's.
    const atOne = msPerMb(small[i].text, 3);
    const atFour = msPerMb(large[i].text, 1);
    const { mb, problems } = parsedHeap(large[i].text);
    rows.push([small[i].name, atOne, atFour, (large[i].text.length / MB).toFixed(1), mb.toFixed(0), problems]);
  }
  return table(['input', 'ms/MB at 1 MB', 'ms/MB at 4 MB', 'MB', 'heap kept MB', 'problems'], rows);
}

// ---- environments in the editor (issue 12) ---------------------------------------------------------------

/**
 * SocialAndLocalAccounts with its tenant and app ids as {Settings:...} tokens, with and without an
 * appsettings.json of three environments (Dev, Test, Prod). A keystroke is what the server does on each change
 * (the facade's openDocument); the diagnostics are what its debounced publishing does after it (every affected
 * file). With environments, each environment's resolved copy of the affected files is checked too.
 */
function environmentsInTheEditor(schema: CompiledSchema): void {
  const files = templatedPack('SocialAndLocalAccounts');
  const policies = Object.fromEntries(Object.entries(files).filter(([name]) => name !== 'appsettings.json'));
  const uri = (name: string) => `file:///bench/env/${name}`;
  const load = (set: Record<string, string>) => {
    const service = new PolicyLanguageService({ schema });
    for (const [name, text] of Object.entries(set)) service.setDiskFile(uri(name), text);
    return service;
  };
  const coldAll = (set: Record<string, string>) => {
    const service = load(set);
    for (const name of Object.keys(policies)) service.diagnostics(uri(name));
    return service;
  };
  const retained = (set: Record<string, string>) => {
    if (global.gc) global.gc();
    const before = process.memoryUsage().heapUsed;
    const service = coldAll(set);
    if (global.gc) global.gc();
    const mb = (process.memoryUsage().heapUsed - before) / 1048576;
    void service.policyUris();
    return mb;
  };
  const measure = (set: Record<string, string>) => {
    const service = coldAll(set);
    let n = 0;
    const edited = (name: string, anchor: string) => files[name].replace(anchor, `${anchor}<!-- edit ${++n} -->`);
    const keystroke = time(() => service.openDocument(uri('TrustFrameworkExtensions.xml'), edited('TrustFrameworkExtensions.xml', '<ClaimsProviders>')), 30);
    const publish = (name: string, anchor: string) => () => {
      for (const affected of service.openDocument(uri(name), edited(name, anchor))) service.diagnostics(affected);
    };
    return {
      cold: time(() => coldAll(set), 10),
      keystroke,
      ext: time(publish('TrustFrameworkExtensions.xml', '<ClaimsProviders>'), 30),
      base: time(publish('TrustFrameworkBase.xml', '<ClaimsSchema>'), 30),
      // A token edited: the file's text changes in every environment.
      token: time(() => {
        n++;
        const text = files['TrustFrameworkExtensions.xml'].replace('{Settings:FacebookAppId}', n % 2 ? '{Settings:FacebookAppId}x' : '{Settings:FacebookAppId}');
        for (const affected of service.openDocument(uri('TrustFrameworkExtensions.xml'), text)) service.diagnostics(affected);
      }, 30),
      memory: retained(set),
    };
  };
  const plain = measure(policies);
  const environments = measure(files);
  const row = (what: string, a: number, b: number, digits = 2) => [what, a.toFixed(digits), b.toFixed(digits), (b / a).toFixed(2)];
  console.log('\nEnvironments in the editor: SocialAndLocalAccounts templated, without / with appsettings.json of 3 environments (medians)');
  console.log(
    table(
      ['what', 'without', 'with 3 environments', 'ratio'],
      [
        row('keystroke in Extensions (the change itself), ms', plain.keystroke, environments.keystroke),
        row('edit in Extensions + diagnostics of every affected file, ms', plain.ext, environments.ext),
        row('edit of a token in Extensions + diagnostics, ms', plain.token, environments.token),
        row('edit in Base + diagnostics of every affected file, ms', plain.base, environments.base),
        row('cold: load + diagnostics of all 6 files, ms', plain.cold, environments.cold),
        row('heap retained after cold load, MB', plain.memory, environments.memory, 1),
      ],
    ),
  );
}

void main().then(() => {
  console.log('\nXML parser on hostile inputs (median of 3 at 1 MB, one run at 4 MB, after a warm-up)');
  console.log(hostileInputTable());
});

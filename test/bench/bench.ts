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
 * 5. the journey picture (issue 13): graph, layout, SVG and Mermaid times on the largest corpus journey, and
 *    the .vsix's size (journeyPicture.ts).
 * Timings are medians of several runs, after a warm-up.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { SchemaCache } from '../../server/src/schemaFile';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { compileXsdPattern, loadBundledSchema, validateDocument, type CompiledSchema } from '../../server/src/service/schema';
import { parseXml } from '../../server/src/service/xml';
import { CORPUS_DIR, corpusAvailable, corpusPacks, PROJECT_DIR, readText } from '../helpers/corpus';
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
  await journeyPictureBench(schema, { median, table });
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

void main().then(() => {
  console.log('\nXML parser on hostile inputs (median of 3 at 1 MB, one run at 4 MB, after a warm-up)');
  console.log(hostileInputTable());
});

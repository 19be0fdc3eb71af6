/**
 * Bench sections on schema loading and hostile inputs (issue 10): cold schema loading (precompiled vs
 * compiling the XSD), 100 KB values against patterns and length facets, and the XML parser on inputs that
 * made it quadratic or worse (ms per MB at 1 and 4 MB: equal when linear; the heap a parsed document keeps).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compileXsdPattern, loadBundledSchema, validateDocument } from '../../server/src/service/schema';
import { parseXml } from '../../server/src/service/xml';
import { PROJECT_DIR } from '../helpers/corpus';
import { median, table, time } from './measure';

export function schemaLoading(): string {
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
  return (
    `Schema loading (medians of 7 cold processes; generated module ${(generated / 1024).toFixed(0)} KB for both bundled schemas)\n` +
    table(
      ['what', 'ms'],
      [
        ['load the bundled schema, precompiled (require + JSON.parse + objects)', precompiled.toFixed(1)],
        ['compile the same schema from its XSD (require xmldom/xpath + compile)', fromXsd.toFixed(1)],
      ],
    )
  );
}

export function hostileValues(): string {
  const bundled = loadBundledSchema('current');
  const check = (text: string) => validateDocument(bundled, parseXml(text)).length;
  const policyWith = (attributes: string, body = '') =>
    `<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" PolicySchemaVersion="0.3.0.0" TenantId="t.onmicrosoft.com" PublicPolicyUri="http://t/P" ${attributes}>${body}</TrustFrameworkPolicy>`;
  const hugeId = 'B2C_1A_' + 'x'.repeat(100_000) + '.';
  const policyIdPattern = bundled.simpleTypes.get('PolicyId')!.patterns[0][0];
  const rows: Array<Array<string | number>> = [
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
  return 'Hostile values (median ms)\n' + table(['value', 'ms'], rows);
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

export function hostileInputTable(): string {
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
  return 'XML parser on hostile inputs (median of 3 at 1 MB, one run at 4 MB, after a warm-up)\n' + table(['input', 'ms/MB at 1 MB', 'ms/MB at 4 MB', 'MB', 'heap kept MB', 'problems'], rows);
}

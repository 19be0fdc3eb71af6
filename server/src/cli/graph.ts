/**
 * `b2c-policy graph`: the journey picture outside the editor, for pull-request descriptions, wikis and docs.
 * Mermaid text, a standalone SVG (the same renderer as the journey view, sub-journeys expanded), or the
 * journey graph JSON itself (docs/journey-graph.md).
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createLayoutEngine, layoutJourneyGraph } from '../graph/layout';
import { toMermaid } from '../graph/mermaid';
import { renderSvg } from '../graph/svg';
import { writeFilesAtomically } from '../node/atomicWrite';
import { defaultCacheDir, SchemaCache } from '../schemaFile';
import { PolicyLanguageService } from '../service/languageService';
import { parseArgs, UsageError, valueOf } from './args';
import type { CommandIo } from './io';
import { loadPolicies } from './policies';

export const GRAPH_USAGE = `Usage: b2c-policy graph POLICY_FILE [--journey ID] [--format mermaid|svg|json] [--out FILE] [--root DIR] [--schema current|official|FILE]

Writes the picture of a user journey as the chain of POLICY_FILE runs it: its relying party's
DefaultUserJourney, or the first journey the file declares, or the journey (or sub-journey) named by
--journey. Bases are looked up in the file's folder, or below --root. --format mermaid (default): a Mermaid
flowchart; svg: a standalone SVG (sub-journeys expanded); json: the journey graph (docs/journey-graph.md).
Written to stdout, or to FILE with --out. Nodes with findings are marked (in json: their findings).
Exit code: 0 written, 1 written and the journey has an error-severity finding, 2 usage or I/O error.`;

const FORMATS = ['mermaid', 'svg', 'json'] as const;

export async function graphCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(GRAPH_USAGE + '\n');
    return 0;
  }
  const parsed = parseArgs(args, { values: ['--journey', '--format', '--out', '--root', '--schema'], switches: [] });
  const [file, ...extra] = parsed.positional;
  if (!file) throw new UsageError('missing POLICY_FILE');
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const format = valueOf(parsed, '--format') ?? 'mermaid';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format '${format}' (mermaid, svg or json)`);
  const root = valueOf(parsed, '--root');

  const schemas = new SchemaCache({ cacheDir: defaultCacheDir(), log: (m) => io.err(m + '\n') });
  const service = new PolicyLanguageService({ schema: schemas.load(valueOf(parsed, '--schema')) });
  const loaded = loadPolicies(service, [root ?? path.dirname(file), file]);
  const unreadable = loaded.unreadable.find((u) => path.resolve(u.absolute) === path.resolve(file));
  if (unreadable) throw new Error(`${unreadable.display}: ${unreadable.message}`);
  const uri = pathToFileURL(path.resolve(file)).href;
  if (!service.isPolicy(uri)) throw new Error(`${file}: not a policy file (its root element is not TrustFrameworkPolicy)`);
  const journeyId = valueOf(parsed, '--journey');
  const graph = service.journeyGraph(uri, journeyId ? { journeyId } : { line: 0, character: 0 });
  if ('error' in graph) throw new Error(graph.error);

  let text: string;
  if (format === 'json') text = JSON.stringify(graph, null, 2) + '\n';
  else if (format === 'mermaid') text = toMermaid(graph);
  else text = renderSvg(await layoutJourneyGraph(graph, { expanded: 'all' }, createLayoutEngine()), { embedStyle: true }) + '\n';

  const out = valueOf(parsed, '--out');
  if (out) writeFilesAtomically([{ path: path.resolve(out), data: text }]);
  else io.out(text);
  return graph.nodes.some((n) => n.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

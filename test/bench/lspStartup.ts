/**
 * The language server's start-up on a large workspace, over its real stdio (dist/server.js): the synthetic
 * workspace written to a temporary folder, one document opened right after `initialized` (as VS Code does),
 * and then:
 * - the time from `initialized` to the first diagnostics of the open document that come from its whole chain
 *   (the document names a user journey its chain lacks: an unresolved-reference, which needs the base);
 * - hovers on the open document, one sent with `didOpen` and then one every 100 ms while indexing: their
 *   latencies (requests answered while the workspace is indexed);
 * - indexing (the progress notification's end) and the last published diagnostics, from `initialized`;
 * - one edit of the open document to its fresh diagnostics, minus the debounce;
 * - navigation over JSON-RPC once indexed (issue 8's "the LSP answers within 50 ms for definition and 200 ms for
 *   references/rename"): definition, references and rename from every ClaimTypeReferenceId of the open relying
 *   party, whose definitions are in its base (the round trip, client to server and back);
 * - the server's peak resident memory (VmHWM).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { PROJECT_DIR } from '../helpers/corpus';
import { median, now, quantile, syntheticWorkspace } from './measure';

export interface LspStartup {
  files: number;
  firstDiagnosticsMs: number;
  /** The hover sent with didOpen (waits for the document's folder). */
  firstHoverMs: number;
  /** Hovers sent every 100 ms while indexing. */
  hoversWhileIndexing: number[];
  indexingMs: number;
  lastPublishMs: number;
  /** An edit of the open document to its fresh diagnostics, debounce excluded. */
  editMs: number;
  debounceMs: number;
  /** Round trips of navigation requests after indexing (ms). */
  navigation: { definition: number[]; references: number[]; rename: number[] };
  peakRssMb: number;
}

const OPEN = 'SocialAndLocalAccountsWithMfa/SignUpOrSignin.xml';
const TYPO = 'SignUpOrSignInTypo';

export async function measureLspStartup(copies: number, debounceMs: number): Promise<LspStartup> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-bench-'));
  // B2C_BENCH_SERVER: another build's server (to compare before and after a change).
  const child = spawn(process.execPath, [process.env.B2C_BENCH_SERVER ?? path.join(PROJECT_DIR, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const files = syntheticWorkspace(copies);
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(root, f.relative)), { recursive: true });
      fs.writeFileSync(path.join(root, f.relative), f.text);
    }
    const openFile = path.join(root, `env${Math.floor(copies / 2)}`, OPEN);
    const openUri = pathToFileURL(openFile).href;
    const openText = fs.readFileSync(openFile, 'utf8').replace('<DefaultUserJourney ReferenceId="SignUpOrSignIn" />', `<DefaultUserJourney ReferenceId="${TYPO}" />`);
    const hoverAt = positionOf(openText, TYPO);

    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', () => undefined);
    let t0 = 0;
    let firstDiagnostics = NaN;
    let lastPublish = NaN;
    let indexingEnd = NaN;
    let wantedVersion = '';
    let editPublished: (() => void) | undefined;
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      lastPublish = now() - t0;
      if (p.uri !== openUri) return;
      const chainFinding = p.diagnostics.some((d) => d.code === 'unresolved-reference' && String(d.message).includes(TYPO + wantedVersion));
      if (chainFinding && Number.isNaN(firstDiagnostics)) firstDiagnostics = now() - t0;
      if (chainFinding && editPublished) editPublished();
    });
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({ validateWorkspace: true })));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('$/progress', (p: { value: { kind: string } }) => {
      if (p.value.kind === 'end') indexingEnd = now() - t0;
    });
    connection.onNotification('window/logMessage', () => undefined);
    connection.onNotification('window/showMessage', () => undefined);
    connection.listen();

    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }],
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
    });
    t0 = now();
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: openUri, languageId: 'xml', version: 1, text: openText } });
    const hover = async () => {
      const start = now();
      await connection.sendRequest('textDocument/hover', { textDocument: { uri: openUri }, position: hoverAt });
      return now() - start;
    };
    const firstHover = await hover();
    const hoversWhileIndexing: number[] = [];
    while (Number.isNaN(indexingEnd) && now() - t0 < 120_000) {
      hoversWhileIndexing.push(await hover());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Quiet: no diagnostics for a second after indexing.
    while (now() - t0 - (Number.isNaN(lastPublish) ? 0 : lastPublish) < 1000 && now() - t0 < 180_000) await new Promise((resolve) => setTimeout(resolve, 100));
    const lastWorkspacePublish = lastPublish;

    // One edit: the journey id changes, the diagnostics follow (after the debounce).
    const edits: number[] = [];
    for (let i = 0; i < 5; i++) {
      wantedVersion = String(i);
      const text = openText.replace(TYPO, TYPO + i);
      const published = new Promise<void>((resolve) => (editPublished = resolve));
      const start = now();
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri: openUri, version: 2 + i }, contentChanges: [{ text }] });
      await published;
      edits.push(now() - start - debounceMs);
      editPublished = undefined;
    }

    // Navigation once indexed: from each claim reference of the open relying party (definitions in its base).
    const current = { uri: openUri };
    const claimReferences = positionsOf(openText, 'ClaimTypeReferenceId="');
    const navigation = { definition: [] as number[], references: [] as number[], rename: [] as number[] };
    const roundTrip = async (into: number[], method: string, params: object) => {
      const start = now();
      const result = await connection.sendRequest(method, params);
      into.push(now() - start);
      if (result === null || (Array.isArray(result) && result.length === 0)) throw new Error(`${method} found nothing`);
    };
    for (let round = 0; round < 10; round++) {
      for (const position of claimReferences) {
        await roundTrip(navigation.definition, 'textDocument/definition', { textDocument: current, position });
        await roundTrip(navigation.references, 'textDocument/references', { textDocument: current, position, context: { includeDeclaration: true } });
        await roundTrip(navigation.rename, 'textDocument/rename', { textDocument: current, position, newName: `renamed${round}` });
      }
    }

    const peakRssMb = peakRss(child.pid!);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    connection.dispose();
    return {
      files: files.length,
      firstDiagnosticsMs: firstDiagnostics,
      firstHoverMs: firstHover,
      hoversWhileIndexing,
      indexingMs: indexingEnd,
      lastPublishMs: lastWorkspacePublish,
      editMs: median(edits),
      debounceMs,
      navigation,
      peakRssMb,
    };
  } finally {
    child.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function hoverSummary(latencies: number[]): string {
  if (!latencies.length) return 'none (indexing ended first)';
  return `${latencies.length} hovers, median ${median(latencies).toFixed(0)} ms, p95 ${quantile(latencies, 0.95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`;
}

function positionOf(text: string, needle: string): { line: number; character: number } {
  const offset = text.indexOf(needle) + 2;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The position just inside each value that follows `prefix` (e.g. every ClaimTypeReferenceId). */
function positionsOf(text: string, prefix: string): Array<{ line: number; character: number }> {
  const out: Array<{ line: number; character: number }> = [];
  for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
    const offset = at + prefix.length + 1;
    const before = text.slice(0, offset);
    out.push({ line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) });
  }
  return out;
}

/** The peak resident set of a process (Linux: /proc/<pid>/status VmHWM), in MB; NaN elsewhere. */
function peakRss(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    return kb ? Number(kb[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

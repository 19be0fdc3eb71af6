/**
 * Fuzzing the language service through its one door (PolicyLanguageService): documents of a corpus are
 * mutated at random (seeded, so every failure replays), and on each the invariants are checked:
 * - nothing throws, and no check fails inside (no `internal-error` finding);
 * - every finding's span lies inside the document with start <= end, every diagnostic range inside its lines;
 * - incremental = fresh: a document opened and edited one edit at a time through the facade gives the same
 *   diagnostics, on it and on the files of its chain, as a fresh service given the final text;
 * - a document takes at most GUARD_MS (a guard against hangs only; timing belongs in the benchmark).
 * Corpus: the starter packs in ../shared when present, else the project's own fixtures.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { SchemaCache } from '../../server/src/schemaFile';
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { corpusAvailable, CORPUS_DIR, PROJECT_DIR, readText } from '../helpers/corpus';
import { seededRandom } from '../helpers/random';

/** A hang guard, far above any real document's time. */
export const GUARD_MS = 20_000;

/** How often (in documents) the incremental state is compared with a fresh service (which reads a whole pack). */
const FRESH_EVERY = 20;

export interface FuzzOptions {
  seed: number;
  /** Mutated documents to check. */
  count: number;
  /** Edits per document in the incremental comparison (each applied through the facade). */
  edits?: number;
  /** Called after each document (progress for long runs). */
  progress?: (done: number) => void;
}

export interface FuzzReport {
  source: 'corpus' | 'fixtures';
  documents: number;
  /** Documents whose incremental diagnostics (all files of the pack) were compared with a fresh service's. */
  compared: number;
  edits: number;
  findings: number;
  milliseconds: number;
  slowestMs: number;
}

/** A group of files that resolve as chains among themselves (a starter pack, a fixture folder). */
interface Pack {
  name: string;
  files: Array<{ uri: string; text: string }>;
}

/** The packs to mutate: the starter packs when ../shared is there, else the project's fixtures. */
export function loadPacks(): { source: FuzzReport['source']; packs: Pack[] } {
  const folders: string[] = [];
  if (corpusAvailable) for (const name of fs.readdirSync(CORPUS_DIR).sort()) folders.push(path.join(CORPUS_DIR, name));
  else folders.push(path.join(PROJECT_DIR, 'test', 'fixtures', 'e2e-ws'), path.join(PROJECT_DIR, 'test', 'fixtures', 'environments', 'policies'), path.join(PROJECT_DIR, 'test', 'fixtures'));
  const packs: Pack[] = [];
  for (const folder of folders) {
    if (!fs.statSync(folder).isDirectory()) continue;
    const files = fs
      .readdirSync(folder)
      .filter((f) => f.endsWith('.xml') && fs.statSync(path.join(folder, f)).isFile())
      .sort()
      .map((f) => ({ uri: pathToFileURL(path.join(folder, f)).href, text: readText(path.join(folder, f)) }));
    if (files.length) packs.push({ name: path.basename(folder), files });
  }
  return { source: corpusAvailable ? 'corpus' : 'fixtures', packs };
}

/** Pieces that break XML or policies in interesting ways. */
const SNIPPETS = [
  '<', '>', '</', '/>', '"', "'", '=', '&', '&amp;', '&#x', '&#1114112;', '&#xD800;', ']]>', '<![CDATA[', '<!--', '-->', '<?xml version="1.0"?>',
  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', '&e;', '\r\n', '\r', '\t', '\u0000', '\ufeff', '\ud800', '\udc00', '😀', 'é',
  ' Id="x"', ' ReferenceId="', 'ClaimTypeReferenceId="email"', '<ClaimType Id="dup" />', '<TechnicalProfile Id="TP">', '</TechnicalProfile>',
  '<OrchestrationStep Order="1" Type="ClaimsExchange">', '<BasePolicy><TenantId>t</TenantId><PolicyId>B2C_1A_TrustFrameworkBase</PolicyId></BasePolicy>',
  '<Item Key="client_secret">s3cr3t-v4lue</Item>', '{Settings:Tenant}', '{Claim:email}', 'xmlns="urn:other"', '<x:y xmlns:x="urn:x">',
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

/** One random edit of a text: the range replaced and the new text (offsets in the old text). */
export function randomEdit(random: () => number, text: string): { start: number; end: number; text: string } {
  const at = Math.floor(random() * (text.length + 1));
  const span = Math.min(text.length - at, Math.floor(random() ** 3 * 400));
  switch (Math.floor(random() * 6)) {
    case 0: // delete
      return { start: at, end: at + span, text: '' };
    case 1: // insert a snippet
      return { start: at, end: at, text: pick(random, SNIPPETS) };
    case 2: // replace with a snippet
      return { start: at, end: at + Math.min(span, 20), text: pick(random, SNIPPETS) };
    case 3: {
      // duplicate a piece of the document elsewhere
      const from = Math.floor(random() * text.length);
      return { start: at, end: at, text: text.slice(from, from + span) };
    }
    case 4: // truncate
      return { start: at, end: text.length, text: '' };
    default: {
      // one character changed into another one of the document, or any code unit
      const c = random() < 0.5 ? text.charAt(Math.floor(random() * text.length)) : String.fromCharCode(Math.floor(random() * 0x10000));
      return { start: at, end: Math.min(text.length, at + 1), text: c };
    }
  }
}

function applyEdit(text: string, edit: { start: number; end: number; text: string }): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

export class FuzzFailure extends Error {}

/** Runs the fuzzer; throws a FuzzFailure naming the seed, document and invariant on the first violation. */
export function runFuzz(options: FuzzOptions): FuzzReport {
  const random = seededRandom(options.seed);
  const { source, packs } = loadPacks();
  const schema = new SchemaCache().load();
  const logged: string[] = [];
  const newService = (pack: Pack) => {
    const service = new PolicyLanguageService({ schema, log: (m) => logged.push(m) });
    for (const f of pack.files) service.setDiskFile(f.uri, f.text);
    return service;
  };
  // One long-lived service per pack: documents are opened, edited and closed in it (the editor's path).
  const services = new Map(packs.map((p) => [p.name, newService(p)]));
  const editsPerDocument = options.edits ?? 3;
  const report: FuzzReport = { source, documents: 0, compared: 0, edits: 0, findings: 0, milliseconds: 0, slowestMs: 0 };
  const started = Date.now();
  for (let n = 0; n < options.count; n++) {
    const pack = pick(random, packs);
    const target = pick(random, pack.files);
    const service = services.get(pack.name)!;
    const where = (invariant: string, detail: string) => new FuzzFailure(`seed ${options.seed}, document ${n} (${pack.name}/${path.basename(target.uri)}): ${invariant}: ${detail}`);
    const docStart = Date.now();
    let text = target.text;
    try {
      service.openDocument(target.uri, text);
      for (let e = 0; e < editsPerDocument; e++) {
        text = applyEdit(text, randomEdit(random, text));
        service.openDocument(target.uri, text);
        report.edits++;
        // Every few documents, read the diagnostics after each edit too (they fill the caches mid-way).
        if (n % 8 === 0) checkDiagnostics(service, target.uri, text, where);
      }
      report.findings += checkDiagnostics(service, target.uri, text, where);
      const position = positionAt(text, Math.floor(random() * (text.length + 1)));
      service.hover(target.uri, position);
      service.completion(target.uri, position);
      service.codeActions(target.uri, service.diagnostics(target.uri));
      // Incremental = fresh (every FRESH_EVERY documents: a fresh service reads the whole pack), on the edited
      // file and on every file of its pack (their findings may depend on it: bases, descendants).
      if (n % FRESH_EVERY === 0) {
        const fresh = newService(pack);
        fresh.setDiskFile(target.uri, text);
        for (const f of pack.files) {
          const a = JSON.stringify(service.diagnostics(f.uri));
          const b = JSON.stringify(fresh.diagnostics(f.uri));
          if (a !== b) throw where('incremental differs from fresh', `${path.basename(f.uri)}\nincremental: ${a.slice(0, 2000)}\nfresh:       ${b.slice(0, 2000)}`);
        }
        report.compared++;
      }
      service.closeDocument(target.uri);
    } catch (e) {
      if (e instanceof FuzzFailure) throw saveReproduction(e, text);
      throw saveReproduction(where('exception', (e as Error).stack ?? String(e)), text);
    }
    if (logged.length) throw saveReproduction(where('a check failed inside', logged.join('\n')), text);
    const ms = Date.now() - docStart;
    report.slowestMs = Math.max(report.slowestMs, ms);
    if (ms > GUARD_MS) throw saveReproduction(where('hang guard', `${ms} ms`), text);
    report.documents++;
    options.progress?.(report.documents);
  }
  report.milliseconds = Date.now() - started;
  return report;
}

/** Checks the diagnostics of a document: inside it, start <= end, no internal error. Returns their number. */
function checkDiagnostics(service: PolicyLanguageService, uri: string, text: string, where: (invariant: string, detail: string) => FuzzFailure): number {
  for (const f of service.findings(uri)) {
    if (!(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length)) throw where('span outside the document', `${f.code} ${JSON.stringify(f.span)} in ${text.length} characters`);
  }
  const lines = text.split(/\r\n|\r|\n/);
  const diagnostics: Diagnostic[] = service.diagnostics(uri);
  for (const d of diagnostics) {
    if (d.code === 'internal-error') throw where('internal error', d.message);
    const { start, end } = d.range;
    const inside = (p: { line: number; character: number }) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length;
    if (!inside(start) || !inside(end) || start.line > end.line || (start.line === end.line && start.character > end.character)) {
      throw where('range outside the document or reversed', `${d.code} ${JSON.stringify(d.range)}`);
    }
  }
  return diagnostics.length;
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Writes the failing document beside the message (a temporary file) so the failure replays by hand too. */
function saveReproduction(failure: FuzzFailure, text: string): FuzzFailure {
  try {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-fuzz-')), 'document.xml');
    fs.writeFileSync(file, text);
    failure.message += `\n(the document: ${file})`;
  } catch {
    // The message alone still names seed and document.
  }
  return failure;
}

import * as fs from 'fs';
import * as path from 'path';
import { readPolicyText } from '../../server/src/node/policyFiles';

/**
 * The shared corpus (Microsoft's starter pack) and reference schema live outside the project, in
 * ../shared. B2C_SHARED overrides the location. Tests that need them skip with a visible reason when absent.
 */
/** The project's root (tests run compiled from test/out/test/<folder>/). */
export const PROJECT_DIR = path.resolve(__dirname, '..', '..', '..', '..');
export const SHARED_DIR = path.resolve(process.env.B2C_SHARED ?? path.join(PROJECT_DIR, '..', 'shared'));
export const CORPUS_DIR = path.join(SHARED_DIR, 'corpus', 'starterpack');
export const REFERENCE_DIR = path.join(SHARED_DIR, 'reference');

export const corpusAvailable = fs.existsSync(CORPUS_DIR);
/** Pass as the `skip` option of node:test; a string is printed as the reason. */
export const needsCorpus: string | false = corpusAvailable ? false : `needs ../shared/corpus/starterpack (not found at ${CORPUS_DIR})`;
export const needsReference: string | false = fs.existsSync(REFERENCE_DIR) ? false : `needs ../shared/reference (not found at ${REFERENCE_DIR})`;

if (process.env.CI && !corpusAvailable) {
  throw new Error(`CI run without the shared corpus at ${CORPUS_DIR}`);
}

export function corpusPacks(): string[] {
  if (!corpusAvailable) return [];
  return fs.readdirSync(CORPUS_DIR).filter((d) => fs.statSync(path.join(CORPUS_DIR, d)).isDirectory()).sort();
}

export function corpusFiles(): string[] {
  const out: string[] = [];
  for (const pack of corpusPacks()) {
    for (const f of fs.readdirSync(path.join(CORPUS_DIR, pack)).sort()) if (f.endsWith('.xml')) out.push(path.join(CORPUS_DIR, pack, f));
  }
  return out;
}

/** Reads a file as the editor sees it: UTF-8 without the byte-order mark. */
export function readText(file: string): string {
  return readPolicyText(file);
}

/** Splits a test text with a `|` cursor marker into text and offset. */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no | cursor marker in test text');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

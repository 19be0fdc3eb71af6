/** Timing, memory and table helpers of the benchmark (test/bench/bench.ts). */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CORPUS_DIR, corpusPacks, readText } from '../helpers/corpus';

export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

/** The q-quantile (0..1) of some samples, nearest rank. */
export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Runs `fn` once to warm up, then `runs` times; the samples in ms. */
export function samples(fn: () => void, runs: number): number[] {
  fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    fn();
    out.push(now() - t0);
  }
  return out;
}

/** The median of `runs` timed runs after a warm-up, in ms. */
export function time(fn: () => void, runs: number): number {
  return median(samples(fn, runs));
}

/**
 * Times several things side by side: round after round, each runs once, so that a busy machine slows all of
 * them alike. Medians in ms, in the order given.
 */
export function sideBySide(fns: Array<() => void>, rounds: number): number[] {
  for (const fn of fns) fn();
  const all = fns.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, i) => {
      const t0 = now();
      fn();
      all[i].push(now() - t0);
    });
  }
  return all.map(median);
}

/** Wall time of fresh node processes, side by side (round after round), after one warm-up round; medians in ms. */
export function processesSideBySide(commands: string[][], rounds: number): number[] {
  return sideBySide(
    commands.map((args) => () => execFileSync(process.execPath, args, { stdio: 'ignore' })),
    rounds,
  );
}

export function gc(): void {
  if (global.gc) {
    global.gc();
    global.gc();
  }
}

export function heapMb(): number {
  gc();
  return process.memoryUsage().heapUsed / 1048576;
}

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ') + ' |';
  return [line(headers), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.slice(1).map(line)].join('\n');
}

export interface PackFile {
  uri: string;
  text: string;
  /** The path relative to the pack's folder's parent (`<pack>/<file>`). */
  relative: string;
}

export interface Pack {
  name: string;
  files: PackFile[];
}

/** A starter pack's XML files, under `prefix/<pack>/`. Each call reads the files again (distinct strings). */
export function loadPack(name: string, prefix = 'file:///bench'): Pack {
  const dir = path.join(CORPUS_DIR, name);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => ({ uri: `${prefix}/${name}/${f}`, text: readText(path.join(dir, f)), relative: `${name}/${f}` }));
  return { name, files };
}

/** The synthetic workspace: every starter pack copied into `copies` folders (env0 ... envK-1). */
export function syntheticWorkspace(copies: number, prefix = 'file:///bench'): PackFile[] {
  const files: PackFile[] = [];
  for (let i = 0; i < copies; i++) for (const p of corpusPacks()) files.push(...loadPack(p, `${prefix}/env${i}`).files.map((f) => ({ ...f, relative: `env${i}/${f.relative}` })));
  return files;
}

export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

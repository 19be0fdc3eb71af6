/**
 * Navigation on the synthetic workspace (issue 8): definition, references, rename, code lenses and symbols
 * through the facade the server calls, p50/p95 over many requests at positions drawn deterministically.
 */
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { parsePolicyFile } from '../../server/src/service/policy/model';
import type { CompiledSchema } from '../../server/src/service/schema';
import { now, quantile, syntheticWorkspace, table } from './measure';

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

/**
 * 5. Navigation on the synthetic workspace of 40 copies of every pack (2,280 files), through the facade the
 * server calls, at positions drawn (deterministically) from every copy: most requests meet cold caches (a
 * family's symbol table is built on its first request). "after an edit": the base of the family was just
 * changed, so its tables are rebuilt.
 */
export function navigationBench(schema: CompiledSchema): void {
  const service = new PolicyLanguageService({ schema });
  const files = syntheticWorkspace(40).map((f) => ({ uri: f.uri, text: f.text }));
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
  console.log(table(['request', 'n', 'p50 ms', 'p95 ms', 'max ms'], rows.map(([name, samples]) => [name, samples.length, quantile(samples, 0.5).toFixed(2), quantile(samples, 0.95).toFixed(2), Math.max(...samples).toFixed(2)])));
}

// ---- schema loading and hostile values (issue 10) ------------------------------------------------------------


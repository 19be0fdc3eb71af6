// The fuzzer in the fast suite: a fixed seed and a few thousand mutated documents (fuzz.ts says what is
// checked). Longer runs with other seeds: `npm run fuzz -- <seed> <count>`.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runFuzz } from './fuzz';

test('fuzz: 2,000 mutated policies (seed 20240611): no exception, spans inside the document, incremental = fresh', () => {
  const report = runFuzz({ seed: 20240611, count: 2000 });
  assert.equal(report.documents, 2000);
  assert.ok(report.findings > 0, 'the mutations give findings');
  console.log(`fuzz: ${report.documents} documents (${report.source}), ${report.compared} compared with a fresh service, ${report.edits} edits, ${report.findings} findings, ${report.milliseconds} ms, slowest ${report.slowestMs} ms`);
});

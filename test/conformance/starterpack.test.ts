import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { CORPUS_DIR, corpusFiles, corpusPacks, needsCorpus } from '../helpers/corpus';
import { serviceForFiles } from '../helpers/service';

const ADD_ONS = ['scenario-linkedin-identity-provider', 'scenario-password-change'];
const BLOCKING = new Set(['unresolved-reference', 'unresolved-base-policy', 'xml-syntax']);

function packFiles(pack: string): string[] {
  const dir = path.join(CORPUS_DIR, pack);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(dir, f));
}

test('every starter pack, checked on its own, has no error and no warning (no unresolved reference, base policy or syntax error; valid against our schema)', { skip: needsCorpus }, () => {
  const packs = corpusPacks().filter((p) => !ADD_ONS.includes(p));
  assert.equal(packs.length, 9);
  for (const pack of packs) {
    const { service, uris } = serviceForFiles(packFiles(pack));
    for (const uri of uris) {
      const findings = service.findings(uri);
      const bad = findings.filter((f) => BLOCKING.has(f.code) || f.code.startsWith('schema-') || f.severity === 'error' || f.severity === 'warning');
      assert.deepEqual(bad.map((f) => `${f.code}: ${f.message}`), [], `${pack}/${path.basename(uri)}`);
    }
  }
});

test('the whole corpus as one workspace: zero errors; the add-on scenarios report their missing base once each', { skip: needsCorpus }, () => {
  const { service, uris } = serviceForFiles(corpusFiles());
  const byScenario = new Map<string, string[]>();
  for (const uri of uris) {
    const findings = service.findings(uri);
    const pack = ADD_ONS.find((a) => uri.includes(`/${a}/`));
    if (!pack) {
      assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => f.message), [], uri);
      continue;
    }
    const codes = findings.filter((f) => f.severity === 'error').map((f) => f.code);
    byScenario.set(pack, [...(byScenario.get(pack) ?? []), ...codes]);
  }
  for (const pack of ADD_ONS) assert.deepEqual(byScenario.get(pack), ['unresolved-base-policy'], pack);
});

for (const scenario of ADD_ONS) {
  test(`${scenario} on its own: exactly one unresolved-base-policy, no unresolved-reference, one summary of unverified references`, { skip: needsCorpus }, () => {
    const { service, uris } = serviceForFiles(packFiles(scenario));
    const all = uris.flatMap((u) => service.findings(u));
    assert.equal(all.filter((f) => f.code === 'unresolved-base-policy').length, 1);
    assert.equal(all.filter((f) => f.code === 'unresolved-reference').length, 0);
    const summaries = all.filter((f) => f.code === 'unverified-references');
    assert.ok(summaries.length >= 1 && summaries.every((s) => s.severity === 'information' && (s.data!.count as number) > 0));
  });
}

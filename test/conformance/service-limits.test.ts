import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { CORPUS_DIR, corpusFiles, corpusPacks, needsCorpus, readText } from '../helpers/corpus';
import { serviceForFiles } from '../helpers/service';

const LIMIT_CODES = new Set(['policy-file-too-large', 'chain-too-deep', 'base-policy-is-user-flow', 'placeholder-tenant', 'tenant-name-case']);

test('the corpus: every file has exactly one placeholder-tenant (information, on its TenantId) and no other service-limit or tenant-name finding', { skip: needsCorpus }, () => {
  const { service, uris } = serviceForFiles(corpusFiles());
  let files = 0;
  for (const uri of uris) {
    const file = service.policy(uri)!;
    const found = service.findings(uri).filter((f) => LIMIT_CODES.has(f.code));
    const at = file.text.indexOf('TenantId="yourtenant') + 'TenantId="'.length;
    assert.deepEqual(
      found.map((f) => [f.code, f.severity, f.span.start, file.text.slice(f.span.start, f.span.end)]),
      [['placeholder-tenant', 'information', at, 'yourtenant']],
      uri,
    );
    files++;
  }
  assert.equal(files, 57);
});

test('a tokenised starter pack ({Settings:Tenant}) gets no placeholder-tenant finding', { skip: needsCorpus }, () => {
  const service = new Analysis({ log: (m) => { throw new Error(m); } });
  const dir = path.join(CORPUS_DIR, 'SocialAndLocalAccounts');
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.xml'));
  for (const name of names) service.index.setDiskFile(`file:///pack/${name}`, readText(path.join(dir, name)).replace(/yourtenant\.onmicrosoft\.com/g, '{Settings:Tenant}'));
  for (const name of names) assert.deepEqual(service.findings(`file:///pack/${name}`).filter((f) => LIMIT_CODES.has(f.code)), [], name);
});

test('mutation: the relying party of each main pack built on the user flow B2C_1_SignUpSignIn gives exactly base-policy-is-user-flow', { skip: needsCorpus }, () => {
  const packs = corpusPacks().filter((p) => !p.startsWith('scenario-'));
  assert.equal(packs.length, 8);
  for (const pack of packs) {
    const dir = path.join(CORPUS_DIR, pack);
    const service = new Analysis({ log: (m) => { throw new Error(m); } });
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
      let text = readText(path.join(dir, name));
      if (name === 'SignUpOrSignin.xml') text = text.replace('<PolicyId>B2C_1A_TrustFrameworkExtensions</PolicyId>', '<PolicyId>B2C_1_SignUpSignIn</PolicyId>');
      service.index.setDiskFile(`file:///pack/${name}`, text);
    }
    const errors = service.findings('file:///pack/SignUpOrSignin.xml').filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => f.code), ['base-policy-is-user-flow'], pack);
  }
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runBuild } from '../../server/src/cli/build';
import { CORPUS_DIR, corpusPacks, needsCorpus } from '../helpers/corpus';
import { serviceForFiles } from '../helpers/service';

const PLACEHOLDER = 'yourtenant.onmicrosoft.com';
const ENVIRONMENTS = [
  { Name: 'Dev', Production: false, Tenant: 'contosodev.onmicrosoft.com', PolicySettings: { Unused: 'x' } },
  { Name: 'Test', Production: false, Tenant: 'contosotest.onmicrosoft.com', PolicySettings: {} },
  { Name: 'Prod', Production: true, Tenant: 'contoso.onmicrosoft.com', PolicySettings: {} },
];

/** A copy of a pack with the placeholder tenant turned into {Settings:Tenant}, and an appsettings.json. */
function tokenisedPack(pack: string, environments: unknown[] = ENVIRONMENTS): { root: string; originals: Map<string, string> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `b2c-build-${pack}-`));
  const originals = new Map<string, string>();
  for (const name of fs.readdirSync(path.join(CORPUS_DIR, pack)).filter((f) => f.endsWith('.xml'))) {
    // As UTF-8 text with the byte-order mark kept as a character, so the bytes round-trip exactly.
    const text = fs.readFileSync(path.join(CORPUS_DIR, pack, name), 'utf8');
    originals.set(name, text);
    fs.writeFileSync(path.join(root, name), text.split(PLACEHOLDER).join('{Settings:Tenant}'));
  }
  fs.writeFileSync(path.join(root, 'appsettings.json'), JSON.stringify({ EnvironmentsFolder: 'Environments', Environments: environments }, null, 2));
  return { root, originals };
}

function build(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = runBuild(args, { out: (s) => (stdout += s), err: (s) => (stderr += s), cwd });
  return { code, stdout, stderr };
}

test('every starter pack, tokenised, builds three environments byte for byte equal to the original with the tenant replaced', { skip: needsCorpus }, () => {
  const packs = corpusPacks();
  assert.ok(packs.length >= 8);
  for (const pack of packs) {
    const { root, originals } = tokenisedPack(pack);
    const r = build([], root);
    assert.equal(r.code, 0, `${pack}: ${r.stdout}${r.stderr}`);
    for (const environment of ENVIRONMENTS) {
      const folder = path.join(root, 'Environments', environment.Name);
      assert.deepEqual(fs.readdirSync(folder).sort(), [...originals.keys()].sort(), `${pack}/${environment.Name}`);
      for (const [name, original] of originals) {
        const expected = Buffer.from(original.split(PLACEHOLDER).join(environment.Tenant), 'utf8');
        const actual = fs.readFileSync(path.join(folder, name));
        assert.ok(actual.equals(new Uint8Array(expected)), `${pack}/${environment.Name}/${name} differs from the original with the tenant replaced`);
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a missing key fails the build clearly on a starter pack, and no environment folder is written for it', { skip: needsCorpus }, () => {
  const { root } = tokenisedPack('SocialAndLocalAccounts');
  const file = path.join(root, 'TrustFrameworkExtensions.xml');
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf('</TrustFrameworkPolicy>');
  fs.writeFileSync(file, text.slice(0, at) + '<!-- {Settings:FacebookAppId} -->\n' + text.slice(at));
  const line = text.slice(0, at).split('\n').length;
  const r = build([], root);
  assert.equal(r.code, 1);
  for (const environment of ['Dev', 'Test', 'Prod']) {
    assert.ok(
      r.stdout.includes(`TrustFrameworkExtensions.xml:${line}:6: error undefined-setting: {Settings:FacebookAppId} has no value in environment '${environment}'`),
      r.stdout,
    );
    assert.ok(r.stdout.includes(`${environment}: not built (1 error)`), r.stdout);
  }
  assert.ok(!fs.existsSync(path.join(root, 'Environments', 'Dev')));
  fs.rmSync(root, { recursive: true, force: true });
});

test('a prefix and suffix keep every starter-pack chain intact: the built policies check with no error', { skip: needsCorpus }, () => {
  for (const pack of ['LocalAccounts', 'SocialAndLocalAccountsWithMfa', 'DisplayControls-SocialAndLocalAccounts']) {
    const { root } = tokenisedPack(pack, [{ Name: 'Anna', Tenant: 'contosodev.onmicrosoft.com', PolicyIdPrefix: 'ANNA_', PolicyIdSuffix: '_v2' }]);
    assert.equal(build([], root).code, 0);
    const folder = path.join(root, 'Environments', 'Anna');
    const files = fs.readdirSync(folder).map((f) => path.join(folder, f));
    const { service, uris } = serviceForFiles(files);
    for (const uri of uris) {
      const file = service.index.get(uri)!;
      assert.match(file.policyId!, /^B2C_1A_ANNA_.+_v2$/, uri);
      if (file.base) assert.match(file.base.policyId, /^B2C_1A_ANNA_.+_v2$/, uri);
      const errors = service.findings(uri).filter((f) => f.severity === 'error');
      assert.deepEqual(errors.map((f) => `${f.code}: ${f.message}`), [], `${pack}/${path.basename(uri)}`);
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
});

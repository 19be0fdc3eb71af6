import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runBuild } from '../../server/src/cli/build';
import { checkEnvironmentFolder } from '../../server/src/node/checkEnvironment';
import { SchemaCache } from '../../server/src/schemaFile';
import type { Finding } from '../../server/src/service/findings';
import { PROJECT_DIR } from '../helpers/corpus';

const FIXTURE = path.join(PROJECT_DIR, 'test', 'fixtures', 'environments');

/** A temporary copy of the fixture's policy folder (the build writes into it). */
function fixtureCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-build-'));
  fs.cpSync(path.join(FIXTURE, 'policies'), dir, { recursive: true });
  return dir;
}

function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = runBuild(args, { out: (s) => (stdout += s), err: (s) => (stderr += s), cwd });
  return { code, stdout, stderr };
}

/** Every file under a folder, relative, with its bytes. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(r);
      else out.set(r, fs.readFileSync(path.join(dir, r)));
    }
  };
  walk('');
  return out;
}

test('the fixture builds: Dev is byte-identical to the hand-written expected folder (BOM, CRLF, prefix, stale output gone)', () => {
  const root = fixtureCopy();
  const r = run([], root);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^Dev: 3 files written to Environments\/Dev$/m);
  assert.match(r.stdout, /^Test: 4 files written to Environments\/Test$/m);
  assert.match(r.stdout, /^Prod: 3 files written to Environments\/Prod$/m);
  const expected = tree(path.join(FIXTURE, 'expected', 'Dev'));
  const built = tree(path.join(root, 'Environments', 'Dev'));
  assert.deepEqual([...built.keys()].sort(), [...expected.keys()].sort());
  // Compared as latin1 strings: byte for byte, with a readable difference when it fails.
  for (const [name, bytes] of expected) assert.equal(built.get(name)!.toString('latin1'), bytes.toString('latin1'), name);
  // Nothing left behind: no staging or previous folders, no README copied, no dot-folder or old output taken as input.
  assert.deepEqual(fs.readdirSync(path.join(root, 'Environments')).sort(), ['Dev', 'Prod', 'Test']);
  assert.deepEqual([...tree(path.join(root, 'Environments', 'Test')).keys()].sort(), ['SignUpOrSignin.xml', 'TrustFrameworkBase.xml', 'TrustFrameworkExtensions.xml', 'experiments/Draft.xml']);
});

test('a missing key fails that environment clearly (file:line:column), writes nothing for it, and the others still build', () => {
  const root = fixtureCopy();
  const settingsFile = path.join(root, 'appSettings.json');
  const text = fs.readFileSync(settingsFile, 'utf8');
  // Prod loses its AppInsightsKey.
  fs.writeFileSync(settingsFile, text.replace('"AppInsightsKey": "00000000-prod-4000-8000-00000000000c"', '"Unrelated": "x"'));
  fs.mkdirSync(path.join(root, 'Environments', 'Prod'), { recursive: true });
  fs.writeFileSync(path.join(root, 'Environments', 'Prod', 'Previous.xml'), 'previous build');
  const r = run([], root);
  assert.equal(r.code, 1);
  const source = fs.readFileSync(path.join(root, 'SignUpOrSignin.xml'), 'utf8').split('\r\n');
  const line = source.findIndex((l) => l.includes('{settings:appinsightskey}'));
  const column = source[line].indexOf('{settings:appinsightskey}');
  assert.ok(
    r.stdout.includes(`SignUpOrSignin.xml:${line + 1}:${column + 1}: error undefined-setting: {Settings:appinsightskey} has no value in environment 'Prod': add "appinsightskey" to its PolicySettings.`),
    r.stdout,
  );
  assert.match(r.stdout, /^Prod: not built \(1 error\); Environments\/Prod left as it was$/m);
  assert.match(r.stdout, /^Dev: 3 files written/m);
  assert.deepEqual(fs.readdirSync(path.join(root, 'Environments', 'Prod')), ['Previous.xml']);
  assert.equal(fs.readFileSync(path.join(root, 'Environments', 'Prod', 'Previous.xml'), 'utf8'), 'previous build');
});

test('--env builds only the named environments (any case); --root prints paths under the root as given', () => {
  const root = fixtureCopy();
  const parent = path.dirname(root);
  const given = path.basename(root);
  const broken = '<TrustFrameworkPolicy PolicyId="{Settings:Nope}"/>\n';
  fs.writeFileSync(path.join(root, 'Broken.xml'), broken);
  const r = run(['--env', 'test', '--root', given], parent);
  assert.equal(r.code, 1);
  assert.ok(r.stdout.includes(`${path.join(given, 'Broken.xml')}:1:${broken.indexOf('{') + 1}: error undefined-setting:`), r.stdout);
  assert.ok(!/^(Dev|Prod):/m.test(r.stdout), r.stdout);
  assert.ok(!fs.existsSync(path.join(root, 'Environments', 'Test')));
});

test('--out DIR writes DIR/<Name>; an --out inside the root is never read back as input', () => {
  const root = fixtureCopy();
  const first = run(['--env', 'Dev', '--out', 'build'], root);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /^Dev: 3 files written to build\/Dev$/m);
  const second = run(['--env=Dev', '--out=build'], root);
  assert.equal(second.code, 0, second.stdout);
  assert.deepEqual([...tree(path.join(root, 'build')).keys()].sort(), ['Dev/SignUpOrSignin.xml', 'Dev/TrustFrameworkBase.xml', 'Dev/TrustFrameworkExtensions.xml']);
});

test('production: a development setting is refused with file:line, or stripped with --strip-development-settings', () => {
  const root = fixtureCopy();
  const settingsFile = path.join(root, 'appSettings.json');
  fs.writeFileSync(settingsFile, fs.readFileSync(settingsFile, 'utf8').replace('"DeploymentMode": "Production"', '"DeploymentMode": "Development"'));
  const refused = run(['--env', 'Prod'], root);
  assert.equal(refused.code, 1);
  assert.ok(refused.stdout.includes("SignUpOrSignin.xml:5:3: error development-setting-in-production: Production environment 'Prod' refuses DeploymentMode=\"Development\""), refused.stdout);
  const stripped = run(['--env', 'Prod', '--strip-development-settings'], root);
  assert.equal(stripped.code, 0, stripped.stdout);
  assert.ok(stripped.stdout.includes('SignUpOrSignin.xml:5:3: information development-setting-in-production: Removed DeploymentMode="Development"'), stripped.stdout);
  const out = fs.readFileSync(path.join(root, 'Environments', 'Prod', 'SignUpOrSignin.xml'), 'utf8');
  assert.ok(out.includes('PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_signup_signin"\r\n  UserJourneyRecorderEndpoint='), out);
  assert.ok(!out.includes('DeploymentMode'));
});

test('usage and I/O errors: exit 2 with one line on stderr', () => {
  const root = fixtureCopy();
  const cases: Array<[string[], string, RegExp]> = [
    [['--bogus'], root, /^b2c-policy: unknown option '--bogus'; try 'b2c-policy build --help'\n$/],
    [['--env'], root, /^b2c-policy: --env needs a value/],
    [['--format', 'xml'], root, /^b2c-policy: unknown format 'xml'/],
    [['policies'], root, /^b2c-policy: unexpected argument 'policies'/],
    [['--env', 'Staging'], root, /^b2c-policy: no environment 'Staging' in appSettings\.json \(Dev, Test, Prod\)\n$/],
    [[], os.tmpdir(), /^b2c-policy: no appsettings\.json in /],
    [['--out', '.'], root, /^b2c-policy: --out '.+' is the policy root/],
  ];
  for (const [args, cwd, expected] of cases) {
    const r = run(args, cwd);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, expected);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  }
  assert.equal(run(['--help'], root).code, 0);
});

test('an invalid appsettings.json builds nothing (exit 1) and says where', () => {
  const root = fixtureCopy();
  fs.writeFileSync(path.join(root, 'appSettings.json'), '{"Environments": [{"Name": "Dev"}, {"Name": "dev"}]}');
  const r = run([], root);
  assert.equal(r.code, 1);
  assert.ok(r.stdout.includes("appSettings.json:1:45: error appsettings-invalid: Environment 'dev' is named twice"), r.stdout);
  assert.match(r.stdout, /Nothing built: fix appSettings\.json first\./);
  assert.deepEqual(fs.readdirSync(path.join(root, 'Environments')), ['Dev']);
  assert.deepEqual(fs.readdirSync(path.join(root, 'Environments', 'Dev')), ['Stale.xml']);
});

test('--format json: one object with environments, files and diagnostics at 0-based ranges', () => {
  const root = fixtureCopy();
  const r = run(['--env', 'Dev', '--format', 'json'], root);
  assert.equal(r.code, 0);
  const parsed = JSON.parse(r.stdout);
  assert.deepEqual(parsed.environments.map((e: { name: string; built: boolean; output: string }) => [e.name, e.built, e.output]), [['Dev', true, 'Environments/Dev']]);
  assert.deepEqual(parsed.environments[0].files, ['SignUpOrSignin.xml', 'TrustFrameworkBase.xml', 'TrustFrameworkExtensions.xml']);
});

test('check --env (checkEnvironmentFolder): findings of the resolved policies at source positions, undefined settings as errors', () => {
  const root = fixtureCopy();
  const settingsFile = path.join(root, 'appSettings.json');
  fs.writeFileSync(
    settingsFile,
    fs.readFileSync(settingsFile, 'utf8').replace('"Tenant": "contoso.onmicrosoft.com"', '"Tenant": "Contoso.onmicrosoft.com"').replace('"AppInsightsKey": "00000000-prod-4000-8000-00000000000c"', '"Other": "x"'),
  );
  const results = checkEnvironmentFolder({ root, environment: 'prod', schema: new SchemaCache().load() });
  assert.deepEqual(results.map((r) => r.relativePath), ['SignUpOrSignin.xml', 'TrustFrameworkBase.xml', 'TrustFrameworkExtensions.xml']);
  const rp = results[0];
  const source = fs.readFileSync(path.join(root, 'SignUpOrSignin.xml'), 'utf8');
  const at = (f: Finding) => source.slice(f.span.start, f.span.end);
  assert.deepEqual(
    rp.findings.filter((f) => f.code === 'undefined-setting' || f.code === 'tenant-name-case').map((f) => [f.code, f.severity, at(f)]),
    [
      ['tenant-name-case', 'warning', '{Settings:Tenant}'],
      ['tenant-name-case', 'warning', '{Settings:Tenant}'],
      ['tenant-name-case', 'warning', '{Settings:Tenant}'],
      ['undefined-setting', 'error', '{settings:appinsightskey}'],
    ],
  );
  assert.equal(rp.lines.rangeOf(rp.findings[0].span).start.line, 1);
  // A value that only becomes invalid once resolved: Dev's AppInsightsKey is not a GUID ('dev0' is not hex).
  const dev = checkEnvironmentFolder({ root, environment: 'Dev', schema: new SchemaCache().load() })[0];
  const invalid = dev.findings.filter((f) => f.code === 'schema-invalid-value');
  assert.deepEqual(invalid.map((f) => [at(f), (f.data as { environments: string[] }).environments]), [['{settings:appinsightskey}', ['Dev']]]);
  assert.match(invalid[0].message, /^\[Dev\] '00000000-dev0-4000-8000-00000000000a' is not a valid value for InstrumentationKey/);
  assert.throws(() => checkEnvironmentFolder({ root, environment: 'Staging' }), /no environment 'Staging' in appSettings\.json \(Dev, Test, Prod\)/);
});

test('symbolic links are not followed and a file that is not UTF-8 stops the build (exit 2, nothing written)', () => {
  const root = fixtureCopy();
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-outside-'));
  fs.writeFileSync(path.join(outside, 'Secret.xml'), '<x>{Settings:Tenant}</x>');
  fs.symlinkSync(path.join(outside, 'Secret.xml'), path.join(root, 'Linked.xml'));
  fs.symlinkSync(outside, path.join(root, 'linked-folder'));
  const r = run(['--env', 'Dev'], root);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(fs.readdirSync(path.join(root, 'Environments', 'Dev')).sort(), ['SignUpOrSignin.xml', 'TrustFrameworkBase.xml', 'TrustFrameworkExtensions.xml']);
  fs.writeFileSync(path.join(root, 'Latin1.xml'), new Uint8Array([0x3c, 0x78, 0x3e, 0xe9, 0x3c, 0x2f, 0x78, 0x3e]));
  fs.rmSync(path.join(root, 'Environments'), { recursive: true });
  const bad = run([], root);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^b2c-policy: '.*Latin1\.xml' is not UTF-8 text: byte 0xE9 at offset 3 \(line 1\)\n$/);
  assert.ok(!fs.existsSync(path.join(root, 'Environments')));
});

test('an EnvironmentsFolder that is a symbolic link out of the root is refused (exit 2): nothing is written or replaced there', () => {
  const root = fixtureCopy();
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-outside-'));
  fs.mkdirSync(path.join(outside, 'Dev'));
  fs.writeFileSync(path.join(outside, 'Dev', 'keep.txt'), 'mine');
  fs.rmSync(path.join(root, 'Environments'), { recursive: true, force: true });
  fs.symlinkSync(outside, path.join(root, 'Environments'));
  const r = run(['--env', 'Dev'], root);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /^b2c-policy: refusing to write: '.*Environments' leads outside the policy root \(a symbolic link\?\)\n$/);
  assert.deepEqual(fs.readdirSync(outside).sort(), ['Dev']);
  assert.deepEqual(fs.readdirSync(path.join(outside, 'Dev')), ['keep.txt']);
  fs.rmSync(outside, { recursive: true, force: true });
});

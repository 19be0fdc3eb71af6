// Robustness of the CLI on hostile and unusual input, through the real bundle (dist/cli.js): it fails
// closed, reads only regular files, keeps every file's encoding, writes all files or none, prints nothing a
// CI system could take for a command, and skips nothing silently.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROJECT_DIR } from '../helpers/corpus';
import { contosoPolicy as policy } from '../helpers/policies';
import { diskWorkspace } from '../helpers/workspace';

const CLI = path.join(PROJECT_DIR, 'dist', 'cli.js');
/** A guard only: every run here ends in well under a second or two; a hang fails the test instead of the suite. */
const GUARD_MS = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { cwd?: string; uid?: number } = {}): Run {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-rb-cache-'));
  fs.chmodSync(cache, 0o777);
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? PROJECT_DIR,
    encoding: 'utf8',
    timeout: GUARD_MS,
    env: { ...process.env, XDG_CACHE_HOME: cache },
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const workspace = (files: Record<string, string | Uint8Array>): string => diskWorkspace(files, 'b2c-rb-');

/**
 * Permission tests need a user that permissions apply to: root may write a read-only file and read a file
 * with mode 000. As root, the CLI runs as `nobody` (uid 65534) on a folder opened to it; otherwise as is.
 */
const UNPRIVILEGED_UID = process.getuid?.() === 0 ? 65534 : undefined;
const needsPermissions: string | false = process.platform === 'win32' ? 'POSIX permissions' : false;
function openToUnprivileged(dir: string): void {
  if (UNPRIVILEGED_UID === undefined) return;
  const open = (p: string) => {
    const stat = fs.statSync(p);
    fs.chmodSync(p, stat.isDirectory() ? 0o777 : 0o666);
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) open(path.join(p, name));
  };
  open(dir);
}

function json(r: Run): { files: Array<{ path: string; diagnostics: Array<{ code: string; severity: string; message: string; range: { start: { line: number; character: number } } }> }> } {
  return JSON.parse(r.stdout);
}

const codes = (r: Run) => json(r).files.flatMap((f) => f.diagnostics.map((d) => d.code));

/** A text as UTF-16 with a byte-order mark (written here, independently of the encoder under test). */
function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const le = new Uint8Array(Buffer.from('\ufeff' + text, 'utf16le'));
  if (endian === 'le') return le;
  const be = new Uint8Array(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1];
    be[i + 1] = le[i];
  }
  return be;
}

const latin1Bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
/** Bytes as hex, to compare a file's bytes with the expected ones. */
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fileHex = (file: string) => fs.readFileSync(file).toString('hex');

const KEY_BASE = policy(
  'B2C_1A_Base',
  `  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Keys</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="TP-Keys">
          <DisplayName>Keys</DisplayName>
          <Protocol Name="None" />
          <CryptographicKeys>
            <Key Id="issuer_secret" StorageReferenceId="TokenSigningKeyContainer" />
          </CryptographicKeys>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>`,
);

// ---- fail closed ------------------------------------------------------------------------------------------

test('fail closed: 130,000 schema errors in one file are exit 1 with the true count, never "0 errors"', () => {
  // 130,000 elements are also over the rules' element budget: one more error says the rules did not run.
  const text = policy('B2C_1A_Many', `  <BuildingBlocks>${'<X/>'.repeat(130_000)}</BuildingBlocks>`);
  const dir = workspace({ 'Many.xml': text });
  const r = run(['check', dir]);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /Many\.xml:1:1: error file-not-checked: Too many findings to list: 130,001 in all \(130,001 errors\); the first 999 are listed and 129,002 more are not \(129,002 errors\)/);
  assert.match(lines[1], /Many\.xml:1:1: error file-not-checked: Too large to check fully: this policy and its bases have over 50,000 elements/);
  assert.equal(lines.length, 1000 + 1, 'the summary, 999 findings and the footer');
  assert.equal(lines[lines.length - 1], '1 policy file checked: 130001 errors, 0 warnings, 0 other findings.');
  assert.ok(lines.slice(2, -1).every((l) => l.includes(': error schema-unexpected-element: ')));
});

test('fail closed: a reader that stops early (`| head -c 1`) ends the output quietly, and the exit code is still 1', { skip: process.platform === 'win32' ? 'POSIX shell' : false }, () => {
  // 2,000 schema errors: about 100 KB of text, more than a pipe holds, so the CLI writes into a closed pipe (EPIPE).
  const dir = workspace({ 'Many.xml': policy('B2C_1A_Many', `  <BuildingBlocks>${'<X/>'.repeat(2000)}</BuildingBlocks>`) });
  const script = 'set -o pipefail; "$0" "$1" check "$2" | head -c 1 >/dev/null; echo "exit ${PIPESTATUS[0]}"';
  const r = spawnSync('bash', ['-c', script, process.execPath, CLI, dir], { encoding: 'utf8', timeout: GUARD_MS, env: { ...process.env, XDG_CACHE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-rb-cache-')) } });
  assert.equal(r.stdout.trim(), 'exit 1', r.stderr);
  assert.equal(r.stderr, '', 'no stack trace, no message');
});

// ---- check --fix keeps the file ------------------------------------------------------------------------------

test('check --fix writes an id holding &amp; escaped, and keeps the line breaks of a multi-line CRLF element text', () => {
  const original = policy(
    'B2C_1A_Base',
    `  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="a&amp;b">
        <DisplayName>A and B</DisplayName>
        <DataType>string</DataType>
      </ClaimType>
      <ClaimType Id="email">
        <DisplayName>Email</DisplayName>
        <DataType>string</DataType>
      </ClaimType>
    </ClaimsSchema>
  </BuildingBlocks>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="TP">
          <DisplayName>TP</DisplayName>
          <Protocol Name="None" />
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="A&amp;B" />
          </OutputClaims>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
  <UserJourneys>
    <UserJourney Id="J">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="ClaimsExchange">
          <Preconditions>
            <Precondition Type="ClaimsExist" ExecuteActionsIf="true">
              <Value>
                Email
              </Value>
              <Action>SkipThisOrchestrationStep</Action>
            </Precondition>
          </Preconditions>
          <ClaimsExchanges>
            <ClaimsExchange Id="X" TechnicalProfileReferenceId="TP" />
          </ClaimsExchanges>
        </OrchestrationStep>
      </OrchestrationSteps>
    </UserJourney>
  </UserJourneys>`,
  ).replace(/\n/g, '\r\n');
  const dir = workspace({ 'Base.xml': original });
  const r = run(['check', dir, '--fix', '--format', 'json']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const expected = original
    .replace('ClaimTypeReferenceId="A&amp;B"', 'ClaimTypeReferenceId="a&amp;b"')
    .replace('<Value>\r\n                Email\r\n              </Value>', '<Value>\r\n                email\r\n              </Value>');
  assert.notEqual(expected, original);
  assert.equal(fs.readFileSync(path.join(dir, 'Base.xml'), 'utf8'), expected);
  assert.ok(!codes(r).includes('id-case-mismatch'), 'both fixed');
});

// ---- reads ------------------------------------------------------------------------------------------------------

test('a FIFO and a symbolic link to /dev/zero are refused at once (exit 2, named on stderr), as policies and as --schema; the other files are still checked', { skip: process.platform === 'win32' ? 'POSIX only' : false }, () => {
  const dir = workspace({ 'Base.xml': KEY_BASE });
  const made = spawnSync('mkfifo', [path.join(dir, 'pipe.xml')]);
  if (made.status !== 0) return assert.fail(`mkfifo failed: ${made.stderr}`);
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero.xml'));
  const folder = run(['check', dir, '--format', 'json']);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /pipe\.xml: not a regular file: not read/);
  assert.match(folder.stderr, /zero\.xml: symbolic link to \/dev\/zero, outside the checked folders: not read/);
  assert.deepEqual(codes(folder), ['policy-key-prefix'], 'Base.xml is still checked');
  for (const name of ['pipe.xml', 'zero.xml']) {
    const direct = run(['check', path.join(dir, name)]);
    assert.equal(direct.code, 2, name);
    assert.match(direct.stderr, new RegExp(`${name.replace('.', '\\.')}: not a regular file: not read`));
    // The same reader takes a schema file (--schema, or the editor's b2cPolicy.schema setting).
    const schema = run(['check', '--schema', path.join(dir, name), path.join(dir, 'Base.xml')]);
    assert.equal(schema.code, 2, `--schema ${name}`);
    assert.equal(schema.stdout, '');
    assert.match(schema.stderr, new RegExp(`^b2c-policy: .*${name.replace('.', '\\.')}: not a regular file: not read\\n$`));
  }
});

test('an unreadable file is named on stderr with exit 2 while the others are checked and reported', { skip: needsPermissions }, () => {
  const dir = workspace({ 'A.xml': KEY_BASE, 'B.xml': policy('B2C_1A_B', '  <BuildingBlocks />') });
  openToUnprivileged(dir);
  fs.chmodSync(path.join(dir, 'B.xml'), 0o000);
  const r = run(['check', dir], { uid: UNPRIVILEGED_UID });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `b2c-policy: ${path.join(dir, 'B.xml')}: cannot read: permission denied\n`);
  assert.match(r.stdout, /A\.xml:\d+:\d+: error policy-key-prefix/);
  assert.match(r.stdout, /^1 policy file checked: 1 error/m);
});

// ---- encodings -------------------------------------------------------------------------------------------------

test('UTF-16 LE and BE policies (with BOM) are checked like UTF-8 ones; a declared ISO-8859-1 encoding is honoured; an undecodable file is one finding', () => {
  const utf8 = json(run(['check', workspace({ 'Base.xml': KEY_BASE }), '--format', 'json'])).files[0].diagnostics;
  assert.equal(utf8.length, 1);
  for (const endian of ['le', 'be'] as const) {
    const r = run(['check', workspace({ 'Base.xml': utf16(KEY_BASE.replace('encoding="utf-8"', 'encoding="utf-16"'), endian) }), '--format', 'json']);
    assert.equal(r.code, 1, endian + r.stderr);
    assert.deepEqual(json(r).files[0].diagnostics, utf8, endian);
  }
  const latin1 = policy('B2C_1A_RP', '  <RelyingParty>\n    <DefaultUserJourney ReferenceId="Inscrição" />\n  </RelyingParty>').replace('encoding="utf-8"', 'encoding="ISO-8859-1"');
  const r = run(['check', workspace({ 'RP.xml': latin1Bytes(latin1) }), '--format', 'json']);
  const unresolved = json(r).files[0].diagnostics.find((d) => d.code === 'unresolved-reference');
  assert.ok(unresolved, r.stdout);
  assert.match(unresolved.message, /'Inscrição'/);
  const line = latin1.split('\n').findIndex((l) => l.includes('Inscrição'));
  assert.deepEqual(unresolved.range.start, { line, character: latin1.split('\n')[line].indexOf('Inscrição') });
  const ascii = new TextEncoder().encode(KEY_BASE);
  const broken = new Uint8Array(ascii.length + 1);
  broken.set(ascii.subarray(0, 60));
  broken[60] = 0xe9;
  broken.set(ascii.subarray(60), 61);
  const bad = run(['check', workspace({ 'Broken.xml': broken }), '--format', 'json']);
  assert.equal(bad.code, 1);
  assert.deepEqual(json(bad).files.map((f) => [path.basename(f.path), f.diagnostics.map((d) => d.code)]), [['Broken.xml', ['file-not-checked']]]);
  assert.match(json(bad).files[0].diagnostics[0].message, /not valid UTF-8: byte 0xE9 at offset 60 \(line 2\)/);
});

test('check --fix writes a file back in its own encoding and byte-order mark; an edit the encoding cannot hold writes nothing', () => {
  const fixedText = (text: string) => text.replace('"TokenSigningKeyContainer"', '"B2C_1A_TokenSigningKeyContainer"');
  const utf16Text = KEY_BASE.replace('encoding="utf-8"', 'encoding="utf-16"');
  for (const endian of ['le', 'be'] as const) {
    const dir = workspace({ 'Base.xml': utf16(utf16Text, endian) });
    const r = run(['check', dir, '--fix']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(fileHex(path.join(dir, 'Base.xml')), hex(utf16(fixedText(utf16Text), endian)), endian);
  }
  const latin1 = KEY_BASE.replace('encoding="utf-8"', 'encoding="iso-8859-1"').replace('<DisplayName>Keys</DisplayName>', '<DisplayName>Clés</DisplayName>');
  const dir = workspace({ 'Base.xml': latin1Bytes(latin1) });
  assert.equal(run(['check', dir, '--fix']).code, 0);
  assert.equal(fileHex(path.join(dir, 'Base.xml')), hex(latin1Bytes(fixedText(latin1))));

  // The id-case fix would write 'é' into a US-ASCII file: refused, and neither file changes.
  const base = policy('B2C_1A_Base', '  <BuildingBlocks>\n    <ClaimsSchema>\n      <ClaimType Id="prénom">\n        <DisplayName>Prénom</DisplayName>\n        <DataType>string</DataType>\n      </ClaimType>\n    </ClaimsSchema>\n  </BuildingBlocks>');
  const rp = policy(
    'B2C_1A_RP',
    '  <ClaimsProviders>\n    <ClaimsProvider>\n      <DisplayName>P</DisplayName>\n      <TechnicalProfiles>\n        <TechnicalProfile Id="TP-Prefix">\n          <DisplayName>P</DisplayName>\n          <Protocol Name="None" />\n          <CryptographicKeys>\n            <Key Id="k" StorageReferenceId="SigningKey" />\n          </CryptographicKeys>\n          <OutputClaims>\n            <OutputClaim ClaimTypeReferenceId="PR&#xC9;NOM" />\n          </OutputClaims>\n        </TechnicalProfile>\n      </TechnicalProfiles>\n    </ClaimsProvider>\n  </ClaimsProviders>',
    'B2C_1A_Base',
  ).replace('encoding="utf-8"', 'encoding="us-ascii"');
  const ascii = workspace({ 'Base.xml': base, 'RP.xml': rp });
  const refused = run(['check', ascii, '--fix']);
  assert.equal(refused.code, 2);
  const line = rp.split('\n').findIndex((l) => l.includes('PR&#xC9;NOM'));
  const column = rp.split('\n')[line].indexOf('PR&#xC9;NOM') + 3;
  assert.match(refused.stderr, new RegExp(`^b2c-policy: .*RP\\.xml: 'é' \\(U\\+00E9\\) at line ${line + 1}, column ${column} cannot be written in us-ascii, the file's encoding: write it as a character reference \\(&#xE9;\\) or save the file as UTF-8; nothing was written\\n$`));
  assert.equal(fs.readFileSync(path.join(ascii, 'RP.xml'), 'utf8'), rp, 'the key prefix fix of the same file is not written either');
  assert.equal(fs.readFileSync(path.join(ascii, 'Base.xml'), 'utf8'), base);
});

test('build reads its inputs with the policy reader and stops on one not stored as UTF-8 (it writes UTF-8 only)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-rb-build-'));
  fs.cpSync(path.join(PROJECT_DIR, 'test', 'fixtures', 'environments', 'policies'), root, { recursive: true });
  fs.writeFileSync(path.join(root, 'Wide.xml'), utf16('<?xml version="1.0" encoding="utf-16"?><x>{Settings:Tenant}</x>', 'le'));
  const r = run(['build', '--root', root, '--env', 'Dev']);
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stderr, /^b2c-policy: '.*Wide\.xml' is not UTF-8 text: it is stored as UTF-16LE, and the build writes UTF-8 only; save it as UTF-8\n$/);
  assert.ok(!fs.existsSync(path.join(root, 'Environments', 'Dev', 'Wide.xml')));
});

// ---- all or nothing ---------------------------------------------------------------------------------------------

test('check --fix with a read-only second file: exit 2, the message names it, the first file is byte-identical', { skip: needsPermissions }, () => {
  const dir = workspace({ 'A.xml': KEY_BASE, 'B.xml': KEY_BASE.replace(/B2C_1A_Base/g, 'B2C_1A_Other') });
  openToUnprivileged(dir);
  fs.chmodSync(path.join(dir, 'B.xml'), 0o444);
  const before = fs.readFileSync(path.join(dir, 'A.xml'));
  const r = run(['check', dir, '--fix'], { uid: UNPRIVILEGED_UID });
  assert.equal(r.code, 2, r.stdout);
  assert.equal(r.stderr, `b2c-policy: cannot write ${path.join(dir, 'B.xml')}: permission denied; no file was changed\n`);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'A.xml')), before);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['A.xml', 'B.xml'], 'no temporary file left behind');
});

test('add-claims-provider with a read-only relying party: exit 2, the message names it, the Extensions file is byte-identical', { skip: needsPermissions }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-rb-add-'));
  fs.cpSync(path.join(PROJECT_DIR, 'test', 'fixtures', 'e2e-ws'), dir, { recursive: true });
  openToUnprivileged(dir);
  const rp = path.join(dir, 'SignUpOrSignin.xml');
  const ext = path.join(dir, 'TrustFrameworkExtensions.xml');
  fs.chmodSync(rp, 0o444);
  const before = fs.readFileSync(ext);
  const r = run(['add-claims-provider', 'amazon', '--client-id', 'amzn1.application-oa2-client.1', '--relying-party', rp, ext], { uid: UNPRIVILEGED_UID });
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stderr, new RegExp(`^b2c-policy: cannot write ${rp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: permission denied; no file was changed\\n$`));
  assert.deepEqual(fs.readFileSync(ext), before);
});

// ---- output injection -------------------------------------------------------------------------------------------

test('text output: a &#10; in a policy value or a newline in a file name never starts a line (no "::error" command); JSON keeps the raw text', () => {
  const injected = policy('B2C_1A_RP', '  <RelyingParty>\n    <DefaultUserJourney ReferenceId="J&#10;::error file=x.yml,line=1::injected" />\n  </RelyingParty>');
  const dir = workspace({ 'RP.xml': injected, 'Base\n::error file=y::named.xml': KEY_BASE });
  const r = run(['check', dir]);
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.filter((l) => l.startsWith('::')).length, 0, r.stdout);
  assert.ok(lines.some((l) => l.includes("'J\\n::error file=x.yml,line=1::injected'")), r.stdout);
  assert.ok(lines.some((l) => l.includes('Base\\n::error file=y::named.xml:')), r.stdout);
  assert.equal(lines.length, 3, 'two findings and the footer');
  const raw = json(run(['check', dir, '--format', 'json']));
  assert.ok(raw.files.some((f) => f.path.endsWith('Base\n::error file=y::named.xml')));
  assert.ok(raw.files.some((f) => f.diagnostics.some((d) => d.message.includes("'J\n::error file=x.yml,line=1::injected'"))));
});

// ---- nothing skipped silently -----------------------------------------------------------------------------------

test('symbolic links inside the checked folder are followed (to a file and to a folder), so the chain resolves', { skip: process.platform === 'win32' ? 'symlinks' : false }, () => {
  const rp = policy('B2C_1A_RP', '  <RelyingParty>\n    <DefaultUserJourney ReferenceId="J" />\n  </RelyingParty>', 'B2C_1A_Base');
  const journey = policy('B2C_1A_Base', '  <UserJourneys>\n    <UserJourney Id="J">\n      <OrchestrationSteps>\n        <OrchestrationStep Order="1" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="TP" />\n      </OrchestrationSteps>\n    </UserJourney>\n  </UserJourneys>');
  const dir = workspace({ 'app/RP.xml': rp, '.shared/Base.xml': journey, '.packs/v1/RP2.xml': rp.replace(/B2C_1A_RP/g, 'B2C_1A_RP2') });
  fs.symlinkSync(path.join(dir, '.shared', 'Base.xml'), path.join(dir, 'app', 'Base.xml'));
  fs.symlinkSync(path.join(dir, '.packs', 'v1'), path.join(dir, 'app', 'v1'));
  // Dot-folders are not walked: the two files there are found through the links only.
  const r = run(['check', dir, '--format', 'json']);
  assert.equal(r.stderr, '');
  const found = json(r).files.map((f) => path.relative(dir, f.path)).sort();
  assert.deepEqual(found, [path.join('app', 'Base.xml'), path.join('app', 'RP.xml'), path.join('app', 'v1', 'RP2.xml')]);
  assert.ok(!codes(r).includes('unresolved-base-policy'), r.stdout);
});

test('`--` ends the options: a path that starts with a dash is checked', () => {
  const dir = workspace({ '-Base.xml': KEY_BASE });
  const r = run(['check', '--format', 'json', '--', '-Base.xml'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(json(r).files.map((f) => [f.path, f.diagnostics.map((d) => d.code)]), [['-Base.xml', ['policy-key-prefix']]]);
});

test('add-claims-provider: messages name files by path (no file://...%20 URIs); a relying party as EXTENSIONS_FILE is refused, nothing written', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-rb add-'));
  fs.cpSync(path.join(PROJECT_DIR, 'test', 'fixtures', 'e2e-ws'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'not a policy.xml'), '<project />');
  const notPolicy = run(['add-claims-provider', 'amazon', '--client-id', 'x', path.join(dir, 'not a policy.xml')]);
  assert.equal(notPolicy.code, 2);
  assert.equal(notPolicy.stderr, 'b2c-policy: not a policy.xml is not a policy file.\n');
  const before = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(dir, e.name), 'utf8'));
  const rp = run(['add-claims-provider', 'amazon', '--client-id', 'x', path.join(dir, 'SignUpOrSignin.xml')]);
  assert.equal(rp.code, 2);
  assert.equal(rp.stderr, 'b2c-policy: SignUpOrSignin.xml is a relying-party policy; add the provider to the Extensions file it builds on (TrustFrameworkExtensions.xml).\n');
  assert.deepEqual(fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(dir, e.name), 'utf8')), before);
});

// ---- secrets never printed --------------------------------------------------------------------------------------

test('a secret typed into StorageReferenceId is reported and never printed, in any format', () => {
  // Made up for this test; shaped like a Microsoft Entra client secret.
  const secret = ['Zq7', '8Q~', 'vN3kLm0pQr5sTu9wXy2zAb4cDe6fGh8iJk'].join('');
  const dir = workspace({ 'Base.xml': KEY_BASE.replace('TokenSigningKeyContainer', secret) });
  for (const format of ['text', 'json', 'sarif']) {
    const r = run(['check', dir, '--format', format]);
    assert.equal(r.code, 1, format);
    assert.ok(r.stdout.includes('secret-in-policy'), format);
    assert.ok(!r.stdout.includes(secret.slice(0, 12)) && !r.stdout.includes(secret.slice(-12)), `${format} output shows the secret`);
    assert.ok(!r.stdout.includes('policy-key-prefix'), format);
  }
});

/**
 * The "current" schema: the official grammar plus later additions documented by Microsoft
 * (schemas/TrustFrameworkPolicy_0.3.0.0.additions.xml), listed in schemas/README.md.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadBundledSchema, validateDocument, type CompiledSchema } from '../../server/src/service/schema';
import { readAdditions } from '../../server/src/service/schema/additions';
import { ADDITIONS_FILE } from '../../server/src/service/schema/precompile';
import { parseXml } from '../../server/src/service/xml';
import { PROJECT_DIR } from '../helpers/corpus';

/**
 * Microsoft's CAPTCHA how-to, as its pages write it (add-captcha.md, display-control-captcha.md,
 * captcha-technical-profile.md): the claims, the CAPTCHA display control, the two CAPTCHA technical
 * profiles, and a sign-up profile that turns CAPTCHA on and shows the control. A fixture written by the project.
 */
const CAPTCHA_POLICY = fs.readFileSync(path.join(PROJECT_DIR, 'test', 'fixtures', 'schema-captcha-howto.xml'), 'utf8');

function findings(schema: CompiledSchema, text: string) {
  return validateDocument(schema, parseXml(text), { throwInternalErrors: true }).map((f) => ({ code: f.code, at: text.slice(f.span.start, f.span.end), data: f.data }));
}

test("Microsoft's CAPTCHA how-to is clean under the current schema", () => {
  assert.deepEqual(findings(loadBundledSchema('current'), CAPTCHA_POLICY), []);
});

test('under the official schema the CAPTCHA how-to gets exactly the two known errors: CaptchaControl and DisplayName', () => {
  const found = findings(loadBundledSchema('official'), CAPTCHA_POLICY);
  assert.deepEqual(
    found.map((f) => [f.code, f.at]),
    [
      ['schema-invalid-value', 'CaptchaControl'],
      ['schema-unknown-attribute', 'DisplayName'],
    ],
  );
  assert.deepEqual(found[0].data!.allowed, ['VerificationControl', 'QrCodeControl', 'AuthenticatorInfoControl', 'AuthenticatorAppIconControl']);
  assert.deepEqual(found[1].data!.allowed, ['Id', 'UserInterfaceControlType']);
});

test('the current schema documents each addition for hover and completion', () => {
  const current = loadBundledSchema('current');
  const displayControl = current.complexTypes.get('DisplayControl')!;
  const displayName = displayControl.attributes.get('DisplayName')!;
  assert.equal(displayName.required, false);
  assert.match(displayName.documentation ?? '', /title shown with the control/);
  const controlTypes = current.simpleTypes.get('UserInterfaceControlType')!.enumeration!;
  assert.deepEqual(controlTypes.map((e) => e.value), ['VerificationControl', 'QrCodeControl', 'AuthenticatorInfoControl', 'AuthenticatorAppIconControl', 'CaptchaControl']);
  assert.match(controlTypes[4].documentation ?? '', /setting\.enableCaptchaChallenge/);
  // Nothing else differs: the rest of the official grammar is untouched.
  const official = loadBundledSchema('official');
  assert.deepEqual([...official.complexTypes.get('DisplayControl')!.attributes.keys(), 'DisplayName'], [...displayControl.attributes.keys()]);
  assert.deepEqual([...official.complexTypes.keys()], [...current.complexTypes.keys()]);
  assert.deepEqual([...official.simpleTypes.keys()], [...current.simpleTypes.keys()]);
});

test('schemas/README.md lists every addition with its documentation page, and nothing else', () => {
  const additions = readAdditions(fs.readFileSync(path.join(PROJECT_DIR, ADDITIONS_FILE), 'utf8'));
  assert.ok(additions.length >= 2);
  const readme = fs.readFileSync(path.join(PROJECT_DIR, 'schemas', 'README.md'), 'utf8');
  const rows = readme.split('\n').filter((line) => /^\| `[a-z0-9-]+` \|/.test(line));
  assert.deepEqual(
    rows.map((row) => /^\| `([a-z0-9-]+)` \|/.exec(row)![1]),
    additions.map((a) => a.id),
  );
  for (const [i, a] of additions.entries()) {
    assert.ok(rows[i].includes(a.source.replace('articles/active-directory-b2c/', '')), `row of ${a.id} names ${a.source}`);
  }
});

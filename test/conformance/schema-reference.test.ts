/**
 * The schema compiler and validator on Microsoft's own files (../shared: the official XSD and the starter
 * pack). Skips visibly without them; unit tests use the project's schemas/ only.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { compileSchema, SchemaCompileError, validateDocument } from '../../server/src/service/schema';
import { parseXml } from '../../server/src/service/xml';
import { corpusFiles, needsCorpus, needsReference, readText, CORPUS_DIR, REFERENCE_DIR } from '../helpers/corpus';

const REPAIRED = path.join(REFERENCE_DIR, 'TrustFrameworkPolicy_0.3.0.0.repaired.xsd');
const ORIGINAL = path.join(REFERENCE_DIR, 'TrustFrameworkPolicy_0.3.0.0.xsd');

test('every starter-pack file validates with zero findings against the repaired official XSD', { skip: needsCorpus || needsReference }, () => {
  const schema = compileSchema(fs.readFileSync(REPAIRED, 'utf8'));
  const files = corpusFiles();
  assert.equal(files.length, 57);
  for (const file of files) {
    const findings = validateDocument(schema, parseXml(readText(file)), { throwInternalErrors: true });
    assert.deepEqual(findings.map((f) => f.message), [], path.relative(CORPUS_DIR, file));
  }
});

test("compiles Microsoft's original XSD with anchoredPatterns, reading ^...$ as anchors and \\/ as /", { skip: needsReference }, () => {
  const text = fs.readFileSync(ORIGINAL, 'utf8');
  const schema = compileSchema(text, { anchoredPatterns: true });
  const contentUri = schema.simpleTypes.get('ContentUriTYPE')!;
  const matches = (value: string) => contentUri.patterns.every((group) => group.some((p) => p.test(value)));
  assert.equal(matches('~/tenant/default/unified.html'), true);
  assert.equal(matches('https://login.contoso.com/page.html'), true);
  assert.equal(matches('urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:2.1.5'), true);
  assert.equal(matches('ftp://example.com/x'), false);
  // Without the option, `\/` is no legal XSD escape: the compiler says where.
  assert.throws(
    () => compileSchema(text),
    (error: unknown) => error instanceof SchemaCompileError && error.line === 3689 && /'\\\/' is not a legal escape/.test(error.message),
  );
});

/**
 * The bundled schemas on Microsoft's starter pack (../shared; skips visibly without it): every pack has no
 * schema finding and no error under both "current" and "official", and libxml2 compiles the current XSD (official + additions) and
 * agrees with our verdicts.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadBundledSchema, validateDocument } from '../../server/src/service/schema';
import { applyAdditions } from '../../server/src/service/schema/additions';
import { ADDITIONS_FILE, OFFICIAL_XSD_FILE } from '../../server/src/service/schema/precompile';
import { parseXml } from '../../server/src/service/xml';
import { corpusFiles, corpusPacks, needsCorpus, readText, CORPUS_DIR, PROJECT_DIR } from '../helpers/corpus';
import { serviceForFiles } from '../helpers/service';

const MAIN_PACKS = corpusPacks().filter((p) => !p.startsWith('scenario-'));
const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), 'utf8');
const CAPTCHA_POLICY = read(path.join('test', 'fixtures', 'schema-captcha-howto.xml'));

for (const name of ['current', 'official'] as const) {
  test(`the eight starter packs have no schema finding and no error under the ${name} schema`, { skip: needsCorpus }, () => {
    assert.equal(MAIN_PACKS.length, 8);
    const schema = loadBundledSchema(name);
    for (const pack of MAIN_PACKS) {
      const dir = path.join(CORPUS_DIR, pack);
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => path.join(dir, f));
      const { service, uris } = serviceForFiles(files);
      service.configure({}, schema);
      for (const uri of uris) {
        const bad = service.findings(uri).filter((f) => f.severity === 'error' || f.code.startsWith('schema-'));
        assert.deepEqual(bad.map((f) => `${f.code}: ${f.message}`), [], `${pack}/${path.basename(uri)} (${name})`);
      }
    }
  });
}

// libxml2-wasm is an ES module; a CommonJS test loads it with a real dynamic import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

test('libxml2 compiles the current XSD and agrees: the corpus and the CAPTCHA how-to are valid; official rejects the how-to', { skip: needsCorpus }, async () => {
  const lx = await importEsm('libxml2-wasm');
  const verdicts = (xsdText: string, texts: string[]) => {
    const xsdDoc = lx.XmlDocument.fromString(xsdText);
    const validator = lx.XsdValidator.fromDoc(xsdDoc);
    try {
      return texts.map((text) => {
        const doc = lx.XmlDocument.fromString(text);
        try {
          validator.validate(doc);
          return true;
        } catch (error) {
          if (error instanceof lx.XmlValidateError) return false;
          throw error;
        } finally {
          doc.dispose();
        }
      });
    } finally {
      validator.dispose();
      xsdDoc.dispose();
    }
  };
  const official = read(OFFICIAL_XSD_FILE);
  const currentXsd = applyAdditions(official, read(ADDITIONS_FILE));
  const corpus = corpusFiles().map(readText);
  assert.deepEqual(verdicts(currentXsd, [...corpus, CAPTCHA_POLICY]), [...corpus.map(() => true), true]);
  assert.deepEqual(verdicts(official, [CAPTCHA_POLICY]), [false]);
  // Ours agrees with libxml2 on the how-to under both schemas.
  assert.equal(validateDocument(loadBundledSchema('current'), parseXml(CAPTCHA_POLICY)).length, 0);
  assert.equal(validateDocument(loadBundledSchema('official'), parseXml(CAPTCHA_POLICY)).length, 2);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { ENVIRONMENTS, FILE_NAMES, TEXTS, uriOf, type FileKey } from './navigation-fixture';

const entries = ENVIRONMENTS.flatMap((env) => (Object.keys(FILE_NAMES) as FileKey[]).map((key) => ({ uri: uriOf(key, env), text: TEXTS[key] })));

test('setDiskFiles loads a batch like one setDiskFile per file: same affected uris, same findings, same navigation', () => {
  const one = new PolicyLanguageService();
  const affectedOne = new Set(entries.flatMap((e) => one.setDiskFile(e.uri, e.text)));
  const batch = new PolicyLanguageService();
  const affectedBatch = batch.setDiskFiles(entries);
  assert.deepEqual([...affectedBatch].sort(), [...affectedOne].sort());
  assert.equal(affectedBatch.length, entries.length);
  for (const { uri } of entries) {
    assert.deepEqual(batch.findings(uri), one.findings(uri));
    assert.deepEqual(batch.documentSymbols(uri), one.documentSymbols(uri));
  }
  // A second batch with one changed file reports that file and the files whose chain contains it.
  const changed = batch.setDiskFiles([{ uri: uriOf('Extensions'), text: TEXTS.Extensions.replace('Ext-Profile', 'Ext-Profile2') }]);
  assert.deepEqual(changed.sort(), [uriOf('RP'), uriOf('Base'), uriOf('Extensions'), uriOf('Localization')].sort());
});

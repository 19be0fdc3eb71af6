import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findXmlFiles } from '../../server/src/node/workspaceFiles';

test('the walker with environments: appsettings.json files reported (any case), output folders of environments files not entered', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-walk-'));
  const write = (relative: string, text = '<x/>') => {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), text);
  };
  try {
    write('a/appSettings.json', '{ "EnvironmentsFolder": "Out/Built", "Environments": [{ "Name": "Dev" }] }');
    write('a/P.xml');
    write('a/Out/Built/Dev/P.xml');
    write('a/Out/Kept.xml');
    write('a/Environments/P.xml');
    // An ASP.NET appsettings.json: reported (the service ignores it), its Environments folder is a plain folder.
    write('web/appsettings.json', '{ "Logging": {} }');
    write('web/Environments/P.xml');
    const relative = (files: Array<{ absolute: string }>) => files.map((f) => path.relative(dir, f.absolute).split(path.sep).join('/'));
    const walked = findXmlFiles([{ absolute: dir, display: dir }], { environments: true });
    assert.deepEqual(relative(walked.settingsFiles), ['a/appSettings.json', 'web/appsettings.json']);
    assert.deepEqual(relative(walked.files), ['a/Environments/P.xml', 'a/Out/Kept.xml', 'a/P.xml', 'web/Environments/P.xml']);
    // Without the option (the CLI): every XML file, no settings files.
    const plain = findXmlFiles([{ absolute: dir, display: dir }]);
    assert.deepEqual(relative(plain.files), ['a/Environments/P.xml', 'a/Out/Built/Dev/P.xml', 'a/Out/Kept.xml', 'a/P.xml', 'web/Environments/P.xml']);
    assert.deepEqual(plain.settingsFiles, []);
    // A path given explicitly is always walked, even an output folder.
    assert.deepEqual(relative(findXmlFiles([{ absolute: path.join(dir, 'a/Out/Built'), display: 'x' }], { environments: true }).files), ['a/Out/Built/Dev/P.xml']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { findSettingsRoots } from '../../server/src/node/settingsRoots';
import { PROJECT_DIR } from '../helpers/corpus';
import { policy } from '../helpers/policies';

const CLI = path.join(PROJECT_DIR, 'dist', 'cli.js');

function check(dir: string, args: string[] = []): Array<{ path: string; codes: string[] }> {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return JSON.parse(r.stdout).files.map((f: { path: string; diagnostics: Array<{ code: string }> }) => ({ path: f.path, codes: f.diagnostics.map((d) => d.code) }));
}

test('check: the placeholder tenant is an information finding (exit 0), except below a folder with an appsettings.json', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-limits-'));
  fs.mkdirSync(path.join(dir, 'plain'));
  fs.mkdirSync(path.join(dir, 'templated', 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'plain', 'Base.xml'), policy('B2C_1A_Base', '  <BuildingBlocks />'));
  fs.writeFileSync(path.join(dir, 'templated', 'AppSettings.json'), '{ "Environments": [] }');
  fs.writeFileSync(path.join(dir, 'templated', 'src', 'Base.xml'), policy('B2C_1A_Base', '  <BuildingBlocks />'));
  assert.deepEqual(check(dir, ['.']), [
    { path: path.join('plain', 'Base.xml'), codes: ['placeholder-tenant'] },
    { path: path.join('templated', 'src', 'Base.xml'), codes: [] },
  ]);
  // The appsettings.json above the checked folder is outside what was given: not looked at.
  assert.deepEqual(check(path.join(dir, 'templated'), ['src']), [{ path: path.join('src', 'Base.xml'), codes: ['placeholder-tenant'] }]);
  assert.deepEqual(findSettingsRoots([path.join(dir, 'templated', 'src', 'Base.xml')], [path.join(dir, 'templated', 'src', 'Base.xml')]), []);
  assert.deepEqual(findSettingsRoots([path.join(dir, 'templated', 'src', 'Base.xml')], [dir]), [pathToFileURL(path.join(dir, 'templated')).href]);
});

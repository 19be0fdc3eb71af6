import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { CLIENT_ONLY_SETTINGS, ConfigurationSection, DEFAULT_CLIENT_SETTINGS } from '../../server/src/protocol';
import { parseClientSettings } from '../../server/src/lsp/settings';
import { PROJECT_DIR } from '../helpers/corpus';

const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'package.json'), 'utf8'));

test('settings are declared once: package.json contributes exactly the keys and defaults of protocol.ts', () => {
  const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown }>;
  const declared = Object.keys(properties).filter((k) => k !== `${ConfigurationSection}.trace.server`).sort();
  const all: Record<string, unknown> = { ...DEFAULT_CLIENT_SETTINGS, ...CLIENT_ONLY_SETTINGS };
  assert.deepEqual(declared, Object.keys(all).map((k) => `${ConfigurationSection}.${k}`).sort());
  for (const [key, value] of Object.entries(all)) assert.deepEqual(properties[`${ConfigurationSection}.${key}`].default, value, key);
});

test('client settings of the wrong type fall back to the defaults, one by one', () => {
  const parsed = parseClientSettings({ validateWorkspace: 'no', policyKeys: ['B2C_1A_A', 3], schemaPath: 7, codeLens: false });
  assert.equal(parsed.validateWorkspace, true);
  assert.deepEqual(parsed.policyKeys, ['B2C_1A_A']);
  assert.equal(parsed.schemaPath, '');
  assert.equal(parsed.codeLens, false);
  assert.deepEqual(parsed.templateTokens, DEFAULT_CLIENT_SETTINGS.templateTokens);
  assert.deepEqual(parseClientSettings(null), DEFAULT_CLIENT_SETTINGS);
});

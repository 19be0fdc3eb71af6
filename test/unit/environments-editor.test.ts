import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { MarkupContent, TextEdit } from 'vscode-languageserver-types';
import {
  checkSettingsTokens,
  environmentFindingsForFile,
  nearestSettingsRoot,
  parseAppSettings,
  relativePathInRoot,
  resolveEnvironment,
  settingsCompletions,
  settingsHover,
  type EnvironmentCheck,
  type SettingsContext,
  type SourceFile,
} from '../../server/src/service/environments';
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { LineIndex } from '../../server/src/service/xml/lines';
import { policy } from '../helpers/policies';

const ROOT = 'file:///work/repo/policies';

function context(environments: unknown[]): SettingsContext {
  const { settings } = parseAppSettings(JSON.stringify({ Environments: environments }));
  return { settings, rootUri: ROOT };
}

const ENVIRONMENTS = [
  { Name: 'Dev', Tenant: 'dev.onmicrosoft.com', PolicySettings: { FacebookAppId: '111', ApiUrl: 'https://dev|api' } },
  { Name: 'Test', Tenant: 'test.onmicrosoft.com', Exclude: ['drafts'], PolicySettings: { FacebookAppId: '222' } },
  { Name: 'Prod', Production: true, PolicySettings: { FacebookAppId: '333' } },
];

test('undefined-setting: a warning on the token naming the environments that lack it; excluded files and outputs are not checked', () => {
  const ctx = context(ENVIRONMENTS);
  const text = '<x a="{Settings:ApiUrl}" b="{Settings:FacebookAppId}" c="{Settings:Tenant}" d="{settings:filename}" e="{Settings:Nope}"/>';
  const findings = checkSettingsTokens(text, `${ROOT}/SignUp.xml`, ctx);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, text.slice(f.span.start, f.span.end), f.data]),
    [
      ['undefined-setting', 'warning', '{Settings:ApiUrl}', { key: 'ApiUrl', environments: ['Test', 'Prod'] }],
      ['undefined-setting', 'warning', '{Settings:Tenant}', { key: 'Tenant', environments: ['Prod'] }],
      ['undefined-setting', 'warning', '{Settings:Nope}', { key: 'Nope', environments: ['Dev', 'Test', 'Prod'] }],
    ],
  );
  assert.equal(findings[0].message, "{Settings:ApiUrl} has no value in environments 'Test', 'Prod': the build of those environments fails.");
  assert.equal(findings[2].message, '{Settings:Nope} has no value in any environment (Dev, Test, Prod): the build of those environments fails.');
  // Test does not build drafts/: only Prod lacks the tenant there; nothing outside the root or in the outputs.
  assert.deepEqual(checkSettingsTokens('{Settings:ApiUrl}', `${ROOT}/drafts/a.xml`, ctx)[0].data, { key: 'ApiUrl', environments: ['Prod'] });
  assert.deepEqual(checkSettingsTokens('{Settings:Nope}', `${ROOT}/Environments/Dev/a.xml`, ctx), []);
  assert.deepEqual(checkSettingsTokens('{Settings:Nope}', 'file:///work/repo/other/a.xml', ctx), []);
});

test('completion after {Settings: offers the built-ins and every key, replacing what was typed and the closing brace', () => {
  const ctx = context(ENVIRONMENTS);
  const text = '<Item Key="client_id">{Settings:Fa}</Item>';
  const offset = text.indexOf('Fa}') + 2;
  const items = settingsCompletions(text, offset, `${ROOT}/Ext.xml`, ctx);
  assert.deepEqual(items.map((i) => i.label), ['Tenant', 'Filename', 'PolicyFilename', 'Environment', 'ApiUrl', 'FacebookAppId']);
  const facebook = items.find((i) => i.label === 'FacebookAppId')!;
  const edit = facebook.textEdit as TextEdit;
  const lines = new LineIndex(text);
  assert.equal(text.slice(lines.offsetAt(edit.range.start), lines.offsetAt(edit.range.end)), 'Fa}');
  assert.equal(edit.newText, 'FacebookAppId}');
  assert.equal(items.find((i) => i.label === 'ApiUrl')!.detail, 'Setting; not defined in Test, Prod');
  assert.match((facebook.documentation as MarkupContent).value, /\| Prod \(production\) \| `333` \|/);
  // Not after other text, nor inside a finished token's neighbour.
  assert.deepEqual(settingsCompletions('<a>{Set</a>', 7, `${ROOT}/Ext.xml`, ctx), []);
  assert.deepEqual(settingsCompletions('<a b="{Settings:"/>', 16, `${ROOT}/Ext.xml`, ctx).length, 6);
  const open = settingsCompletions('<a b="{Settings:"/>', 16, `${ROOT}/Ext.xml`, ctx)[0].textEdit as TextEdit;
  assert.deepEqual([open.range.start.character, open.range.end.character, open.newText], [16, 16, 'Tenant}']);
});

test('hover on a token: the value in each environment that builds the file, missing ones marked', () => {
  const ctx = context(ENVIRONMENTS);
  const text = '<x a="{Settings:ApiUrl}" b="{Settings:PolicyFilename}"/>';
  const hover = settingsHover(text, text.indexOf('ApiUrl'), `${ROOT}/B2C_1A_SignUp.xml`, ctx)!;
  assert.deepEqual(hover.range, { start: { line: 0, character: 6 }, end: { line: 0, character: 23 } });
  assert.equal(
    (hover.contents as MarkupContent).value,
    '**{Settings:ApiUrl}**\n\n| Environment | Value |\n| --- | --- |\n| Dev | `https://dev\\|api` |\n| Test | *not defined* |\n| Prod (production) | *not defined* |',
  );
  const builtIn = settingsHover(text, text.indexOf('PolicyFilename'), `${ROOT}/B2C_1A_SignUp.xml`, ctx)!;
  assert.match((builtIn.contents as MarkupContent).value, /without `B2C_1A_`[\s\S]*\| Dev \| `SignUp` \|/);
  assert.equal(settingsHover(text, 2, `${ROOT}/B2C_1A_SignUp.xml`, ctx), undefined);
});

test('roots: relative paths decoded, the nearest appsettings.json folder wins', () => {
  assert.equal(relativePathInRoot(ROOT, `${ROOT}/my%20folder/a.xml`), 'my folder/a.xml');
  assert.equal(relativePathInRoot(ROOT, 'file:///work/repo/policies2/a.xml'), undefined);
  assert.equal(nearestSettingsRoot(`${ROOT}/dev/a.xml`, ['file:///work/repo', ROOT, `${ROOT}/prod`]), ROOT);
});

test('findings of the resolved policies come back on the source token: a tenant spelled with capitals in two of three environments', () => {
  const settingsText = JSON.stringify({
    Environments: [
      { Name: 'Dev', Tenant: 'contosodev.onmicrosoft.com' },
      { Name: 'Test', Tenant: 'ContosoTest.onmicrosoft.com' },
      { Name: 'Prod', Tenant: 'CONTOSO.onmicrosoft.com' },
    ],
  });
  const { settings } = parseAppSettings(settingsText);
  const sourceText = policy('B2C_1A_Base', '  <BuildingBlocks />').replace(/yourtenant\.onmicrosoft\.com/g, '{Settings:Tenant}');
  const sources: SourceFile[] = [{ relativePath: 'Base.xml', text: sourceText, hadBom: false }];
  const sourceService = new PolicyLanguageService();
  sourceService.setDiskFile(`${ROOT}/Base.xml`, sourceText);
  const sourceFindings = sourceService.findings(`${ROOT}/Base.xml`);
  assert.deepEqual(sourceFindings.filter((f) => f.code === 'tenant-name-case'), []);

  const checks: EnvironmentCheck[] = settings.environments.map((environment) => {
    const resolved = resolveEnvironment(settings, environment, sources);
    const service = new PolicyLanguageService();
    const uriOf = (p: string) => `${ROOT}/${resolved.outputFolder}/${p}`;
    for (const f of resolved.files) service.setDiskFile(uriOf(f.relativePath), f.text);
    return { resolved, findingsByPath: new Map(resolved.files.map((f) => [f.relativePath, service.findings(uriOf(f.relativePath))])) };
  });
  const findings = environmentFindingsForFile('Base.xml', sourceFindings, checks).filter((f) => f.code === 'tenant-name-case');
  const tokens = [...sourceText.matchAll(/\{Settings:Tenant\}/g)].map((m) => m.index!);
  // One finding per token (TenantId and PublicPolicyUri), naming both environments that spell it with capitals.
  assert.deepEqual(
    findings.map((f) => [f.span.start, sourceText.slice(f.span.start, f.span.end), (f.data as { environments: string[] }).environments]),
    tokens.map((t) => [t, '{Settings:Tenant}', ['Test', 'Prod']]),
  );
  assert.equal(
    findings[0].message,
    "[Test] Tenant name 'ContosoTest' must be lowercase in host names: 'contosotest'. [Prod] Tenant name 'CONTOSO' must be lowercase in host names: 'contoso'.",
  );
  // The original data is kept aside, so a quick fix does not write a resolved tenant over the token.
  assert.equal((findings[0].data as Record<string, unknown>).fixed, undefined);
  assert.equal(((findings[0].data as { resolved: Record<string, unknown> }).resolved).fixed !== undefined, true);
});

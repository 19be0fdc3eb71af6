import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  DEFAULT_INCLUDE,
  folderNameProblem,
  compileGlob,
  environmentTakesFile,
  isCandidateFile,
  isGlobError,
  parseAppSettings,
  selectEnvironmentFiles,
  type CompiledGlob,
} from '../../server/src/service/environments';
import { PROJECT_DIR } from '../helpers/corpus';

/** The findings of a text as [code, severity, the text they cover, data.reason]. */
function findingsOf(text: string) {
  return parseAppSettings(text).findings.map((f) => [f.code, f.severity, text.slice(f.span.start, f.span.end), f.data?.reason]);
}

test('the format of Microsoft\'s extension: environments, tenant, settings as text; defaults for the optional fields', () => {
  const text = `{
  "Environments": [
    { "Name": "Dev", "Production": false, "Tenant": "contoso-dev.onmicrosoft.com",
      "PolicySettings": { "AppId": "1234", "Retries": 3, "Ratio": 1.50, "Enabled": true } },
    { "Name": "Prod", "Production": true, "Tenant": "contoso.onmicrosoft.com", "PolicySettings": {} }
  ]
}`;
  const { settings, findings, hasErrors } = parseAppSettings(text);
  assert.deepEqual(findings, []);
  assert.equal(hasErrors, false);
  assert.equal(settings.environmentsFolder, 'Environments');
  assert.deepEqual(settings.environments.map((e) => [e.name, e.production, e.tenant]), [
    ['Dev', false, 'contoso-dev.onmicrosoft.com'],
    ['Prod', true, 'contoso.onmicrosoft.com'],
  ]);
  // Numbers and booleans as JavaScript prints them (String.replace in Microsoft's extension does the same).
  assert.deepEqual(settings.environments[0].settings.map((s) => [s.key, s.value]), [['AppId', '1234'], ['Retries', '3'], ['Ratio', '1.5'], ['Enabled', 'true']]);
  assert.equal(text.slice(settings.environments[0].settings[1].valueSpan.start, settings.environments[0].settings[1].valueSpan.end), '3');
  assert.deepEqual(settings.environments[0].include.map((g) => g.pattern), ['**/*.xml']);
  assert.equal(text.slice(settings.environments[1].nameSpan.start, settings.environments[1].nameSpan.end), '"Prod"');
});

test('malformed JSON: appsettings-syntax at the exact position', () => {
  const text = '{"Environments": [{"Name": "Dev" "Tenant": "t"}]}';
  const findings = parseAppSettings(text).findings;
  assert.equal(findings[0].code, 'appsettings-syntax');
  assert.equal(findings[0].span.start, text.indexOf('"Tenant"'));
  assert.match(findings[0].message, /',' is expected/);
  assert.equal(parseAppSettings(text).hasErrors, true);
});

test('comments and trailing commas are read, with a warning on each (Microsoft\'s extension uses JSON.parse)', () => {
  const text = '{\n  // dev first\n  "Environments": [{"Name": "Dev", "PolicySettings": {"A": "1",}}, /* later */],\n}';
  const { settings, hasErrors } = parseAppSettings(text);
  assert.equal(hasErrors, false);
  assert.deepEqual(settings.environments[0].settings.map((s) => s.value), ['1']);
  assert.deepEqual(findingsOf(text), [
    ['appsettings-nonstandard-json', 'warning', '// dev first', undefined],
    ['appsettings-nonstandard-json', 'warning', ',', undefined],
    ['appsettings-nonstandard-json', 'warning', ',', undefined],
    ['appsettings-nonstandard-json', 'warning', '/* later */', undefined],
    ['appsettings-nonstandard-json', 'warning', ',', undefined],
  ]);
  // The three commas are the trailing ones: after "1", after the environment, after the array.
  const commas = parseAppSettings(text).findings.filter((f) => f.data?.kind === 'trailing-comma').map((f) => f.span.start);
  assert.deepEqual(commas, [text.indexOf('"1",') + 3, text.indexOf('}}, ') + 2, text.lastIndexOf(',')]);
});

test('names: unique in any case, usable as one folder name on every system', () => {
  const text = `{"Environments": [
  {"Name": "Dev"}, {"Name": "dev"}, {"Name": "a/b"}, {"Name": "CON"}, {"Name": "x."}, {"Name": ""}, {"Tenant": "t"}, {"Name": 3}, "Prod"
]}`;
  const result = parseAppSettings(text);
  assert.deepEqual(
    result.findings.map((f) => [text.slice(f.span.start, f.span.end), f.data?.reason]),
    [
      ['"dev"', 'duplicate-name'],
      ['"a/b"', 'unsafe-name'],
      ['"CON"', 'unsafe-name'],
      ['"x."', 'unsafe-name'],
      ['""', 'unsafe-name'],
      ['{', 'missing-name'],
      ['3', 'wrong-type'],
      ['"Prod"', 'wrong-type'],
    ],
  );
  assert.deepEqual(result.settings.environments.map((e) => e.name), ['Dev']);
  assert.equal(result.hasErrors, true);
});

test('PolicySettings: duplicate keys in any case, values that have no text, keys no token can name, built-in names', () => {
  const text = `{"Environments": [{"Name": "Dev", "PolicySettings": {
  "AppId": "1", "appid": "2", "Nothing": null, "Nested": {"a": 1}, "List": [1], "Br{ace": "x", "Tenant": "other", "Ok": "fine"
}}]}`;
  const result = parseAppSettings(text);
  assert.deepEqual(
    result.findings.map((f) => [f.severity, text.slice(f.span.start, f.span.end), f.data?.reason]),
    [
      ['error', '"appid"', 'duplicate-key'],
      ['error', 'null', 'wrong-type'],
      ['error', '{"a": 1}', 'wrong-type'],
      ['error', '[1]', 'wrong-type'],
      ['warning', '"Br{ace"', 'unusable-key'],
      ['warning', '"Tenant"', 'built-in-key'],
    ],
  );
  assert.deepEqual(result.settings.environments[0].settings.map((s) => [s.key, s.value]), [['AppId', '1'], ['Ok', 'fine']]);
});

test('EnvironmentsFolder: relative, inside the root, normalised; Production and Tenant types; prefix characters', () => {
  const folder = (value: string) => parseAppSettings(`{"EnvironmentsFolder": ${JSON.stringify(value)}, "Environments": [{"Name": "Dev"}]}`);
  assert.equal(folder('build\\Environments\\').settings.environmentsFolder, 'build/Environments');
  assert.equal(folder('./out/').settings.environmentsFolder, 'out');
  for (const bad of ['../out', '/abs', 'C:\\out', '.', '', 'a/../b', 'out/con']) {
    const r = folder(bad);
    assert.equal(r.findings[0]?.data?.reason, 'invalid-folder', bad);
    assert.equal(r.settings.environmentsFolder, 'Environments', bad);
  }
  const text = `{"Environments": [{"Name": "Dev", "Production": "true", "Tenant": 1, "PolicyIdPrefix": "a b", "PolicyIdSuffix": "_v2.", "Include": "*.xml"}]}`;
  assert.deepEqual(findingsOf(text).map((f) => [f[2], f[3]]), [
    ['"true"', 'wrong-type'],
    ['1', 'wrong-type'],
    ['"a b"', 'invalid-policy-id-part'],
    ['"_v2."', 'invalid-policy-id-part'],
    ['"*.xml"', 'wrong-type'],
  ]);
  assert.equal(parseAppSettings(`{"Environments": [{"Name": "Dev", "PolicyIdPrefix": "V2_", "PolicyIdSuffix": "-anna"}]}`).settings.environments[0].policyIdSuffix, '-anna');
});

test('no environments: missing, not an array, empty; a root that is not an object', () => {
  assert.deepEqual(findingsOf('{"EnvironmentsFolder": "E"}').map((f) => f[3]), ['no-environments']);
  assert.deepEqual(findingsOf('{"Environments": {}}').map((f) => f[3]), ['wrong-type']);
  assert.deepEqual(findingsOf('{"Environments": []}').map((f) => f[3]), ['no-environments']);
  assert.deepEqual(findingsOf('[1]').map((f) => f[3]), ['not-an-object']);
});

function glob(pattern: string): CompiledGlob {
  const g = compileGlob(pattern);
  assert.ok(!isGlobError(g), `${pattern}: ${isGlobError(g) ? g.message : ''}`);
  return g as CompiledGlob;
}

test('globs: *, **, ?, classes, braces, folder patterns, any case', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['**/*.xml', ['a.xml', 'x/y/a.xml'], ['a.json', 'x/a.xmlx']],
    ['*.xml', ['a.xml', 'A.XML'], ['x/a.xml']],
    ['drafts', ['drafts/a.xml', 'drafts/x/b.xml', 'DRAFTS/a.xml'], ['drafts2/a.xml', 'x/drafts/a.xml']],
    ['**/drafts/**', ['drafts/a.xml', 'x/drafts/y/a.xml'], ['draftsx/a.xml']],
    ['{Base,Ext}*.xml', ['Base.xml', 'Extensions.xml'], ['SignUp.xml']],
    ['[!T]*.xml', ['Signup.xml'], ['TrustFrameworkBase.xml']],
    ['Sign?p*.xml', ['SignUpOrSignin.xml'], ['Sign/pOr.xml']],
    ['a**b.xml', ['ab.xml', 'axyb.xml'], ['a/b.xml']],
    ['env.{dev,test}/**/*.xml', ['env.dev/a.xml', 'env.test/x/a.xml'], ['envXdev/a.xml', 'env.prod/a.xml']],
    ['./policies/', ['policies/a.xml'], ['a.xml']],
  ];
  for (const [pattern, yes, no] of cases) {
    const g = glob(pattern);
    for (const p of yes) assert.ok(g.regex.test(p), `${pattern} should match ${p}`);
    for (const p of no) assert.ok(!g.regex.test(p), `${pattern} should not match ${p}`);
  }
});

test('glob errors say what and where', () => {
  const errors: Array<[string, RegExp, number]> = [
    ['/abs/*.xml', /relative to the folder of appsettings.json/, 0],
    ['a/../b', /'\.\.' would leave/, 2],
    ['a\\b.xml', /Use '\/'/, 1],
    ['[abc.xml', /Unclosed '\['/, 0],
    ['x/{a,b.xml', /Unclosed '\{'/, 2],
    ['a}.xml', /Unmatched '\}'/, 1],
    ['  ', /empty pattern/, 0],
    ['[z-a].xml', /Invalid character class/, 0],
  ];
  for (const [pattern, message, offset] of errors) {
    const g = compileGlob(pattern);
    assert.ok(isGlobError(g), pattern);
    assert.match(g.message, message, pattern);
    assert.equal(g.offset, offset, pattern);
  }
  const text = '{"Environments": [{"Name": "Dev", "Exclude": ["ok/**", "bad/[x"]}]}';
  assert.deepEqual(findingsOf(text).map((f) => [f[0], f[2], f[3]]), [['appsettings-invalid', '"bad/[x"', 'invalid-glob']]);
});

test('file selection: XML files only; the EnvironmentsFolder (any case), dot-folders, node_modules and --out never; Include then Exclude', () => {
  const { settings } = parseAppSettings(`{"EnvironmentsFolder": "build/Env", "Environments": [
    {"Name": "A"},
    {"Name": "B", "Include": ["B2C_1A_*.xml", "shared"], "Exclude": ["shared/old*"]}
  ]}`);
  const paths = [
    'TrustFrameworkBase.xml',
    'B2C_1A_Signin.xml',
    'readme.md',
    'shared/Loc.xml',
    'shared/old-Loc.xml',
    'build/env/A/TrustFrameworkBase.xml',
    'build/Env/B/B2C_1A_Signin.xml',
    'build/other.xml',
    '.vscode/x.xml',
    'x/.hidden.xml',
    'node_modules/pkg/a.xml',
    'out/a.xml',
  ];
  const [a, b] = settings.environments;
  assert.deepEqual(selectEnvironmentFiles(settings, a, paths, ['out']), ['TrustFrameworkBase.xml', 'B2C_1A_Signin.xml', 'shared/Loc.xml', 'shared/old-Loc.xml', 'build/other.xml']);
  assert.deepEqual(selectEnvironmentFiles(settings, b, paths, ['out']), ['B2C_1A_Signin.xml', 'shared/Loc.xml']);
  assert.equal(isCandidateFile(settings, 'out/a.xml'), true);
  assert.equal(isCandidateFile(settings, 'out/a.xml', ['out']), false);
  assert.equal(environmentTakesFile(b, 'shared/old-Loc.xml'), false);
});

test('the contributed JSON schema (schemas/appsettings.schema.json) agrees with the validator on names, folders and id parts', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'schemas', 'appsettings.schema.json'), 'utf8'));
  const environment = schema.definitions.environment.properties;
  // VS Code's JSON service reads schema patterns as Unicode regular expressions.
  const pattern = (p: string) => new RegExp(p, 'u');
  const name = pattern(environment.Name.pattern);
  // Reserved device names (CON, NUL...) are left to the validator: a JSON schema pattern cannot ignore case.
  for (const n of ['Dev', 'Prod-1', 'a b', 'ünïcode', 'a/b', 'a\\b', 'x.', 'x ', 'a:b', 'a*', '.', 'tab\there']) {
    assert.equal(name.test(n), folderNameProblem(n) === undefined, n);
  }
  const folder = pattern(schema.properties.EnvironmentsFolder.pattern);
  for (const [f, ok] of [['Environments', true], ['build/Env', true], ['../out', false], ['/abs', false], ['C:\\out', false], ['a/../b', false], ['a/..x', true]] as const) {
    assert.equal(folder.test(f), ok, f);
    assert.equal(parseAppSettings(JSON.stringify({ EnvironmentsFolder: f, Environments: [{ Name: 'D' }] })).hasErrors, !ok, f);
  }
  const prefix = pattern(environment.PolicyIdPrefix.pattern);
  const suffix = pattern(environment.PolicyIdSuffix.pattern);
  for (const [p, prefixOk, suffixOk] of [['DEV_', true, true], ['v2.', true, false], ['a b', false, false], ['', true, true], ['x{y}', false, false]] as const) {
    assert.equal(prefix.test(p), prefixOk, p);
    assert.equal(suffix.test(p), suffixOk, p);
    const errors = (field: string) => parseAppSettings(JSON.stringify({ Environments: [{ Name: 'D', [field]: p }] })).hasErrors;
    assert.equal(errors('PolicyIdPrefix'), !prefixOk, p);
    assert.equal(errors('PolicyIdSuffix'), !suffixOk, p);
  }
  assert.equal(pattern(environment.PolicySettings.propertyNames.pattern).test('a{b'), false);
  assert.deepEqual(environment.Include.default, DEFAULT_INCLUDE);
});

/**
 * Environments in the editor, through the facade: appsettings.json files handed over like policy files, the
 * findings each environment adds to a source file (undefined settings, the resolved copies' findings at the
 * token that produced them), appsettings.json's own problems, output folders, completion and hover on tokens.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { LineIndex } from '../../server/src/service/xml/lines';
import { POLICY_NAMESPACE } from '../helpers/policies';
import { memoryWorkspace } from '../helpers/workspace';

const BASE = `<TrustFrameworkPolicy xmlns="${POLICY_NAMESPACE}" PolicySchemaVersion="0.3.0.0" TenantId="{Settings:Tenant}" PolicyId="B2C_1A_Base" PublicPolicyUri="http://{Settings:Tenant}/B2C_1A_Base">
  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="email">
        <DisplayName>Email</DisplayName>
        <DataType>{Settings:EmailType}</DataType>
      </ClaimType>
    </ClaimsSchema>
  </BuildingBlocks>
</TrustFrameworkPolicy>
`;

const ENVIRONMENTS = [
  { Name: 'Dev', Tenant: 'contosodev.onmicrosoft.com', PolicySettings: { EmailType: 'string' } },
  { Name: 'Test', Tenant: 'ContosoTest.onmicrosoft.com', PolicySettings: { EmailType: 'strnig' } },
  { Name: 'Prod', Production: true, Tenant: 'contoso.onmicrosoft.com' },
];

const settingsText = (environments: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ ...extra, Environments: environments }, null, 2);

/** Each diagnostic as [code, severity, underlined text, environments of data]. */
function described(text: string, diagnostics: Diagnostic[]): Array<[string, number | undefined, string, unknown]> {
  const lines = new LineIndex(text);
  return diagnostics.map((d) => [String(d.code), d.severity, text.slice(lines.offsetAt(d.range.start), lines.offsetAt(d.range.end)), (d.data as { environments?: unknown })?.environments]);
}

test('a source file below appsettings.json: undefined settings, and the resolved copies\' findings on the tokens that produced them', () => {
  const { service, uri } = memoryWorkspace({ 'policies/appsettings.json': settingsText(ENVIRONMENTS), 'policies/Base.xml': BASE });
  const diagnostics = service.diagnostics(uri('policies/Base.xml'));
  assert.deepEqual(described(BASE, diagnostics), [
    // Test spells the tenant with capitals: in TenantId and in PublicPolicyUri's host.
    ['tenant-name-case', 2, '{Settings:Tenant}', ['Test']],
    ['tenant-name-case', 2, '{Settings:Tenant}', ['Test']],
    ['undefined-setting', 2, '{Settings:EmailType}', ['Prod']],
    // Test's value is not a data type once resolved; the source (a token) is not checked against the enumeration.
    ['schema-invalid-value', 1, '{Settings:EmailType}', ['Test']],
  ]);
  assert.equal(diagnostics[2].message, "{Settings:EmailType} has no value in environment 'Prod': the build of that environment fails.");
  assert.match(diagnostics[3].message, /^\[Test\] 'strnig' is not a valid value for <DataType>: expected one of boolean, /);
  // Quick fixes read data: the resolved finding's own data is kept aside, so no fix writes 'contosotest' over the token.
  assert.equal((diagnostics[0].data as Record<string, unknown>).fixed, undefined);
  assert.deepEqual(service.codeActions(uri('policies/Base.xml'), [diagnostics[0]]), []);
  // The same file without appsettings.json has none of these.
  const alone = memoryWorkspace({ 'policies/Base.xml': BASE });
  assert.deepEqual(alone.service.diagnostics(alone.uri('policies/Base.xml')), []);
});

test('changing appsettings.json re-checks the files below it: the uris are returned, the findings follow the new values', () => {
  const { service, uri } = memoryWorkspace({ 'policies/appsettings.json': settingsText(ENVIRONMENTS), 'policies/Base.xml': BASE, 'other/Base.xml': BASE });
  const fixed = ENVIRONMENTS.map((e) => ({ ...e, Tenant: String(e.Tenant).toLowerCase(), PolicySettings: { EmailType: 'string' } }));
  const affected = service.setDiskFile(uri('policies/appsettings.json'), settingsText(fixed));
  assert.deepEqual(affected.sort(), [uri('policies/Base.xml'), uri('policies/appsettings.json')]);
  assert.deepEqual(service.diagnostics(uri('policies/Base.xml')), []);
  // An open document of appsettings.json takes precedence over the disk; closing it goes back.
  service.openDocument(uri('policies/appsettings.json'), settingsText([{ Name: 'Dev', Tenant: 'contosodev.onmicrosoft.com' }]));
  assert.deepEqual(described(BASE, service.diagnostics(uri('policies/Base.xml'))), [['undefined-setting', 2, '{Settings:EmailType}', ['Dev']]]);
  assert.equal(service.isOpen(uri('policies/appsettings.json')), true);
  service.closeDocument(uri('policies/appsettings.json'));
  assert.deepEqual(service.diagnostics(uri('policies/Base.xml')), []);
  // Deleted: the file is checked as a plain policy again.
  service.deleteDiskFile(uri('policies/appsettings.json'));
  assert.deepEqual(service.diagnostics(uri('policies/Base.xml')), []);
  assert.deepEqual(service.environmentRoots(), []);
});

test('a PolicyId that collides once resolved and prefixed is an error on both sources; a production environment refuses development mode', () => {
  const rp = (id: string, extra = '') =>
    `<TrustFrameworkPolicy xmlns="${POLICY_NAMESPACE}" PolicySchemaVersion="0.3.0.0" TenantId="contoso.onmicrosoft.com" PolicyId="${id}" PublicPolicyUri="http://contoso.onmicrosoft.com/${id}"${extra}>\n</TrustFrameworkPolicy>\n`;
  const settings = settingsText([
    { Name: 'Dev', PolicyIdPrefix: 'DEV_', PolicySettings: { SignUp: 'signup', SignIn: 'signup' } },
    { Name: 'Prod', Production: true, PolicySettings: { SignUp: 'signup', SignIn: 'signin' } },
  ]);
  const a = rp('B2C_1A_{Settings:SignUp}');
  const b = rp('B2C_1A_{Settings:SignIn}', ' DeploymentMode="Development"');
  const { service, uri } = memoryWorkspace({ 'appsettings.json': settings, 'a/P.xml': a, 'b/P.xml': b });
  const onA = service.diagnostics(uri('a/P.xml'));
  assert.deepEqual(described(a, onA), [['policy-id-collision', 1, 'B2C_1A_{Settings:SignUp}', ['Dev']]]);
  assert.equal(onA[0].message, "Policy id 'B2C_1A_DEV_signup' in environment 'Dev' is also the id of b/P.xml: uploads would overwrite each other.");
  assert.deepEqual(described(b, service.diagnostics(uri('b/P.xml'))), [
    ['policy-id-collision', 1, 'B2C_1A_{Settings:SignIn}', ['Dev']],
    ['development-setting-in-production', 1, 'DeploymentMode="Development"', ['Prod']],
  ]);
});

test('appsettings.json\'s own problems are its diagnostics; an appsettings.json without environments is left alone', () => {
  const broken = '{\n  "Environments": [\n    { "Name": "Dev", "PolicySettings": { "A": 1, "a": 2 } },\n    { "Name": "dev" }\n  ],\n}\n';
  const { service, uri } = memoryWorkspace({ 'policies/appsettings.json': broken, 'web/appsettings.json': '{ "Logging": { "LogLevel": { "Default": "Information" } } }' });
  assert.deepEqual(described(broken, service.diagnostics(uri('policies/appsettings.json'))).map(([code, severity, text]) => [code, severity, text]), [
    ['appsettings-invalid', 1, '"a"'],
    ['appsettings-invalid', 1, '"dev"'],
    ['appsettings-nonstandard-json', 2, ','],
  ]);
  assert.deepEqual(service.diagnostics(uri('web/appsettings.json')), []);
  assert.deepEqual(service.settingsFileUris().sort(), [uri('policies/appsettings.json'), uri('web/appsettings.json')]);
  assert.deepEqual(service.environmentRoots().map((r) => [r.rootUri, r.environments.map((e) => e.name), r.hasErrors]), [['file:///ws/policies', ['Dev'], true]]);
});

test('files in the output folder (built copies, same PolicyIds) are not indexed as sources, even when they arrived first', () => {
  const { service, uri } = memoryWorkspace({ 'p/Environments/Dev/Base.xml': BASE, 'p/Base.xml': BASE });
  assert.equal(service.isPolicy(uri('p/Environments/Dev/Base.xml')), true);
  const affected = service.setDiskFile(uri('p/appsettings.json'), settingsText([{ Name: 'Dev', Tenant: 't.onmicrosoft.com', PolicySettings: { EmailType: 'string' } }], { EnvironmentsFolder: 'Environments' }));
  assert.ok(affected.includes(uri('p/Environments/Dev/Base.xml')), 'the dropped copy is re-published (cleared)');
  assert.deepEqual(service.policyUris(), [uri('p/Base.xml')]);
  assert.deepEqual(service.setDiskFile(uri('p/environments/Test/Base.xml'), BASE), [uri('p/environments/Test/Base.xml')]);
  assert.deepEqual(service.policyUris(), [uri('p/Base.xml')]);
  // An open document of a built copy is still checked (the user looks at it).
  service.openDocument(uri('p/Environments/Dev/Base.xml'), BASE);
  assert.equal(service.isPolicy(uri('p/Environments/Dev/Base.xml')), true);
});

test('completion after {Settings: lists the keys of the environments that build the file; hover shows each value', () => {
  const text = BASE.replace('{Settings:EmailType}', '{Settings:Em}');
  const { service, uri } = memoryWorkspace({ 'policies/appsettings.json': settingsText(ENVIRONMENTS), 'policies/Base.xml': text });
  const lines = new LineIndex(text);
  const at = text.indexOf('{Settings:Em}') + '{Settings:Em'.length;
  const items = service.completion(uri('policies/Base.xml'), lines.positionAt(at));
  assert.deepEqual(items.map((i) => i.label), ['Tenant', 'Filename', 'PolicyFilename', 'Environment', 'EmailType']);
  const edit = items[4].textEdit as TextEdit;
  assert.equal(text.slice(lines.offsetAt(edit.range.start), lines.offsetAt(edit.range.end)), 'Em}');
  assert.equal(edit.newText, 'EmailType}');
  assert.equal(items[4].detail, 'Setting; not defined in Prod');
  const hover = service.hover(uri('policies/Base.xml'), lines.positionAt(text.indexOf('{Settings:Tenant}') + 3))!;
  assert.equal(
    (hover.contents as MarkupContent).value,
    "**{Settings:Tenant}**\n\nThe environment's `Tenant`.\n\n| Environment | Value |\n| --- | --- |\n| Dev | `contosodev.onmicrosoft.com` |\n| Test | `ContosoTest.onmicrosoft.com` |\n| Prod (production) | `contoso.onmicrosoft.com` |",
  );
  // Without appsettings.json: the usual completion of the element's value (the data types), no settings keys.
  const alone = memoryWorkspace({ 'Base.xml': text });
  assert.ok(!alone.service.completion(alone.uri('Base.xml'), lines.positionAt(at)).some((i) => i.label === 'EmailType'));
});

test('findings are cached: asking again without a change returns the same array; an edit elsewhere in the root does not re-resolve this file', () => {
  const other = BASE.replace(/B2C_1A_Base/g, 'B2C_1A_Other');
  const { service, uri } = memoryWorkspace({ 'p/appsettings.json': settingsText(ENVIRONMENTS), 'p/Base.xml': BASE, 'p/Other.xml': other });
  const first = service.findings(uri('p/Base.xml'));
  assert.equal(service.findings(uri('p/Base.xml')), first);
  service.openDocument(uri('p/Other.xml'), other + '<!-- edited -->\n');
  assert.equal(service.findings(uri('p/Base.xml')), first);
  // An edit in the file itself gives new findings (the token moved by one line).
  service.openDocument(uri('p/Base.xml'), '\n' + BASE);
  const moved = service.findings(uri('p/Base.xml'));
  assert.notEqual(moved, first);
  assert.deepEqual(moved.map((f) => f.span.start - 1), first.map((f) => f.span.start));
});

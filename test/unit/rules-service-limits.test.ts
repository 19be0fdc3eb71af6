import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { applyEdits } from '../../server/src/service/edits/textEdits';
import type { Finding } from '../../server/src/service/findings';
import { checkServiceLimits, MAX_POLICY_BYTES } from '../../server/src/service/rules/serviceLimits';
import { checkTenantNames } from '../../server/src/service/rules/tenantNames';
import { POLICY_NAMESPACE } from '../helpers/policies';
import { ruleContext, serviceWith, spanOf } from '../helpers/catalogRules';
import { memoryWorkspace } from '../helpers/workspace';

const root = (id: string, tenant = 'contoso') =>
  `<TrustFrameworkPolicy xmlns="${POLICY_NAMESPACE}" PolicySchemaVersion="0.3.0.0" TenantId="${tenant}.onmicrosoft.com" PolicyId="${id}" PublicPolicyUri="http://${tenant}.onmicrosoft.com/${id}">`;

function policy(id: string, base?: string, body = '', tenant = 'contoso'): string {
  return `${root(id, tenant)}\n${base ? `  <BasePolicy><TenantId>${tenant}.onmicrosoft.com</TenantId><PolicyId>${base}</PolicyId></BasePolicy>\n` : ''}${body}\n</TrustFrameworkPolicy>\n`;
}

const limits = (files: Record<string, string>, uri: string): Finding[] => checkServiceLimits(ruleContext(serviceWith(files), uri));
const summary = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.code}`);

test('policy-file-too-large: more than 1,024 KB of UTF-8 (not of UTF-16 code units) is an error on the root element; exactly 1,024 KB is not', () => {
  const head = policy('B2C_1A_Big');
  const pad = (bytes: number) => {
    // 'é' is two UTF-8 bytes: the file's length in characters stays well below the limit.
    const filler = bytes - Buffer.byteLength(head) - '<!--  -->'.length;
    return head.replace('\n</TrustFrameworkPolicy>', `\n<!-- ${'é'.repeat(Math.floor(filler / 2))}${filler % 2 ? 'x' : ''} --></TrustFrameworkPolicy>`);
  };
  const atLimit = pad(MAX_POLICY_BYTES);
  assert.equal(Buffer.byteLength(atLimit), MAX_POLICY_BYTES);
  assert.ok(atLimit.length < MAX_POLICY_BYTES, 'fewer characters than bytes');
  assert.deepEqual(limits({ 'file:///w/Big.xml': atLimit }, 'file:///w/Big.xml'), []);

  const over = pad(MAX_POLICY_BYTES + 1);
  const findings = limits({ 'file:///w/Big.xml': over }, 'file:///w/Big.xml');
  assert.deepEqual(summary(findings), ['error policy-file-too-large']);
  assert.deepEqual(findings[0].span, spanOf(over, '<TrustFrameworkPolicy', 'TrustFrameworkPolicy'));
  assert.deepEqual(findings[0].data, { bytes: MAX_POLICY_BYTES + 1, limit: MAX_POLICY_BYTES });
  assert.match(findings[0].message, /This policy is 1,025 KB; the service accepts policy files of at most 1,024 KB/);
});

test('chain-too-deep: a chain of 11 policies is an error on the BasePolicy of each file whose own chain is that deep; 10 is the limit', () => {
  const files: Record<string, string> = {};
  for (let level = 1; level <= 12; level++) files[`file:///w/P${level}.xml`] = policy(`B2C_1A_P${level}`, level > 1 ? `B2C_1A_P${level - 1}` : undefined);
  for (let level = 1; level <= 10; level++) assert.deepEqual(limits(files, `file:///w/P${level}.xml`), [], `level ${level}`);
  const eleven = limits(files, 'file:///w/P11.xml');
  assert.deepEqual(summary(eleven), ['error chain-too-deep']);
  assert.deepEqual(eleven[0].span, spanOf(files['file:///w/P11.xml'], '<PolicyId>B2C_1A_P10<', 'B2C_1A_P10'));
  assert.equal(eleven[0].data?.levels, 11);
  assert.match(eleven[0].message, /has 11 levels \(B2C_1A_P11 -> B2C_1A_P10 -> .* -> B2C_1A_P1\); the service allows at most 10/);
  assert.equal(limits(files, 'file:///w/P12.xml')[0].data?.levels, 12);
});

test('base-policy-is-user-flow: a B2C_1_ base is one error (not also a missing base), suggesting the custom policy of that name when there is one', () => {
  const rp = policy('B2C_1A_RP', 'B2C_1_SignUpSignIn');
  const alone = memoryWorkspace({ 'RP.xml': rp });
  const findings = alone.service.findings(alone.uri('RP.xml')).filter((f) => f.severity === 'error');
  assert.deepEqual(summary(findings), ['error base-policy-is-user-flow']);
  assert.deepEqual(findings[0].span, spanOf(rp, '>B2C_1_SignUpSignIn<', 'B2C_1_SignUpSignIn'));
  assert.deepEqual(findings[0].data, { policyId: 'B2C_1_SignUpSignIn', suggestions: [] });

  const withCustom = memoryWorkspace({ 'RP.xml': rp, 'Custom.xml': policy('B2C_1A_SignUpSignIn') });
  const diagnostic = withCustom.service.diagnostics(withCustom.uri('RP.xml')).find((d) => d.code === 'base-policy-is-user-flow')!;
  assert.match(diagnostic.message, /did you mean 'B2C_1A_SignUpSignIn'\?/);
  const actions = withCustom.service.codeActions(withCustom.uri('RP.xml'), [diagnostic]);
  assert.deepEqual(actions.map((a) => a.title), ["Change to 'B2C_1A_SignUpSignIn'"]);
  assert.equal(applyEdits(rp, actions[0].edit!.changes![withCustom.uri('RP.xml')]), rp.replace('B2C_1_SignUpSignIn', 'B2C_1A_SignUpSignIn'));
  // A custom policy's base (B2C_1A_) is not a user flow.
  assert.deepEqual(limits({ 'file:///w/RP.xml': policy('B2C_1A_RP', 'B2C_1A_SignUpSignIn') }, 'file:///w/RP.xml'), []);
});

const PLACEHOLDER_BODY = `  <ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles><TechnicalProfile Id="TP"><Metadata>
    <!-- yourtenant in a comment is not policy content -->
    <Item Key="METADATA">https://yourtenant.b2clogin.com/yourtenant.onmicrosoft.com/v2.0/.well-known/openid-configuration</Item>
  </Metadata></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;

test('placeholder-tenant: once per file, information, on the TenantId; not in a templated file', () => {
  const text = policy('B2C_1A_Ext', 'B2C_1A_Base', PLACEHOLDER_BODY, 'yourtenant');
  const findings = limits({ 'file:///w/Ext.xml': text }, 'file:///w/Ext.xml');
  assert.deepEqual(summary(findings), ['information placeholder-tenant']);
  assert.deepEqual(findings[0].span, spanOf(text, 'TenantId="yourtenant', 'yourtenant'));
  // TenantId, PublicPolicyUri, BasePolicy/TenantId and the two in the METADATA URL; not the comment.
  assert.deepEqual(findings[0].data, { placeholder: 'yourtenant', occurrences: 5 });

  // The root TenantId already replaced: the finding goes to the first place left.
  const partly = text.replace('TenantId="yourtenant', 'TenantId="contoso');
  assert.deepEqual(limits({ 'file:///w/Ext.xml': partly }, 'file:///w/Ext.xml')[0].span, spanOf(partly, 'http://yourtenant', 'yourtenant'));
  assert.deepEqual(limits({ 'file:///w/Ext.xml': text.replace(/yourtenant/g, 'contoso') }, 'file:///w/Ext.xml'), []);

  // Templated: a token anywhere in the file (the templateTokens setting), or a folder with an appsettings.json.
  const templated = text.replace('<DisplayName>P</DisplayName>', '<DisplayName>{Settings:ProviderName}</DisplayName>');
  assert.deepEqual(limits({ 'file:///w/Ext.xml': templated }, 'file:///w/Ext.xml'), []);
  const service = serviceWith({ 'file:///w/src/Ext.xml': text });
  const context = ruleContext(service, 'file:///w/src/Ext.xml');
  assert.deepEqual(checkServiceLimits({ ...context, settings: { ...context.settings, settingsRoots: ['file:///w'] } }), []);
  assert.equal(checkServiceLimits({ ...context, settings: { ...context.settings, settingsRoots: ['file:///w/other'] } }).length, 1);
  // An anchored token pattern matches a value, not the whole text: still a template (the whole-text shortcut is
  // only taken for patterns whose matches do not depend on their surroundings).
  const anchored = serviceWith({ 'file:///w/src/Ext.xml': text.replace('<DisplayName>P</DisplayName>', '<DisplayName>@@NAME</DisplayName>') });
  const anchoredContext = ruleContext(anchored, 'file:///w/src/Ext.xml');
  assert.deepEqual(checkServiceLimits({ ...anchoredContext, settings: { ...anchoredContext.settings, templateTokens: [/^@@[A-Z]+$/] } }), []);
  assert.equal(checkServiceLimits({ ...anchoredContext, settings: { ...anchoredContext.settings, templateTokens: [/^%%[A-Z]+$/] } }).length, 1);
});

test('placeholder-tenant quick fix: "Replace yourtenant with" a tenant of the workspace, in the file or in every file of its folder', () => {
  const ext = policy('B2C_1A_Ext', 'B2C_1A_Base', PLACEHOLDER_BODY, 'yourtenant');
  const base = policy('B2C_1A_Base', undefined, '', 'yourtenant');
  const { service, uri } = memoryWorkspace({ 'pack/Base.xml': base, 'pack/Ext.xml': ext, 'prod/Other.xml': policy('B2C_1A_Other', undefined, '', 'fabrikam') });
  const diagnostic = service.diagnostics(uri('pack/Ext.xml')).find((d) => d.code === 'placeholder-tenant')!;
  assert.equal(diagnostic.severity, 3);
  const actions = service.codeActions(uri('pack/Ext.xml'), [diagnostic]);
  assert.deepEqual(actions.map((a) => a.title), ["Replace yourtenant with 'fabrikam'", "Replace yourtenant with 'fabrikam' in 2 files of this folder"]);
  assert.equal(applyEdits(ext, actions[0].edit!.changes![uri('pack/Ext.xml')]), ext.replace(/yourtenant(?=\.)/g, 'fabrikam'));
  assert.ok(applyEdits(ext, actions[0].edit!.changes![uri('pack/Ext.xml')]).includes('<!-- yourtenant in a comment'), 'comments are left alone');
  const all = actions[1].edit!.changes!;
  assert.deepEqual(Object.keys(all).sort(), [uri('pack/Base.xml'), uri('pack/Ext.xml')]);
  assert.equal(applyEdits(base, all[uri('pack/Base.xml')]), base.replace(/yourtenant/g, 'fabrikam'));
  // Nothing to offer when no policy names a real tenant.
  const lonely = memoryWorkspace({ 'Ext.xml': ext });
  const alone = lonely.service.diagnostics(lonely.uri('Ext.xml')).find((d) => d.code === 'placeholder-tenant')!;
  assert.deepEqual(lonely.service.codeActions(lonely.uri('Ext.xml'), [alone]), []);
});

test('placeholder-tenant also knows the placeholders of Microsoft\'s published samples (your-tenant, tenant-name), and the fix names the one found', () => {
  for (const label of ['your-tenant', 'tenant-name', 'Your-Tenant']) {
    const ext = policy('B2C_1A_Ext', 'B2C_1A_Base', PLACEHOLDER_BODY, label);
    const { service, uri } = memoryWorkspace({ 'pack/Ext.xml': ext, 'prod/Other.xml': policy('B2C_1A_Other', undefined, '', 'fabrikam') });
    const diagnostic = service.diagnostics(uri('pack/Ext.xml')).find((d) => d.code === 'placeholder-tenant')!;
    assert.ok(diagnostic, label);
    assert.deepEqual(diagnostic.data, { code: 'placeholder-tenant', placeholder: label, occurrences: 5 });
    assert.match(diagnostic.message, new RegExp(`^'${label}' is a placeholder tenant`));
    const actions = service.codeActions(uri('pack/Ext.xml'), [diagnostic]);
    assert.deepEqual(actions.map((a) => a.title), [`Replace ${label} with 'fabrikam'`]);
    // The body's METADATA URL keeps the starter pack's yourtenant: every placeholder of the file is replaced.
    assert.equal(applyEdits(ext, actions[0].edit!.changes![uri('pack/Ext.xml')]), ext.replace(new RegExp(`(${label}|yourtenant)(?=\\.)`, 'g'), 'fabrikam'));
  }
  // A real tenant whose name only contains a placeholder is not one.
  const real = policy('B2C_1A_Ext', 'B2C_1A_Base', PLACEHOLDER_BODY.replace(/yourtenant/g, 'contoso'), 'mytenant-name');
  assert.deepEqual(limits({ 'file:///w/Ext.xml': real }, 'file:///w/Ext.xml'), []);
});

test('tenant-name-case: host names and redirect URIs, not a tenant in another URL path', () => {
  const item = (key: string, value: string) => `    <Item Key="${key}">${value}</Item>\n`;
  const body =
    `  <ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles><TechnicalProfile Id="TP"><Metadata>\n` +
    item('token', 'https://login.microsoftonline.com/yourAPACb2ctenant.onmicrosoft.com/oauth2/v2.0/token') +
    item('query', 'https://login.example.com/authorize?tenant=Fabrikam.onmicrosoft.com') +
    item('METADATA', 'https://Contoso.b2clogin.com/Contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration') +
    item('authorization_endpoint', 'https://contoso.b2clogin.com/Northwind.onmicrosoft.com/oauth2/authresp') +
    item('redirect_uri', 'https://contoso.b2clogin.com/Woodgrove.onmicrosoft.com/oauth2/v2.0/authorize') +
    item('issuer', '//Tailspin.b2clogin.com/x') +
    `  </Metadata></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;
  const text = policy('B2C_1A_Base', undefined, body).replace('TenantId="contoso.onmicrosoft.com"', 'TenantId="Litware.onmicrosoft.com"');
  const findings = checkTenantNames(ruleContext(serviceWith({ 'file:///w/Base.xml': text }), 'file:///w/Base.xml'));
  const reported = findings.map((f) => text.slice(f.span.start, f.span.end));
  // Litware: the TenantId (a domain name); the first Contoso (host; the one in the path is not a redirect URI);
  // Northwind: the path of a redirect URI (/oauth2/authresp); Woodgrove: a redirect_uri item; Tailspin: a host.
  assert.deepEqual(reported, ['Litware', 'Contoso', 'Northwind', 'Woodgrove', 'Tailspin']);
  assert.deepEqual(findings[1].span, spanOf(text, 'https://Contoso', 'Contoso'));
});

test('tenant-name-case on one huge value with many tenants in its path: all or none, in one pass', () => {
  const check = (value: string) => {
    const text = policy('B2C_1A_Base', undefined, `  <ClaimsProviders><ClaimsProvider><DisplayName>${value}</DisplayName></ClaimsProvider></ClaimsProviders>`);
    const service = new Analysis({ log: (m) => { throw new Error(m); } });
    service.index.setDiskFile('file:///w/Base.xml', text);
    return checkTenantNames(service.ruleContext(service.policy('file:///w/Base.xml')!));
  };
  const path = 'https://login.example.com/' + 'Contoso.onmicrosoft.com/'.repeat(40000);
  assert.equal(check(path).length, 0);
  // The same path going on to /oauth2/authresp is a redirect URI: every tenant in it is reported.
  assert.equal(check(path + 'oauth2/authresp').length, 40000);
});

test('placeholder-tenant in the editor: an appsettings.json with environments in the workspace makes the files below it templated', () => {
  const { service, uri } = memoryWorkspace({ 'pack/Base.xml': policy('B2C_1A_Base', undefined, '', 'yourtenant') });
  const placeholders = () => service.diagnostics(uri('pack/Base.xml')).filter((d) => d.code === 'placeholder-tenant').length;
  assert.equal(placeholders(), 1);
  const affected = service.setDiskFile(uri('pack/appsettings.json'), JSON.stringify({ Environments: [{ Name: 'Dev', Tenant: 'contosodev.onmicrosoft.com' }] }));
  assert.ok(affected.includes(uri('pack/Base.xml')), 'the policy below it is affected');
  assert.equal(placeholders(), 0);
  service.deleteDiskFile(uri('pack/appsettings.json'));
  assert.equal(placeholders(), 1);
});

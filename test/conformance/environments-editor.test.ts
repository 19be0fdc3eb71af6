/**
 * The editor's environment findings on Microsoft's starter packs: every pack, templated (tenant and app ids as
 * {Settings:...} tokens) with three environments that define them, stays free of findings; a mutation of
 * appsettings.json made here gives exactly the expected findings on the source tokens.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { corpusPacks, needsCorpus } from '../helpers/corpus';
import { TEMPLATED_ENVIRONMENTS, templatedPack } from '../helpers/templatedPack';
import { memoryWorkspace } from '../helpers/workspace';

test('every starter pack, templated with three environments, stays free of errors and warnings; the environments add nothing', { skip: needsCorpus }, () => {
  // The eight packs; the scenarios build on a pack's base, which is not in their folder.
  const packs = corpusPacks().filter((p) => !p.startsWith('scenario-'));
  assert.equal(packs.length, 8);
  const describe = (d: Diagnostic) => `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character} ${d.message}`;
  for (const pack of packs) {
    const files = templatedPack(pack);
    const withEnvironments = memoryWorkspace(files);
    const policies = Object.fromEntries(Object.entries(files).filter(([name]) => name !== 'appsettings.json'));
    const without = memoryWorkspace(policies);
    for (const name of Object.keys(policies)) {
      const found = withEnvironments.service.diagnostics(withEnvironments.uri(name));
      assert.deepEqual(found.filter((d) => d.severity! <= 2).map(describe), [], `${pack}/${name}`);
      // The packs' own hints (surName vs surname) stay, and nothing else.
      assert.deepEqual(found.map(describe), without.service.diagnostics(without.uri(name)).map(describe), `${pack}/${name}`);
    }
    assert.deepEqual(withEnvironments.service.diagnostics(withEnvironments.uri('appsettings.json')), []);
  }
});

test('SocialAndLocalAccounts: a tenant with capitals in Test and an app id missing in Prod give exactly those findings, on the tokens', { skip: needsCorpus }, () => {
  const environments = structuredClone(TEMPLATED_ENVIRONMENTS);
  environments[1].Tenant = 'ContosoTest.onmicrosoft.com';
  delete (environments[2].PolicySettings as Record<string, string>).FacebookAppId;
  const files = templatedPack('SocialAndLocalAccounts', environments);
  const { service, uri } = memoryWorkspace(files);
  for (const [name, text] of Object.entries(files)) {
    if (name === 'appsettings.json') continue;
    const diagnostics = service.diagnostics(uri(name));
    const lines = text.split('\n');
    const underlined = (d: (typeof diagnostics)[number]) => lines[d.range.start.line].slice(d.range.start.character, d.range.end.character);
    // Host names are lowercase: every {Settings:Tenant} in TenantId, PublicPolicyUri and BasePolicy/TenantId (the
    // rule's occurrences in the original pack, where the tenant is the placeholder, are zero).
    const tenantTokens = text.split('{Settings:Tenant}').length - 1;
    assert.equal(diagnostics.filter((d) => d.code === 'tenant-name-case').length, tenantTokens, name);
    for (const d of diagnostics) {
      if (d.code === 'id-case-mismatch') continue; // the pack's own hint, in the source
      if (d.code === 'tenant-name-case') {
        assert.equal(underlined(d), '{Settings:Tenant}');
        assert.deepEqual((d.data as { environments: string[] }).environments, ['Test']);
      } else {
        assert.equal(name, 'TrustFrameworkExtensions.xml', `${d.code} in ${name}`);
        assert.deepEqual([d.code, underlined(d), (d.data as { environments: string[] }).environments], ['undefined-setting', '{Settings:FacebookAppId}', ['Prod']]);
      }
    }
  }
});

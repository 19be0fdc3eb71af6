import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  LOCALIZED_ELEMENT_TYPES,
  PAGE_CONTRACTS,
  allUxElementIds,
  compareVersions,
  elementTypeSpec,
  judgeDataUri,
  pageSpec,
  parseDataUri,
  stringIdsFor,
  uxElementIds,
} from '../../server/src/service/catalogs/pageContracts';

test('pages are well formed: unique names, versions in order without repeats', () => {
  assert.equal(new Set(PAGE_CONTRACTS.map((p) => p.page)).size, PAGE_CONTRACTS.length);
  for (const page of PAGE_CONTRACTS) {
    assert.equal(new Set(page.contractVersions).size, page.contractVersions.length, page.page);
    for (let i = 1; i < page.contractVersions.length; i++) assert.ok(compareVersions(page.contractVersions[i - 1], page.contractVersions[i]) < 0, page.page);
    const ids = page.uxElements?.map((e) => e.id) ?? [];
    assert.equal(new Set(ids).size, ids.length, `${page.page}: duplicate UxElement id`);
  }
});

test('DataUri: both forms parse; versions are judged per page; the old form knows idpselection', () => {
  assert.deepEqual(parseDataUri('urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:2.1.5'), {
    contract: true,
    pageName: 'unifiedssp',
    version: '2.1.5',
    pageOffset: 44,
    versionOffset: 55,
  });
  assert.equal(parseDataUri('~/tenant/default/unified.html'), undefined);
  assert.equal(judgeDataUri('urn:com:microsoft:aad:b2c:elements:contract:selfasserted:2.1.26').kind, 'known');
  assert.equal(judgeDataUri('urn:com:microsoft:aad:b2c:elements:contract:selfasserted:2.1.27').kind, 'unknown-version');
  assert.equal(judgeDataUri('urn:com:microsoft:aad:b2c:elements:contract:multifactor:1.2.12').kind, 'known');
  assert.equal(judgeDataUri('urn:com:microsoft:aad:b2c:elements:contract:multifactor:2.1.0').kind, 'unknown-version');
  assert.equal(judgeDataUri('urn:com:microsoft:aad:b2c:elements:idpselection:1.0.0').kind, 'known');
  assert.equal(judgeDataUri('urn:com:microsoft:aad:b2c:elements:contract:idpselection:1.0.0').kind, 'unknown-page');
  assert.equal(judgeDataUri('urn:com:microsoft:aad:b2c:elements:selfasserted:2.1.0').kind, 'known');
  assert.equal(judgeDataUri('urn:com:microsoft:aad:b2c:elements:contract:signin:1.0.0').kind, 'unknown-page');
  assert.equal(judgeDataUri('https://example.com/page.html').kind, 'not-a-contract');
});

test('UxElement ids depend on the layout version where the reference says so', () => {
  const ssp = pageSpec('unifiedssp', true)!;
  const old = uxElementIds(ssp, '1.2.0')!;
  const current = uxElementIds(ssp, '2.1.5')!;
  assert.ok(old.includes('createaccount_link') && !old.includes('createaccount_one_link') && !old.includes('heading'));
  assert.ok(!current.includes('createaccount_link') && current.includes('createaccount_one_link') && current.includes('heading'));
  assert.ok(!uxElementIds(ssp, '2.1.0')!.includes('heading'));
  assert.ok(current.includes('requiredField_password'), 'the starter pack uses it with 2.1.5');
  const mfa = pageSpec('multifactor', true)!;
  assert.ok(!uxElementIds(mfa, '1.2.2')!.includes('error_throttled'));
  assert.ok(uxElementIds(mfa, '1.2.3')!.includes('error_throttled'));
  assert.equal(uxElementIds(pageSpec('providerselection', true)!), undefined, 'not listed by the reference: not judged');
  assert.ok(allUxElementIds().includes('createaccount_link') && allUxElementIds().includes('ver_but_send'));
});

test('element types: fixed StringIds (UxElement per page, ErrorMessage, ClaimType, ...) and types whose StringId names something', () => {
  assert.deepEqual(elementTypeSpec('ClaimType')!.stringId, { kind: 'fixed', ids: ['DisplayName', 'UserHelpText', 'PatternHelpText', 'AdminHelpText'] });
  assert.equal(elementTypeSpec('ClaimType')!.elementId, 'claimType');
  assert.equal(elementTypeSpec('UxElement')!.stringId.kind, 'perPage');
  assert.deepEqual(elementTypeSpec('ClaimsProvider')!.stringId, { kind: 'names', what: 'claimsExchange' });
  assert.deepEqual(elementTypeSpec('FormatLocalizedStringTransformationClaimType')!.stringId, { kind: 'names', what: 'stringFormatId' });
  const errors = elementTypeSpec('ErrorMessage')!.stringId;
  assert.ok(errors.kind === 'fixed' && errors.ids.includes('DefaultUserMessageIfRequestFailed') && errors.pattern!.test('UserMessageIfAnything'));
  assert.equal(elementTypeSpec('Unknown'), undefined);
  assert.equal(new Set(LOCALIZED_ELEMENT_TYPES.map((e) => e.elementType)).size, LOCALIZED_ELEMENT_TYPES.length);
  assert.ok(stringIdsFor('UxElement', pageSpec('multifactor', true), '1.2.5').includes('countryList'));
  assert.ok(stringIdsFor('DisplayControl').includes('but_send_code'));
  assert.deepEqual(stringIdsFor('ClaimsProvider'), []);
});

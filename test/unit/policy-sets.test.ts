import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compactPolicy } from '../helpers/policies';
import { BASE_XML, EXT_XML, rangeOf, RP_XML } from '../helpers/journeyPolicies';
import { memoryWorkspace } from '../helpers/workspace';

const rp = (id: string, base: string) => compactPolicy(id, '  <RelyingParty><DefaultUserJourney ReferenceId="SignIn" /></RelyingParty>', base);

test('policy sets: per folder, each relying party with its chain as resolved (same folder first), error and warning counts per file', () => {
  const brokenExt = EXT_XML.replace('TechnicalProfileReferenceId="Reader"', 'TechnicalProfileReferenceId="Nope"');
  const { service, uri } = memoryWorkspace({
    'dev/Base.xml': BASE_XML,
    'dev/Ext.xml': brokenExt,
    'dev/RP.xml': RP_XML,
    'prod/Base.xml': BASE_XML,
    'prod/Ext.xml': EXT_XML,
    'prod/RP.xml': RP_XML,
    'prod/notes.xml': '<notes/>',
  });
  const sets = service.policySets();
  assert.deepEqual(
    sets.folders.map((f) => [f.folder, f.relyingParties.map((r) => r.relyingParty.uri), f.others]),
    [
      ['file:///ws/dev', [uri('dev/RP.xml')], []],
      ['file:///ws/prod', [uri('prod/RP.xml')], []],
    ],
  );
  const dev = sets.folders[0].relyingParties[0];
  assert.deepEqual(dev.relyingParty, { uri: uri('dev/RP.xml'), policyId: 'B2C_1A_RP', errors: 0, warnings: 0, defaultUserJourney: 'SignIn' });
  assert.deepEqual(
    dev.chain.map((f) => [f.uri, f.policyId, f.errors, f.warnings]),
    [
      [uri('dev/RP.xml'), 'B2C_1A_RP', 0, 0],
      [uri('dev/Ext.xml'), 'B2C_1A_Ext', 1, 0],
      [uri('dev/Base.xml'), 'B2C_1A_Base', 0, 0],
    ],
  );
  assert.equal(dev.missingBase, undefined);
  assert.equal(dev.cycle, undefined);
  assert.deepEqual(sets.folders[1].relyingParties[0].chain.map((f) => f.errors), [0, 0, 0]);
});

test('policy sets: a chain that stops at a missing base or closes a cycle says so; policies no relying party builds on are listed per folder', () => {
  const { service, uri } = memoryWorkspace({
    'a/RP.xml': rp('B2C_1A_RP', 'B2C_1A_Missing'),
    'b/RP.xml': rp('B2C_1A_LoopRP', 'B2C_1A_LoopExt'),
    'b/Ext.xml': compactPolicy('B2C_1A_LoopExt', '', 'B2C_1A_LoopRP'),
    'c/Base.xml': BASE_XML,
  });
  const sets = service.policySets();
  assert.deepEqual(sets.folders.map((f) => f.folder), ['file:///ws/a', 'file:///ws/b', 'file:///ws/c']);
  const [missing] = sets.folders[0].relyingParties;
  assert.deepEqual(missing.chain.map((f) => f.uri), [uri('a/RP.xml')]);
  assert.deepEqual(missing.missingBase, { file: uri('a/RP.xml'), policyId: 'B2C_1A_Missing', ambiguous: [] });
  const [cycle] = sets.folders[1].relyingParties;
  assert.deepEqual(cycle.chain.map((f) => f.uri), [uri('b/RP.xml'), uri('b/Ext.xml')]);
  assert.deepEqual(cycle.cycle, { file: uri('b/Ext.xml'), target: uri('b/RP.xml') });
  assert.deepEqual(sets.folders[2], { folder: 'file:///ws/c', relyingParties: [], others: [{ uri: uri('c/Base.xml'), policyId: 'B2C_1A_Base', errors: 0, warnings: 0 }] });
});

test('policy sets: a base found in two folders at the same distance is missing, with both candidates named', () => {
  const { service, uri } = memoryWorkspace({
    'x/RP.xml': rp('B2C_1A_RP', 'B2C_1A_Base'),
    'x/one/Base.xml': BASE_XML,
    'x/two/Base.xml': BASE_XML,
  });
  const [chain] = service.policySets().folders.find((f) => f.folder === 'file:///ws/x')!.relyingParties;
  assert.deepEqual(chain.missingBase, { file: uri('x/RP.xml'), policyId: 'B2C_1A_Base', ambiguous: [uri('x/one/Base.xml'), uri('x/two/Base.xml')] });
});

test('policy file outline: the journeys, sub-journeys, technical profiles and claim types a file defines, in document order, at their Id', () => {
  const { service, uri } = memoryWorkspace({ 'Base.xml': BASE_XML, 'notes.xml': '<notes/>' });
  const items = service.policyFileOutline(uri('Base.xml'));
  assert.deepEqual(
    items.map((i) => `${i.kind} ${i.id}`),
    [
      'claimType objectId',
      'claimType email',
      'claimType displayName',
      'technicalProfile SelfAsserted-Signin',
      'technicalProfile Login',
      'technicalProfile Social-IdP',
      'technicalProfile Reader',
      'technicalProfile JwtIssuer',
      'userJourney SignIn',
      'userJourney WithSub',
      'subJourney Sub',
      'subJourney Loop',
    ],
  );
  assert.deepEqual(items.find((i) => i.id === 'Reader')!.range, rangeOf(BASE_XML, 'TechnicalProfile Id="Reader"', 'Reader'));
  assert.deepEqual(service.policyFileOutline(uri('notes.xml')), []);
});

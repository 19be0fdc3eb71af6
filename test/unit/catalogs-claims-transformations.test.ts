import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SchemaCache } from '../../server/src/schemaFile';
import {
  CLAIM_DATA_TYPES,
  CLAIMS_TRANSFORMATION_METHODS,
  CLAIMS_TRANSFORMATION_PAGES,
  claimsTransformationMethod,
  claimsTransformationMethodNames,
  claimsTransformationReferenceUrl,
  methodSignature,
  type TransformationSlot,
} from '../../server/src/service/catalogs/claimsTransformations';

const schemaDataTypes = () => new SchemaCache().load().simpleTypes.get('DataType')!.enumeration!.map((e) => e.value);

test('the catalog DataTypes are exactly the DataType enumeration of the bundled schema', () => {
  assert.deepEqual([...CLAIM_DATA_TYPES].sort(), schemaDataTypes().sort());
});

test('every method is well-formed: unique name, a known page, a one-line description, known data types, unique slot names', () => {
  const known = new Set<string>(schemaDataTypes());
  const names = CLAIMS_TRANSFORMATION_METHODS.map((m) => m.name);
  assert.equal(new Set(names).size, names.length, 'method names are unique');
  for (const m of CLAIMS_TRANSFORMATION_METHODS) {
    assert.match(m.name, /^[A-Z][A-Za-z0-9]+$/, m.name);
    assert.ok((CLAIMS_TRANSFORMATION_PAGES as readonly string[]).includes(m.page), `${m.name}: page ${m.page}`);
    assert.ok(m.description.trim().length > 10 && !m.description.includes('\n') && m.description.endsWith('.'), `${m.name}: description`);
    if (!m.signature) continue;
    const sections: Array<[string, readonly TransformationSlot[]]> = [
      ['inputClaims', m.signature.inputClaims],
      ['inputParameters', m.signature.inputParameters],
      ['outputClaims', m.signature.outputClaims],
    ];
    for (const [section, slots] of sections) {
      const slotNames = slots.map((s) => s.name);
      assert.equal(new Set(slotNames).size, slotNames.length, `${m.name}.${section}: unique names`);
      for (const slot of slots) {
        assert.ok(slot.name.trim() === slot.name && slot.name.length > 0, `${m.name}.${section}: name '${slot.name}'`);
        assert.ok(slot.dataTypes.length > 0, `${m.name}.${slot.name}: at least one data type`);
        assert.equal(new Set(slot.dataTypes).size, slot.dataTypes.length, `${m.name}.${slot.name}: no repeated data type`);
        for (const t of slot.dataTypes) assert.ok(known.has(t), `${m.name}.${slot.name}: data type ${t}`);
        if (slot.values) {
          assert.equal(section, 'inputParameters', `${m.name}.${slot.name}: allowed values only on parameters`);
          assert.ok(slot.values.length >= 2 && slot.values.every((v) => v.trim().length > 0), `${m.name}.${slot.name}: values`);
        }
      }
    }
    for (const open of [m.signature.openInputClaims, m.signature.openInputParameters, m.signature.openOutputClaims]) {
      if (!open) continue;
      assert.ok(open.names.length > 0 && open.dataTypes.length > 0, `${m.name}: open slots described`);
      for (const t of open.dataTypes) assert.ok(known.has(t), `${m.name}: open data type ${t}`);
    }
    const slotCount = sections.reduce((n, [, s]) => n + s.length, 0);
    assert.ok(slotCount > 0 || m.signature.openOutputClaims, `${m.name}: takes or produces something`);
  }
});

test('counts: 70 methods, 64 with a documented signature, every reference page used; undocumented ones carry their evidence', () => {
  assert.equal(CLAIMS_TRANSFORMATION_METHODS.length, 70);
  assert.deepEqual(
    CLAIMS_TRANSFORMATION_METHODS.filter((m) => !m.signature).map((m) => m.name),
    ['GetAgeGroupAndConsentProvided', 'CreateUserIdentity', 'AddItemToUserIdentityCollection', 'RemoveUserIdentityFromCollectionByIssuer', 'GetIssuersFromUserIdentityCollectionTransformation', 'GetAgeGroupConsentProvidedAndRequiresConsent'],
  );
  for (const m of CLAIMS_TRANSFORMATION_METHODS) {
    assert.equal(m.page === 'undocumented', m.evidence !== undefined, `${m.name}: evidence exactly for the undocumented`);
    if (m.evidence) assert.match(claimsTransformationReferenceUrl(m), /^https:\/\/github\.com\/(MicrosoftDocs\/azure-docs\/issues|azure-ad-b2c\/samples\/)/);
  }
  const perPage = new Map<string, number>();
  for (const m of CLAIMS_TRANSFORMATION_METHODS) perPage.set(m.page, (perPage.get(m.page) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries([...perPage].sort()), {
    'active-directory-b2c-claimstransformations-custom.md': 1,
    'boolean-transformations.md': 5,
    'date-transformations.md': 6,
    'general-transformations.md': 3,
    'integer-transformations.md': 3,
    'json-transformations.md': 9,
    'phone-number-claims-transformations.md': 3,
    'social-transformations.md': 4,
    'string-transformations.md': 26,
    'stringcollection-transformations.md': 5,
    undocumented: 5,
  });
});

test('lookups are case-sensitive and the name list follows the catalog', () => {
  assert.equal(claimsTransformationMethod('CreateRandomString')?.page, 'string-transformations.md');
  assert.equal(claimsTransformationMethod('createRandomString'), undefined);
  assert.equal(claimsTransformationMethod('CreateRandomStrings'), undefined);
  assert.deepEqual(claimsTransformationMethodNames(), CLAIMS_TRANSFORMATION_METHODS.map((m) => m.name));
  assert.equal(
    claimsTransformationReferenceUrl(claimsTransformationMethod('AddItemToStringCollection')!),
    'https://learn.microsoft.com/azure/active-directory-b2c/stringcollection-transformations#additemtostringcollection',
  );
});

test('methodSignature: claims, then parameters after a semicolon, optional ones marked, several types joined', () => {
  assert.equal(
    methodSignature('CreateRandomString'),
    'CreateRandomString(randomGeneratorType: string, stringFormat?: string, base64?: boolean, maximumNumber?: int, seed?: int) -> outputClaim: string',
  );
  assert.equal(methodSignature('AddItemToStringCollection'), 'AddItemToStringCollection(item: string, collection: stringCollection) -> collection: stringCollection');
  assert.equal(methodSignature('ChangeCase'), 'ChangeCase(inputClaim1: string; toCase: string) -> outputClaim: string');
  assert.equal(methodSignature('CopyClaim'), 'CopyClaim(inputClaim: string | int) -> outputClaim: string | int');
  assert.equal(methodSignature('AssertBooleanClaimIsEqualToValue'), 'AssertBooleanClaimIsEqualToValue(inputClaim: boolean; valueToCompareTo: boolean)');
  assert.match(methodSignature('GenerateJson')!, /^GenerateJson\(\.\.\.dot-notation JSON paths [^;]+; \.\.\.dot-notation JSON paths [^)]+\) -> outputClaim: string$/);
  assert.equal(methodSignature('GetAgeGroupAndConsentProvided'), 'GetAgeGroupAndConsentProvided(...) (signature not documented)');
  assert.equal(methodSignature('NoSuchMethod'), undefined);
});

test('facts the starter packs and the service message rely on', () => {
  // service-errors.md #15: the service expects [String]rightOperand.
  const assertDates = claimsTransformationMethod('AssertDateTimeIsGreaterThan')!.signature!;
  assert.deepEqual(assertDates.inputClaims.map((s) => [s.name, s.dataTypes]), [['leftOperand', ['string']], ['rightOperand', ['string']]]);
  // The starter packs use `item` (the reference table's "Element" is a slip).
  assert.deepEqual(claimsTransformationMethod('AddItemToStringCollection')!.signature!.inputClaims.map((s) => s.name), ['item', 'collection']);
  assert.deepEqual(claimsTransformationMethod('CopyClaim')!.signature!.inputClaims[0].dataTypes, ['string', 'int']);
  assert.deepEqual(claimsTransformationMethod('DoesClaimExist')!.signature!.inputClaims[0].dataTypes, CLAIM_DATA_TYPES);
});

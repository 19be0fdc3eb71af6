import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Finding } from '../../server/src/service/findings';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { checkClaimsTransformations } from '../../server/src/service/rules/claimsTransformations';
import { policy } from '../helpers/policies';
import { runRule } from '../helpers/rules';

const BASE_URI = 'file:///ws/TrustFrameworkBase.xml';
const EXT_URI = 'file:///ws/TrustFrameworkExtensions.xml';

/** Claim types of every data type the tests bind. */
const CLAIMS = `
    <ClaimsSchema>
      <ClaimType Id="email"><DisplayName>Email</DisplayName><DataType>string</DataType></ClaimType>
      <ClaimType Id="otherMails"><DisplayName>Other mails</DisplayName><DataType>stringCollection</DataType></ClaimType>
      <ClaimType Id="upn"><DisplayName>UPN</DisplayName><DataType>string</DataType></ClaimType>
      <ClaimType Id="inputClaim"><DisplayName>Named like the slot</DisplayName><DataType>string</DataType></ClaimType>
      <ClaimType Id="issuedOn"><DisplayName>Issued on</DisplayName><DataType>string</DataType></ClaimType>
      <ClaimType Id="validFrom"><DisplayName>Valid from</DisplayName><DataType>dateTime</DataType></ClaimType>
      <ClaimType Id="count"><DisplayName>Count</DisplayName><DataType>int</DataType></ClaimType>
      <ClaimType Id="countCopy"><DisplayName>Count copy</DisplayName><DataType>int</DataType></ClaimType>
      <ClaimType Id="flag"><DisplayName>Flag</DisplayName><DataType>boolean</DataType></ClaimType>
      <ClaimType Id="json"><DisplayName>JSON</DisplayName><DataType>string</DataType></ClaimType>
      <ClaimType Id="membership"><DisplayName>Membership</DisplayName><DataType>int</DataType></ClaimType>
    </ClaimsSchema>`;

function base(transformations: string, claims = CLAIMS): string {
  return policy('B2C_1A_TrustFrameworkBase', `  <BuildingBlocks>${claims}\n    <ClaimsTransformations>\n${transformations}\n    </ClaimsTransformations>\n  </BuildingBlocks>`);
}

function findings(files: Record<string, string>, uri = BASE_URI): Finding[] {
  const service = new Analysis({ log: (m) => { throw new Error(m); } });
  for (const [u, text] of Object.entries(files)) service.index.setDiskFile(u, text);
  return runRule(service, uri, checkClaimsTransformations);
}

/** The span of `value` inside the first occurrence of `context` (which contains it). */
function spanIn(text: string, context: string, value: string): { start: number; end: number } {
  const at = text.indexOf(context);
  assert.ok(at >= 0, `'${context}' not in text`);
  const start = at + context.indexOf(value);
  assert.ok(context.includes(value));
  return { start, end: start + value.length };
}

const ADD_ITEM = (item: string) => `      <ClaimsTransformation Id="CreateOtherMailsFromEmail" TransformationMethod="AddItemToStringCollection">
        <InputClaims>
          <InputClaim ClaimTypeReferenceId="email" TransformationClaimType="${item}" />
          <InputClaim ClaimTypeReferenceId="otherMails" TransformationClaimType="collection" />
        </InputClaims>
        <OutputClaims>
          <OutputClaim ClaimTypeReferenceId="otherMails" TransformationClaimType="collection" />
        </OutputClaims>
      </ClaimsTransformation>`;

const RANDOM = (method: string, parameters: string) => `      <ClaimsTransformation Id="CreateRandomUPN" TransformationMethod="${method}">
        <InputParameters>
${parameters}
        </InputParameters>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="upn" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>`;

const GUID = '          <InputParameter Id="randomGeneratorType" DataType="string" Value="GUID" />';

const CHANGE_CASE = (toCase: string) => `      <ClaimsTransformation Id="Case" TransformationMethod="ChangeCase">
        <InputClaims><InputClaim ClaimTypeReferenceId="email" TransformationClaimType="inputClaim1" /></InputClaims>
        <InputParameters><InputParameter Id="toCase" DataType="string" Value="${toCase}" /></InputParameters>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="email" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>`;

const SUBSTRING = (startIndex: string, length: string) => `      <ClaimsTransformation Id="Part" TransformationMethod="StringSubstring">
        <InputClaims><InputClaim ClaimTypeReferenceId="email" TransformationClaimType="inputClaim" /></InputClaims>
        <InputParameters>
          <InputParameter Id="startIndex" DataType="int" Value="${startIndex}" />
          <InputParameter Id="length" DataType="int" Value="${length}" />
        </InputParameters>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="upn" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>`;

test('matching transformations give no finding (named, optional, open and defaulted slots)', () => {
  const text = base(`${ADD_ITEM('item')}
${RANDOM('CreateRandomString', `${GUID}\n          <InputParameter Id="maximumNumber" DataType="int" Value="1000" />\n          <InputParameter Id="base64" DataType="boolean" Value="False" />`)}
      <ClaimsTransformation Id="Format" TransformationMethod="FormatStringClaim">
        <InputClaims><InputClaim ClaimTypeReferenceId="inputClaim" /></InputClaims>
        <InputParameters><InputParameter Id="stringFormat" DataType="string" Value="cpim_{0}@{RelyingPartyTenantId}" /></InputParameters>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="upn" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>
      <ClaimsTransformation Id="FromJsonArray" TransformationMethod="GetClaimsFromJsonArray">
        <InputClaims><InputClaim ClaimTypeReferenceId="json" TransformationClaimType="jsonSource" /></InputClaims>
        <InputParameters>
          <InputParameter Id="errorOnMissingClaims" DataType="boolean" Value="false" />
          <InputParameter Id="includeEmptyClaims" DataType="boolean" Value="false" />
          <InputParameter Id="jsonSourceKeyName" DataType="string" Value="key" />
          <InputParameter Id="jsonSourceValueName" DataType="string" Value="value" />
        </InputParameters>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="email" /><OutputClaim ClaimTypeReferenceId="membership" /><OutputClaim ClaimTypeReferenceId="flag" /></OutputClaims>
      </ClaimsTransformation>
      <ClaimsTransformation Id="Body" TransformationMethod="GenerateJson">
        <InputClaims><InputClaim ClaimTypeReferenceId="email" TransformationClaimType="user.email" /><InputClaim ClaimTypeReferenceId="count" TransformationClaimType="user.count" /></InputClaims>
        <InputParameters><InputParameter Id="user.role.id" DataType="long" Value="1" /></InputParameters>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="json" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>
      <ClaimsTransformation Id="CopyCount" TransformationMethod="CopyClaim">
        <InputClaims><InputClaim ClaimTypeReferenceId="count" TransformationClaimType="inputClaim" /></InputClaims>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="countCopy" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>
${CHANGE_CASE('lower')}
      <ClaimsTransformation Id="AgeGroup" TransformationMethod="GetAgeGroupAndConsentProvided">
        <InputClaims><InputClaim ClaimTypeReferenceId="email" TransformationClaimType="anything" /></InputClaims>
      </ClaimsTransformation>`);
  assert.deepEqual(findings({ [BASE_URI]: text }), []);
});

test('unknown-transformation-method on the attribute value, with the closest names as data', () => {
  const text = base(RANDOM('CreateRandomStrings', GUID));
  const result = findings({ [BASE_URI]: text });
  assert.deepEqual(
    result.map((f) => ({ code: f.code, severity: f.severity, span: f.span, data: f.data })),
    [
      {
        code: 'unknown-transformation-method',
        severity: 'error',
        span: spanIn(text, 'TransformationMethod="CreateRandomStrings"', 'CreateRandomStrings'),
        data: { transformationId: 'CreateRandomUPN', method: 'CreateRandomStrings', suggestions: ['CreateRandomString'] },
      },
    ],
  );
  assert.match(result[0].message, /'CreateRandomStrings' is not a claims transformation method.*Did you mean 'CreateRandomString'\?/);
});

test('method names are case-sensitive: another casing is unknown, the right casing is suggested', () => {
  const text = base(RANDOM('createRandomString', GUID));
  const result = findings({ [BASE_URI]: text });
  assert.deepEqual(result.map((f) => [f.code, f.data?.suggestions]), [['unknown-transformation-method', ['CreateRandomString']]]);
  assert.ok(result[0].message.endsWith("Method names are case-sensitive: use 'CreateRandomString'."), result[0].message);
});

test('undocumented methods that Microsoft\'s published samples run are known by name (signature not judged)', () => {
  // azure-ad-b2c/samples account-linkage-unified and age-gating use them; MicrosoftDocs/azure-docs#52874 describes the first four.
  const transformation = (id: string, method: string) =>
    `      <ClaimsTransformation Id="${id}" TransformationMethod="${method}"><InputClaims><InputClaim ClaimTypeReferenceId="email" TransformationClaimType="anything" /></InputClaims></ClaimsTransformation>`;
  const methods = ['CreateUserIdentity', 'AddItemToUserIdentityCollection', 'RemoveUserIdentityFromCollectionByIssuer', 'GetIssuersFromUserIdentityCollectionTransformation', 'GetAgeGroupConsentProvidedAndRequiresConsent'];
  assert.deepEqual(findings({ [BASE_URI]: base(methods.map((m, i) => transformation(`T${i}`, m)).join('\n')) }), []);
  // A misspelling of one is still unknown, with the right name suggested.
  const typo = findings({ [BASE_URI]: base(transformation('T', 'CreateUserIdentiy')) });
  assert.deepEqual(typo.map((f) => [f.code, (f.data?.suggestions as string[])[0]]), [['unknown-transformation-method', 'CreateUserIdentity']]);
});

test('a templated method is not judged', () => {
  assert.deepEqual(findings({ [BASE_URI]: base(RANDOM('{Settings:RandomMethod}', GUID)) }), []);
});

test('transformation-signature-mismatch: a misspelt TransformationClaimType, on its value, expected vs declared as the service writes them', () => {
  const text = base(ADD_ITEM('itemX'));
  const result = findings({ [BASE_URI]: text });
  assert.deepEqual(
    result.map((f) => ({ code: f.code, severity: f.severity, span: f.span, data: f.data })),
    [
      {
        code: 'transformation-signature-mismatch',
        severity: 'error',
        span: spanIn(text, 'TransformationClaimType="itemX"', 'itemX'),
        data: { transformationId: 'CreateOtherMailsFromEmail', method: 'AddItemToStringCollection', section: 'InputClaims', unexpected: ['itemX'], missing: ['item'], expected: ['item', 'collection'] },
      },
    ],
  );
  assert.equal(
    result[0].message,
    "The InputClaims of ClaimsTransformation 'CreateOtherMailsFromEmail' do not match TransformationMethod 'AddItemToStringCollection'. Declared but not expected: [String]itemX. Expected but not declared: [String]item.",
  );
});

test('a required parameter left out is reported on the method; an unexpected parameter Id on the Id', () => {
  const missing = base(RANDOM('CreateRandomString', '          <InputParameter Id="maximumNumber" DataType="int" Value="10" />'));
  const m = findings({ [BASE_URI]: missing });
  assert.deepEqual(
    m.map((f) => ({ code: f.code, span: f.span, section: f.data?.section, unexpected: f.data?.unexpected, missing: f.data?.missing })),
    [{ code: 'transformation-signature-mismatch', span: spanIn(missing, 'TransformationMethod="CreateRandomString"', 'CreateRandomString'), section: 'InputParameters', unexpected: [], missing: ['randomGeneratorType'] }],
  );
  assert.ok(m[0].message.endsWith('Expected but not declared: [String]randomGeneratorType.'), m[0].message);

  const unexpected = base(RANDOM('CreateRandomString', `${GUID}\n          <InputParameter Id="maxNumber" DataType="int" Value="10" />`));
  const u = findings({ [BASE_URI]: unexpected });
  assert.deepEqual(
    u.map((f) => ({ span: f.span, unexpected: f.data?.unexpected, missing: f.data?.missing })),
    [{ span: spanIn(unexpected, 'Id="maxNumber"', 'maxNumber'), unexpected: ['maxNumber'], missing: [] }],
  );
  assert.ok(u[0].message.includes('Declared but not expected: [Int]maxNumber.'), u[0].message);
});

test('a missing output claim and a claim the method does not produce are reported per section', () => {
  const text = base(`      <ClaimsTransformation Id="FirstItem" TransformationMethod="GetSingleItemFromJson">
        <InputClaims><InputClaim ClaimTypeReferenceId="json" TransformationClaimType="inputJson" /></InputClaims>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="email" TransformationClaimType="value" /></OutputClaims>
      </ClaimsTransformation>
      <ClaimsTransformation Id="Now" TransformationMethod="GetCurrentDateTime">
        <InputClaims><InputClaim ClaimTypeReferenceId="email" TransformationClaimType="inputClaim" /></InputClaims>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="validFrom" TransformationClaimType="currentDateTime" /></OutputClaims>
      </ClaimsTransformation>`);
  const result = findings({ [BASE_URI]: text });
  assert.deepEqual(
    result.map((f) => [f.data?.transformationId, f.data?.section, f.data?.unexpected, f.data?.missing]),
    [
      ['FirstItem', 'OutputClaims', [], ['key']],
      ['Now', 'InputClaims', ['inputClaim'], []],
    ],
  );
  assert.ok(result[1].message.includes('Declared but not expected: [String]inputClaim.'), result[1].message);
  assert.deepEqual(result[1].span, spanIn(text, 'TransformationClaimType="inputClaim"', 'inputClaim'));
});

test('without TransformationClaimType the ClaimTypeReferenceId is the name (as the schema documents)', () => {
  const text = base(`      <ClaimsTransformation Id="Format" TransformationMethod="FormatStringClaim">
        <InputClaims><InputClaim ClaimTypeReferenceId="email" /></InputClaims>
        <InputParameters><InputParameter Id="stringFormat" DataType="string" Value="{0}" /></InputParameters>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="upn" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>`);
  const result = findings({ [BASE_URI]: text });
  assert.deepEqual(result.map((f) => [f.data?.unexpected, f.data?.missing, f.span]), [[['email'], ['inputClaim'], spanIn(text, 'ClaimTypeReferenceId="email"', 'email')]]);
});

test('a templated TransformationClaimType is not judged, and no expected name is called missing', () => {
  const text = base(ADD_ITEM('{Settings:ItemName}'));
  assert.deepEqual(findings({ [BASE_URI]: text }), []);
});

test('transformation-claim-type-mismatch: the bound ClaimType (declared in the base) has a DataType the method does not take', () => {
  const ext = policy(
    'B2C_1A_TrustFrameworkExtensions',
    `  <BuildingBlocks>
    <ClaimsTransformations>
      <ClaimsTransformation Id="AssertRefreshTokenIssuedLaterThanValidFromDate" TransformationMethod="AssertDateTimeIsGreaterThan">
        <InputClaims>
          <InputClaim ClaimTypeReferenceId="issuedOn" TransformationClaimType="leftOperand" />
          <InputClaim ClaimTypeReferenceId="validFrom" TransformationClaimType="rightOperand" />
        </InputClaims>
        <InputParameters>
          <InputParameter Id="AssertIfEqualTo" DataType="boolean" Value="false" />
          <InputParameter Id="AssertIfRightOperandIsNotPresent" DataType="boolean" Value="true" />
          <InputParameter Id="TreatAsEqualIfWithinMillseconds" DataType="int" Value="300000" />
        </InputParameters>
      </ClaimsTransformation>
    </ClaimsTransformations>
  </BuildingBlocks>`,
    'B2C_1A_TrustFrameworkBase',
  );
  const result = findings({ [BASE_URI]: base(''), [EXT_URI]: ext }, EXT_URI);
  assert.deepEqual(
    result.map((f) => ({ code: f.code, severity: f.severity, span: f.span, data: f.data })),
    [
      {
        code: 'transformation-claim-type-mismatch',
        severity: 'error',
        span: spanIn(ext, 'ClaimTypeReferenceId="validFrom"', 'validFrom'),
        data: {
          transformationId: 'AssertRefreshTokenIssuedLaterThanValidFromDate',
          method: 'AssertDateTimeIsGreaterThan',
          section: 'InputClaims',
          name: 'rightOperand',
          claimType: 'validFrom',
          dataType: 'dateTime',
          expected: ['string'],
        },
      },
    ],
  );
  assert.match(result[0].message, /Declared: \[DateTime\]rightOperand \(ClaimType 'validFrom' is dateTime\)\. Expected: \[String\]rightOperand\.$/);

  // A child that re-declares the ClaimType without a DataType keeps the base's; one that states string fixes it.
  const redeclare = (inner: string) => ext.replace('  <BuildingBlocks>\n', `  <BuildingBlocks>\n    <ClaimsSchema><ClaimType Id="validFrom">${inner}</ClaimType></ClaimsSchema>\n`);
  assert.equal(findings({ [BASE_URI]: base(''), [EXT_URI]: redeclare('<UserHelpText>x</UserHelpText>') }, EXT_URI).length, 1);
  assert.deepEqual(findings({ [BASE_URI]: base(''), [EXT_URI]: redeclare('<DataType>string</DataType>') }, EXT_URI), []);
});

test('several accepted data types: CopyClaim takes int, not boolean; an unresolved claim is left to the references rule', () => {
  const copy = (from: string, to: string) => `      <ClaimsTransformation Id="Copy" TransformationMethod="CopyClaim">
        <InputClaims><InputClaim ClaimTypeReferenceId="${from}" TransformationClaimType="inputClaim" /></InputClaims>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="${to}" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>`;
  assert.deepEqual(findings({ [BASE_URI]: base(copy('count', 'countCopy')) }), []);
  const text = base(copy('count', 'flag'));
  assert.deepEqual(
    findings({ [BASE_URI]: text }).map((f) => [f.code, f.data?.section, f.data?.dataType, f.span]),
    [['transformation-claim-type-mismatch', 'OutputClaims', 'boolean', spanIn(text, 'ClaimTypeReferenceId="flag"', 'flag')]],
  );
  assert.deepEqual(findings({ [BASE_URI]: base(copy('noSuchClaim', 'countCopy')) }), []);
});

test('transformation-parameter-invalid-value: values outside the listed ones, or not of the declared DataType', () => {
  const text = base(`${CHANGE_CASE('MIXED')}
${SUBSTRING('first', '2147483648')}
      <ClaimsTransformation Id="Assert" TransformationMethod="AssertBooleanClaimIsEqualToValue">
        <InputClaims><InputClaim ClaimTypeReferenceId="flag" TransformationClaimType="inputClaim" /></InputClaims>
        <InputParameters><InputParameter Id="valueToCompareTo" DataType="boolean" Value="yes" /></InputParameters>
      </ClaimsTransformation>`);
  const result = findings({ [BASE_URI]: text });
  assert.deepEqual(
    result.map((f) => ({ code: f.code, span: f.span, parameter: f.data?.parameter, value: f.data?.value, allowed: f.data?.allowed })),
    [
      { code: 'transformation-parameter-invalid-value', span: spanIn(text, 'Value="MIXED"', 'MIXED'), parameter: 'toCase', value: 'MIXED', allowed: ['LOWER', 'UPPER'] },
      { code: 'transformation-parameter-invalid-value', span: spanIn(text, 'Value="first"', 'first'), parameter: 'startIndex', value: 'first', allowed: undefined },
      { code: 'transformation-parameter-invalid-value', span: spanIn(text, 'Value="2147483648"', '2147483648'), parameter: 'length', value: '2147483648', allowed: undefined },
      { code: 'transformation-parameter-invalid-value', span: spanIn(text, 'Value="yes"', 'yes'), parameter: 'valueToCompareTo', value: 'yes', allowed: ['true', 'false'] },
    ],
  );
  assert.equal(result[0].message, "InputParameter 'toCase' of ClaimsTransformation 'Case' (ChangeCase) must be one of 'LOWER', 'UPPER'; found 'MIXED'.");
  assert.equal(result[1].message, "InputParameter 'startIndex' of ClaimsTransformation 'Part' is declared int, but 'first' is not an int value.");
});

test('parameter values with a template token or a claim resolver are not judged; long takes 64-bit numbers', () => {
  const text = base(`${SUBSTRING('{Settings:Start}', '{Claim:count}')}
${CHANGE_CASE('#{CaseSetting}#')}
      <ClaimsTransformation Id="Body" TransformationMethod="GenerateJson">
        <InputParameters><InputParameter Id="id" DataType="long" Value="9223372036854775807" /></InputParameters>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="json" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>`);
  assert.deepEqual(findings({ [BASE_URI]: text }), []);
  const overflow = text.replace('9223372036854775807', '9223372036854775808');
  assert.deepEqual(findings({ [BASE_URI]: overflow }).map((f) => [f.code, f.data?.parameter]), [['transformation-parameter-invalid-value', 'id']]);
});

test('each file judges its own transformations: the base is clean when only the child is wrong', () => {
  const ext = policy(
    'B2C_1A_TrustFrameworkExtensions',
    `  <BuildingBlocks><ClaimsTransformations>\n${RANDOM('CreateRandomStrings', GUID)}\n  </ClaimsTransformations></BuildingBlocks>`,
    'B2C_1A_TrustFrameworkBase',
  );
  const files = { [BASE_URI]: base(ADD_ITEM('item')), [EXT_URI]: ext };
  assert.deepEqual(findings(files, BASE_URI), []);
  assert.deepEqual(findings(files, EXT_URI).map((f) => f.code), ['unknown-transformation-method']);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type CompiledSchema, loadBundledSchema, validateDocument, DEFAULT_TEMPLATE_TOKENS } from '../../server/src/service/schema';
import type { Finding } from '../../server/src/service/findings';
import { parseXml } from '../../server/src/service/xml';

const NS = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';

/** The project's schema with the official grammar (precompiled): these tests never need ../shared. */
let cached: CompiledSchema | undefined;
function schema(): CompiledSchema {
  return (cached ??= loadBundledSchema('official'));
}

function validate(text: string): Finding[] {
  return validateDocument(schema(), parseXml(text), { templateTokens: DEFAULT_TEMPLATE_TOKENS, throwInternalErrors: true });
}

/** A small valid policy; `body` goes after BasePolicy. */
function policy(body: string, rootAttributes = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<TrustFrameworkPolicy xmlns="${NS}" PolicySchemaVersion="0.3.0.0" TenantId="contoso.onmicrosoft.com"
  PolicyId="B2C_1A_Test" PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_Test"${rootAttributes}>
  <BasePolicy>
    <TenantId>contoso.onmicrosoft.com</TenantId>
    <PolicyId>B2C_1A_Base</PolicyId>
  </BasePolicy>
${body}
</TrustFrameworkPolicy>`;
}

function claims(claimTypes: string): string {
  return `  <BuildingBlocks>
    <ClaimsSchema>
${claimTypes}
    </ClaimsSchema>
  </BuildingBlocks>`;
}

/** The text a finding's span covers. */
function spanned(text: string, f: Finding): string {
  return text.slice(f.span.start, f.span.end);
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

test('the test policy itself is valid', () => {
  assert.deepEqual(validate(policy(claims(`      <ClaimType Id="email"><DisplayName>Email</DisplayName><DataType>string</DataType></ClaimType>`))), []);
});

test('two errors in one parent are both reported, each on the unexpected element name', () => {
  const text = policy(claims(`      <ClaimType Id="email"><DisplayName>Email</DisplayName><Foo/><DataType>string</DataType><Bar>x</Bar></ClaimType>`));
  const findings = validate(text);
  assert.deepEqual(codes(findings), ['schema-unexpected-element', 'schema-unexpected-element']);
  assert.deepEqual(findings.map((f) => spanned(text, f)), ['Foo', 'Bar']);
  assert.match(findings[0].message, /^Unexpected <Foo> in <ClaimType>: expected one of DataType, DefaultPartnerClaimTypes, Mask/);
  assert.ok((findings[0].data!.expected as string[]).includes('DataType'));
  assert.match(findings[1].message, /^Unexpected <Bar> in <ClaimType>: expected one of DefaultPartnerClaimTypes/);
});

test('an element out of order says where it belongs', () => {
  const text = policy(claims(`      <ClaimType Id="email"><DataType>string</DataType><DisplayName>Email</DisplayName></ClaimType>`));
  const findings = validate(text);
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, 'schema-unexpected-element');
  assert.equal(spanned(text, findings[0]), 'DisplayName');
  assert.match(findings[0].message, /Unexpected <DisplayName> in <ClaimType>: expected one of DefaultPartnerClaimTypes, .*\(<DisplayName> must come before <DataType>\)/);
  assert.equal(findings[0].data!.belongsBefore, 'DataType');
});

test('an invalid enumeration value is reported on the value, listing the allowed values', () => {
  const text = policy(claims(`      <ClaimType Id="email"><DisplayName>Email</DisplayName><DataType>String</DataType></ClaimType>`), ' DeploymentMode="Dev"');
  const findings = validate(text);
  assert.deepEqual(codes(findings), ['schema-invalid-value', 'schema-invalid-value']);
  assert.deepEqual(findings.map((f) => spanned(text, f)), ['Dev', 'String']);
  assert.deepEqual(findings[0].data!.allowed, ['Development', 'Production', 'Debugging']);
  assert.equal(findings[0].data!.attribute, 'DeploymentMode');
  assert.match(findings[1].message, /'String' is not a valid value for <DataType>: expected one of boolean, date, .*Did you mean 'string'\?/);
});

test('a missing required attribute is reported on the element name; an unknown one on the attribute name', () => {
  const text = policy(claims(`      <ClaimType Ids="email"><DisplayName>Email</DisplayName><DataType>string</DataType></ClaimType>`));
  const findings = validate(text);
  assert.deepEqual(codes(findings), ['schema-missing-attribute', 'schema-unknown-attribute']);
  assert.deepEqual(findings.map((f) => spanned(text, f)), ['ClaimType', 'Ids']);
  assert.equal(findings[0].data!.attribute, 'Id');
  assert.match(findings[0].message, /<ClaimType> is missing the required attribute Id/);
  assert.deepEqual(findings[1].data!.allowed, ['Id', 'StatementType']);
});

test('a missing required element is reported on the parent, with where to insert it', () => {
  const text = policy('').replace(/<PolicyId>B2C_1A_Base<\/PolicyId>\s*/, '');
  const findings = validate(text);
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, 'schema-missing-element');
  assert.equal(spanned(text, findings[0]), 'BasePolicy');
  assert.equal(findings[0].message, '<BasePolicy> is missing <PolicyId>.');
  assert.deepEqual(findings[0].data!.missing, ['PolicyId']);
  assert.equal(text.slice(0, findings[0].data!.insertAt as number).endsWith('</TenantId>'), true);

  const before = policy('').replace('<TenantId>contoso.onmicrosoft.com</TenantId>', '');
  const [f] = validate(before);
  assert.equal(f.code, 'schema-missing-element');
  assert.equal(f.message, '<BasePolicy> is missing <TenantId> before <PolicyId>.');
  assert.equal(before.slice(f.data!.insertAt as number).startsWith('<PolicyId>'), true);
});

test('text in element-only content, a duplicate key and a pattern violation', () => {
  const text = policy(
    claims(`      stray text
      <ClaimType Id="email"><DisplayName>Email</DisplayName><DataType>string</DataType></ClaimType>
      <ClaimType Id="email"><DisplayName>Again</DisplayName><DataType>string</DataType></ClaimType>`),
  ).replace('<TenantId>contoso.onmicrosoft.com</TenantId>', '<TenantId>contoso tenant</TenantId>');
  const findings = validate(text);
  assert.deepEqual(codes(findings), ['schema-invalid-value', 'schema-text-not-allowed', 'schema-duplicate-key']);
  assert.deepEqual(findings.map((f) => spanned(text, f)), ['contoso tenant', 'stray text', 'email']);
  assert.ok(findings[2].span.start > text.indexOf('Again') - 60, 'the second occurrence is reported');
  assert.equal(findings[2].data!.key, 'UniqueClaimTypeId');
  assert.match(findings[0].message, /must match the pattern \[A-Za-z0-9\\.\]\{3,63\} \(TenantId\)/);
});

test('values holding a template token are not checked against enumerations or patterns', () => {
  const text = policy(
    `  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="tp">
          <DisplayName>TP</DisplayName>
          <Protocol Name="{Settings:Protocol}" />
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>`,
    ' DeploymentMode="#{Mode}#"',
  ).replace('<TenantId>contoso.onmicrosoft.com</TenantId>', '<TenantId>{{ tenantId }}</TenantId>');
  assert.deepEqual(validate(text), []);
  const plain = text.replace('{Settings:Protocol}', 'Proprietary2');
  const findings = validate(plain);
  assert.deepEqual(codes(findings), ['schema-invalid-value']);
  assert.equal(spanned(plain, findings[0]), 'Proprietary2');
});

test('a root in a foreign namespace is reported once and its content still checked by local names', () => {
  const text = policy(claims(`      <ClaimType Id="email"><DisplayName>Email</DisplayName><Oops/></ClaimType>`)).replace(`xmlns="${NS}"`, 'xmlns="urn:other"');
  const findings = validate(text);
  assert.deepEqual(codes(findings), ['schema-unexpected-element', 'schema-unexpected-element']);
  assert.equal(spanned(text, findings[0]), 'TrustFrameworkPolicy');
  assert.match(findings[0].message, /must be in the namespace http:\/\/schemas.microsoft.com\/online\/cpim\/schemas\/2013\/06, not urn:other/);
  assert.equal(spanned(text, findings[1]), 'Oops');

  const noNamespace = validate('<TrustFrameworkPolicy PolicySchemaVersion="0.3.0.0" TenantId="a.b.c" PolicyId="P" PublicPolicyUri="http://x/P"/>');
  assert.deepEqual(codes(noNamespace), ['schema-unexpected-element']);
  assert.deepEqual(validate('<Other xmlns="urn:x"/>').map((f) => f.data!.expected), [['TrustFrameworkPolicy']]);
});

test('unfinished documents never throw and report nothing about the part being typed', () => {
  const prefix = policy(
    `  <ClaimsProviders>
    <ClaimsProvider>
      <TechnicalProfiles>
        <TechnicalProfile Id="tp">
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="`,
  );
  const unfinished = prefix.slice(0, prefix.indexOf('\n</TrustFrameworkPolicy>'));
  const findings = validate(unfinished);
  assert.deepEqual(findings.filter((f) => f.code === 'schema-missing-attribute' || f.code === 'schema-missing-element'), []);
  // Every prefix of a policy: never throws.
  const full = policy(claims(`      <ClaimType Id="email"><DisplayName>Email</DisplayName><DataType>string</DataType></ClaimType>`));
  for (let i = 0; i <= full.length; i += 7) validate(full.slice(0, i));
  assert.deepEqual(validate(''), []);
  assert.deepEqual(validate('<!-- only a comment -->'), []);
});

test('a custom template token pattern is honoured and the default ones can be turned off', () => {
  const text = policy('', ' DeploymentMode="$(mode)"');
  const doc = parseXml(text);
  assert.equal(validateDocument(schema(), doc, { templateTokens: [] }).length, 1);
  assert.equal(validateDocument(schema(), doc, { templateTokens: [/\$\([^)]*\)/g] }).length, 0);
});

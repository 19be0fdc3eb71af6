import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Analysis, type ServiceSettings } from '../../server/src/service/analysis/analysis';
import type { Finding } from '../../server/src/service/findings';

const NS = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';
const BASE_URI = 'file:///ws/dev/TrustFrameworkBase.xml';
const EXT_URI = 'file:///ws/dev/TrustFrameworkExtensions.xml';
const RP_URI = 'file:///ws/dev/SignUpOrSignin.xml';

function policy(policyId: string, base: string | undefined, body = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<TrustFrameworkPolicy xmlns="${NS}" PolicySchemaVersion="0.3.0.0" TenantId="contoso.onmicrosoft.com" PolicyId="${policyId}" PublicPolicyUri="http://contoso.onmicrosoft.com/${policyId}">
${base !== undefined ? `  <BasePolicy><TenantId>contoso.onmicrosoft.com</TenantId><PolicyId>${base}</PolicyId></BasePolicy>\n` : ''}${body}
</TrustFrameworkPolicy>
`;
}

/**
 * The catalog rules (technical-profile types, metadata, keys) have their own tests; the minimal profiles
 * here are containers for references, keys and URLs, so those codes are left out of what these tests see.
 */
const CATALOG_CODES = new Set(['incomplete-technical-profile', 'unknown-protocol-handler', 'missing-metadata', 'unknown-metadata-key', 'invalid-metadata-value', 'missing-cryptographic-key', 'unknown-cryptographic-key']);

function service(files: Record<string, string>, settings?: Partial<ServiceSettings>): { index: Analysis['index']; findings(uri: string): Finding[] } {
  const s = new Analysis({ settings, log: (m) => { throw new Error(m); } });
  for (const [uri, text] of Object.entries(files)) s.index.setDiskFile(uri, text);
  return { index: s.index, findings: (uri) => s.findings(uri).filter((f) => !CATALOG_CODES.has(f.code)) };
}

/** Span of the n-th occurrence of `needle` inside `text`, narrowed to `value` (defaults to needle). */
function spanOf(text: string, needle: string, value = needle): { start: number; end: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `'${needle}' not in text`);
  const start = at + needle.indexOf(value);
  return { start, end: start + value.length };
}
const attr = (text: string, value: string) => spanOf(text, `"${value}"`, value);
const elementText = (text: string, value: string) => spanOf(text, `>${value}<`, value);

const summary = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.code} ${f.data?.kind ?? ''} ${f.data?.id ?? ''}`.trim());

/** The base: one definition of each kind the reference tests use. */
const DEFINITIONS = `
  <BuildingBlocks>
    <ClaimsSchema><ClaimType Id="email"><DisplayName>Email</DisplayName><DataType>string</DataType></ClaimType></ClaimsSchema>
    <Predicates><Predicate Id="IsLengthBetween8And64" Method="IsLengthRange"><Parameters><Parameter Id="Minimum">8</Parameter></Parameters></Predicate></Predicates>
    <PredicateValidations><PredicateValidation Id="StrongPassword"><PredicateGroups><PredicateGroup Id="Length"><PredicateReferences>
      <PredicateReference Id="IsLengthBetween8And64" />
    </PredicateReferences></PredicateGroup></PredicateGroups></PredicateValidation></PredicateValidations>
    <ClaimsTransformations><ClaimsTransformation Id="CreateDisplayName" TransformationMethod="FormatStringClaim">
  <InputClaims><InputClaim ClaimTypeReferenceId="email" TransformationClaimType="inputClaim" /></InputClaims>
  <InputParameters><InputParameter Id="stringFormat" DataType="string" Value="{0}" /></InputParameters>
  <OutputClaims><OutputClaim ClaimTypeReferenceId="email" TransformationClaimType="outputClaim" /></OutputClaims>
</ClaimsTransformation></ClaimsTransformations>
    <ContentDefinitions>
      <ContentDefinition Id="api.signuporsignin"><LoadUri>~/x.html</LoadUri></ContentDefinition>
      <ContentDefinition Id="api.selfasserted"><LoadUri>~/y.html</LoadUri></ContentDefinition>
    </ContentDefinitions>
  </BuildingBlocks>
  <ClaimsProviders><ClaimsProvider><DisplayName>Local</DisplayName><TechnicalProfiles>
    <TechnicalProfile Id="SelfAsserted-LocalAccountSignin-Email"><DisplayName>Sign in</DisplayName></TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>
  <UserJourneys><UserJourney Id="SignUpOrSignIn"><OrchestrationSteps>
    <OrchestrationStep Order="1" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="SelfAsserted-LocalAccountSignin-Email" />
  </OrchestrationSteps></UserJourney></UserJourneys>`;

interface Ids {
  tp: string;
  claim: string;
  ct: string;
  cdStep: string;
  cdMeta: string;
  journey: string;
  predicate: string;
}
const DEFINED: Ids = {
  tp: 'SelfAsserted-LocalAccountSignin-Email',
  claim: 'email',
  ct: 'CreateDisplayName',
  cdStep: 'api.signuporsignin',
  cdMeta: 'api.selfasserted',
  journey: 'SignUpOrSignIn',
  predicate: 'IsLengthBetween8And64',
};

/** A child policy referencing one thing of each kind. */
function referencing(ids: Ids): string {
  return policy(
    'B2C_1A_signup_signin',
    'B2C_1A_TrustFrameworkBase',
    `
  <BuildingBlocks>
    <PredicateValidations><PredicateValidation Id="ChildValidation"><PredicateGroups><PredicateGroup Id="G"><PredicateReferences>
      <PredicateReference Id="${ids.predicate}" />
    </PredicateReferences></PredicateGroup></PredicateGroups></PredicateValidation></PredicateValidations>
  </BuildingBlocks>
  <ClaimsProviders><ClaimsProvider><DisplayName>Child</DisplayName><TechnicalProfiles>
    <TechnicalProfile Id="Child-SelfAsserted">
      <Metadata><Item Key="ContentDefinitionReferenceId">${ids.cdMeta}</Item></Metadata>
      <OutputClaims><OutputClaim ClaimTypeReferenceId="${ids.claim}" /></OutputClaims>
      <OutputClaimsTransformations><OutputClaimsTransformation ReferenceId="${ids.ct}" /></OutputClaimsTransformations>
    </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>
  <UserJourneys><UserJourney Id="ChildJourney"><OrchestrationSteps>
    <OrchestrationStep Order="1" Type="ClaimsExchange" ContentDefinitionReferenceId="${ids.cdStep}">
      <ClaimsExchanges><ClaimsExchange Id="Exchange1" TechnicalProfileReferenceId="${ids.tp}" /></ClaimsExchanges>
    </OrchestrationStep>
    <OrchestrationStep Order="2" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="${DEFINED.tp}" />
  </OrchestrationSteps></UserJourney></UserJourneys>
  <RelyingParty><DefaultUserJourney ReferenceId="${ids.journey}" /></RelyingParty>`,
  );
}

const BASE = policy('B2C_1A_TrustFrameworkBase', undefined, DEFINITIONS);

test('references resolved in the base: no findings on either file', () => {
  const s = service({ [BASE_URI]: BASE, [RP_URI]: referencing(DEFINED) });
  assert.deepEqual(summary(s.findings(RP_URI)), []);
  assert.deepEqual(summary(s.findings(BASE_URI)), []);
});

test('unresolved-reference for each kind, with exact span, severity and data.kind', () => {
  const missing: Ids = {
    tp: 'Missing-TP',
    claim: 'missingClaim',
    ct: 'MissingTransformation',
    cdStep: 'api.missing.step',
    cdMeta: 'api.missing.meta',
    journey: 'MissingJourney',
    predicate: 'MissingPredicate',
  };
  const text = referencing(missing);
  const s = service({ [BASE_URI]: BASE, [RP_URI]: text });
  const findings = s.findings(RP_URI);
  const expected = [
    { kind: 'predicate', id: missing.predicate, span: attr(text, missing.predicate) },
    { kind: 'contentDefinition', id: missing.cdMeta, span: elementText(text, missing.cdMeta) },
    { kind: 'claimType', id: missing.claim, span: attr(text, missing.claim) },
    { kind: 'claimsTransformation', id: missing.ct, span: attr(text, missing.ct) },
    { kind: 'contentDefinition', id: missing.cdStep, span: attr(text, missing.cdStep) },
    { kind: 'technicalProfile', id: missing.tp, span: attr(text, missing.tp) },
    { kind: 'userJourney', id: missing.journey, span: attr(text, missing.journey) },
  ];
  assert.deepEqual(
    findings.map((f) => ({ code: f.code, severity: f.severity, kind: f.data?.kind, id: f.data?.id, span: f.span })),
    expected.map((e) => ({ code: 'unresolved-reference', severity: 'error', ...e })),
  );
  for (const f of findings) assert.ok(f.message.includes(String(f.data!.id)), f.message);
  assert.deepEqual(summary(s.findings(BASE_URI)), []);
});

test('id-case-mismatch hint when only case differs, with data.declaredId', () => {
  const ids: Ids = { ...DEFINED, tp: 'selfasserted-localaccountsignin-EMAIL', claim: 'Email', cdMeta: 'API.SelfAsserted', predicate: 'islengthbetween8and64' };
  const text = referencing(ids);
  const s = service({ [BASE_URI]: BASE, [RP_URI]: text });
  const findings = s.findings(RP_URI);
  assert.deepEqual(
    findings.map((f) => ({ code: f.code, severity: f.severity, kind: f.data?.kind, declaredId: f.data?.declaredId, span: f.span })),
    [
      { code: 'id-case-mismatch', severity: 'hint', kind: 'predicate', declaredId: DEFINED.predicate, span: attr(text, ids.predicate) },
      { code: 'id-case-mismatch', severity: 'hint', kind: 'contentDefinition', declaredId: DEFINED.cdMeta, span: elementText(text, ids.cdMeta) },
      { code: 'id-case-mismatch', severity: 'hint', kind: 'claimType', declaredId: DEFINED.claim, span: attr(text, ids.claim) },
      { code: 'id-case-mismatch', severity: 'hint', kind: 'technicalProfile', declaredId: DEFINED.tp, span: attr(text, ids.tp) },
    ],
  );
});

test('a base referencing a technical profile that only its Extensions defines: unresolved in the base, and the message says where it is', () => {
  // The service validates each upload with its bases only (service-errors.md #4); the base is uploaded first.
  const base = policy(
    'B2C_1A_TrustFrameworkBase',
    undefined,
    `<ClaimsProviders><ClaimsProvider><DisplayName>Local</DisplayName><TechnicalProfiles>
    <TechnicalProfile Id="SelfAsserted-LocalAccountSignin-Email">
      <ValidationTechnicalProfiles><ValidationTechnicalProfile ReferenceId="login-NonInteractive" /></ValidationTechnicalProfiles>
    </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`,
  );
  const ext = (id: string) =>
    policy(
      'B2C_1A_TrustFrameworkExtensions',
      'B2C_1A_TrustFrameworkBase',
      `<ClaimsProviders><ClaimsProvider><DisplayName>Local</DisplayName><TechnicalProfiles>
    <TechnicalProfile Id="${id}"><DisplayName>x</DisplayName></TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`,
    );
  const rp = policy('B2C_1A_signup_signin', 'B2C_1A_TrustFrameworkExtensions');
  const s = service({ [BASE_URI]: base, [EXT_URI]: ext('login-NonInteractive'), [RP_URI]: rp });
  const findings = s.findings(BASE_URI);
  assert.deepEqual(summary(findings), ['error unresolved-reference technicalProfile login-NonInteractive']);
  assert.deepEqual(findings[0].span, attr(base, 'login-NonInteractive'));
  assert.equal(findings[0].data?.definedIn, EXT_URI);
  assert.match(findings[0].message, /TrustFrameworkExtensions\.xml defines it, but that policy builds on this one/);
  assert.deepEqual(summary(s.findings(EXT_URI)), []);
  assert.deepEqual(summary(s.findings(RP_URI)), []);

  s.index.setOpenDocument(EXT_URI, ext('Something-Else'));
  const without = s.findings(BASE_URI);
  assert.deepEqual(summary(without), ['error unresolved-reference technicalProfile login-NonInteractive']);
  assert.equal(without[0].data?.definedIn, undefined);
  assert.doesNotMatch(without[0].message, /builds on this one/);
});

/** A journey: steps with exchanges and selections. */
interface StepSpec {
  order: number;
  exchanges?: string[];
  targets?: string[];
  validations?: string[];
  /** A SendClaims step (issuer TP). */
  send?: boolean;
}
function journeyXml(id: string, steps: StepSpec[]): string {
  return `<UserJourneys><UserJourney Id="${id}"><OrchestrationSteps>
${steps
  .map((s) => {
    if (s.send) return `<OrchestrationStep Order="${s.order}" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="TP" />`;
    const selections = [
      ...(s.targets ?? []).map((t) => `<ClaimsProviderSelection TargetClaimsExchangeId="${t}" />`),
      ...(s.validations ?? []).map((v) => `<ClaimsProviderSelection ValidationClaimsExchangeId="${v}" />`),
    ];
    return `<OrchestrationStep Order="${s.order}" Type="${selections.length ? 'CombinedSignInAndSignUp' : 'ClaimsExchange'}">${
      selections.length ? `<ClaimsProviderSelections>${selections.join('')}</ClaimsProviderSelections>` : ''
    }${s.exchanges?.length ? `<ClaimsExchanges>${s.exchanges.map((e) => `<ClaimsExchange Id="${e}" TechnicalProfileReferenceId="TP" />`).join('')}</ClaimsExchanges>` : ''}</OrchestrationStep>`;
  })
  .join('\n')}
</OrchestrationSteps></UserJourney></UserJourneys>`;
}
const TP = `<ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles><TechnicalProfile Id="TP" /></TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;

test('TargetClaimsExchangeId naming an exchange of the next step: nothing', () => {
  const text = policy('B2C_1A_TrustFrameworkBase', undefined, TP + journeyXml('J', [
    { order: 1, targets: ['FacebookExchange', 'SignUpWithLogonEmailExchange'], exchanges: ['LocalExchange'] },
    { order: 2, exchanges: ['FacebookExchange', 'SignUpWithLogonEmailExchange'] },
    { order: 3, send: true },
  ]));
  assert.deepEqual(summary(service({ [BASE_URI]: text }).findings(BASE_URI)), []);
});

test('TargetClaimsExchangeId naming an exchange of another step: unresolved-reference claimsExchange', () => {
  const text = policy('B2C_1A_TrustFrameworkBase', undefined, TP + journeyXml('J', [
    { order: 1, targets: ['FacebookExchange', 'LaterExchange'] },
    { order: 2, exchanges: ['FacebookExchange'] },
    { order: 3, exchanges: ['LaterExchange'] },
    { order: 4, send: true },
  ]));
  const findings = service({ [BASE_URI]: text }).findings(BASE_URI);
  assert.equal(findings.length, 1, summary(findings).join('\n'));
  const [f] = findings;
  assert.equal(f.code, 'unresolved-reference');
  assert.equal(f.severity, 'error');
  assert.equal(f.data?.kind, 'claimsExchange');
  assert.equal(f.data?.id, 'LaterExchange');
  assert.deepEqual(f.span, attr(text, 'LaterExchange'));
  assert.ok(f.message.includes("orchestration step 2 of journey 'J'"), f.message);
});

test('TargetClaimsExchangeId in the last step: unresolved (no next step)', () => {
  const text = policy('B2C_1A_TrustFrameworkBase', undefined, TP + journeyXml('J', [{ order: 1, targets: ['X'], exchanges: ['X'] }]));
  const findings = service({ [BASE_URI]: text }).findings(BASE_URI);
  assert.deepEqual(summary(findings), ['error journey-without-send-claims', 'error unresolved-reference claimsExchange X']);
});

test('a step overridden in the child whose exchanges now include the target: resolved', () => {
  const base = policy('B2C_1A_TrustFrameworkBase', undefined, TP + journeyXml('J', [
    { order: 1, targets: ['FacebookExchange'] },
    { order: 2, exchanges: ['FacebookExchange'] },
    { order: 3, send: true },
  ]));
  const extText = policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase', journeyXml('J', [
    { order: 1, targets: ['FacebookExchange', 'GoogleExchange'] },
    { order: 2, exchanges: ['FacebookExchange', 'GoogleExchange'] },
  ]));
  const s = service({ [BASE_URI]: base, [EXT_URI]: extText });
  assert.deepEqual(summary(s.findings(EXT_URI)), []);
  assert.deepEqual(summary(s.findings(BASE_URI)), []);

  // The child overrides step 1 only: GoogleExchange is not in the (base's) step 2.
  const extOnlyStep1 = policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase', journeyXml('J', [{ order: 1, targets: ['FacebookExchange', 'GoogleExchange'] }]));
  s.index.setOpenDocument(EXT_URI, extOnlyStep1);
  const findings = s.findings(EXT_URI);
  assert.deepEqual(summary(findings), ['error unresolved-reference claimsExchange GoogleExchange']);
  assert.deepEqual(findings[0].span, attr(extOnlyStep1, 'GoogleExchange'));
  assert.ok(findings[0].message.includes("orchestration step 2 of journey 'J'"), findings[0].message);
});

test('a base selection whose target exists only in the step 2 its Extensions overrides: the base is broken on its own upload, the Extensions not', () => {
  const base = policy('B2C_1A_TrustFrameworkBase', undefined, TP + journeyXml('J', [
    { order: 1, targets: ['GoogleExchange'] },
    { order: 2, exchanges: ['FacebookExchange'] },
    { order: 3, send: true },
  ]));
  const ext = policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase', journeyXml('J', [{ order: 2, exchanges: ['GoogleExchange'] }]));
  const s = service({ [BASE_URI]: base, [EXT_URI]: ext });
  assert.deepEqual(summary(s.findings(EXT_URI)), []);
  assert.deepEqual(summary(s.findings(BASE_URI)), ['error unresolved-reference claimsExchange GoogleExchange']);
});

test('an Extensions override of the next step that drops the target: reported in the Extensions on its step, not in the base', () => {
  const base = policy('B2C_1A_TrustFrameworkBase', undefined, TP + journeyXml('J', [
    { order: 1, targets: ['FacebookExchange'] },
    { order: 2, exchanges: ['FacebookExchange'] },
    { order: 3, send: true },
  ]));
  const ext = policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase', journeyXml('J', [{ order: 2, exchanges: ['GoogleExchange'] }]));
  const s = service({ [BASE_URI]: base, [EXT_URI]: ext });
  assert.deepEqual(summary(s.findings(BASE_URI)), []);
  const findings = s.findings(EXT_URI);
  assert.deepEqual(summary(findings), ['error unresolved-reference claimsExchange FacebookExchange']);
  assert.deepEqual(findings[0].span, spanOf(ext, 'Order="2"', '2'));
  assert.match(findings[0].message, /Step 2 of journey 'J' \(overridden here\) has no ClaimsExchange 'FacebookExchange', which the ClaimsProviderSelection of step 1 \(TrustFrameworkBase\.xml\) names/);
  assert.equal(findings[0].data?.stepUri, EXT_URI);
});

test('ValidationClaimsExchangeId names an exchange of the same step', () => {
  const ok = policy('B2C_1A_TrustFrameworkBase', undefined, TP + journeyXml('J', [
    { order: 1, validations: ['LocalValidation'], exchanges: ['LocalValidation'] },
    { order: 2, exchanges: ['Other'] },
    { order: 3, send: true },
  ]));
  assert.deepEqual(summary(service({ [BASE_URI]: ok }).findings(BASE_URI)), []);
  const bad = policy('B2C_1A_TrustFrameworkBase', undefined, TP + journeyXml('J', [
    { order: 1, validations: ['Other'], exchanges: ['LocalValidation'] },
    { order: 2, exchanges: ['Other'] },
    { order: 3, send: true },
  ]));
  const findings = service({ [BASE_URI]: bad }).findings(BASE_URI);
  assert.deepEqual(summary(findings), ['error unresolved-reference claimsExchange Other']);
  assert.deepEqual(findings[0].span, attr(bad, 'Other'));
  assert.ok(findings[0].message.includes("orchestration step 1 of journey 'J'"), findings[0].message);
});

function keys(...names: string[]): string {
  return `<ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles><TechnicalProfile Id="TP"><CryptographicKeys>
${names.map((n, i) => `<Key Id="k${i}" StorageReferenceId="${n}" />`).join('\n')}
</CryptographicKeys></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;
}

test('policy-key-prefix on a StorageReferenceId without B2C_1A_; not on prefixed names or template tokens', () => {
  const text = policy('B2C_1A_TrustFrameworkBase', undefined, keys('AmazonSecret', 'B2C_1A_FacebookSecret', 'b2c_1a_lowercase', '{Settings:SigningKey}', '#{Key}#'));
  const findings = service({ [BASE_URI]: text }).findings(BASE_URI);
  assert.deepEqual(
    findings.map((f) => ({ code: f.code, severity: f.severity, span: f.span, fixed: f.data?.fixed })),
    [{ code: 'policy-key-prefix', severity: 'error', span: attr(text, 'AmazonSecret'), fixed: 'B2C_1A_AmazonSecret' }],
  );
});

test('unknown-policy-key only when the tenant keys are declared', () => {
  const text = policy('B2C_1A_TrustFrameworkBase', undefined, keys('B2C_1A_X', 'B2C_1A_Y', 'b2c_1a_x'));
  assert.deepEqual(summary(service({ [BASE_URI]: text }).findings(BASE_URI)), []);
  const findings = service({ [BASE_URI]: text }, { policyKeys: ['B2C_1A_X'] }).findings(BASE_URI);
  assert.deepEqual(
    findings.map((f) => ({ code: f.code, severity: f.severity, span: f.span, name: f.data?.name })),
    [{ code: 'unknown-policy-key', severity: 'error', span: attr(text, 'B2C_1A_Y'), name: 'B2C_1A_Y' }],
  );
});

test('missing parent: unresolved-base-policy once, its possible references not reported, one unverified-references', () => {
  const text = policy(
    'B2C_1A_signup_signin',
    'B2C_1A_TrustFrameworkExtensions',
    `<ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles>
    <TechnicalProfile Id="Local"><OutputClaims><OutputClaim ClaimTypeReferenceId="objectId" /><OutputClaim ClaimTypeReferenceId="email" /></OutputClaims></TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>
  <RelyingParty><DefaultUserJourney ReferenceId="SignUpOrSignIn" /><TechnicalProfile Id="PolicyProfile"><OutputClaims><OutputClaim ClaimTypeReferenceId="Local-Unused" /></OutputClaims></TechnicalProfile></RelyingParty>`,
  );
  const s = service({ [RP_URI]: text, [BASE_URI]: BASE });
  const findings = s.findings(RP_URI);
  const span = elementText(text, 'B2C_1A_TrustFrameworkExtensions');
  assert.deepEqual(
    findings.map((f) => ({ code: f.code, severity: f.severity, span: f.span })),
    [
      { code: 'unresolved-base-policy', severity: 'error', span },
      { code: 'unverified-references', severity: 'information', span },
    ],
  );
  assert.equal(findings[0].data?.policyId, 'B2C_1A_TrustFrameworkExtensions');
  assert.deepEqual(findings[0].data?.candidates, []);
  assert.equal(findings[1].data?.count, 4);
});

test('tenant-name-case: a warning covering exactly the capitalised tenant; nothing on lowercase', () => {
  const body = (host: string) =>
    `<ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles><TechnicalProfile Id="TP"><Metadata>
    <Item Key="METADATA">https://${host}.b2clogin.com/${host.toLowerCase()}.onmicrosoft.com/v2.0/.well-known/openid-configuration</Item>
  </Metadata></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;
  const text = policy('B2C_1A_TrustFrameworkBase', undefined, body('Contoso'));
  const findings = service({ [BASE_URI]: text }).findings(BASE_URI);
  assert.deepEqual(
    findings.map((f) => ({ code: f.code, severity: f.severity, span: f.span, fixed: f.data?.fixed })),
    [{ code: 'tenant-name-case', severity: 'warning', span: spanOf(text, 'https://Contoso.', 'Contoso'), fixed: 'contoso' }],
  );
  assert.equal(text.slice(findings[0].span.start, findings[0].span.end), 'Contoso');
  assert.deepEqual(summary(service({ [BASE_URI]: policy('B2C_1A_TrustFrameworkBase', undefined, body('contoso')) }).findings(BASE_URI)), []);
});

test('secret-in-policy on a literal client_secret metadata item; not on a template token', () => {
  const body = (value: string) =>
    `<ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles><TechnicalProfile Id="TP"><Metadata>
    <Item Key="client_id">0000-1111</Item>
    <Item Key="client_secret">${value}</Item>
  </Metadata></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;
  const text = policy('B2C_1A_TrustFrameworkBase', undefined, body('s3cr3t-Value'));
  const findings = service({ [BASE_URI]: text }).findings(BASE_URI);
  assert.deepEqual(
    findings.map((f) => ({ code: f.code, severity: f.severity, span: f.span, key: f.data?.key })),
    [{ code: 'secret-in-policy', severity: 'error', span: elementText(text, 's3cr3t-Value'), key: 'client_secret' }],
  );
  assert.deepEqual(summary(service({ [BASE_URI]: policy('B2C_1A_TrustFrameworkBase', undefined, body('{Settings:FacebookSecret}')) }).findings(BASE_URI)), []);
});

test('template tokens in references are not reported', () => {
  const ids: Ids = { ...DEFINED, tp: '{Settings:TechnicalProfile}', claim: '{{ claim }}', journey: '#{Journey}#' };
  const s = service({ [BASE_URI]: BASE, [RP_URI]: referencing(ids) });
  assert.deepEqual(summary(s.findings(RP_URI)), []);
});

test('non-policy XML gives no findings', () => {
  const s = service({
    'file:///ws/other/config.xml': '<Config><Item TechnicalProfileReferenceId="Nope" StorageReferenceId="AmazonSecret">https://Contoso.b2clogin.com</Item></Config>',
    'file:///ws/other/wrong-ns.xml': '<TrustFrameworkPolicy xmlns="urn:other" PolicyId="X"><BasePolicy><PolicyId>Missing</PolicyId></BasePolicy></TrustFrameworkPolicy>',
    'file:///ws/other/broken.xml': '<Config><Unclosed></Config>',
  });
  for (const uri of ['file:///ws/other/config.xml', 'file:///ws/other/wrong-ns.xml', 'file:///ws/other/broken.xml']) assert.deepEqual(s.findings(uri), [], uri);
});

test('missing parent: a TargetClaimsExchangeId whose next step the parent could define is not an error', () => {
  const text = policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase', journeyXml('J', [{ order: 1, targets: ['FacebookExchange'] }]));
  const findings = service({ [EXT_URI]: text }).findings(EXT_URI);
  assert.deepEqual(findings.map((f) => f.code), ['unresolved-base-policy', 'unverified-references']);
});

test('a child overriding the next step so that it lacks the base selection target is reported somewhere', () => {
  const base = policy('B2C_1A_TrustFrameworkBase', undefined, TP + journeyXml('J', [{ order: 1, targets: ['A'] }, { order: 2, exchanges: ['A'] }]));
  const ext = policy('B2C_1A_TrustFrameworkExtensions', 'B2C_1A_TrustFrameworkBase', journeyXml('J', [{ order: 2, exchanges: ['B'] }]));
  const s = service({ [BASE_URI]: base, [EXT_URI]: ext });
  const all = [...s.findings(BASE_URI), ...s.findings(EXT_URI)];
  assert.ok(all.some((f) => f.code === 'unresolved-reference' && f.data?.kind === 'claimsExchange'), summary(all).join('\n'));
});

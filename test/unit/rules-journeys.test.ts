import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Analysis } from '../../server/src/service/analysis/analysis';
import type { Finding } from '../../server/src/service/findings';
import { compactPolicy } from '../helpers/policies';

const BASE = 'file:///ws/Base.xml';
const EXT = 'file:///ws/Ext.xml';
const RP = 'file:///ws/RP.xml';
const JOURNEY_CODES = new Set([
  'input-claim-not-produced',
  'output-claim-not-produced',
  'journey-without-send-claims',
  'exchanges-without-selection',
  'step-order-gap',
  'step-override-type-change',
  'unresolved-reference',
]);

function analysis(files: Record<string, string>): Analysis {
  const a = new Analysis({ log: (m) => { throw new Error(m); } });
  for (const [uri, text] of Object.entries(files)) a.index.setDiskFile(uri, text);
  return a;
}
const journeyFindings = (a: Analysis, uri: string): Finding[] => a.findings(uri).filter((f) => JOURNEY_CODES.has(f.code));
const codes = (a: Analysis, uri: string) => journeyFindings(a, uri).map((f) => f.code);
const at = (text: string, needle: string, value = needle) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const start = i + needle.indexOf(value);
  return { start, end: start + value.length };
};

/** Claim types and profiles: Reader needs `userId` (Required), Producer outputs it, Issuer issues. */
const BLOCKS = `
  <BuildingBlocks><ClaimsSchema>
    <ClaimType Id="userId"><DisplayName>u</DisplayName><DataType>string</DataType></ClaimType>
    <ClaimType Id="name"><DisplayName>n</DisplayName><DataType>string</DataType></ClaimType>
  </ClaimsSchema>
  <ClaimsTransformations>
    <ClaimsTransformation Id="MakeUserId" TransformationMethod="CreateRandomString">
      <InputParameters><InputParameter Id="randomGeneratorType" DataType="string" Value="GUID" /></InputParameters>
      <OutputClaims><OutputClaim ClaimTypeReferenceId="userId" TransformationClaimType="outputClaim" /></OutputClaims>
    </ClaimsTransformation>
  </ClaimsTransformations></BuildingBlocks>
  <ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles>
    <TechnicalProfile Id="Producer"><DisplayName>p</DisplayName><OutputClaims><OutputClaim ClaimTypeReferenceId="userId" /></OutputClaims></TechnicalProfile>
    <TechnicalProfile Id="Reader"><DisplayName>r</DisplayName>
      <InputClaims><InputClaim ClaimTypeReferenceId="userId" Required="true" /></InputClaims>
      <OutputClaims><OutputClaim ClaimTypeReferenceId="name" /></OutputClaims>
    </TechnicalProfile>
    <TechnicalProfile Id="Prefill"><DisplayName>f</DisplayName><InputClaims><InputClaim ClaimTypeReferenceId="userId" /></InputClaims></TechnicalProfile>
    <TechnicalProfile Id="WithDefault"><DisplayName>d</DisplayName><InputClaims><InputClaim ClaimTypeReferenceId="userId" Required="true" DefaultValue="x" /></InputClaims></TechnicalProfile>
    <TechnicalProfile Id="SelfMade"><DisplayName>s</DisplayName>
      <InputClaimsTransformations><InputClaimsTransformation ReferenceId="MakeUserId" /></InputClaimsTransformations>
      <InputClaims><InputClaim ClaimTypeReferenceId="userId" Required="true" /></InputClaims>
    </TechnicalProfile>
    <TechnicalProfile Id="Issuer"><DisplayName>i</DisplayName></TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;

function journey(id: string, steps: string[], kind = 'UserJourney', type = ''): string {
  const list = kind === 'UserJourney' ? 'UserJourneys' : 'SubJourneys';
  return `<${list}><${kind} Id="${id}"${type ? ` Type="${type}"` : ''}><OrchestrationSteps>\n${steps.map((s, i) => s.replace('#', String(i + 1))).join('\n')}\n</OrchestrationSteps></${kind}></${list}>`;
}
const exchange = (...profiles: string[]) =>
  `<OrchestrationStep Order="#" Type="ClaimsExchange"><ClaimsExchanges>${profiles.map((p) => `<ClaimsExchange Id="${p}Exchange" TechnicalProfileReferenceId="${p}" />`).join('')}</ClaimsExchanges></OrchestrationStep>`;
const send = `<OrchestrationStep Order="#" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="Issuer" />`;

test('claim data flow: a Required input claim no earlier step produces is reported on the exchange, naming claim, profile, step, journey and producer', () => {
  const text = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Reader'), exchange('Producer'), send]));
  const a = analysis({ [BASE]: text });
  const findings = journeyFindings(a, BASE);
  assert.deepEqual(findings.map((f) => f.code), ['input-claim-not-produced']);
  assert.deepEqual(findings[0].span, at(text, 'TechnicalProfileReferenceId="Reader"', 'Reader'));
  assert.equal(
    findings[0].message,
    'Claim type "userId" is the input claim of technical profile "Reader" in step "1" of user journey "J", but it is not an output claim in any of the previous steps. It is produced by Producer (Base.xml), SelfMade (Base.xml), which no earlier step runs: run one of them in an earlier step, or give the input claim a DefaultValue.',
  );
  assert.deepEqual(findings[0].data, { claim: 'userId', profile: 'Reader', journeyId: 'J', step: 1, stepUri: BASE, claimUri: BASE, producers: ['Producer', 'SelfMade'] });
});

test('claim data flow: produced by an earlier step, a DefaultValue, a non-required prefill, or the profile\'s own input transformation: nothing', () => {
  for (const steps of [
    [exchange('Producer'), exchange('Reader'), send],
    [exchange('WithDefault'), send],
    [exchange('Prefill'), send],
    [exchange('SelfMade'), send],
    // Preconditions are not evaluated: a producer in a skippable step counts (as the service does).
    [exchange('Producer').replace('<ClaimsExchanges>', '<Preconditions><Precondition Type="ClaimsExist" ExecuteActionsIf="true"><Value>name</Value><Action>SkipThisOrchestrationStep</Action></Precondition></Preconditions><ClaimsExchanges>'), exchange('Reader'), send],
  ]) {
    const a = analysis({ [BASE]: compactPolicy('B2C_1A_Base', BLOCKS + journey('J', steps)) });
    assert.deepEqual(codes(a, BASE), [], steps.join('\n'));
  }
});

test('claim data flow follows sub-journeys: a Call sub-journey sees the caller\'s claims and returns what it produces', () => {
  const invoke = (sub: string) => `<OrchestrationStep Order="#" Type="InvokeSubJourney"><JourneyList><Candidate SubJourneyReferenceId="${sub}" /></JourneyList></OrchestrationStep>`;
  const produces = journey('Produce', [exchange('Producer')], 'SubJourney', 'Call');
  const reads = journey('Read', [exchange('Reader')], 'SubJourney', 'Call');
  const ok = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [invoke('Produce'), exchange('Reader'), invoke('Read'), send]) + produces.replace('<SubJourneys>', '<SubJourneys>' + reads.replace(/<\/?SubJourneys>/g, '')));
  assert.deepEqual(codes(analysis({ [BASE]: ok }), BASE), []);
  const bad = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [invoke('Read'), invoke('Produce'), send]) + produces.replace('<SubJourneys>', '<SubJourneys>' + reads.replace(/<\/?SubJourneys>/g, '')));
  const findings = journeyFindings(analysis({ [BASE]: bad }), BASE);
  assert.deepEqual(findings.map((f) => f.code), ['input-claim-not-produced']);
  assert.match(findings[0].message, /in step "1" of sub-journey "Read" \(invoked from step 1 of "J"\)/);
});

test('claim data flow: an undefined profile in an earlier step stops the judgement (no cascade after one mistake)', () => {
  const a = analysis({ [BASE]: compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Undefined'), exchange('Reader'), send])) });
  assert.deepEqual(codes(a, BASE), ['unresolved-reference']);
});

test('claim data flow: GetClaims takes the relying party\'s input claims; without a relying party what follows is not judged', () => {
  const getClaims = `<OrchestrationStep Order="#" Type="GetClaims" />`;
  const base = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [getClaims, exchange('Reader'), send]));
  const rp = (inputs: string) =>
    compactPolicy('B2C_1A_RP', `  <RelyingParty><DefaultUserJourney ReferenceId="J" /><TechnicalProfile Id="PolicyProfile"><DisplayName>p</DisplayName><Protocol Name="OpenIdConnect" />${inputs}<OutputClaims><OutputClaim ClaimTypeReferenceId="name" /></OutputClaims><SubjectNamingInfo ClaimType="userId" /></TechnicalProfile></RelyingParty>`, 'B2C_1A_Base');
  const a = analysis({ [BASE]: base, [RP]: rp('<InputClaims><InputClaim ClaimTypeReferenceId="userId" /></InputClaims>') });
  assert.deepEqual(codes(a, BASE), []);
  assert.deepEqual(codes(a, RP), []);
  a.index.setOpenDocument(RP, rp(''));
  assert.deepEqual(codes(a, RP), ['input-claim-not-produced']);
});

test('relying-party output claims: one no step produces is reported on the OutputClaim (service message #9); a DefaultValue or a producing step clears it', () => {
  const base = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Producer'), send]));
  const rp = (outputs: string) =>
    compactPolicy('B2C_1A_RP', `  <RelyingParty><DefaultUserJourney ReferenceId="J" /><TechnicalProfile Id="PolicyProfile"><DisplayName>p</DisplayName><Protocol Name="OpenIdConnect" /><OutputClaims>${outputs}</OutputClaims><SubjectNamingInfo ClaimType="userId" /></TechnicalProfile></RelyingParty>`, 'B2C_1A_Base');
  const text = rp('<OutputClaim ClaimTypeReferenceId="userId" /><OutputClaim ClaimTypeReferenceId="name" />');
  const a = analysis({ [BASE]: base, [RP]: text });
  const findings = journeyFindings(a, RP);
  assert.deepEqual(findings.map((f) => f.code), ['output-claim-not-produced']);
  assert.deepEqual(findings[0].span, at(text, 'ClaimTypeReferenceId="name"', 'name'));
  assert.match(findings[0].message, /^Claim type "name" is the output claim of the relying party's technical profile, but it is not an output claim in any of the steps of user journey "J"\. Reader would produce it, but no step of the journey runs it/);
  assert.deepEqual(codes(a, BASE), []);
  a.index.setOpenDocument(RP, rp('<OutputClaim ClaimTypeReferenceId="name" DefaultValue="n/a" />'));
  assert.deepEqual(codes(a, RP), []);
});

test('journey-without-send-claims on the journey Id; a journey that ends in a Transfer sub-journey with SendClaims is fine', () => {
  const text = compactPolicy('B2C_1A_Base', BLOCKS + journey('PasswordReset', [exchange('Producer')]));
  const findings = journeyFindings(analysis({ [BASE]: text }), BASE);
  assert.deepEqual(findings.map((f) => [f.code, f.message]), [['journey-without-send-claims', "User journey 'PasswordReset' does not contain a send claims step: add a final step of Type SendClaims with the token issuer (CpimIssuerTechnicalProfileReferenceId)."]]);
  assert.deepEqual(findings[0].span, at(text, 'Id="PasswordReset"', 'PasswordReset'));
  const transfer = compactPolicy(
    'B2C_1A_Base',
    BLOCKS +
      journey('J', [exchange('Producer'), `<OrchestrationStep Order="#" Type="InvokeSubJourney"><JourneyList><Candidate SubJourneyReferenceId="Finish" /></JourneyList></OrchestrationStep>`]) +
      journey('Finish', [send], 'SubJourney', 'Transfer'),
  );
  assert.deepEqual(codes(analysis({ [BASE]: transfer }), BASE), []);
  const callOnly = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Producer'), send]) + journey('Helper', [exchange('Producer')], 'SubJourney', 'Call'));
  assert.deepEqual(codes(analysis({ [BASE]: callOnly }), BASE), [], 'a Call sub-journey needs no SendClaims');
});

test('exchanges-without-selection: several exchanges after a step that is not a provider selection; the merge note when an Extensions journey reuses the Id', () => {
  const select = `<OrchestrationStep Order="#" Type="CombinedSignInAndSignUp"><ClaimsProviderSelections><ClaimsProviderSelection TargetClaimsExchangeId="ProducerExchange" /><ClaimsProviderSelection TargetClaimsExchangeId="PrefillExchange" /></ClaimsProviderSelections></OrchestrationStep>`;
  const ok = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [select, exchange('Producer', 'Prefill'), send]));
  assert.deepEqual(codes(analysis({ [BASE]: ok }), BASE), []);
  const bad = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Producer'), exchange('Producer', 'Prefill'), send]));
  const findings = journeyFindings(analysis({ [BASE]: bad }), BASE);
  assert.deepEqual(findings.map((f) => f.code), ['exchanges-without-selection']);
  assert.match(findings[0].message, /^User journey "J" has step 2 with 2 claims exchanges\. It must be preceded by a claims provider selection in order to determine which claims exchange can be used\.$/);
  // The Extensions reuses the journey Id: its step 1 replaces the base's selection step.
  const ext = compactPolicy('B2C_1A_Ext', journey('J', [exchange('Producer')]), 'B2C_1A_Base');
  const a = analysis({ [BASE]: ok, [EXT]: ext });
  assert.deepEqual(codes(a, BASE), []);
  const extFindings = journeyFindings(a, EXT).filter((f) => f.code === 'exchanges-without-selection');
  assert.equal(extFindings.length, 1);
  assert.deepEqual(extFindings[0].span, at(ext, 'Id="J"', 'J'), 'step 2 is in the base: reported on the Extensions declaration of the journey');
  assert.match(extFindings[0].message, /\(step 2 is in Base\.xml\)\. Step 1 comes from Ext\.xml and step 2 from Base\.xml: the journey Id is declared in Base\.xml and Ext\.xml, so their steps merge by Order/);
});

test('step-order-gap and step-override-type-change are warnings on the Order of the step', () => {
  const gap = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Producer'), send.replace('#', '3')]));
  const findings = journeyFindings(analysis({ [BASE]: gap }), BASE);
  assert.deepEqual(findings.map((f) => [f.code, f.severity]), [['step-order-gap', 'warning']]);
  assert.deepEqual(findings[0].span, at(gap, 'Order="3"', '3'));
  const base = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Producer'), exchange('Reader'), send]));
  const ext = compactPolicy('B2C_1A_Ext', journey('J', [send.replace('#', '2')]), 'B2C_1A_Base');
  const a = analysis({ [BASE]: base, [EXT]: ext });
  const override = journeyFindings(a, EXT).filter((f) => f.code === 'step-override-type-change');
  assert.equal(override.length, 1);
  assert.equal(override[0].message, "Step 2 of J (ClaimsExchange ReaderExchange in Base.xml) is replaced by a SendClaims step: steps merge by Order, so this step takes the place of the base's step. Give it another Order, or a new journey Id, if both should run.");
  assert.deepEqual(override[0].span, at(ext, 'Order="2"', '2'));
});

test('step-override-type-change: not when the replaced step is still in the journey at another Order (a journey restated with a step inserted)', () => {
  // As azure-ad-b2c/samples policies/password-reset-only publishes it: a page at the base's SendClaims Order, SendClaims after it.
  const base = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Producer'), send]));
  const restated = compactPolicy('B2C_1A_Ext', journey('J', [exchange('Producer'), exchange('Prefill'), send]), 'B2C_1A_Base');
  assert.deepEqual(journeyFindings(analysis({ [BASE]: base, [EXT]: restated }), EXT).map((f) => f.code), []);
  // The same insertion without SendClaims after it loses the base's step: warned.
  const lost = compactPolicy('B2C_1A_Ext', journey('J', [exchange('Producer'), exchange('Prefill')]), 'B2C_1A_Base');
  assert.deepEqual(
    journeyFindings(analysis({ [BASE]: base, [EXT]: lost }), EXT).map((f) => f.code),
    ['journey-without-send-claims', 'step-override-type-change'],
  );
});

test('each upload is judged with its bases only: a base problem is reported once, in the base; what an Extensions introduces, in the Extensions', () => {
  const base = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Reader'), send]));
  const ext = compactPolicy('B2C_1A_Ext', '', 'B2C_1A_Base');
  const a = analysis({ [BASE]: base, [EXT]: ext });
  assert.deepEqual(codes(a, BASE), ['input-claim-not-produced']);
  assert.deepEqual(codes(a, EXT), []);
  // The Extensions replaces step 1 with the reader after a producer was removed: its own problem.
  const goodBase = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Producer'), exchange('Prefill'), send]));
  const extText = compactPolicy('B2C_1A_Ext', journey('J', [exchange('Reader')]), 'B2C_1A_Base');
  const b = analysis({ [BASE]: goodBase, [EXT]: extText });
  assert.deepEqual(codes(b, BASE), []);
  const findings = journeyFindings(b, EXT);
  assert.deepEqual(findings.map((f) => f.code), ['input-claim-not-produced']);
  assert.deepEqual(findings[0].span, at(extText, 'TechnicalProfileReferenceId="Reader"', 'Reader'));
});

test('a relying-party output claim whose ClaimType the chain does not define is reported once, by the reference check', () => {
  const base = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [exchange('Producer'), send]));
  const rp = compactPolicy('B2C_1A_RP', `  <RelyingParty><DefaultUserJourney ReferenceId="J" /><TechnicalProfile Id="PolicyProfile"><DisplayName>p</DisplayName><Protocol Name="OpenIdConnect" /><OutputClaims><OutputClaim ClaimTypeReferenceId="emailAddress" /></OutputClaims><SubjectNamingInfo ClaimType="userId" /></TechnicalProfile></RelyingParty>`, 'B2C_1A_Base');
  assert.deepEqual(codes(analysis({ [BASE]: base, [RP]: rp }), RP), ['unresolved-reference']);
});

test('nested sub-journeys that each invoke the next twice (30 levels) are followed without exponential work, and a missing claim deep inside is still found', () => {
  const invoke = (sub: string) => `<OrchestrationStep Order="#" Type="InvokeSubJourney"><JourneyList><Candidate SubJourneyReferenceId="${sub}" /></JourneyList></OrchestrationStep>`;
  const levels = 30;
  const subs = Array.from({ length: levels }, (_, i) =>
    i === levels - 1 ? journey(`S${i}`, [exchange('Reader')], 'SubJourney', 'Call') : journey(`S${i}`, [invoke(`S${i + 1}`), invoke(`S${i + 1}`)], 'SubJourney', 'Call'),
  ).map((x) => x.replace(/<\/?SubJourneys>/g, ''));
  const text = compactPolicy('B2C_1A_Base', BLOCKS + journey('J', [invoke('S0'), send]) + `<SubJourneys>${subs.join('')}</SubJourneys>`);
  const findings = journeyFindings(analysis({ [BASE]: text }), BASE);
  // The reader's input is missing on every path; the paths are many, the finding keys few (deduplicated by path).
  assert.ok(findings.length >= 1 && findings.every((f) => f.code === 'input-claim-not-produced'), JSON.stringify(findings.map((f) => f.code)));
  assert.match(findings[0].message, /sub-journey "S29" \(invoked from step 1 of "J", step 1 of "S0"/);
});

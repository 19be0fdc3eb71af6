import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findingsFromServiceMessage, splitServiceMessage } from '../../server/src/deploy/serviceErrors';
import { parsePolicyFile } from '../../server/src/service/policy/model';
import { policy } from '../helpers/policies';

const P = 'B2C_1A_SIGNUP_SIGNIN';
const T = 'yourtenant.onmicrosoft.com';

/** A policy holding every id the messages below name (not a valid policy: only the ids matter). */
const TEXT = policy(
  'B2C_1A_signup_signin',
  `  <BuildingBlocks>
    <ClaimsTransformations>
      <ClaimsTransformation Id="CheckDates" TransformationMethod="AssertDateTimeIsGreaterThan">
        <InputClaims>
          <InputClaim ClaimTypeReferenceId="now" TransformationClaimType="leftOperand" />
          <InputClaim ClaimTypeReferenceId="then" TransformationClaimType="rightOperand" />
        </InputClaims>
      </ClaimsTransformation>
    </ClaimsTransformations>
    <Localization>
      <LocalizedResources Id="api.signup.en">
        <LocalizedStrings>
          <LocalizedString ElementType="UxElement" StringId="createaccount_link">Sign up now</LocalizedString>
        </LocalizedStrings>
      </LocalizedResources>
    </Localization>
  </BuildingBlocks>
  <ClaimsProviders>
    <ClaimsProvider>
      <TechnicalProfiles>
        <TechnicalProfile Id="Facebook-OAUTH">
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="alternativeSecurityId" />
            <OutputClaim ClaimTypeReferenceId="identityProvider" />
          </OutputClaims>
        </TechnicalProfile>
        <TechnicalProfile Id="AAD-UserReadUsingAlternativeSecurityId-NoError">
          <InputClaims>
            <InputClaim ClaimTypeReferenceId="alternativeSecurityId" PartnerClaimType="x" Required="true" />
          </InputClaims>
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="userId" />
          </OutputClaims>
        </TechnicalProfile>
        <TechnicalProfile Id="login-NonInteractive">
          <Metadata>
            <Item Key="client_id"></Item>
          </Metadata>
        </TechnicalProfile>
        <TechnicalProfile Id="AAD-UserWriteUsingAlternativeSecurityId" />
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
  <UserJourneys>
    <UserJourney Id="SignUpOrSignIn">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="CombinedSignInAndSignUp" />
        <OrchestrationStep Order="3" Type="ClaimsExchange" />
      </OrchestrationSteps>
    </UserJourney>
    <UserJourney Id="MFA-ExtraUserVerification">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="ClaimsExchange">
          <ClaimsExchanges>
            <ClaimsExchange Id="PhoneFactor" TechnicalProfileReferenceId="PhoneFactor-InputOrVerify" />
          </ClaimsExchanges>
        </OrchestrationStep>
      </OrchestrationSteps>
    </UserJourney>
    <UserJourney Id="PasswordReset" />
  </UserJourneys>
  <RelyingParty>
    <DefaultUserJourney ReferenceId="SignUpOrSignIn" />
    <TechnicalProfile Id="PolicyProfile">
      <OutputClaims>
        <OutputClaim ClaimTypeReferenceId="identityProvider" />
      </OutputClaims>
    </TechnicalProfile>
  </RelyingParty>`,
  'B2C_1A_TrustFrameworkExtensions',
);
const FILE = parsePolicyFile('file:///ws/SignUpOrSignin.xml', TEXT);
const LINES = TEXT.split('\n');
/** 1-based line and column of the element name in `<ClaimsProviders>`, as the service counts them. */
const CP_LINE = LINES.findIndex((l) => l.includes('<ClaimsProviders>')) + 1;
const CP_COL = LINES[CP_LINE - 1].indexOf('ClaimsProviders') + 1;

/** The service's texts (service-errors.md), numbered as there, with this file's ids filled in. */
const MESSAGES: Array<[number, string, string]> = [
  [
    2,
    `Schema validation error found at line ${CP_LINE} col ${CP_COL} in policy "${P}" of tenant "${T}": The element 'TrustFrameworkPolicy' in namespace 'http://schemas.microsoft.com/online/cpim/schemas/2013/06' has invalid child element 'ClaimsProviders' in namespace 'http://schemas.microsoft.com/online/cpim/schemas/2013/06'. List of possible elements expected: 'BuildingBlocks'.`,
    'ClaimsProviders',
  ],
  [4, `Policy "${P}" of tenant "${T}" makes a reference to ClaimType with id "userId" but neither the policy nor any of its base policies contain such an element.`, 'userId'],
  [
    5,
    `The following error occurred in orchestration step 1 in user journey "MFA-ExtraUserVerification" in policy "${P}": Policy "${P}" makes a reference to TechnicalProfile with id "PhoneFactor-InputOrVerify" but neither the policy nor any of its base policies contain such an element.`,
    'PhoneFactor-InputOrVerify',
  ],
  [
    8,
    `Claim type "alternativeSecurityId" is the input claim of technical profile "AAD-UserReadUsingAlternativeSecurityId-NoError" in step "3" of user journey "SignUpOrSignIn" in policy "${P}" of tenant "${T}", but it is not an output claim in any of the previous steps.`,
    'alternativeSecurityId',
  ],
  [9, `Claim type "identityProvider" is the output claim of the relying party's technical profile, but it is not an output claim in any of the steps of user journey "SignUpOrSignIn".`, 'identityProvider'],
  [
    10,
    `User journey "SignUpOrSignIn" in policy "${P}" of tenant "${T}" has step 3 with 2 claims exchanges. It must be preceded by a claims provider selection in order to determine which claims exchange can be used.`,
    '3',
  ],
  [11, `User journey 'PasswordReset' does not contain a send claims step.`, 'PasswordReset'],
  [13, `TechnicalProfile "login-NonInteractive" in policy "${P}" of tenant "${T}" defines an invalid value "" for the metadata item "client_id."`, 'client_id'],
  [
    15,
    `The InputClaims mismatched in ClaimsTransformation with id "CheckDates" with TransformationMethod "AssertDateTimeIsGreaterThan". The following InputClaims were declared in the Policy but were not expected by the TransformMethod: [DateTime]rightOperand. The following InputClaims were expected by the TransformMethod but were not declared in the Policy: [String]rightOperand.`,
    'rightOperand',
  ],
  [16, `The required "DisplayName" element is missing from TechnicalProfile with id "AAD-UserWriteUsingAlternativeSecurityId"`, 'AAD-UserWriteUsingAlternativeSecurityId'],
  [17, `The localized string with ElementType: UxElement and StringId: createaccount_link has an invalid StringId`, 'createaccount_link'],
];

const header = (n: number) => `Validation failed: ${n} validation error(s) found in policy "${P}" of tenant "${T}".`;
const at = (offset: number) => {
  const before = TEXT.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
};

test('eleven messages concatenated without separators give eleven findings, each on the range it names', () => {
  const text = header(MESSAGES.length) + MESSAGES.map((m) => m[1]).join('');
  const split = splitServiceMessage(text);
  assert.equal(split.declaredCount, 11);
  assert.equal(split.policyId, P);
  assert.equal(split.tenant, T);
  assert.deepEqual(split.messages, MESSAGES.map((m) => m[1]));

  const findings = findingsFromServiceMessage(text, FILE, { policyId: 'B2C_1A_signup_signin' });
  assert.equal(findings.length, 11);
  for (const [i, [n, message, expected]] of MESSAGES.entries()) {
    const f = findings[i];
    assert.equal(f.code, 'deploy-rejected');
    assert.equal(f.message, message, `#${n}`);
    assert.equal(f.data?.serviceMessage, message);
    assert.equal(f.data?.policyId, 'B2C_1A_signup_signin');
    assert.equal(TEXT.slice(f.span.start, f.span.end), expected, `#${n} lands on '${TEXT.slice(f.span.start, f.span.end)}' at ${at(f.span.start)}`);
  }
});

test('the ranges are the right occurrences, not just the right words', () => {
  const findings = findingsFromServiceMessage(header(11) + MESSAGES.map((m) => m[1]).join(''), FILE);
  const where = (n: number) => at(findings[MESSAGES.findIndex((m) => m[0] === n)].span.start);
  // #2: the line and column the service names.
  assert.equal(where(2), `${CP_LINE}:${CP_COL}`);
  // #8: the input claim inside the named technical profile (Facebook-OAUTH outputs the same claim earlier).
  const inputLine = LINES.findIndex((l) => l.includes('<InputClaim ClaimTypeReferenceId="alternativeSecurityId"')) + 1;
  assert.equal(where(8).split(':')[0], String(inputLine));
  // #9: the relying party's output claim, not the technical profile's.
  const rpStart = LINES.findIndex((x) => x.includes('<RelyingParty>'));
  const rpLine = LINES.findIndex((l, i) => i > rpStart && l.includes('identityProvider')) + 1;
  assert.equal(where(9).split(':')[0], String(rpLine));
  // #10: step Order="3" of that journey.
  assert.equal(where(10).split(':')[0], String(LINES.findIndex((l) => l.includes('Order="3"')) + 1));
});

test('a message quoted inside another (#5) is not split off; the portal prefix and a missing header are fine', () => {
  const nested = MESSAGES[2][1];
  assert.deepEqual(splitServiceMessage(nested).messages, [nested]);
  const portal = `Unable to upload policy. Reason : ${header(2)}${MESSAGES[1][1]}${MESSAGES[6][1]}`;
  assert.deepEqual(splitServiceMessage(portal).messages, [MESSAGES[1][1], MESSAGES[6][1]]);
  assert.deepEqual(splitServiceMessage(MESSAGES[6][1]).messages, [MESSAGES[6][1]]);
});

test('an unknown message start stays attached to the message before it; an unknown message falls back to the root element', () => {
  const text = header(2) + MESSAGES[6][1] + 'Something new the service says about "Nothing".';
  const split = splitServiceMessage(text);
  assert.deepEqual(split.messages, [MESSAGES[6][1] + 'Something new the service says about "Nothing".']);
  const [f] = findingsFromServiceMessage('Object reference not set to an instance of an object.', FILE);
  assert.equal(TEXT.slice(f.span.start, f.span.end), 'TrustFrameworkPolicy');
});

test('#6 lands on BasePolicy/PolicyId, #7 on TenantId, #12 on the StorageReferenceId, #18 on the token', () => {
  const keyed = policy('B2C_1A_K', `  <ClaimsProviders><ClaimsProvider><TechnicalProfiles><TechnicalProfile Id="A"><CryptographicKeys><Key Id="client_secret" StorageReferenceId="B2C_1A_AADAppSecret" /></CryptographicKeys><Metadata><Item Key="x">{Settings:Tenant}</Item></Metadata></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>`, 'B2C_1A_TrustFrameworkExtensions');
  const file = parsePolicyFile('file:///k.xml', keyed);
  const text = (m: string) => {
    const [f] = findingsFromServiceMessage(m, file);
    return keyed.slice(f.span.start, f.span.end);
  };
  assert.equal(text(`Policy with 'policyId': B2C_1A_TRUSTFRAMEWORKEXTENSIONS cannot be found in the directory '3f2504e0-4f89-11d3-9a0c-0305e82c3301'.`), 'B2C_1A_TrustFrameworkExtensions');
  assert.equal(text(`TenantId in the policy xml 'yourtenant.onmicrosoft.com' is not same as the one in login tenant 'contoso.onmicrosoft.com'.`), 'yourtenant.onmicrosoft.com');
  assert.equal(text(`${header(1)}Tenant "${T}" does not have CryptographicKey referenced by storageReferenceId "B2C_1A_AADAppSecret".`), 'B2C_1A_AADAppSecret');
  assert.equal(text('settings:tenant is neither a valid DNS name, nor a valid external domain'), '{Settings:Tenant}');
  // #12 glued to another message: still two findings.
  assert.equal(findingsFromServiceMessage(`${header(2)}Tenant "${T}" does not have CryptographicKey referenced by storageReferenceId "B2C_1A_AADAppSecret".${MESSAGES[6][1]}`, file).length, 2);
});

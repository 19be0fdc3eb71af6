/**
 * A small chain for the journey picture's tests: Base (profiles, the SignIn journey, a journey that invokes a
 * sub-journey, a sub-journey that invokes itself), Ext (overrides step 3 of SignIn and the social profile),
 * RP (DefaultUserJourney SignIn).
 */
import { policy } from './policies';

const handler = (name: string) => `Web.TPEngine.Providers.${name}, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null`;

export const BASE_XML = policy(
  'B2C_1A_Base',
  `  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="objectId"><DisplayName>Object id</DisplayName><DataType>string</DataType></ClaimType>
      <ClaimType Id="email"><DisplayName>Email</DisplayName><DataType>string</DataType></ClaimType>
      <ClaimType Id="displayName"><DisplayName>Name</DisplayName><DataType>string</DataType></ClaimType>
    </ClaimsSchema>
    <ContentDefinitions>
      <ContentDefinition Id="api.selfasserted">
        <LoadUri>~/tenant/templates/AzureBlue/selfAsserted.cshtml</LoadUri>
        <DataUri>urn:com:microsoft:aad:b2c:elements:contract:selfasserted:2.1.7</DataUri>
      </ContentDefinition>
    </ContentDefinitions>
  </BuildingBlocks>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="SelfAsserted-Signin">
          <DisplayName>Local sign-in</DisplayName>
          <Protocol Name="Proprietary" Handler="${handler('SelfAssertedAttributeProvider')}" />
          <Metadata>
            <Item Key="ContentDefinitionReferenceId">api.selfasserted</Item>
          </Metadata>
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="email" />
          </OutputClaims>
          <ValidationTechnicalProfiles>
            <ValidationTechnicalProfile ReferenceId="Login" />
          </ValidationTechnicalProfiles>
        </TechnicalProfile>
        <TechnicalProfile Id="Login">
          <DisplayName>Login</DisplayName>
          <Protocol Name="OpenIdConnect" />
          <Metadata>
            <Item Key="METADATA">https://login.microsoftonline.com/{tenant}/.well-known/openid-configuration</Item>
            <Item Key="client_id">ProxyIdentityExperienceFrameworkAppId</Item>
          </Metadata>
          <InputClaims>
            <InputClaim ClaimTypeReferenceId="email" />
          </InputClaims>
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="objectId" />
          </OutputClaims>
        </TechnicalProfile>
        <TechnicalProfile Id="Social-IdP">
          <DisplayName>Contoso Social</DisplayName>
          <Protocol Name="OAuth2" />
          <Metadata>
            <Item Key="authorization_endpoint">https://social.example/oauth/authorize</Item>
            <Item Key="AccessTokenEndpoint">https://social.example/oauth/token</Item>
            <Item Key="ClaimsEndpoint">https://social.example/me</Item>
            <Item Key="client_id">social-app</Item>
          </Metadata>
          <CryptographicKeys>
            <Key Id="client_secret" StorageReferenceId="B2C_1A_SocialSecret" />
          </CryptographicKeys>
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="email" />
          </OutputClaims>
        </TechnicalProfile>
        <TechnicalProfile Id="Reader">
          <DisplayName>Read the user</DisplayName>
          <Protocol Name="Proprietary" Handler="${handler('AzureActiveDirectoryProvider')}" />
          <Metadata>
            <Item Key="Operation">Read</Item>
          </Metadata>
          <InputClaims>
            <InputClaim ClaimTypeReferenceId="objectId" Required="true" />
          </InputClaims>
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="displayName" />
          </OutputClaims>
        </TechnicalProfile>
        <TechnicalProfile Id="JwtIssuer">
          <DisplayName>JWT issuer</DisplayName>
          <Protocol Name="OpenIdConnect" />
          <OutputTokenFormat>JWT</OutputTokenFormat>
          <Metadata>
            <Item Key="issuer_refresh_token_user_identity_claim_type">objectId</Item>
          </Metadata>
          <CryptographicKeys>
            <Key Id="issuer_secret" StorageReferenceId="B2C_1A_TokenSigningKeyContainer" />
            <Key Id="issuer_refresh_token_key" StorageReferenceId="B2C_1A_TokenEncryptionKeyContainer" />
          </CryptographicKeys>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
  <UserJourneys>
    <UserJourney Id="SignIn">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="CombinedSignInAndSignUp">
          <ClaimsProviderSelections>
            <ClaimsProviderSelection TargetClaimsExchangeId="SocialExchange" />
            <ClaimsProviderSelection ValidationClaimsExchangeId="LocalExchange" />
          </ClaimsProviderSelections>
          <ClaimsExchanges>
            <ClaimsExchange Id="LocalExchange" TechnicalProfileReferenceId="SelfAsserted-Signin" />
          </ClaimsExchanges>
        </OrchestrationStep>
        <OrchestrationStep Order="2" Type="ClaimsExchange">
          <Preconditions>
            <Precondition Type="ClaimsExist" ExecuteActionsIf="true">
              <Value>objectId</Value>
              <Action>SkipThisOrchestrationStep</Action>
            </Precondition>
          </Preconditions>
          <ClaimsExchanges>
            <ClaimsExchange Id="SocialExchange" TechnicalProfileReferenceId="Social-IdP" />
          </ClaimsExchanges>
        </OrchestrationStep>
        <OrchestrationStep Order="3" Type="ClaimsExchange">
          <ClaimsExchanges>
            <ClaimsExchange Id="ReadExchange" TechnicalProfileReferenceId="Reader" />
          </ClaimsExchanges>
        </OrchestrationStep>
        <OrchestrationStep Order="4" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />
      </OrchestrationSteps>
    </UserJourney>
    <UserJourney Id="WithSub">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="InvokeSubJourney">
          <JourneyList>
            <Candidate SubJourneyReferenceId="Sub" />
          </JourneyList>
        </OrchestrationStep>
        <OrchestrationStep Order="2" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />
      </OrchestrationSteps>
    </UserJourney>
  </UserJourneys>
  <SubJourneys>
    <SubJourney Id="Sub" Type="Call">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="ClaimsExchange">
          <ClaimsExchanges>
            <ClaimsExchange Id="SubLocalExchange" TechnicalProfileReferenceId="SelfAsserted-Signin" />
          </ClaimsExchanges>
        </OrchestrationStep>
      </OrchestrationSteps>
    </SubJourney>
    <SubJourney Id="Loop" Type="Call">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="InvokeSubJourney">
          <JourneyList>
            <Candidate SubJourneyReferenceId="Loop" />
          </JourneyList>
        </OrchestrationStep>
      </OrchestrationSteps>
    </SubJourney>
  </SubJourneys>`,
);

export const EXT_XML = policy(
  'B2C_1A_Ext',
  `  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Social</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="Social-IdP">
          <Metadata>
            <Item Key="client_id">0000</Item>
          </Metadata>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
  <UserJourneys>
    <UserJourney Id="SignIn">
      <OrchestrationSteps>
        <OrchestrationStep Order="3" Type="ClaimsExchange">
          <ClaimsExchanges>
            <ClaimsExchange Id="ReadAgainExchange" TechnicalProfileReferenceId="Reader" />
          </ClaimsExchanges>
        </OrchestrationStep>
      </OrchestrationSteps>
    </UserJourney>
  </UserJourneys>`,
  'B2C_1A_Base',
);

export const RP_XML = policy(
  'B2C_1A_RP',
  `  <RelyingParty>
    <DefaultUserJourney ReferenceId="SignIn" />
    <TechnicalProfile Id="PolicyProfile">
      <DisplayName>PolicyProfile</DisplayName>
      <Protocol Name="OpenIdConnect" />
      <OutputClaims>
        <OutputClaim ClaimTypeReferenceId="objectId" PartnerClaimType="sub" />
        <OutputClaim ClaimTypeReferenceId="displayName" />
      </OutputClaims>
      <SubjectNamingInfo ClaimType="objectId" />
    </TechnicalProfile>
  </RelyingParty>`,
  'B2C_1A_Ext',
);

/** The 0-based position of `needle` (at the last `value` inside it) in `text`. */
export function positionOf(text: string, needle: string, value = needle): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`'${needle}' not in the text`);
  const offset = at + needle.lastIndexOf(value);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** The range of `value` inside the first `needle` of `text`. */
export function rangeOf(text: string, needle: string, value = needle) {
  const start = positionOf(text, needle, value);
  return { start, end: { line: start.line, character: start.character + value.length } };
}

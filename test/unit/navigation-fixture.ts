/**
 * A four-file chain (Base <- Localization <- Extensions <- relying party) for the navigation tests, written
 * for them, loaded twice: into `dev/` and `prod/` with the same PolicyIds (two environments that must never
 * mix). Positions are given by a `|` marker inside a needle: `at('Base', 'Id="em|ail"')`.
 */
import * as assert from 'node:assert/strict';
import type { Location, LocationLink, Position, Range, TextEdit } from 'vscode-languageserver-types';
import { SchemaCache } from '../../server/src/schemaFile';
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { applyOffsetEdits } from '../../server/src/service/edits/textEdits';
import { LineIndex } from '../../server/src/service/xml/lines';
import { withCursor } from '../helpers/corpus';
import { policy } from '../helpers/policies';

const schemas = new SchemaCache();

const SELF_ASSERTED = 'Web.TPEngine.Providers.SelfAssertedAttributeProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null';
const AAD = 'Web.TPEngine.Providers.AzureActiveDirectoryProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null';

export const BASE = policy(
  'B2C_1A_TrustFrameworkBase',
  `  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="objectId">
        <DisplayName>Object ID</DisplayName>
        <DataType>string</DataType>
      </ClaimType>
      <ClaimType Id="email">
        <DisplayName>Email Address</DisplayName>
        <DataType>string</DataType>
        <UserInputType>TextBox</UserInputType>
      </ClaimType>
      <ClaimType Id="surname">
        <DisplayName>Surname</DisplayName>
        <DataType>string</DataType>
      </ClaimType>
      <ClaimType Id="displayName">
        <DisplayName>Display Name</DisplayName>
        <DataType>string</DataType>
      </ClaimType>
    </ClaimsSchema>
    <ContentDefinitions>
      <ContentDefinition Id="api.signuporsignin">
        <LoadUri>~/tenant/templates/AzureBlue/unified.cshtml</LoadUri>
        <DataUri>urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:2.1.7</DataUri>
      </ContentDefinition>
    </ContentDefinitions>
  </BuildingBlocks>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local Account</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="login-NonInteractive">
          <DisplayName>Local Account SignIn</DisplayName>
          <Protocol Name="OpenIdConnect" />
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="objectId" PartnerClaimType="oid" />
          </OutputClaims>
        </TechnicalProfile>
        <TechnicalProfile Id="SelfAsserted-LocalAccountSignin-Email">
          <DisplayName>Local Account Signin</DisplayName>
          <Protocol Name="Proprietary" Handler="${SELF_ASSERTED}" />
          <Metadata>
            <Item Key="ContentDefinitionReferenceId">api.signuporsignin</Item>
          </Metadata>
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="email" Required="true" />
            <OutputClaim ClaimTypeReferenceId="surName" />
            <OutputClaim ClaimTypeReferenceId="objectId" />
          </OutputClaims>
          <ValidationTechnicalProfiles>
            <ValidationTechnicalProfile ReferenceId="login-NonInteractive" />
          </ValidationTechnicalProfiles>
        </TechnicalProfile>
        <TechnicalProfile Id="Facebook-OAUTH">
          <DisplayName>Facebook</DisplayName>
          <Protocol Name="OAuth2" />
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="email" />
          </OutputClaims>
        </TechnicalProfile>
        <TechnicalProfile Id="AAD-UserReadUsingObjectId">
          <DisplayName>Read the user</DisplayName>
          <Protocol Name="Proprietary" Handler="${AAD}" />
          <InputClaims>
            <InputClaim ClaimTypeReferenceId="objectId" Required="true" />
          </InputClaims>
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="displayName" />
          </OutputClaims>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
    <ClaimsProvider>
      <DisplayName>Token Issuer</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="JwtIssuer">
          <DisplayName>JWT Issuer</DisplayName>
          <Protocol Name="OpenIdConnect" />
          <OutputTokenFormat>JWT</OutputTokenFormat>
          <CryptographicKeys>
            <Key Id="issuer_secret" StorageReferenceId="B2C_1A_TokenSigningKeyContainer" />
            <Key Id="issuer_refresh_token_key" StorageReferenceId="B2C_1A_TokenEncryptionKeyContainer" />
          </CryptographicKeys>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
  <UserJourneys>
    <UserJourney Id="SignUpOrSignIn">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="CombinedSignInAndSignUp" ContentDefinitionReferenceId="api.signuporsignin">
          <ClaimsProviderSelections>
            <ClaimsProviderSelection TargetClaimsExchangeId="FacebookExchange" />
            <ClaimsProviderSelection ValidationClaimsExchangeId="LocalAccountSigninEmailExchange" />
          </ClaimsProviderSelections>
          <ClaimsExchanges>
            <ClaimsExchange Id="LocalAccountSigninEmailExchange" TechnicalProfileReferenceId="SelfAsserted-LocalAccountSignin-Email" />
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
            <ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="Facebook-OAUTH" />
          </ClaimsExchanges>
        </OrchestrationStep>
        <OrchestrationStep Order="3" Type="ClaimsExchange">
          <ClaimsExchanges>
            <ClaimsExchange Id="AADUserReadWithObjectId" TechnicalProfileReferenceId="AAD-UserReadUsingObjectId" />
          </ClaimsExchanges>
        </OrchestrationStep>
        <OrchestrationStep Order="4" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" />
      </OrchestrationSteps>
    </UserJourney>
  </UserJourneys>`,
);

export const LOCALIZATION = policy(
  'B2C_1A_TrustFrameworkLocalization',
  `  <BuildingBlocks>
    <Localization Enabled="true">
      <SupportedLanguages DefaultLanguage="en" MergeBehavior="ReplaceAll">
        <SupportedLanguage>en</SupportedLanguage>
      </SupportedLanguages>
      <LocalizedResources Id="api.signuporsignin.en">
        <LocalizedStrings>
          <LocalizedString ElementType="ClaimType" ElementId="email" StringId="DisplayName">Email Address</LocalizedString>
          <LocalizedString ElementType="ClaimsProvider" StringId="FacebookExchange">Facebook</LocalizedString>
        </LocalizedStrings>
      </LocalizedResources>
    </Localization>
  </BuildingBlocks>`,
  'B2C_1A_TrustFrameworkBase',
);

export const EXTENSIONS = policy(
  'B2C_1A_TrustFrameworkExtensions',
  `  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Local Account SignIn</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="login-NonInteractive">
          <Metadata>
            <Item Key="client_id">00000000-0000-0000-0000-000000000001</Item>
            <Item Key="IdTokenAudience">00000000-0000-0000-0000-000000000002</Item>
          </Metadata>
        </TechnicalProfile>
        <TechnicalProfile Id="Ext-Profile">
          <DisplayName>Extension profile</DisplayName>
          <Protocol Name="Proprietary" Handler="${SELF_ASSERTED}" />
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="email" />
          </OutputClaims>
          <ValidationTechnicalProfiles>
            <ValidationTechnicalProfile ReferenceId="login-NonInteractive" />
          </ValidationTechnicalProfiles>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>`,
  'B2C_1A_TrustFrameworkLocalization',
);

export const RELYING_PARTY = policy(
  'B2C_1A_signup_signin',
  `  <RelyingParty>
    <DefaultUserJourney ReferenceId="SignUpOrSignIn" />
    <TechnicalProfile Id="PolicyProfile">
      <DisplayName>PolicyProfile</DisplayName>
      <Protocol Name="OpenIdConnect" />
      <OutputClaims>
        <OutputClaim ClaimTypeReferenceId="email" />
        <OutputClaim ClaimTypeReferenceId="objectId" PartnerClaimType="sub" />
      </OutputClaims>
      <SubjectNamingInfo ClaimType="objectId" />
    </TechnicalProfile>
  </RelyingParty>`,
  'B2C_1A_TrustFrameworkExtensions',
);

export const FILE_NAMES = {
  Base: 'TrustFrameworkBase.xml',
  Localization: 'TrustFrameworkLocalization.xml',
  Extensions: 'TrustFrameworkExtensions.xml',
  RP: 'SignUpOrSignin.xml',
} as const;
export type FileKey = keyof typeof FILE_NAMES;
export const TEXTS: Record<FileKey, string> = { Base: BASE, Localization: LOCALIZATION, Extensions: EXTENSIONS, RP: RELYING_PARTY };
export const ENVIRONMENTS = ['dev', 'prod'] as const;

export function uriOf(key: FileKey, env: (typeof ENVIRONMENTS)[number] = 'dev'): string {
  return `file:///ws/${env}/${FILE_NAMES[key]}`;
}

/** A service holding both environments (and optional overrides of the texts), with the bundled schema. */
export function navigationService(texts: Partial<Record<FileKey, string>> = {}): PolicyLanguageService {
  const service = new PolicyLanguageService({ schema: schemas.load(), log: (m) => { throw new Error(m); } });
  for (const env of ENVIRONMENTS) for (const key of Object.keys(FILE_NAMES) as FileKey[]) service.setDiskFile(uriOf(key, env), texts[key] ?? TEXTS[key]);
  return service;
}

/** The LSP position of the `|` inside `needle` (which must occur exactly `nth`+1 times or more) in a file's text. */
export function at(text: string, marked: string, nth = 0): Position {
  const { text: needle, offset } = withCursor(marked);
  let found = -1;
  for (let i = 0; i <= nth; i++) {
    found = text.indexOf(needle, found + 1);
    assert.ok(found >= 0, `'${needle}' (#${i + 1}) in the text`);
  }
  return new LineIndex(text).positionAt(found + offset);
}

/**
 * A range shown in its line, for assertions a reader can check by eye: `Base:12 <ClaimType Id="[email]">`
 * (file key, 1-based line, the line trimmed with the range in brackets).
 */
export function show(service: PolicyLanguageService, uri: string, range: Range): string {
  const text = service.text(uri) ?? '';
  const lines = new LineIndex(text);
  const start = lines.offsetAt(range.start);
  const end = lines.offsetAt(range.end);
  const lineStart = lines.lineStart(range.start.line);
  const lineEnd = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end);
  const line = text.slice(lineStart, start) + '[' + text.slice(start, end) + ']' + text.slice(end, lineEnd);
  return `${label(uri)}:${range.start.line + 1} ${line.trim()}`;
}

/** `Base`, `RP`, ... for dev files; `prod/Base` for the other environment. */
export function label(uri: string): string {
  const key = (Object.keys(FILE_NAMES) as FileKey[]).find((k) => uri.endsWith('/' + FILE_NAMES[k]));
  return uri.includes('/prod/') ? `prod/${key}` : String(key);
}

export function showLocations(service: PolicyLanguageService, locations: Location[]): string[] {
  return locations.map((l) => show(service, l.uri, l.range));
}

export function showLinks(service: PolicyLanguageService, links: LocationLink[]): string[] {
  return links.map((l) => show(service, l.targetUri, l.targetSelectionRange));
}

/** Applies a WorkspaceEdit's changes to the service's texts; returns the new texts by uri. */
export function applyChanges(service: PolicyLanguageService, changes: Record<string, TextEdit[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [uri, edits] of Object.entries(changes)) {
    const text = service.text(uri)!;
    const lines = new LineIndex(text);
    out[uri] = applyOffsetEdits(
      text,
      edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })),
    );
  }
  return out;
}

/**
 * The kinds of technical profile the B2C service knows: how each is recognised (Protocol Name, Handler,
 * OutputTokenFormat), the metadata items it reads and the cryptographic keys it uses.
 *
 * Facts come from the public reference documentation (MicrosoftDocs/azure-docs, folder
 * `articles/active-directory-b2c/`; each type names its page). Descriptions are this project's own words.
 * Where Microsoft's starter pack (deployed by Microsoft) uses something the pages do not list, the pack wins:
 * such entries carry `source: 'starter pack'` and a note saying what was seen.
 */

export type MetadataValueType = 'string' | 'boolean' | 'int' | 'url' | 'enumeration';

/** What a conditional requirement can look at: the profile's effective metadata and what it uses. */
export interface RequirementContext {
  /** Effective metadata (merged along the chain and included profiles): key -> trimmed value. */
  metadata: ReadonlyMap<string, string>;
  /** True when a claim of the profile (input, output, persisted) is an `extension_` attribute. */
  usesExtensionAttributes: boolean;
}

export interface Requirement {
  /** When the item is required, in words (for messages and hover). */
  when: string;
  test: (context: RequirementContext) => boolean;
}

export interface MetadataItemSpec {
  key: string;
  type: MetadataValueType;
  /** Possible values of an enumeration (compared without regard to case, as the starter pack writes `json` for `Json`). */
  values?: readonly string[];
  /** Inclusive bounds of an int, where the page states them. */
  min?: number;
  max?: number;
  required?: true;
  requiredWhen?: Requirement;
  default?: string;
  doc: string;
  /** Set when the fact does not come from the type's own page. */
  source?: string;
}

export interface CryptographicKeySpec {
  id: string;
  required?: true;
  requiredWhen?: Requirement;
  doc: string;
  source?: string;
}

export type ProtocolName = 'OAuth1' | 'OAuth2' | 'OpenIdConnect' | 'SAML2' | 'Proprietary' | 'None';

export interface TechnicalProfileType {
  /** Stable id of the type, e.g. `self-asserted`. */
  id: string;
  /** Short name for people. */
  title: string;
  /** The reference page, relative to `articles/active-directory-b2c/`. */
  page: string;
  description: string;
  protocol: ProtocolName;
  /** For `Proprietary`: the handler's type name (the part before the first comma of the Handler attribute). */
  handler?: string;
  /** For token issuers: the OutputTokenFormat that distinguishes them from the identity-provider form. */
  outputTokenFormat?: string;
  metadata: readonly MetadataItemSpec[];
  /** Families of keys accepted besides the listed ones (e.g. `language.*` on self-asserted pages). */
  metadataKeyPatterns?: ReadonlyArray<{ pattern: RegExp; doc: string }>;
  cryptographicKeys: readonly CryptographicKeySpec[];
  /** Any key Id is accepted (a REST API key is named after its HTTP header). */
  anyCryptographicKeyId?: boolean;
  /** The metadata of this type is not documented: keys are not judged. */
  openMetadata?: boolean;
}

/** The assembly part every documented Handler carries after the type name. */
export const HANDLER_ASSEMBLY = 'Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null';

/** The full Handler attribute value for a handler type name. */
export function fullHandlerName(typeName: string): string {
  return `${typeName}, ${HANDLER_ASSEMBLY}`;
}

/** The type name of a Handler attribute value: the part before the first comma. */
export function handlerTypeName(handler: string): string {
  const comma = handler.indexOf(',');
  return (comma < 0 ? handler : handler.slice(0, comma)).trim();
}

function meta(key: string, type: MetadataValueType, doc: string, extra: Partial<MetadataItemSpec> = {}): MetadataItemSpec {
  return { key, type, doc, ...extra };
}

function key(id: string, doc: string, extra: Partial<CryptographicKeySpec> = {}): CryptographicKeySpec {
  return { id, doc, ...extra };
}

function valueIs(key: string, ...values: string[]): (context: RequirementContext) => boolean {
  const wanted = values.map((v) => v.toLowerCase());
  return (context) => wanted.includes((context.metadata.get(key) ?? '').toLowerCase());
}

const CLAIM_RESOLVING = meta(
  'IncludeClaimResolvingInClaimsHandling',
  'boolean',
  'Lets claim resolvers such as {Culture:LanguageName} be expanded in the input and output claims of this profile.',
  { default: 'false' },
);
const JSON_PATHS = meta(
  'ResolveJsonPathsInJsonTokens',
  'boolean',
  'Lets a PartnerClaimType be a JSON path (for example data.0.email) into a nested JSON response.',
  { default: 'false' },
);
const SINGLE_LOGOUT = meta('SingleLogoutEnabled', 'boolean', 'Whether signing out of B2C also tries to sign the user out of this federated provider.', { default: 'true' });
const USE_POLICY_IN_REDIRECT = meta(
  'UsePolicyInRedirectUri',
  'boolean',
  'When true the redirect URI B2C gives the provider contains the policy name, so each policy needs its own registered redirect URI.',
);
const RESPONSE_MODE = meta('response_mode', 'enumeration', 'How the provider returns its result to B2C.', { values: ['query', 'form_post', 'fragment'], default: 'form_post' });
const HTTP_BINDING = meta('HttpBinding', 'enumeration', 'The HTTP method B2C uses at the token and claims endpoints.', { values: ['GET', 'POST'] });
const TOKEN_ENDPOINT_AUTH = meta('token_endpoint_auth_method', 'enumeration', 'How B2C authenticates itself at the token endpoint.', {
  values: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
  default: 'client_secret_post',
});
const TOKEN_SIGNING_ALGORITHM = meta('token_signing_algorithm', 'enumeration', 'Signing algorithm of the client assertion when token_endpoint_auth_method is private_key_jwt.', {
  values: ['RS256', 'RS512'],
  default: 'RS256',
});
const XML_SIGNATURE_ALGORITHM_VALUES = ['Sha256', 'Sha384', 'Sha512', 'Sha1'];

const PRIVATE_KEY_JWT: Requirement = { when: 'token_endpoint_auth_method is private_key_jwt', test: valueIs('token_endpoint_auth_method', 'private_key_jwt') };

/** UI error messages that pages document as metadata of the profile that shows the page. */
const USER_MESSAGE_PATTERN = {
  pattern: /^UserMessageIf[A-Za-z0-9]+$/,
  doc: 'An error message shown to the user; the UserMessageIf... items of the validation profiles and claims transformations a page calls are set on the page\'s self-asserted profile.',
};
const LANGUAGE_PATTERN = {
  pattern: /^language\.[A-Za-z0-9_]+$/,
  doc: 'Overrides a user interface string of the page (language.<StringId>), as a LocalizedString of ElementType UxElement would.',
};

const SESSION_PAGE = 'custom-policy-reference-sso.md';

/** Every technical profile type of the reference, in the order of its table of contents. */
export const TECHNICAL_PROFILE_TYPES: readonly TechnicalProfileType[] = [
  {
    id: 'azure-active-directory',
    title: 'Microsoft Entra ID (directory read/write)',
    page: 'active-directory-technical-profile.md',
    description: 'Reads, creates, updates or deletes a user account in the B2C directory.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.AzureActiveDirectoryProvider',
    metadata: [
      meta('Operation', 'enumeration', 'What to do with the account.', { values: ['Read', 'Write', 'DeleteClaims', 'DeleteClaimsPrincipal'], required: true }),
      meta('RaiseErrorIfClaimsPrincipalDoesNotExist', 'boolean', 'Fail when no account matches the input claim.'),
      meta('RaiseErrorIfClaimsPrincipalAlreadyExists', 'boolean', 'Fail when an account with the input claim already exists.'),
      meta('ApplicationObjectId', 'string', 'Object id of the application that holds the extension attributes.', {
        // Service message #14: "A required Metadata item with key "ApplicationObjectId" was not found ..." for a profile
        // that uses extension attributes (azure-ad-b2c/samples#218).
        requiredWhen: { when: 'the profile uses extension_ attributes', test: (c) => c.usesExtensionAttributes },
      }),
      meta('ClientId', 'string', 'Application (client) id of the application that holds the extension attributes.', {
        requiredWhen: { when: 'the profile uses extension_ attributes', test: (c) => c.usesExtensionAttributes },
      }),
      CLAIM_RESOLVING,
      meta('api-version', 'string', 'Version of the directory API the provider calls; account-linking policies set 1.6 so that writing alternativeSecurityIds appends to the list instead of replacing it.', {
        source: 'not on the page; azure-ad-b2c/samples#449 (a Microsoft engineer: "Required for the ability to read and update the alternativeSecurityId. We use it in the account linking samples")',
      }),
      meta('UserMessageIfClaimsPrincipalAlreadyExists', 'string', 'Message shown when the account already exists and an error is raised for it.'),
      meta('UserMessageIfClaimsPrincipalDoesNotExist', 'string', 'Message shown when no account exists and an error is raised for it.'),
    ],
    cryptographicKeys: [key('issuer_secret', 'Signing key container; the starter pack\'s AAD-Common declares it.')],
  },
  {
    id: 'azure-mfa',
    title: 'Microsoft Entra ID multifactor authentication',
    page: 'multi-factor-auth-technical-profile.md',
    description: 'Sends and verifies SMS codes, and enrols and verifies TOTP authenticator apps, without a page of its own.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.AzureMfaProtocolProvider',
    metadata: [
      meta('Operation', 'enumeration', 'The step to perform.', { values: ['OneWaySMS', 'Verify', 'GetAvailableDevices', 'BeginVerifyOTP', 'VerifyOTP'], required: true }),
      meta('UserMessageIfCouldntSendSms', 'string', 'Message when the number cannot receive SMS.'),
      meta('UserMessageIfInvalidFormat', 'string', 'Message when the phone number is not valid.'),
      meta('UserMessageIfServerError', 'string', 'Message when the MFA service fails.'),
      meta('UserMessageIfThrottled', 'string', 'Message when requests are throttled.'),
      meta('UserMessageIfMaxAllowedCodeRetryReached', 'string', 'Message after too many wrong codes.'),
      meta('UserMessageIfWrongCodeEntered', 'string', 'Message when the code is wrong.'),
    ],
    cryptographicKeys: [],
  },
  {
    id: 'aad-sspr',
    title: 'Microsoft Entra ID SSPR (email code)',
    page: 'aad-sspr-technical-profile.md',
    description: 'Sends a verification code to an email address and verifies it, using the directory\'s password-reset service.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.AadSsprProtocolProvider',
    metadata: [
      meta('Operation', 'enumeration', 'The step to perform.', { values: ['SendCode', 'VerifyCode'], required: true }),
      meta('UserMessageIfInternalError', 'string', 'Message when the email service fails.'),
      meta('UserMessageIfThrottled', 'string', 'Message when requests are throttled.'),
      meta('UserMessageIfChallengeExpired', 'string', 'Message when the code expired or was never sent.'),
      meta('UserMessageIfVerificationFailedNoRetry', 'string', 'Message when the code is wrong and no retry is left.'),
      meta('UserMessageIfVerificationFailedRetryAllowed', 'string', 'Message when the code is wrong and the user may retry.'),
    ],
    cryptographicKeys: [],
  },
  {
    id: 'application-insights',
    title: 'Application Insights',
    page: 'application-insights-technical-profile.md',
    description: 'Sends an event with the listed claims as properties to Application Insights.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.Insights.AzureApplicationInsightsProvider',
    metadata: [
      meta('InstrumentationKey', 'string', 'Instrumentation key of the Application Insights resource.', { required: true }),
      meta('DeveloperMode', 'boolean', 'Send events immediately instead of buffering them; for development only.', { default: 'false' }),
      meta('DisableTelemetry', 'boolean', 'Turns the events off.', { default: 'false' }),
      CLAIM_RESOLVING,
    ],
    cryptographicKeys: [],
  },
  {
    // Not in the current reference: earlier revisions of the Application Insights page said "The Identity
    // Experience Framework in Azure AD B2C includes the provider UserJourneyContextProvider", and Microsoft's
    // custom-claims-provider sample uses it. Its metadata is not documented: keys are not judged.
    id: 'user-journey-context',
    title: 'User journey context (undocumented)',
    page: 'analytics-with-application-insights.md',
    description: 'Provider named by earlier revisions of the Application Insights page for journey events; not documented today.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.UserJourneyContextProvider',
    metadata: [],
    cryptographicKeys: [],
    openMetadata: true,
  },
  {
    id: 'captcha',
    title: 'CAPTCHA',
    page: 'captcha-technical-profile.md',
    description: 'Creates a visual or audio challenge and checks the answer (preview).',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.CaptchaProvider',
    metadata: [
      meta('Operation', 'enumeration', 'Create a challenge or check the answer.', { values: ['GetChallenge', 'VerifyChallenge'], required: true }),
      meta('Brand', 'enumeration', 'The challenge provider; only HIP exists.', { values: ['HIP'], required: true }),
    ],
    cryptographicKeys: [],
  },
  {
    id: 'claims-transformation',
    title: 'Claims transformation',
    page: 'claims-transformation-technical-profile.md',
    description: 'Runs its output claims transformations (and sets default output values); often used as a validation profile.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.ClaimsTransformationProtocolProvider',
    metadata: [
      CLAIM_RESOLVING,
      meta('ContentDefinitionReferenceId', 'string', 'Content definition whose localized strings FormatLocalizedString, GetLocalizedStringsTransformation and GetMappedValueFromLocalizedCollection read.'),
    ],
    cryptographicKeys: [],
  },
  {
    id: 'conditional-access',
    title: 'Conditional Access',
    page: 'conditional-access-technical-profile.md',
    description: 'Evaluates Conditional Access policies for a local sign-in, or tells the service a challenge was satisfied.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.ConditionalAccessProtocolProvider',
    metadata: [meta('OperationType', 'enumeration', 'Evaluate the sign-in, or report remediation.', { values: ['Evaluation', 'Remediation'], required: true })],
    cryptographicKeys: [],
  },
  {
    id: 'jwt-issuer',
    title: 'JWT token issuer',
    page: 'jwt-issuer-technical-profile.md',
    description: 'Issues the JWT (id token, access token, refresh token) returned to the application; usually the last step.',
    // The page asks for Protocol None, but its own example and Microsoft's starter pack (JwtIssuer) use
    // OpenIdConnect with OutputTokenFormat JWT: both forms are recognised (see technicalProfileTypeOf).
    protocol: 'OpenIdConnect',
    outputTokenFormat: 'JWT',
    metadata: [
      meta('client_id', 'string', 'Client id the issuer uses for itself; the starter pack sets {service:te}.', { source: 'starter pack (JwtIssuer)' }),
      meta('issuer_refresh_token_user_identity_claim_type', 'string', 'Claim that identifies the user inside authorization codes and refresh tokens, usually objectId.', { required: true }),
      meta('SendTokenResponseBodyWithJsonNumbers', 'boolean', 'Write numbers in the token response as JSON numbers rather than strings (set true unless a client needs the old format).'),
      meta('token_lifetime_secs', 'int', 'Access token lifetime in seconds.', { min: 300, max: 86400, default: '3600' }),
      meta('id_token_lifetime_secs', 'int', 'ID token lifetime in seconds.', { min: 300, max: 86400, default: '3600' }),
      meta('refresh_token_lifetime_secs', 'int', 'Refresh token lifetime in seconds.', { min: 86400, max: 7776000, default: '1209600' }),
      meta('rolling_refresh_token_lifetime_secs', 'int', 'Sliding-window lifetime after which the user must sign in again, in seconds.', { min: 86400, max: 31536000, default: '7776000' }),
      meta('allow_infinite_rolling_refresh_token', 'boolean', 'When true the sliding window never ends.'),
      meta('IssuanceClaimPattern', 'enumeration', 'Shape of the iss claim.', { values: ['AuthorityAndTenantGuid', 'AuthorityWithTfp'], default: 'AuthorityAndTenantGuid' }),
      meta('AuthenticationContextReferenceClaimPattern', 'enumeration', 'Whether the acr claim is issued and what it holds.', { values: ['None', 'PolicyId'] }),
      meta('RefreshTokenUserJourneyId', 'string', 'User journey run when a refresh token is redeemed at the token endpoint.'),
      meta('ClientCredentialsUserJourneyId', 'string', 'User journey run for the OAuth 2.0 client credentials grant at the token endpoint (to customize that token).', {
        source: 'client-credentials-grant-flow.md ("Customize the token"), not the JWT issuer page; Microsoft\'s client_credentials_flow sample',
      }),
    ],
    cryptographicKeys: [
      key('issuer_secret', 'RSA key set that signs the tokens (B2C_1A_TokenSigningKeyContainer in the starter pack).', { required: true }),
      key('issuer_refresh_token_key', 'RSA key set that encrypts refresh tokens (B2C_1A_TokenEncryptionKeyContainer in the starter pack).', { required: true }),
    ],
  },
  {
    id: 'oauth1',
    title: 'OAuth1 identity provider',
    page: 'oauth1-technical-profile.md',
    description: 'Federates with an OAuth 1.0 identity provider such as X (Twitter).',
    protocol: 'OAuth1',
    metadata: [
      meta('client_id', 'string', 'The application id registered at the provider.', { required: true }),
      meta('ProviderName', 'string', 'Name of the provider.'),
      meta('request_token_endpoint', 'url', 'Request token endpoint (RFC 5849).', { required: true }),
      meta('authorization_endpoint', 'url', 'Authorization endpoint (RFC 5849).', { required: true }),
      meta('access_token_endpoint', 'url', 'Token endpoint (RFC 5849).', { required: true }),
      meta('ClaimsEndpoint', 'url', 'User information endpoint.'),
      meta('ClaimsResponseFormat', 'string', 'Format of the user information response.'),
    ],
    cryptographicKeys: [key('client_secret', 'Client secret of the application registered at the provider.', { required: true })],
  },
  {
    id: 'oauth2',
    title: 'OAuth2 identity provider',
    page: 'oauth2-technical-profile.md',
    description: 'Federates with an OAuth2 identity provider such as Facebook or LinkedIn: authorize, redeem the code, read the user info endpoint.',
    protocol: 'OAuth2',
    metadata: [
      meta('authorization_endpoint', 'url', 'Authorization endpoint (RFC 6749).', { required: true }),
      meta('client_id', 'string', 'The application id registered at the provider.', { required: true }),
      meta('AdditionalRequestQueryParameters', 'string', 'Extra query parameters for the authorization request, comma separated.'),
      RESPONSE_MODE,
      // Not in the page's metadata table, but its CryptographicKeys table reads it ("client_secret ... is required
      // only if the response_types metadata is set to code"); Microsoft's B2C-Token-Includes-AzureAD-BearerToken
      // sample sets it on an OAuth2 profile.
      meta('response_types', 'string', 'Response type asked of the provider: code (then B2C redeems it at the token endpoint) or id_token.', {
        source: 'oauth2-technical-profile.md, Cryptographic keys',
      }),
      meta('scope', 'string', 'Scopes requested from the provider.'),
      USE_POLICY_IN_REDIRECT,
      meta('AccessTokenEndpoint', 'url', 'Token endpoint where B2C redeems the authorization code.', { required: true }),
      HTTP_BINDING,
      meta('AccessTokenResponseFormat', 'enumeration', 'Format of the token endpoint response.', { values: ['Default', 'Json', 'JsonP'] }),
      meta('ExtraParamsInAccessTokenEndpointResponse', 'string', 'Parameters of the token response to pass on to the claims endpoint, comma separated.'),
      TOKEN_ENDPOINT_AUTH,
      TOKEN_SIGNING_ALGORITHM,
      meta('ClaimsEndpoint', 'url', 'User information endpoint.', { required: true }),
      meta('ClaimsEndpointAccessTokenName', 'string', 'Name of the query parameter that carries the access token.', { default: 'access_token' }),
      meta('ClaimsEndpointFormatName', 'string', 'Name of a format query parameter for the claims endpoint.'),
      meta('ClaimsEndpointFormat', 'string', 'Value of the format query parameter for the claims endpoint.'),
      meta('BearerTokenTransmissionMethod', 'string', 'How the access token reaches the claims endpoint; AuthorizationHeader sends it as a bearer header instead of the query string.'),
      meta('ExtraParamsInClaimsEndpointRequest', 'string', 'Extra parameters for the claims endpoint request, comma separated.'),
      // The page marks end_session_endpoint as required; Microsoft's starter pack Facebook-OAUTH has none and
      // deploys: the pack wins, the item is optional here.
      meta('end_session_endpoint', 'url', 'Sign-out endpoint of the provider, called on single sign-out.'),
      SINGLE_LOGOUT,
      meta('IdTokenAudience', 'string', 'Expected audience of an id_token returned by the provider.'),
      meta('ProviderName', 'string', 'Name of the provider.'),
      meta('ResponseErrorCodeParamName', 'string', 'Parameter that holds an error returned with HTTP 200.'),
      CLAIM_RESOLVING,
      JSON_PATHS,
      meta('external_user_identity_claim_id', 'string', 'Provider claim that identifies the user (the LinkedIn scenario of the starter pack sets id).', {
        source: 'starter pack (scenario-linkedin-identity-provider, LinkedIn-OAUTH)',
      }),
    ],
    cryptographicKeys: [
      key('client_secret', 'Client secret of the application registered at the provider.', {
        requiredWhen: { when: 'token_endpoint_auth_method is not private_key_jwt', test: (c) => !PRIVATE_KEY_JWT.test(c) },
      }),
      key('assertion_signing_key', 'Certificate that signs the client assertion.', { requiredWhen: PRIVATE_KEY_JWT }),
    ],
  },
  {
    id: 'one-time-password',
    title: 'One-time password',
    page: 'one-time-password-technical-profile.md',
    description: 'Generates a code for an identifier and later verifies it; the code is kept in the session.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.OneTimePasswordProtocolProvider',
    metadata: [
      meta('Operation', 'enumeration', 'Generate or verify a code.', { values: ['GenerateCode', 'VerifyCode'], required: true }),
      meta('CodeExpirationInSeconds', 'int', 'Seconds until the code expires.', { min: 60, max: 1200, default: '600' }),
      meta('CodeLength', 'int', 'Number of characters of the code.', { default: '6' }),
      meta('CharacterSet', 'string', 'Characters of the code as a regular-expression set, at least ten different characters.', { default: '0-9' }),
      meta('NumRetryAttempts', 'int', 'Verification attempts before the code is invalid.', { default: '5' }),
      meta('NumCodeGenerationAttempts', 'int', 'Most codes generated per identifier.', { default: '10' }),
      meta('ReuseSameCode', 'boolean', 'Give the same code again while it is still valid.', { default: 'false' }),
      meta('UserMessageIfSessionDoesNotExist', 'string', 'Message when the code expired or was never generated.'),
      meta('UserMessageIfMaxRetryAttempted', 'string', 'Message after too many verification attempts.'),
      meta('UserMessageIfMaxNumberOfCodeGenerated', 'string', 'Message after too many codes were generated.'),
      meta('UserMessageIfInvalidCode', 'string', 'Message when the code is wrong.'),
      meta('UserMessageIfVerificationFailedRetryAllowed', 'string', 'Message when the code is wrong and the user may retry.'),
      meta('UserMessageIfSessionConflict', 'string', 'Message when the code cannot be verified.'),
    ],
    cryptographicKeys: [],
  },
  {
    id: 'openid-connect',
    title: 'OpenID Connect identity provider',
    page: 'openid-connect-technical-profile.md',
    description: 'Federates with an OpenID Connect identity provider; the starter pack also uses it for the local-account password check (login-NonInteractive).',
    protocol: 'OpenIdConnect',
    metadata: [
      meta('client_id', 'string', 'The application id registered at the provider.', { required: true }),
      meta('IdTokenAudience', 'string', 'Expected aud claim of the id_token.'),
      meta('METADATA', 'url', 'The provider\'s OpenID configuration document; may contain {tenant}.', { required: true }),
      meta('authorization_endpoint', 'url', 'Authorization endpoint, instead of the one in the configuration document.'),
      meta('end_session_endpoint', 'url', 'Sign-out endpoint, instead of the one in the configuration document.'),
      meta('issuer', 'string', 'Expected iss claim, instead of the one in the configuration document.'),
      meta('ProviderName', 'string', 'Name of the provider.'),
      meta('response_types', 'string', 'OpenID Connect response type: id_token, code or token.'),
      RESPONSE_MODE,
      meta('scope', 'string', 'Scopes requested from the provider.'),
      HTTP_BINDING,
      meta('ValidTokenIssuerPrefixes', 'string', 'Issuer prefixes accepted from a multi-tenant provider.'),
      USE_POLICY_IN_REDIRECT,
      meta('MarkAsFailureOnStatusCode5xx', 'boolean', 'Treat a 5xx answer of the provider as a failure.', { default: 'false' }),
      meta('DiscoverMetadataByTokenIssuer', 'boolean', 'Find the configuration document from the issuer of the token.'),
      CLAIM_RESOLVING,
      TOKEN_ENDPOINT_AUTH,
      TOKEN_SIGNING_ALGORITHM,
      SINGLE_LOGOUT,
      meta('ReadBodyClaimsOnIdpRedirect', 'boolean', 'Read claims from the body of the provider\'s redirect (Apple).'),
      meta('UserMessageIfClaimsPrincipalDoesNotExist', 'string', 'Message when no account matches the user name.'),
      meta('UserMessageIfInvalidPassword', 'string', 'Message when the password is wrong.'),
      meta('UserMessageIfOldPasswordUsed', 'string', 'Message when an old password was used.'),
      // The sign-in error messages of localization-string-ids.md that the starter pack sets on login-NonInteractive.
      meta('DefaultMessage', 'string', 'Message for any other sign-in failure.', { source: 'starter pack (login-NonInteractive); localization-string-ids.md' }),
      meta('UserMessageIfPasswordExpired', 'string', 'Message when the password has expired.', { source: 'localization-string-ids.md' }),
      meta('UserMessageIfUserAccountDisabled', 'string', 'Message when the account is disabled.', { source: 'localization-string-ids.md' }),
      meta('UserMessageIfUserAccountLocked', 'string', 'Message when the account is locked.', { source: 'localization-string-ids.md' }),
    ],
    cryptographicKeys: [
      key('client_secret', 'Client secret of the application registered at the provider; needed to redeem a code.', {
        requiredWhen: {
          when: 'response_types asks for a code and token_endpoint_auth_method is not private_key_jwt',
          test: (c) => /\bcode\b/i.test(c.metadata.get('response_types') ?? '') && !PRIVATE_KEY_JWT.test(c),
        },
      }),
      key('assertion_signing_key', 'RSA key that signs the client assertion.', { requiredWhen: PRIVATE_KEY_JWT }),
    ],
  },
  {
    id: 'phone-factor',
    title: 'Phone factor',
    page: 'phone-factor-technical-profile.md',
    description: 'A page that enrols or verifies a phone number by SMS or call.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.PhoneFactorProtocolProvider',
    metadata: [
      meta('ContentDefinitionReferenceId', 'string', 'Content definition of the page.', { required: true }),
      meta('ManualPhoneNumberEntryAllowed', 'boolean', 'Let the user type a phone number.', { default: 'false' }),
      meta('setting.authenticationMode', 'enumeration', 'How the number is verified.', { values: ['sms', 'phone', 'mixed'], default: 'mixed' }),
      meta('setting.autodial', 'boolean', 'Call or text automatically (needs a single number and sms or phone mode).', { default: 'false' }),
      meta('setting.autosubmit', 'boolean', 'Submit the code form automatically.', { default: 'true' }),
      meta('setting.enableCaptchaChallenge', 'boolean', 'Show a CAPTCHA challenge (preview).', { default: 'false' }),
    ],
    // The page says CryptographicKeys is not used; the starter pack's PhoneFactor-InputOrVerify declares issuer_secret.
    cryptographicKeys: [key('issuer_secret', 'Signing key container, as the starter pack declares it.', { source: 'starter pack (PhoneFactor-InputOrVerify)' })],
  },
  {
    id: 'restful',
    title: 'RESTful API',
    page: 'restful-technical-profile.md',
    description: 'Calls a REST API with input claims and reads output claims from its JSON answer.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.RestfulProvider',
    metadata: [
      meta('ServiceUrl', 'url', 'The API endpoint.', { required: true }),
      meta('AuthenticationType', 'enumeration', 'How B2C authenticates to the API.', { values: ['None', 'Basic', 'Bearer', 'ClientCertificate', 'ApiKeyHeader'], required: true }),
      meta('AllowInsecureAuthInProduction', 'boolean', 'Allow AuthenticationType None in a production deployment.', { default: 'false' }),
      meta('SendClaimsIn', 'enumeration', 'Where the input claims go.', { values: ['Body', 'Form', 'Header', 'Url', 'QueryString'], default: 'Body' }),
      meta('ClaimsFormat', 'string', 'Not used.'),
      meta('ClaimUsedForRequestPayload', 'string', 'A string claim whose value is sent as the request body.'),
      meta('DebugMode', 'boolean', 'Show the API\'s developer error details.', { default: 'false' }),
      CLAIM_RESOLVING,
      JSON_PATHS,
      meta('UseClaimAsBearerToken', 'string', 'Claim that holds the bearer token.'),
      meta('DefaultUserMessageIfRequestFailed', 'string', 'Message for any failure of the call.'),
      meta('UserMessageIfCircuitOpen', 'string', 'Message when the API cannot be reached.'),
      meta('UserMessageIfDnsResolutionFailed', 'string', 'Message when the host name cannot be resolved.'),
      meta('UserMessageIfRequestTimeout', 'string', 'Message when the call times out.'),
    ],
    cryptographicKeys: [
      key('BasicAuthenticationUsername', 'User name for HTTP basic authentication.', { requiredWhen: { when: 'AuthenticationType is Basic', test: valueIs('AuthenticationType', 'Basic') } }),
      key('BasicAuthenticationPassword', 'Password for HTTP basic authentication.', { requiredWhen: { when: 'AuthenticationType is Basic', test: valueIs('AuthenticationType', 'Basic') } }),
      key('ClientCertificate', 'Client certificate.', { requiredWhen: { when: 'AuthenticationType is ClientCertificate', test: valueIs('AuthenticationType', 'ClientCertificate') } }),
      key('BearerAuthenticationToken', 'A fixed bearer token.'),
    ],
    // With ApiKeyHeader the key's Id is the name of the HTTP header (x-functions-key, x-api-key, ...).
    anyCryptographicKeyId: true,
  },
  {
    id: 'saml-idp',
    title: 'SAML identity provider',
    page: 'saml-identity-provider-technical-profile.md',
    description: 'Federates with a SAML 2.0 identity provider such as AD FS or Salesforce.',
    protocol: 'SAML2',
    metadata: [
      meta('PartnerEntity', 'string', 'URL of the provider\'s SAML metadata, or the metadata itself in a CDATA section.', { required: true }),
      meta('WantsSignedRequests', 'boolean', 'Sign outgoing authentication requests (needs the SamlMessageSigning key).', { default: 'true' }),
      meta('XmlSignatureAlgorithm', 'enumeration', 'Signature algorithm of the SAML request.', { values: XML_SIGNATURE_ALGORITHM_VALUES, default: 'Sha1' }),
      meta('WantsSignedAssertions', 'boolean', 'Require signed assertions.', { default: 'true' }),
      meta('ResponsesSigned', 'boolean', 'Require a signed SAML response.', { default: 'true' }),
      meta('WantsEncryptedAssertions', 'boolean', 'Require encrypted assertions (needs the SamlAssertionDecryption key).', { default: 'false' }),
      meta('NameIdPolicyFormat', 'string', 'Requested NameID format.'),
      meta('NameIdPolicyAllowCreate', 'boolean', 'AllowCreate of the NameIDPolicy.'),
      meta('AuthenticationRequestExtensions', 'string', 'Extensions element of the request, as XML in CDATA.'),
      meta('IncludeAuthnContextClassReferences', 'string', 'Requested authentication context classes, comma separated.'),
      meta('IncludeKeyInfo', 'boolean', 'Include the certificate\'s public key in an HTTP-POST request.'),
      CLAIM_RESOLVING,
      SINGLE_LOGOUT,
      meta('ForceAuthN', 'boolean', 'ForceAuthN value sent to the provider.'),
      meta('ProviderName', 'string', 'ProviderName value sent to the provider.'),
      meta('IdpInitiatedProfileEnabled', 'boolean', 'Accept an unsolicited (IdP-initiated) response.', { default: 'false', source: 'saml-identity-provider-technical-profile.md (2020 version)' }),
    ],
    cryptographicKeys: [
      key('SamlMessageSigning', 'Certificate that signs the requests B2C sends.', {
        requiredWhen: { when: 'WantsSignedRequests is not false', test: (c) => !valueIs('WantsSignedRequests', 'false', '0')(c) },
      }),
      key('SamlAssertionDecryption', 'Certificate whose private key decrypts encrypted assertions.', {
        requiredWhen: { when: 'WantsEncryptedAssertions is true', test: valueIs('WantsEncryptedAssertions', 'true', '1') },
      }),
      key('MetadataSigning', 'Certificate that signs the metadata B2C publishes.'),
    ],
  },
  {
    id: 'saml-issuer',
    title: 'SAML token issuer',
    page: 'saml-issuer-technical-profile.md',
    description: 'Issues the SAML response returned to a SAML service provider; usually the last step.',
    protocol: 'SAML2',
    outputTokenFormat: 'SAML2',
    metadata: [
      meta('IssuerUri', 'string', 'Issuer name in the SAML response.'),
      meta('XmlSignatureAlgorithm', 'enumeration', 'Signature algorithm of the assertion.', { values: XML_SIGNATURE_ALGORITHM_VALUES }),
      meta('TokenNotBeforeSkewInSeconds', 'int', 'How far back the validity period starts.', { min: 0, max: 3600, default: '0' }),
      meta('TokenLifeTimeInSeconds', 'int', 'Lifetime of the assertion after NotBefore.', { default: '300' }),
    ],
    cryptographicKeys: [
      // The page marks it required; Microsoft's IdP-initiated sample (azure-ad-b2c/saml-sp) has an issuer without
      // it, and no service message shows an upload refused for its absence: not enforced.
      key('MetadataSigning', 'Certificate that signs the SAML metadata.'),
      key('SamlMessageSigning', 'Certificate that signs the SAML response.', { required: true }),
      key('SamlAssertionSigning', 'Certificate that signs the assertion (SamlMessageSigning when absent).'),
    ],
  },
  {
    id: 'self-asserted',
    title: 'Self-asserted page',
    page: 'self-asserted-technical-profile.md',
    description: 'A page that collects input from the user (sign-up, sign-in, profile edit, ...), with optional validation profiles.',
    protocol: 'Proprietary',
    handler: 'Web.TPEngine.Providers.SelfAssertedAttributeProvider',
    metadata: [
      meta('ContentDefinitionReferenceId', 'string', 'Content definition of the page.', { required: true }),
      meta('setting.operatingMode', 'enumeration', 'Behaviour of the user name field of a sign-in page.', { values: ['Username', 'Email'] }),
      meta('AllowGenerationOfClaimsWithNullValues', 'boolean', 'Allow claims with a null value (an unchecked box).'),
      meta('EnforceEmailVerification', 'boolean', 'Require email verification on sign-up or profile edit.', { default: 'true' }),
      meta('setting.retryLimit', 'int', 'Attempts the user gets at data a validation profile rejects.'),
      meta('SignUpTarget', 'string', 'Claims exchange run by the sign-up link.'),
      meta('setting.showCancelButton', 'boolean', 'Show the cancel button.', { default: 'true' }),
      meta('setting.showContinueButton', 'boolean', 'Show the continue button.', { default: 'true' }),
      meta('setting.showSignupLink', 'boolean', 'Show the sign-up link.', { default: 'true' }),
      meta('setting.forgotPasswordLinkLocation', 'enumeration', 'Where the forgot-password link goes, or None.', { values: ['AfterLabel', 'AfterInput', 'AfterButtons', 'None'], default: 'AfterLabel' }),
      meta('setting.enableRememberMe', 'boolean', 'Show the keep-me-signed-in box.', { default: 'false' }),
      meta('setting.inputVerificationDelayTimeInMilliseconds', 'int', 'Wait after typing before validating, in milliseconds.', { default: '2000' }),
      CLAIM_RESOLVING,
      meta('setting.forgotPasswordLinkOverride', 'string', 'Password-reset claims exchange run by the forgot-password link.'),
      meta('IpAddressClaimReferenceId', 'string', 'Claim that receives the user\'s IP address (the page\'s sign-up example).'),
      meta('setting.enableCaptchaChallenge', 'boolean', 'Show the CAPTCHA display control (preview).', { default: 'false', source: 'display-control-captcha.md' }),
      meta('ClaimsProviderSelectionDisplayType', 'string', 'How claims-provider selections are shown (the starter pack sets TextLink).', {
        source: 'starter pack (scenario-phone-number-passwordless)',
      }),
    ],
    metadataKeyPatterns: [LANGUAGE_PATTERN, USER_MESSAGE_PATTERN],
    // The page says CryptographicKeys is not used; the starter pack's self-asserted profiles declare issuer_secret.
    cryptographicKeys: [key('issuer_secret', 'Signing key container, as the starter pack declares it.', { source: 'starter pack (33 self-asserted profiles)' })],
  },
  {
    id: 'none',
    title: 'Protocol None (token hint and issuers run by the engine)',
    page: 'id-token-hint.md',
    description: 'Profiles run by the policy engine itself: the id_token_hint reader, the userinfo issuer, refresh-token setup.',
    protocol: 'None',
    metadata: [
      meta('issuer', 'string', 'Expected iss claim of an inbound token.'),
      meta('IdTokenAudience', 'string', 'Expected aud claim of an inbound token.'),
      meta('METADATA', 'url', 'OpenID configuration document of the token issuer (asymmetric keys).'),
      meta('url', 'string', 'Engine endpoint; the starter pack sets {service:te}.', { source: 'starter pack (TpEngine_c3bd4fe2-...)' }),
    ],
    cryptographicKeys: [
      key('client_secret', 'Shared key that checks the signature of an inbound token (symmetric keys).'),
      key('issuer_secret', 'Signing key container (userinfo issuer, userinfo-endpoint.md).', { source: 'userinfo-endpoint.md' }),
    ],
  },
  // Session managers (custom-policy-reference-sso.md).
  ...(
    [
      ['sso-noop', 'NoopSSOSessionProvider', 'Session manager that does nothing: the profile runs even when a session exists.', []],
      ['sso-default', 'DefaultSSOSessionProvider', 'Session manager that keeps the persisted claims in the B2C session.', []],
      [
        'sso-external-login',
        'ExternalLoginSSOSessionProvider',
        'Session manager for federated providers: skips the provider selection and signs out of the provider.',
        [meta('AlwaysFetchClaimsFromProvider', 'boolean', 'Not used.')],
      ],
      ['sso-oauth', 'OAuthSSOSessionProvider', 'Session manager between an OAuth2/OpenID Connect application and B2C.', []],
      [
        'sso-saml',
        'SamlSSOSessionProvider',
        'Session manager for SAML applications and SAML identity providers.',
        [
          meta('IncludeSessionIndex', 'boolean', 'Not used.'),
          meta('RegisterServiceProviders', 'boolean', 'Register the SAML applications that received an assertion (false for an identity-provider session).', { default: 'true' }),
        ],
      ],
    ] as Array<[string, string, string, MetadataItemSpec[]]>
  ).map(
    ([id, handler, description, metadata]): TechnicalProfileType => ({
      id,
      title: `Session manager (${handler})`,
      page: SESSION_PAGE,
      description,
      protocol: 'Proprietary',
      handler: `Web.TPEngine.SSO.${handler}`,
      metadata,
      cryptographicKeys: [],
    }),
  ),
];

/** The technical profile of a RelyingParty (relyingparty.md): its metadata depends on the protocol. */
export const RELYING_PARTY_TYPES: readonly TechnicalProfileType[] = [
  {
    id: 'relying-party-saml',
    title: 'Relying party (SAML application)',
    page: 'relyingparty.md',
    description: 'The SAML response B2C sends to the application.',
    protocol: 'SAML2',
    metadata: [
      meta('IdpInitiatedProfileEnabled', 'boolean', 'Support the IdP-initiated flow.', { default: 'false' }),
      meta('PartnerEntity', 'url', 'URL of the SAML application\'s metadata (or the metadata itself).', {
        // Not in the page's table; MicrosoftDocs/azure-docs#113702 (an upload refused until it was added) and the
        // SAML relying-party specification of Microsoft's azure-ad-b2c/saml-sp samples list it.
        source: 'azure-docs#113702; azure-ad-b2c/saml-sp saml-rp-spec.md',
      }),
      meta('XmlSignatureAlgorithm', 'enumeration', 'Signature algorithm of the SAML response.', { values: XML_SIGNATURE_ALGORITHM_VALUES }),
      meta('DataEncryptionMethod', 'enumeration', 'Algorithm that encrypts the data.', { values: ['Aes256', 'Aes192', 'Sha512', 'Aes128'], default: 'Aes256' }),
      meta('KeyEncryptionMethod', 'enumeration', 'Algorithm that encrypts the data key.', { values: ['Rsa15', 'RsaOaep'], default: 'Rsa15' }),
      meta('UseDetachedKeys', 'boolean', 'Put the encrypted key beside the encrypted data.', { default: 'false' }),
      meta('WantsSignedResponses', 'boolean', 'Sign the Response element.', { default: 'true' }),
      meta('RemoveMillisecondsFromDateTime', 'boolean', 'Drop milliseconds from the response\'s times.', { default: 'false' }),
      meta('RequestContextMaximumLengthInBytes', 'int', 'Longest RelayState accepted.', { max: 2048, default: '1000' }),
    ],
    cryptographicKeys: [],
  },
  {
    id: 'relying-party-oidc',
    title: 'Relying party (OpenID Connect application)',
    page: 'relyingparty.md',
    description: 'The tokens B2C sends to the application.',
    protocol: 'OpenIdConnect',
    metadata: [],
    cryptographicKeys: [],
    openMetadata: true,
  },
];

const BY_HANDLER = new Map<string, TechnicalProfileType>();
for (const type of TECHNICAL_PROFILE_TYPES) if (type.handler) BY_HANDLER.set(type.handler, type);

function byId(id: string): TechnicalProfileType {
  const type = TECHNICAL_PROFILE_TYPES.find((t) => t.id === id) ?? RELYING_PARTY_TYPES.find((t) => t.id === id);
  if (!type) throw new Error(`no technical profile type ${id}`);
  return type;
}

/** The handler type names the service knows. */
export const KNOWN_HANDLERS: readonly string[] = [...BY_HANDLER.keys()];

export interface ProtocolInfo {
  name: string | undefined;
  handler: string | undefined;
  outputTokenFormat: string | undefined;
  /** The profile's (effective) metadata by key, when known: it tells an OpenID Connect provider from a JWT issuer. */
  metadata?: ReadonlyMap<string, unknown>;
}

/**
 * The type of a technical profile from its (effective) Protocol and OutputTokenFormat; undefined when the
 * protocol is unknown, or Proprietary with a handler the catalog does not know.
 */
export function technicalProfileTypeOf(protocol: ProtocolInfo, relyingParty = false): TechnicalProfileType | undefined {
  const format = protocol.outputTokenFormat?.trim().toUpperCase();
  if (relyingParty) {
    if (protocol.name === 'SAML2') return byId('relying-party-saml');
    if (protocol.name === 'OpenIdConnect') return byId('relying-party-oidc');
    return undefined;
  }
  switch (protocol.name) {
    case 'Proprietary':
      return protocol.handler ? BY_HANDLER.get(handlerTypeName(protocol.handler)) : undefined;
    case 'OpenIdConnect':
      // Both write Protocol OpenIdConnect with OutputTokenFormat JWT: the starter packs' JwtIssuer, and identity
      // providers in Microsoft's examples (ContosoProfile of the Azure AD setup page, the custom-claims-provider
      // sample). A provider has the METADATA item (its discovery document, required by
      // openid-connect-technical-profile.md); an issuer has none.
      return byId(format === 'JWT' && !protocol.metadata?.has('METADATA') ? 'jwt-issuer' : 'openid-connect');
    case 'None':
      // jwt-issuer-technical-profile.md asks for Protocol None with OutputTokenFormat JWT; saml-issuer-technical-
      // profile.md for Protocol None with OutputTokenFormat SAML2 (Microsoft's azure-ad-b2c/saml-sp samples).
      return byId(format === 'JWT' ? 'jwt-issuer' : format === 'SAML2' ? 'saml-issuer' : 'none');
    case 'SAML2':
      return byId(format === 'SAML2' ? 'saml-issuer' : 'saml-idp');
    case 'OAuth1':
      return byId('oauth1');
    case 'OAuth2':
      return byId('oauth2');
    default:
      return undefined;
  }
}

/**
 * Metadata every type of technical profile reads: technicalprofiles.md ("Enabled for user journeys") requires
 * ClaimTypeOnWhichToEnable and ClaimValueOnWhichToEnable on any profile whose EnabledForUserJourneys is
 * OnClaimsExistence, OnItemExistenceInStringCollectionClaim or OnItemAbsenceInStringCollectionClaim (its example
 * is an OAuth2 unlink profile; Microsoft's account-linking sample sets them on OAuth1, OAuth2, OpenID Connect
 * and claims-transformation profiles).
 */
const EVERY_TYPE_METADATA: readonly MetadataItemSpec[] = [
  meta('ClaimTypeOnWhichToEnable', 'string', 'The claim that EnabledForUserJourneys (OnClaimsExistence, OnItemExistenceInStringCollectionClaim, OnItemAbsenceInStringCollectionClaim) looks at.', {
    source: 'technicalprofiles.md',
  }),
  meta('ClaimValueOnWhichToEnable', 'string', 'The value that EnabledForUserJourneys looks for in that claim (an item of a string collection).', { source: 'technicalprofiles.md' }),
];

export type MetadataKeyMatch = { kind: 'listed'; spec: MetadataItemSpec } | { kind: 'pattern'; doc: string } | { kind: 'unknown' };

/** Whether a metadata key is known for a type (exact, case-sensitive match). */
export function metadataKeyMatch(type: TechnicalProfileType, key: string): MetadataKeyMatch {
  const spec = type.metadata.find((m) => m.key === key) ?? EVERY_TYPE_METADATA.find((m) => m.key === key);
  if (spec) return { kind: 'listed', spec };
  const family = type.metadataKeyPatterns?.find((p) => p.pattern.test(key));
  if (family) return { kind: 'pattern', doc: family.doc };
  return { kind: 'unknown' };
}

/** For completion and hover: the metadata keys of a type, with their documentation. */
export function metadataKeysFor(type: TechnicalProfileType): ReadonlyArray<{ key: string; documentation: string; spec: MetadataItemSpec }> {
  const own = new Set(type.metadata.map((m) => m.key));
  return [...type.metadata, ...EVERY_TYPE_METADATA.filter((m) => !own.has(m.key))].map((spec) => ({ key: spec.key, spec, documentation: describeMetadataItem(spec) }));
}

/** A short Markdown description of a metadata item: what it does, its type, values, default, requirement. */
export function describeMetadataItem(spec: MetadataItemSpec): string {
  const parts = [spec.doc];
  const type = spec.type === 'enumeration' && spec.values ? `one of ${spec.values.map((v) => `\`${v}\``).join(', ')}` : spec.type;
  parts.push(`Value: ${type}${spec.min !== undefined || spec.max !== undefined ? ` (${spec.min ?? ''}..${spec.max ?? ''})` : ''}.`);
  if (spec.default !== undefined) parts.push(`Default: \`${spec.default}\`.`);
  if (spec.required) parts.push('Required.');
  else if (spec.requiredWhen) parts.push(`Required when ${spec.requiredWhen.when}.`);
  return parts.join(' ');
}

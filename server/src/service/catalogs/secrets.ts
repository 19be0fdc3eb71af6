/**
 * What a secret looks like in a policy file: the names whose value is a secret (metadata item keys, claims
 * sent as credentials) and the shapes of well-known credentials. Read by the `secret-in-policy` rule and by
 * `policy-key-prefix` (a secret typed into StorageReferenceId is never echoed back).
 *
 * Why these: a policy file is uploaded to the tenant, downloadable by every policy administrator, and usually
 * kept in source control; the service's answer for every secret is a policy key referenced from
 * CryptographicKeys (policy-keys-overview.md: "Azure AD B2C stores secrets and certificates in the form of
 * policy keys"). The REST technical profile (restful-technical-profile.md, secure-rest-api.md) takes its
 * credentials only as keys: BasicAuthenticationUsername/Password, BearerAuthenticationToken, ClientCertificate,
 * and for AuthenticationType ApiKeyHeader a key whose Id is the header name (for example x-functions-key).
 * OAuth2/OpenID Connect providers take `client_secret` as a key (oauth2-technical-profile.md,
 * openid-connect-technical-profile.md). The token shapes are the public formats of each issuer (as secret
 * scanners such as GitHub's match them), anchored on their fixed prefixes so ordinary text never matches.
 */

/** A name (metadata key, claim, query parameter) as compared: lower case, without `-`, `_`, `.` and spaces. */
export function normalizeSecretName(name: string): string {
  return name.toLowerCase().replace(/[-_. ]/g, '');
}

/**
 * Names whose value is a secret, normalized. A metadata item, or a claim given a DefaultValue, with one of
 * these names holds a credential whatever its value looks like.
 */
export const SECRET_NAMES: ReadonlySet<string> = new Set(
  [
    // OAuth2 / OpenID Connect / generic
    'client_secret', 'secret', 'app_secret', 'consumer_secret', 'client_assertion', 'secret_key', 'signing_key', 'encryption_key', 'private_key',
    // passwords
    'password', 'passwd', 'pwd', 'BasicAuthenticationPassword',
    // tokens
    'access_token', 'auth_token', 'api_token', 'bearer_token', 'refresh_token', 'BearerAuthenticationToken', 'Authorization', 'sas_token',
    // API keys (ApiKeyHeader header names, Azure Functions, API Management)
    'api_key', 'x-api-key', 'api_secret', 'x-functions-key', 'function_key', 'functions_key', 'Ocp-Apim-Subscription-Key', 'subscription_key',
    // Azure storage and messaging, cloud keys
    'connection_string', 'account_key', 'storage_key', 'shared_access_key', 'aws_secret_access_key',
  ].map(normalizeSecretName),
);

/** URL query parameters that carry a credential (`?code=` is an Azure Functions key, `sig=` a SAS signature). */
export const SECRET_QUERY_PARAMETERS: ReadonlySet<string> = new Set(
  ['code', 'sig', 'key', 'api_key', 'apikey', 'x-api-key', 'subscription-key', 'access_token', 'token', 'client_secret', 'password', 'pwd', 'secret'].map(normalizeSecretName),
);

export interface SecretShape {
  id: string;
  /** What it is, for messages ("contains <label>"). */
  label: string;
  pattern: RegExp;
  /** A further check of the match (for shapes whose pattern alone could meet ordinary text). */
  confirm?: (match: RegExpExecArray) => boolean;
}

const BASE64 = 'A-Za-z0-9+/';

/** Well-known credential shapes, checked in every value and comment of a policy file. */
export const SECRET_SHAPES: readonly SecretShape[] = [
  { id: 'private-key', label: 'a private key (PEM block)', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { id: 'jwt', label: 'a JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/ },
  { id: 'azure-storage-key', label: 'an Azure Storage account key (AccountKey=)', pattern: new RegExp(`AccountKey=[${BASE64}]{20,}={0,2}`, 'i') },
  { id: 'azure-shared-access-key', label: 'a shared access key (Service Bus, Event Hubs or IoT Hub connection string)', pattern: new RegExp(`SharedAccessKey=[${BASE64}]{20,}={0,2}`, 'i') },
  { id: 'sas-signature', label: 'a shared access signature (sig=)', pattern: /[?&]sig=[A-Za-z0-9%+/=]{16,}/i },
  { id: 'connection-string-password', label: 'a password in a connection string', pattern: /(?:^|;)\s*(?:Password|Pwd)\s*=\s*[^;{\s][^;]*/i },
  { id: 'entra-client-secret', label: 'a Microsoft Entra ID (Azure AD) client secret', pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/ },
  { id: 'github-token', label: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
  { id: 'slack-token', label: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { id: 'google-api-key', label: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/ },
  { id: 'google-client-secret', label: 'a Google OAuth client secret', pattern: /\bGOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/ },
  { id: 'aws-access-key', label: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { id: 'stripe-key', label: 'a Stripe secret key', pattern: /\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}\b/ },
  { id: 'sendgrid-key', label: 'a SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/ },
  { id: 'amazon-client-secret', label: 'a Login with Amazon client secret', pattern: /\bamzn1\.oa2-cs\.v1\.[0-9a-f]{32,}\b/ },
  { id: 'bearer-token', label: 'a bearer token', pattern: /\bBearer\s+[A-Za-z0-9\-._~+/]{16,}=*/i },
  {
    id: 'basic-credentials',
    label: 'HTTP basic credentials',
    pattern: new RegExp(`\\bBasic\\s+([${BASE64}]{8,}={0,2})(?![${BASE64}=])`),
    // "Basic authentication" is English; base64 of "user:password" decodes to printable text with a colon.
    confirm: (m) => /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decodeBase64(m[1])),
  },
];

/** Cheap test that a value may hold one of the shapes or a URL credential (most values are skipped by it). */
export const SECRET_HINT = /eyJ|AccountKey|SharedAccessKey|sig=|Q~|gh[pousr]_|github_pat_|xox[abposr]-|AIza|GOCSPX-|AKIA|ASIA|k_live_|k_test_|SG\.|amzn1\.|bearer|basic|:\/\/|PRIVATE KEY|pass|pwd|[?&]/i;

/** A URL with a user name and password before the host (`https://user:password@host`). */
export const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/?#@:]+):([^\s/?#@]+)@/i;

/** The query parameters of URLs in a value (name, value), in order. */
export const URL_QUERY_PARAMETER = /[?&]([A-Za-z][A-Za-z0-9_.-]*)=([^&#\s]*)/g;

/**
 * Whether a StorageReferenceId looks like a secret rather than a policy key name: a credential shape, a
 * character of generated secrets that no key name has (names are words: the portal adds `B2C_1A_` to what was
 * typed), or a long run of hexadecimal digits (app secrets and API keys). Template tokens are the caller's
 * to skip.
 */
export function storageReferenceLooksLikeSecret(name: string): boolean {
  if (/^B2C_1A_[A-Za-z0-9_.-]*$/i.test(name)) return false;
  if (SECRET_SHAPES.some((shape) => shape.pattern.test(name))) return true;
  if (/[~+/=!@#$%^&*|\\?<>,;'"`]/.test(name)) return true;
  return /[0-9a-f]{32,}/i.test(name) && /[0-9]/.test(name);
}

function decodeBase64(text: string): string {
  try {
    return atob(text);
  } catch {
    return '';
  }
}

// secret-in-policy on realistic secrets (every one made up for this test, assembled from pieces so that no
// secret scanner mistakes this file for a leak), and no finding of the file ever showing a secret's value.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { compactPolicy } from '../helpers/policies';
import { memoryWorkspace } from '../helpers/workspace';

const URI = 'file:///ws/Extensions.xml';

/** A REST technical profile with the given metadata items and extra content (inside the profile). */
function profile(metadata: Record<string, string>, extra = ''): string {
  const items = Object.entries(metadata)
    .map(([key, value]) => `<Item Key="${key}">${value}</Item>`)
    .join('\n          ');
  return `<ClaimsProviders><ClaimsProvider><DisplayName>API</DisplayName><TechnicalProfiles>
      <TechnicalProfile Id="REST-Api">
        <DisplayName>API</DisplayName>
        <Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.RestfulProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" />
        <Metadata>
          ${items}
        </Metadata>${extra}
      </TechnicalProfile>
    </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;
}

const rest = (metadata: Record<string, string>, extra = '') => profile({ ServiceUrl: 'https://api.contoso.example/validate', AuthenticationType: 'None', SendClaimsIn: 'Body', ...metadata }, extra);
const inputClaim = (attributes: string) => `\n        <InputClaims><InputClaim ${attributes} /></InputClaims>`;
const keys = (storage: string) => `\n        <CryptographicKeys><Key Id="BearerAuthenticationToken" StorageReferenceId="${storage}" /></CryptographicKeys>`;

// Made-up secrets in the shapes of real ones.
const entra = ['Zq7', '8Q~', 'vN3kLm0pQr5sTu9wXy2zAb4cDe6fGh8iJk'].join('');
const hex32 = ['9f86d081', '884c7d65', '9a2feaa0', 'c55ad015'].join('');
const base64Key = ['q3Vt7mP0xW9zL2kR8nB5cF1', 'hJ6dS4gA0yE3uI7oN2tM5vX', ' '.trim(), 'pZ8wQ1rK6jC9bH4lD7fG0sY3aT5eU2iO8mN1vB6xW4zQ7=='].join('');
const jwt = ['eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYXVkIjoiYXBpIn0', 'c2lnbmF0dXJlLW1hZGUtdXAtZm9yLWEtdGVzdA'].join('.');
const pem = ['-----BEGIN ', 'RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----'].join('');

interface Case {
  name: string;
  body: string;
  /** The secret as it appears (decoded) in the file. */
  secret: string;
  data: Record<string, unknown>;
}

const CASES: Case[] = [
  { name: 'client_secret metadata', body: rest({ client_secret: entra }), secret: entra, data: { kind: 'metadata', key: 'client_secret' } },
  { name: 'ClientSecret metadata', body: rest({ ClientSecret: hex32 }), secret: hex32, data: { kind: 'metadata', key: 'ClientSecret' } },
  { name: 'a key named secret', body: rest({ secret: 'correct-horse-battery-staple' }), secret: 'correct-horse-battery-staple', data: { kind: 'metadata', key: 'secret' } },
  { name: 'x-api-key header value', body: rest({ 'x-api-key': 'k3y-7Hq2-Zx9v-Lm4p' }), secret: 'k3y-7Hq2-Zx9v-Lm4p', data: { kind: 'metadata', key: 'x-api-key' } },
  { name: 'password metadata', body: rest({ password: 'Summer2024!' }), secret: 'Summer2024!', data: { kind: 'metadata', key: 'password' } },
  { name: 'api_key metadata', body: rest({ api_key: 'live_8c1f2a9e7b' }), secret: 'live_8c1f2a9e7b', data: { kind: 'metadata', key: 'api_key' } },
  { name: 'Azure Functions key by header name', body: rest({ 'x-functions-key': base64Key.slice(0, 56) }), secret: base64Key.slice(0, 56), data: { kind: 'metadata', key: 'x-functions-key' } },
  { name: 'API Management subscription key', body: rest({ 'Ocp-Apim-Subscription-Key': hex32 }), secret: hex32, data: { kind: 'metadata', key: 'Ocp-Apim-Subscription-Key' } },
  { name: 'basic password as metadata', body: rest({ BasicAuthenticationPassword: 'r3st-p4ss' }), secret: 'r3st-p4ss', data: { kind: 'metadata', key: 'BasicAuthenticationPassword' } },
  { name: 'bearer token as metadata', body: rest({ BearerAuthenticationToken: jwt }), secret: jwt, data: { kind: 'metadata', key: 'BearerAuthenticationToken' } },
  { name: 'credentials in ServiceUrl', body: rest({ ServiceUrl: 'https://b2c-api:Pa55word-2024@api.contoso.example/validate' }), secret: 'Pa55word-2024', data: { kind: 'url-credentials' } },
  { name: 'function key in ServiceUrl (?code=)', body: rest({ ServiceUrl: `https://contoso-fn.azurewebsites.net/api/Validate?code=${base64Key.slice(0, 54)}` }), secret: base64Key.slice(0, 54), data: { kind: 'url-parameter', parameter: 'code' } },
  {
    name: 'SAS signature in ServiceUrl',
    body: rest({ ServiceUrl: 'https://contosodata.blob.core.windows.net/c/users.json?sv=2022-11-02&amp;ss=b&amp;srt=o&amp;sp=r&amp;se=2030-01-01T00:00:00Z&amp;sig=AbC%2BdEf123456789xyzUVW%3D' }),
    secret: 'AbC%2BdEf123456789xyzUVW%3D',
    data: { kind: 'url-parameter', parameter: 'sig' },
  },
  { name: 'access_token in a URL', body: rest({ ServiceUrl: 'https://graph.contoso.example/me?access_token=ya29.a0Af-made-up-token' }), secret: 'ya29.a0Af-made-up-token', data: { kind: 'url-parameter', parameter: 'access_token' } },
  { name: 'JWT as a DefaultValue', body: rest({}, inputClaim(`ClaimTypeReferenceId="token" DefaultValue="${jwt}"`)), secret: jwt, data: { kind: 'shape', shape: 'jwt' } },
  { name: 'bearer header as a DefaultValue', body: rest({}, inputClaim('ClaimTypeReferenceId="authHeader" DefaultValue="Bearer 2YotnFZFEjr1zCsicMWpAA.made-up"')), secret: '2YotnFZFEjr1zCsicMWpAA.made-up', data: { kind: 'shape', shape: 'bearer-token' } },
  { name: 'client secret sent as a claim DefaultValue', body: rest({}, inputClaim(`ClaimTypeReferenceId="client_secret" DefaultValue="${entra}" AlwaysUseDefaultValue="true"`)), secret: entra, data: { kind: 'default-value', claim: 'client_secret' } },
  {
    name: 'Azure Storage connection string',
    body: rest({ StorageConnection: `DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=${base64Key};EndpointSuffix=core.windows.net` }),
    secret: base64Key,
    data: { kind: 'shape', shape: 'azure-storage-key' },
  },
  {
    name: 'Service Bus connection string',
    body: rest({ Queue: `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${base64Key.slice(0, 44)}` }),
    secret: base64Key.slice(0, 44),
    data: { kind: 'shape', shape: 'azure-shared-access-key' },
  },
  { name: 'GitHub token in metadata', body: rest({ RepoToken: ['gh', 'p_', 'R4nd0mLooking', 'T0kenValue', 'ForTest5Only12'].join('') }), secret: ['gh', 'p_', 'R4nd0mLooking', 'T0kenValue', 'ForTest5Only12'].join(''), data: { kind: 'shape', shape: 'github-token' } },
  { name: 'Slack token', body: rest({ Notify: ['xo', 'xb-', '123456789012-', '1234567890123-', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('') }), secret: ['xo', 'xb-', '123456789012-', '1234567890123-', 'AbCdEfGhIjKlMnOpQrStUvWx'].join(''), data: { kind: 'shape', shape: 'slack-token' } },
  { name: 'Google API key', body: rest({ MapsKey: ['AI', 'za', 'SyB-made-up-google-api-key-x1234567'].join('') }), secret: ['AI', 'za', 'SyB-made-up-google-api-key-x1234567'].join(''), data: { kind: 'shape', shape: 'google-api-key' } },
  { name: 'Google client secret', body: rest({ GoogleApp: ['GOC', 'SPX-', 'MadeUpGoogleSecret0123456789'].join('') }), secret: ['GOC', 'SPX-', 'MadeUpGoogleSecret0123456789'].join(''), data: { kind: 'shape', shape: 'google-client-secret' } },
  { name: 'AWS access key id', body: rest({ AwsKeyId: ['AK', 'IA', 'Z7MADEUP4TEST9X2'].join('') }), secret: ['AK', 'IA', 'Z7MADEUP4TEST9X2'].join(''), data: { kind: 'shape', shape: 'aws-access-key' } },
  { name: 'AWS secret access key by name', body: rest({ aws_secret_access_key: base64Key.slice(0, 40) }), secret: base64Key.slice(0, 40), data: { kind: 'metadata', key: 'aws_secret_access_key' } },
  { name: 'PEM private key', body: rest({ SigningCertificate: pem }), secret: pem.slice(11, 40), data: { kind: 'shape', shape: 'private-key' } },
  { name: 'Entra secret typed into StorageReferenceId', body: rest({}, keys(entra)), secret: entra, data: { kind: 'storage-reference' } },
  { name: 'app secret typed into StorageReferenceId', body: rest({}, keys(hex32)), secret: hex32, data: { kind: 'storage-reference' } },
  { name: 'basic credentials in a header value', body: rest({ AuthorizationHeader: 'Basic YjJjLWFwaTpQYTU1d29yZC0yMDI0' }), secret: 'YjJjLWFwaTpQYTU1d29yZC0yMDI0', data: { kind: 'shape', shape: 'basic-credentials' } },
  { name: 'SQL connection string password', body: rest({ Database: 'Server=tcp:contoso.database.windows.net;Database=users;User ID=b2c;Password=Sq1-Pa55!word;' }), secret: 'Sq1-Pa55!word', data: { kind: 'shape', shape: 'connection-string-password' } },
  { name: 'Stripe secret key', body: rest({ Payments: ['sk', '_live_', '51MadeUpStripeKey0123456789'].join('') }), secret: ['sk', '_live_', '51MadeUpStripeKey0123456789'].join(''), data: { kind: 'shape', shape: 'stripe-key' } },
  { name: 'SendGrid key', body: rest({ Mail: ['SG', '.madeUpSendGrid01', '.MadeUpSendGridSecret0123456789ab'].join('') }), secret: ['SG', '.madeUpSendGrid01', '.MadeUpSendGridSecret0123456789ab'].join(''), data: { kind: 'shape', shape: 'sendgrid-key' } },
  { name: 'Login with Amazon client secret', body: rest({ AmazonApp: `amzn1.oa2-cs.v1.${hex32}${hex32}` }), secret: `${hex32}${hex32}`, data: { kind: 'shape', shape: 'amazon-client-secret' } },
  { name: 'Entra secret left in a comment', body: `<!-- test tenant secret: ${entra} -->\n${rest({})}`, secret: entra, data: { kind: 'shape', shape: 'entra-client-secret' } },
];

/** Every finding of the file as the editor gets them, and the text that could leak: messages and data. */
function diagnosticsOf(body: string): { text: string; diagnostics: Diagnostic[]; shown: string } {
  const text = compactPolicy('B2C_1A_Ext', body);
  const { service } = memoryWorkspace({ 'Extensions.xml': text });
  const diagnostics = service.diagnostics(URI);
  return { text, diagnostics, shown: diagnostics.map((d) => `${d.message}\n${JSON.stringify(d.data ?? {})}`).join('\n') };
}

test(`secret-in-policy finds ${CASES.length} realistic secrets, one finding each, and no finding shows the value`, () => {
  assert.ok(CASES.length >= 23);
  for (const c of CASES) {
    const { text, diagnostics, shown } = diagnosticsOf(c.body);
    const secrets = diagnostics.filter((d) => d.code === 'secret-in-policy');
    assert.equal(secrets.length, 1, `${c.name}: ${diagnostics.map((d) => `${d.code} ${d.message}`).join(' | ')}`);
    const [finding] = secrets;
    assert.equal(finding.severity, 1, c.name);
    const { code, ...data } = finding.data as Record<string, unknown>;
    assert.equal(code, 'secret-in-policy');
    assert.deepEqual(data, c.data, c.name);
    // The finding covers the value that holds the secret.
    const lines = text.split('\n');
    const covered = lines.slice(finding.range.start.line, finding.range.end.line + 1).join('\n');
    const value = covered.slice(finding.range.start.character, covered.length - (lines[finding.range.end.line].length - finding.range.end.character));
    assert.ok(value.includes(c.secret.replace(/&/g, '&amp;')) || value.includes(c.secret), `${c.name}: the span ${JSON.stringify(value)}`);
    for (const piece of [c.secret, c.secret.slice(0, 12), c.secret.slice(-12)]) assert.ok(!shown.includes(piece), `${c.name}: a finding shows '${piece}': ${shown}`);
    assert.ok(!diagnostics.some((d) => d.code === 'policy-key-prefix' || d.code === 'unknown-policy-key'), `${c.name}: a key finding would echo it`);
  }
});

test('not secrets: template tokens, claim resolvers, key references, switches, public URLs and ordinary text', () => {
  const bodies = [
    rest({ client_secret: '{Settings:ClientSecret}', password: '{OAUTH-KV:password}', ServiceUrl: 'https://fn.azurewebsites.net/api/x?code={Settings:FunctionKey}' }),
    rest({ ServiceUrl: 'https://api.linkedin.com/v2/emailAddress?q=members&amp;projection=(elements*(handle~))', UserMessageIfInvalidPassword: 'Your password is incorrect.', BearerTokenTransmissionMethod: 'AuthorizationHeader', UseClaimAsBearerToken: 'bearerToken' }),
    rest({ AuthenticationType: 'Basic', DefaultMessage: 'Basic information is missing. Bearer tokens are sent in a header.' }),
    rest({}, `${inputClaim('ClaimTypeReferenceId="grant_type" DefaultValue="password" AlwaysUseDefaultValue="true"')}${keys('B2C_1A_RestApiToken')}`),
    rest({}, inputClaim('ClaimTypeReferenceId="client_id" DefaultValue="ProxyIdentityExperienceFrameworkAppId"')),
    rest({ ServiceUrl: 'https://graph.facebook.com/me?fields=id,first_name,last_name,name,email', InstrumentationKey: '00000000-0000-4000-8000-000000000000' }),
    // The TOTP key-URI format, as the display-control page and Microsoft's TOTP sample write it in a comment.
    rest({}, '\n        <!-- For example, otpauth://totp/Contoso%20demo:emily@fabrikam.com?secret=fay2lj7ynpntjgqa&amp;issuer=Contoso+demo -->'),
  ];
  for (const body of bodies) {
    const { diagnostics } = diagnosticsOf(body);
    assert.deepEqual(diagnostics.filter((d) => d.code === 'secret-in-policy').map((d) => d.message), [], body);
  }
  const { diagnostics } = diagnosticsOf(rest({}, keys('RestApiToken')));
  assert.deepEqual(
    diagnostics.filter((d) => d.code === 'policy-key-prefix' || d.code === 'secret-in-policy').map((d) => [d.code, d.message]),
    [['policy-key-prefix', "Policy key 'RestApiToken' lacks the 'B2C_1A_' prefix: the tenant stores it as 'B2C_1A_RestApiToken'."]],
    'a key name without the prefix is a key name, said as before',
  );
});

test('a secret that another check quotes (a schema message, even cut short) is not shown there either', () => {
  const body = rest({}, `\n        <OutputClaims><OutputClaim ClaimTypeReferenceId="${jwt}" /></OutputClaims>`).replace('<Protocol Name="Proprietary"', `<Protocol Name="${jwt}"`);
  const { diagnostics, shown } = diagnosticsOf(body);
  const codes = diagnostics.map((d) => d.code);
  assert.ok(codes.includes('schema-invalid-value'), codes.join());
  assert.ok(codes.includes('unresolved-reference'), codes.join());
  assert.equal(codes.filter((c) => c === 'secret-in-policy').length, 2);
  for (const d of diagnostics.filter((x) => x.code === 'schema-invalid-value' || x.code === 'unresolved-reference')) assert.match(d.message, /\[secret not shown\]/, d.message);
  for (const piece of [jwt, jwt.slice(0, 12), jwt.slice(30, 42), jwt.slice(-12)]) assert.ok(!shown.includes(piece), `shown: ${piece}`);
});

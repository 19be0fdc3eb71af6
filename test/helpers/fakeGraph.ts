/**
 * A local stand-in for Microsoft Graph's trustFramework endpoints and the sign-in authority, for tests
 * (unit, CLI, and the VS Code end-to-end suite). It reproduces the service's observable behaviour:
 * 201 then 200 on PUT, a base policy must be uploaded before its children (`Policy with 'policyId': <ID>
 * cannot be found in the directory '<guid>'`, service-errors.md #6), the TenantId check (#7), a raw-XML body
 * (#1), the Graph error JSON, 429 with Retry-After, and bearer-token checks (missing, unknown, expired, wrong
 * audience -> 401). Its own strictness where the service's text is unknown is marked "(fake)".
 *
 * As authority it serves OpenID discovery and a token endpoint (client secret, client certificate, and client
 * assertions it issued itself as the GitHub Actions or Azure Pipelines OIDC issuer), so the real
 * @azure/identity credentials run against it. MSAL only talks to https authorities: start it with `tls: true`
 * and trust `caPem` (NODE_EXTRA_CA_CERTS in a child process).
 *
 * Tokens are never logged: the request log says what kind of token came (`auth`), not which.
 */
import { generateKeyPairSync, randomBytes, randomUUID, sign as signData, verify as verifySignature, X509Certificate } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';

export const FAKE_GRAPH_AUDIENCE = 'https://graph.microsoft.com';

export interface FakeClient {
  clientId: string;
  /** Client secret (ClientSecretCredential). */
  secret?: string;
  /** PEM certificate whose key signs client assertions (ClientCertificateCredential). */
  certificatePem?: string;
}

export interface FakeGraphOptions {
  /** The B2C tenant (TenantId every policy must carry). */
  tenant?: string;
  /** Serve https with a self-signed certificate made at start (needed for @azure/identity). */
  tls?: boolean;
  clients?: FakeClient[];
  /** Audience Graph accepts (default https://graph.microsoft.com). */
  audience?: string;
  tokenLifetimeSeconds?: number;
  /** Policy keys in the tenant (keySets). */
  keySets?: string[];
  /** Reject uploads naming a StorageReferenceId that is not a keySet (#12). */
  checkPolicyKeys?: boolean;
  /** Policies already in the tenant: id -> XML. */
  policies?: Record<string, string>;
  /** Delay of each PUT, to let parallel uploads overlap. */
  putDelayMs?: (policyId: string) => number;
  /** Bearer token GitHub's OIDC endpoint expects (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  githubRequestToken?: string;
  /** Bearer token the Azure Pipelines OIDC endpoint expects (SYSTEM_ACCESSTOKEN). */
  pipelinesAccessToken?: string;
}

export interface LoggedRequest {
  /** Order of arrival. */
  seq: number;
  method: string;
  path: string;
  status: number;
  /** Policy id of a policy call, as in the URL. */
  policyId?: string;
  /** What the Authorization header carried: never the token itself. */
  auth: 'none' | 'missing' | 'valid' | 'unknown' | 'expired' | 'wrong-audience';
  contentType?: string;
  /** Event counters: when the request arrived and when its answer was sent (shared counter). */
  startedAt: number;
  endedAt: number;
}

export interface Injection {
  /** Which requests: default every Graph request. */
  match?: (method: string, path: string) => boolean;
  /** How many matching requests get this answer. */
  count: number;
  status: number;
  headers?: Record<string, string>;
  body?: string;
  contentType?: string;
}

interface IssuedToken {
  audience: string;
  expiresAt: number;
  uses: number;
}

export interface FakeGraphState {
  readonly tenant: string;
  readonly directoryId: string;
  /** Policies in the tenant: id in capitals -> { id as first uploaded, xml }. */
  readonly policies: Map<string, { id: string; xml: string }>;
  readonly keySets: string[];
  readonly requests: LoggedRequest[];
  /** The next `count` matching requests get this answer. */
  inject(injection: Injection): void;
  /** The next `count` Graph requests get 429 with this Retry-After. */
  throttle(count: number, retryAfter: string): void;
  /** Uploads of this policy are rejected with these messages (service-errors.md shapes), concatenated as the service does. */
  failValidation(policyId: string, messages: string[]): void;
  /** Every token issued so far is expired from now on. */
  expireTokens(): void;
  /** After this many accepted Graph requests, a token is treated as expired. */
  tokenMaxUses: number | undefined;
  /** A token for Graph (or another audience), as the authority would issue it. */
  issueToken(options?: { audience?: string; lifetimeSeconds?: number }): string;
  /** A federated token the authority accepts as client assertion (as a workload identity token file holds). */
  issueAssertion(): string;
  /** Every token and client assertion issued, for "never printed" assertions. */
  issuedSecrets(): string[];
  /** The Graph requests of a policy PUT, in arrival order. */
  puts(): LoggedRequest[];
}

export interface FakeGraph {
  /** Root URL: Graph under /beta, the authority under /<tenant>/..., OIDC issuers under /_github and /_pipelines. */
  url: string;
  /** The self-signed certificate (PEM) when tls is on. */
  caPem?: string;
  state: FakeGraphState;
  stop(): Promise<void>;
}

function graphError(code: string, message: string): string {
  const id = randomUUID();
  return JSON.stringify({ error: { code, message, innerError: { correlationId: id, date: new Date().toISOString().slice(0, 19), 'request-id': id, 'client-request-id': id } } });
}

export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const tenant = options.tenant ?? 'fake.onmicrosoft.com';
  const audience = options.audience ?? FAKE_GRAPH_AUDIENCE;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const tokens = new Map<string, IssuedToken>();
  const assertions = new Set<string>();
  const validationFailures = new Map<string, string[]>();
  const injections: Injection[] = [];
  let events = 0;
  let url = '';

  const state: FakeGraphState = {
    tenant,
    directoryId: randomUUID(),
    policies: new Map(Object.entries(options.policies ?? {}).map(([id, xml]) => [id.toUpperCase(), { id, xml }])),
    keySets: [...(options.keySets ?? [])],
    requests: [],
    tokenMaxUses: undefined,
    inject: (injection) => void injections.push({ ...injection }),
    throttle: (count, retryAfter) =>
      injections.push({ count, status: 429, headers: { 'Retry-After': retryAfter }, body: graphError('TooManyRequests', 'Too many requests. Please retry later.'), contentType: 'application/json' }),
    failValidation: (policyId, messages) => void validationFailures.set(policyId.toUpperCase(), messages),
    expireTokens: () => {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
    issueToken: (o = {}) => {
      const token = `fake-at-${randomBytes(24).toString('base64url')}`;
      tokens.set(token, { audience: o.audience ?? audience, expiresAt: Date.now() + (o.lifetimeSeconds ?? lifetime) * 1000, uses: 0 });
      return token;
    },
    issueAssertion: () => {
      const assertion = `fake-wi-${randomBytes(24).toString('base64url')}`;
      assertions.add(assertion);
      return assertion;
    },
    issuedSecrets: () => [...tokens.keys(), ...assertions],
    puts: () => state.requests.filter((r) => r.method === 'PUT'),
  };

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const startedAt = ++events;
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0];
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const entry: LoggedRequest = { seq: state.requests.length + 1, method: req.method ?? 'GET', path, status: 0, auth: 'none', startedAt, endedAt: 0 };
    if (req.headers['content-type']) entry.contentType = String(req.headers['content-type']);
    state.requests.push(entry);
    const send = (status: number, text: string, contentType = 'application/json', headers: Record<string, string> = {}) => {
      entry.status = status;
      entry.endedAt = ++events;
      res.writeHead(status, { 'Content-Type': contentType, ...headers });
      res.end(text);
    };
    try {
      if (path.startsWith('/beta/')) return await graph(req.method ?? 'GET', path.slice('/beta'.length), body, req, entry, send);
      if (path === '/_github/oidc') return githubOidc(req, query, send);
      if (path === '/_pipelines/oidc') return pipelinesOidc(req, query, send);
      const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
      if (discovery) return send(200, JSON.stringify(openIdConfiguration(discovery[1])));
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
      if (token && req.method === 'POST') return tokenEndpoint(token[1], new URLSearchParams(utf8(body)), send);
      send(404, graphError('NotFound', `(fake) no route for ${req.method} ${path}`));
    } catch (e) {
      send(500, graphError('InternalServerError', `(fake) ${(e as Error).message}`));
    }
  };

  const openIdConfiguration = (t: string) => ({
    token_endpoint: `${url}/${t}/oauth2/v2.0/token`,
    authorization_endpoint: `${url}/${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${url}/${t}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${url}/${t}/oauth2/v2.0/logout`,
    jwks_uri: `${url}/${t}/discovery/v2.0/keys`,
    issuer: `${url}/${t}/v2.0`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    tenant_region_scope: null,
    cloud_instance_name: 'fake',
  });

  const oauthError = (send: SendFn, status: number, error: string, description: string) =>
    send(status, JSON.stringify({ error, error_description: description, error_codes: [], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() }));

  const tokenEndpoint = (t: string, form: URLSearchParams, send: SendFn) => {
    if (t.toLowerCase() !== tenant.toLowerCase()) return oauthError(send, 400, 'invalid_request', `AADSTS90002: (fake) Tenant '${t}' not found.`);
    if (form.get('grant_type') !== 'client_credentials') return oauthError(send, 400, 'unsupported_grant_type', '(fake) only client_credentials is served');
    const client = (options.clients ?? []).find((c) => c.clientId === form.get('client_id'));
    if (!client) return oauthError(send, 400, 'unauthorized_client', `AADSTS700016: (fake) Application with identifier '${form.get('client_id')}' was not found in the directory.`);
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    const authenticated = secret !== null ? client.secret !== undefined && secret === client.secret : assertion !== null && (assertions.has(assertion) || (client.certificatePem !== undefined && verifyClientAssertion(assertion, client.certificatePem, `${url}/${t}/oauth2/v2.0/token`)));
    if (!authenticated) return oauthError(send, 401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided. (fake: or an assertion it did not issue)');
    const scope = form.get('scope') ?? '';
    const resource = scope.split(' ').find((s) => s.endsWith('/.default'));
    if (!resource) return oauthError(send, 400, 'invalid_scope', 'AADSTS1002012: (fake) The provided value for scope is not valid.');
    const accessToken = state.issueToken({ audience: resource.slice(0, -'/.default'.length) });
    send(200, JSON.stringify({ token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken }));
  };

  const githubOidc = (req: http.IncomingMessage, query: URLSearchParams, send: SendFn) => {
    if (!options.githubRequestToken || req.headers.authorization !== `Bearer ${options.githubRequestToken}`) return send(401, JSON.stringify({ message: 'Bad credentials' }));
    if (query.get('audience') !== 'api://AzureADTokenExchange') return send(400, JSON.stringify({ message: `(fake) audience must be api://AzureADTokenExchange, got ${query.get('audience')}` }));
    send(200, JSON.stringify({ count: 1, value: state.issueAssertion() }));
  };

  const pipelinesOidc = (req: http.IncomingMessage, query: URLSearchParams, send: SendFn) => {
    if (req.method !== 'POST' || !options.pipelinesAccessToken || req.headers.authorization !== `Bearer ${options.pipelinesAccessToken}`) return send(401, JSON.stringify({ message: 'unauthorized' }));
    if (!query.get('serviceConnectionId')) return send(400, JSON.stringify({ message: '(fake) serviceConnectionId missing' }));
    send(200, JSON.stringify({ oidcToken: state.issueAssertion() }));
  };

  const graph = async (method: string, path: string, body: Uint8Array, req: http.IncomingMessage, entry: LoggedRequest, send: SendFn) => {
    const policyMatch = /^\/trustFramework\/policies\/([^/]+)(\/\$value)?$/.exec(path);
    if (policyMatch) entry.policyId = decodeURIComponent(policyMatch[1]);
    entry.auth = checkToken(req.headers.authorization);
    if (entry.auth !== 'valid') {
      const message = { missing: 'Access token is empty.', unknown: 'Access token validation failure.', expired: 'Lifetime validation failed, the token is expired.', 'wrong-audience': 'Access token validation failure. Invalid audience.' }[entry.auth as 'missing'];
      return send(401, graphError('InvalidAuthenticationToken', message), 'application/json', { 'WWW-Authenticate': 'Bearer realm=""' });
    }
    const injected = injections.find((i) => i.count > 0 && (!i.match || i.match(method, path)));
    if (injected) {
      injected.count--;
      return send(injected.status, injected.body ?? '', injected.contentType ?? 'application/json', injected.headers ?? {});
    }
    if (path === '/trustFramework/policies' && method === 'GET') {
      return send(200, JSON.stringify({ '@odata.context': `${url}/beta/$metadata#trustFramework/policies`, value: [...state.policies.values()].map((p) => ({ id: p.id })) }));
    }
    if (path === '/trustFramework/keySets' && method === 'GET') {
      return send(200, JSON.stringify({ '@odata.context': `${url}/beta/$metadata#trustFramework/keySets`, value: state.keySets.map((id) => ({ id, keys: [{ kid: randomUUID(), use: 'sig', kty: 'RSA' }] })) }));
    }
    if (!policyMatch) return send(404, graphError('NotFound', `(fake) no resource ${method} ${path}`));
    const id = entry.policyId!;
    const key = id.toUpperCase();
    const existing = state.policies.get(key);
    if (method === 'GET' && policyMatch[2]) return existing ? send(200, existing.xml, 'application/xml') : send(404, graphError('ItemNotFound', `(fake) Policy '${id}' not found.`));
    if (method === 'DELETE' && !policyMatch[2]) {
      if (!existing) return send(404, graphError('ItemNotFound', `(fake) Policy '${id}' not found.`));
      state.policies.delete(key);
      return send(204, '', 'text/plain');
    }
    if (method !== 'PUT' || !policyMatch[2]) return send(405, graphError('MethodNotAllowed', `(fake) ${method} ${path}`));
    await delay(options.putDelayMs?.(id) ?? 0);
    const type = String(req.headers['content-type'] ?? '');
    if (!/^application\/xml\b/i.test(type)) return send(415, graphError('UnsupportedMediaType', `(fake) Content-Type must be application/xml, got '${type}'`));
    const text = utf8(body);
    if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf || !text.trimStart().startsWith('<')) {
      return send(400, graphError('AADB2C', 'The policy being uploaded is not XML or is not correctly formatted: Data at the root level is invalid. Line 1, position 1.'));
    }
    const root = /<(?:\w+:)?TrustFrameworkPolicy\b[^>]*>/.exec(text)?.[0] ?? '';
    const policyId = /\sPolicyId\s*=\s*"([^"]*)"/.exec(root)?.[1];
    const tenantId = /\sTenantId\s*=\s*"([^"]*)"/.exec(root)?.[1];
    if (!policyId || policyId.toUpperCase() !== key) return send(400, graphError('AADB2C', `(fake) The PolicyId '${policyId ?? ''}' in the policy does not match '${id}' in the request URI.`));
    if ((tenantId ?? '').toLowerCase() !== tenant.toLowerCase()) {
      return send(400, graphError('AADB2C', `TenantId in the policy xml '${tenantId ?? ''}' is not same as the one in login tenant '${tenant}'.`));
    }
    const base = /<(?:\w+:)?BasePolicy>[\s\S]*?<(?:\w+:)?PolicyId>\s*([^<\s]*)\s*<\//.exec(text)?.[1];
    if (base && !state.policies.has(base.toUpperCase())) {
      return send(400, graphError('AADB2C', `Policy with 'policyId': ${base.toUpperCase()} cannot be found in the directory '${state.directoryId}'.`));
    }
    const messages = [...(validationFailures.get(key) ?? [])];
    if (options.checkPolicyKeys) {
      for (const m of text.matchAll(/StorageReferenceId\s*=\s*"([^"]*)"/g)) {
        if (!state.keySets.some((k) => k.toLowerCase() === m[1].toLowerCase())) messages.push(`Tenant "${tenant}" does not have CryptographicKey referenced by storageReferenceId "${m[1]}".`);
      }
    }
    if (messages.length) {
      return send(400, graphError('AADB2C', `Validation failed: ${messages.length} validation error(s) found in policy "${key}" of tenant "${tenant}".${messages.join('')}`));
    }
    state.policies.set(key, { id: existing?.id ?? id, xml: text });
    send(existing ? 200 : 201, JSON.stringify({ '@odata.context': `${url}/beta/$metadata#trustFramework/policies/$entity`, id: existing?.id ?? id }));
  };

  const checkToken = (authorization: string | undefined): LoggedRequest['auth'] => {
    const m = /^Bearer (.+)$/.exec(authorization ?? '');
    if (!m) return 'missing';
    const t = tokens.get(m[1]);
    if (!t) return 'unknown';
    if (t.expiresAt <= Date.now() || (state.tokenMaxUses !== undefined && t.uses >= state.tokenMaxUses)) return 'expired';
    if (t.audience !== audience) return 'wrong-audience';
    t.uses++;
    return 'valid';
  };

  let caPem: string | undefined;
  let server: http.Server | https.Server;
  if (options.tls) {
    const made = selfSignedCertificate('127.0.0.1');
    caPem = made.certPem;
    server = https.createServer({ key: made.keyPem, cert: made.certPem }, (req, res) => void handler(req, res));
  } else {
    server = http.createServer((req, res) => void handler(req, res));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    caPem,
    state,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type SendFn = (status: number, text: string, contentType?: string, headers?: Record<string, string>) => void;

function readBody(req: http.IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Buffer) => chunks.push(new Uint8Array(c)));
    req.on('end', () => resolve(bytes(...chunks)));
    req.on('error', reject);
  });
}

const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);
const delay = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** Checks a private_key_jwt client assertion: signed by the client certificate's key, for this token endpoint. */
function verifyClientAssertion(jwt: string, certificatePem: string, tokenEndpoint: string): boolean {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return false;
  try {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
    const p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { aud?: string; exp?: number };
    if (p.aud !== tokenEndpoint || !p.exp || p.exp * 1000 < Date.now()) return false;
    const key = new X509Certificate(certificatePem).publicKey;
    const data = new TextEncoder().encode(`${header}.${payload}`);
    const sig = new Uint8Array(Buffer.from(signature, 'base64url'));
    if (h.alg === 'RS256') return verifySignature('sha256', data, key, sig);
    if (h.alg === 'PS256') return verifySignature('sha256', data, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }, sig);
    return false;
  } catch {
    return false;
  }
}

// --- A self-signed certificate, made with node:crypto (no fixture key in the repository, no openssl). ---

const bytes = (...parts: Array<Uint8Array | number[]>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const ascii = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));
function der(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return bytes([tag], length, content);
}
const seq = (...parts: Uint8Array[]) => der(0x30, bytes(...parts));
const set = (...parts: Uint8Array[]) => der(0x31, bytes(...parts));
function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return der(0x06, new Uint8Array(out));
}
const utcTime = (d: Date) => der(0x17, ascii(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));

export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
  /** Certificate followed by key: the PEM form ClientCertificateCredential reads. */
  combinedPem: string;
}

/** A self-signed certificate for `ip` (and localhost), valid for a day; RSA when `rsa`, else EC P-256. */
export function selfSignedCertificate(ip: string, rsa = false): SelfSignedCertificate {
  const { privateKey, publicKey } = rsa ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const algorithm = rsa ? seq(oid('1.2.840.113549.1.1.11'), new Uint8Array([0x05, 0x00])) : seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), der(0x0c, ascii('b2c-policy fake graph')))));
  const serial = new Uint8Array(randomBytes(16));
  // A DER INTEGER is minimal and positive: a first byte in 0x40..0x7f is neither a sign bit nor a padding zero
  // (a leading 0x00 before a byte < 0x80 is "illegal padding" to OpenSSL; it failed one run in ~256).
  serial[0] = (serial[0] & 0x3f) | 0x40;
  const san = seq(der(0x87, new Uint8Array(ip.split('.').map(Number))), der(0x82, ascii('localhost')));
  const basicConstraintsCa = seq(oid('2.5.29.19'), der(0x01, new Uint8Array([0xff])), der(0x04, seq(der(0x01, new Uint8Array([0xff])))));
  const extensions = der(0xa3, seq(seq(oid('2.5.29.17'), der(0x04, san)), basicConstraintsCa));
  const now = Date.now();
  const tbs = seq(
    der(0xa0, der(0x02, new Uint8Array([2]))),
    der(0x02, serial),
    algorithm,
    name,
    seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 86_400_000))),
    name,
    new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
    extensions,
  );
  const signature = new Uint8Array(signData('sha256', tbs, privateKey));
  const certificate = seq(tbs, algorithm, der(0x03, bytes([0], signature)));
  const base64 = Buffer.from(certificate).toString('base64');
  const certPem = `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  new X509Certificate(certPem); // throws if the certificate is malformed
  return { certPem, keyPem, combinedPem: certPem + keyPem };
}

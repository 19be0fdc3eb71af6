import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeFailure, GraphClient, GraphRequestError, parseRetryAfter, readableError, type FetchLike } from '../../server/src/deploy/graphClient';
import { splitTargetArguments } from '../../server/src/cli/deploy';
import { checkEndpointUrl, cloudByName, CLOUDS, resolveEndpoints, tenantCloudMismatch, vscodeSignInRequest } from '../../server/src/deploy/clouds';

interface Answer {
  status?: number;
  statusText?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Throw this instead of answering (a network failure). */
  throws?: Error;
}

/** A fetch that answers from a script and records what it was asked (method, url, authorization). */
function scriptedFetch(answers: Answer[]) {
  const calls: Array<{ method: string; url: string; authorization: string }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ method: init.method, url, authorization: init.headers.Authorization });
    const a = answers.shift() ?? { status: 200, body: '{}' };
    if (a.throws) throw a.throws;
    const headers = new Map(Object.entries(a.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return { status: a.status ?? 200, statusText: a.statusText ?? '', headers: { get: (n: string) => headers.get(n.toLowerCase()) ?? null }, text: async () => a.body ?? '' };
  };
  return { fetch, calls };
}

function client(answers: Answer[], options: { tokens?: string[]; maxAttempts?: number; random?: number; now?: number } = {}) {
  const { fetch, calls } = scriptedFetch(answers);
  const sleeps: number[] = [];
  const tokenRequests: Array<string | undefined> = [];
  const tokens = [...(options.tokens ?? ['token-1', 'token-2', 'token-3'])];
  let current = tokens.shift()!;
  const c = new GraphClient({
    endpoint: 'https://graph.example',
    fetch,
    getToken: async ({ rejected }) => {
      tokenRequests.push(rejected);
      if (rejected === current && tokens.length) current = tokens.shift()!;
      return current;
    },
    sleep: async (ms) => void sleeps.push(ms),
    random: () => options.random ?? 0.5,
    now: () => options.now ?? Date.parse('2025-01-01T00:00:00Z'),
    retry: { maxAttempts: options.maxAttempts ?? 5, baseDelayMs: 1000, maxDelayMs: 8000 },
  });
  return { c, calls, sleeps, tokenRequests };
}

const THROTTLED = { status: 429, headers: { 'Retry-After': '7' }, body: '{"error":{"code":"TooManyRequests","message":"slow down"}}' };

test('429 is retried after the Retry-After seconds, then the answer is returned', async () => {
  const { c, calls, sleeps } = client([THROTTLED, { status: 201, body: '{"id":"B2C_1A_X"}' }]);
  const r = await c.send('PUT', '/trustFramework/policies/B2C_1A_X/$value', { bytes: '<x/>', contentType: 'application/xml' });
  assert.equal(r.status, 201);
  assert.equal(r.attempts, 2);
  assert.deepEqual(sleeps, [7000]);
  assert.deepEqual(calls.map((x) => `${x.method} ${x.url}`), ['PUT https://graph.example/beta/trustFramework/policies/B2C_1A_X/$value', 'PUT https://graph.example/beta/trustFramework/policies/B2C_1A_X/$value']);
});

test('Retry-After as an HTTP date is honoured', async () => {
  const { c, sleeps } = client([{ status: 429, headers: { 'Retry-After': 'Wed, 01 Jan 2025 00:00:12 GMT' } }, { status: 200 }]);
  await c.send('GET', '/trustFramework/policies');
  assert.deepEqual(sleeps, [12_000]);
  assert.equal(parseRetryAfter('garbage', 0), undefined);
  assert.equal(parseRetryAfter('1.5', 0), 1500);
});

test('5xx and network failures back off exponentially with jitter, capped', async () => {
  const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  const { c, sleeps } = client([{ status: 503 }, { throws: refused }, { status: 502 }, { status: 500 }, { status: 200 }], { random: 1 });
  const r = await c.send('GET', '/trustFramework/policies');
  assert.equal(r.status, 200);
  // random()=1: the whole ceiling: 1 s, 2 s, 4 s, then the 8 s cap.
  assert.deepEqual(sleeps, [1000, 2000, 4000, 8000]);
  const low = client([{ status: 503 }, { status: 503 }, { status: 200 }], { random: 0 });
  await low.c.send('GET', '/x');
  // random()=0: half the ceiling.
  assert.deepEqual(low.sleeps, [500, 1000]);
});

test('after the last attempt the failing answer is returned (5xx) or a readable error thrown (network)', async () => {
  const { c } = client([{ status: 503 }, { status: 503 }, { status: 503 }], { maxAttempts: 3 });
  const r = await c.send('GET', '/x');
  assert.equal(r.status, 503);
  assert.equal(r.attempts, 3);
  const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
  const n = client([{ throws: refused }, { throws: refused }], { maxAttempts: 2 });
  await assert.rejects(n.c.send('GET', '/x'), (e: unknown) => e instanceof GraphRequestError && e.message === 'cannot reach graph.example: ECONNREFUSED (after 2 attempts)');
  const timeout = client([{ throws: Object.assign(new Error('aborted'), { name: 'TimeoutError' }) }], { maxAttempts: 1 });
  await assert.rejects(timeout.c.send('GET', '/x'), /no answer from graph.example within 120 s/);
});

test('a Retry-After beyond the limit is not waited for', async () => {
  const { c, sleeps } = client([{ status: 429, headers: { 'Retry-After': '3600' } }]);
  const r = await c.send('GET', '/x');
  assert.equal(r.status, 429);
  assert.deepEqual(sleeps, []);
});

test('401 is retried once with a fresh token from the provider', async () => {
  const unauthorized = { status: 401, body: '{"error":{"code":"InvalidAuthenticationToken","message":"Lifetime validation failed, the token is expired."}}' };
  const { c, calls, tokenRequests } = client([unauthorized, { status: 200 }]);
  const r = await c.send('GET', '/x');
  assert.equal(r.status, 200);
  assert.deepEqual(calls.map((x) => x.authorization), ['Bearer token-1', 'Bearer token-2']);
  assert.deepEqual(tokenRequests, [undefined, 'token-1']);
  // Twice in a row: the second 401 is the answer.
  const twice = client([unauthorized, unauthorized, { status: 200 }]);
  const r2 = await twice.c.send('GET', '/x');
  assert.equal(r2.status, 401);
  assert.equal(twice.calls.length, 2);
  // A provider with nothing newer: no pointless retry.
  const same = client([unauthorized, { status: 200 }], { tokens: ['only'] });
  assert.equal((await same.c.send('GET', '/x')).status, 401);
  assert.equal(same.calls.length, 1);
});

test('a failing token provider is a readable sign-in error', async () => {
  const c = new GraphClient({
    endpoint: 'https://graph.example',
    fetch: scriptedFetch([]).fetch,
    getToken: async () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a token provider that rejects with a plain object
      throw { error: 'invalid_client', detail: { nested: true } };
    },
  });
  await assert.rejects(c.send('GET', '/x'), (e: unknown) => e instanceof GraphRequestError && e.message === 'sign-in failed: {"error":"invalid_client","detail":{"nested":true}}');
});

test('failures read as one line: Graph JSON, OAuth JSON, an object message, HTML, plain text, empty', () => {
  const graph = describeFailure({
    status: 400,
    statusText: 'Bad Request',
    text: JSON.stringify({ error: { code: 'AADB2C', message: 'Validation failed:\n  two lines', innerError: { 'request-id': 'r-1', date: '2025-01-01T00:00:00' } } }),
  });
  assert.deepEqual(graph, { status: 400, message: 'Validation failed: two lines', serviceMessage: 'Validation failed:\n  two lines', code: 'AADB2C', requestId: 'r-1', date: '2025-01-01T00:00:00' });
  assert.equal(describeFailure({ status: 401, statusText: 'Unauthorized', text: '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}' }).message, 'HTTP 401 Unauthorized: invalid_client: AADSTS7000215: Invalid client secret provided.');
  const objectMessage = describeFailure({ status: 400, statusText: '', text: '{"error":{"code":"X","message":{"value":"nested"}}}' });
  assert.equal(objectMessage.message, '{"value":"nested"}');
  assert.ok(!objectMessage.message.includes('[object Object]'));
  assert.equal(describeFailure({ status: 502, statusText: 'Bad Gateway', text: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' }).message, 'HTTP 502 Bad Gateway (an HTML page: "502 Bad Gateway"; is the Graph endpoint right?)');
  assert.equal(describeFailure({ status: 500, statusText: 'Internal Server Error', text: 'upstream\nreset' }).message, 'HTTP 500 Internal Server Error: upstream reset');
  assert.equal(describeFailure({ status: 503, statusText: 'Service Unavailable', text: '' }).message, 'HTTP 503 Service Unavailable (empty body)');
  assert.equal(describeFailure({ status: 500, statusText: '', text: '{"unexpected":1}' }).message, 'HTTP 500: {"unexpected":1}');
  assert.equal(readableError(new Error('first line\nsecond')), 'first line');
  assert.equal(readableError({ a: 1 }), '{"a":1}');
});

test('clouds: named by setting or flag, endpoints overridable, https or localhost only', () => {
  assert.equal(cloudByName('China')?.graphRoot, 'https://microsoftgraph.chinacloudapi.cn');
  assert.equal(cloudByName('AzureUSGovernment')?.name, 'usGov');
  assert.equal(cloudByName('usGovDoD')?.graphRoot, 'https://dod-graph.microsoft.us');
  assert.equal(cloudByName('mars'), undefined);
  const e = resolveEndpoints(CLOUDS.china, { graphEndpoint: 'https://proxy.corp/graph/' });
  assert.deepEqual(e, {
    cloud: CLOUDS.china,
    graphEndpoint: 'https://proxy.corp/graph',
    authorityHost: 'https://login.chinacloudapi.cn',
    customAuthority: false,
    // Behind a proxy the token is still for the cloud's Graph.
    scope: 'https://microsoftgraph.chinacloudapi.cn/.default',
  });
  assert.equal(resolveEndpoints(CLOUDS.global, { authorityHost: 'http://127.0.0.1:8080' }).customAuthority, true);
  assert.throws(() => checkEndpointUrl('http://proxy.corp', 'Graph endpoint'), /must use https \(plain http is accepted for localhost only\)/);
  assert.throws(() => checkEndpointUrl('https://x/?a=1', 'Graph endpoint'), /query/);
  assert.throws(() => checkEndpointUrl('nonsense', 'Graph endpoint'), /not a URL/);
  assert.equal(checkEndpointUrl('http://localhost:3000/', 'x'), 'http://localhost:3000');
});

test('a 21Vianet tenant name with another cloud is refused, never switched silently', () => {
  assert.match(tenantCloudMismatch('contoso.partner.onmschina.cn', CLOUDS.global) ?? '', /China \(21Vianet\) tenant.*--cloud china/);
  assert.equal(tenantCloudMismatch('contoso.partner.onmschina.cn', CLOUDS.china), undefined);
  assert.equal(tenantCloudMismatch('contoso.onmicrosoft.com', CLOUDS.usGov), undefined);
});

test('VS Code sign-in request: our app, the B2C tenant, the cloud Graph permission, the cloud provider', () => {
  assert.deepEqual(vscodeSignInRequest(CLOUDS.global, 'contoso.onmicrosoft.com', 'app-id'), {
    providerId: 'microsoft',
    scopes: ['VSCODE_CLIENT_ID:app-id', 'VSCODE_TENANT:contoso.onmicrosoft.com', 'offline_access', 'https://graph.microsoft.com/Policy.ReadWrite.TrustFramework'],
  });
  assert.equal(vscodeSignInRequest(CLOUDS.china, 'c.partner.onmschina.cn', 'a').providerId, 'microsoft-sovereign-cloud');
  assert.equal(vscodeSignInRequest(CLOUDS.china, 'c.partner.onmschina.cn', 'a').scopes[3], 'https://microsoftgraph.chinacloudapi.cn/Policy.ReadWrite.TrustFramework');
  assert.equal(vscodeSignInRequest(CLOUDS.global, 't', undefined, 'test-provider').providerId, 'test-provider');
});

test('check --tenant-keys: the target options are taken out, the rest is left for check', () => {
  const io = { out: () => undefined, err: () => undefined, env: {}, cwd: '.' };
  const { rest } = splitTargetArguments(['policies', '--tenant', 'contoso.onmicrosoft.com', '--format', 'json', '--cloud=china', '--tenant-keys', '--auth', 'azure-cli'], io);
  assert.deepEqual(rest, ['policies', '--format', 'json', '--tenant-keys']);
});

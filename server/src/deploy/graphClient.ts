/**
 * A small Microsoft Graph client for the trustFramework endpoints: bearer token from an injected provider,
 * retries with backoff, and failures turned into one readable line (never `[object Object]`, never the token).
 *
 * Retries (graph-deploy.md, "Known failure modes"): 429 and 5xx and network errors with exponential backoff
 * and jitter, honouring Retry-After; 401 once with a fresh token (existing tools failed with random
 * "Unauthenticated" after several uploads in a row). PUT of the same body is idempotent, so retrying it is safe.
 */

/** The part of the WHATWG fetch API the client uses (Node's global fetch fits; tests inject their own). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: Uint8Array | string; signal?: AbortSignal },
) => Promise<{ status: number; statusText: string; headers: { get(name: string): string | null }; text(): Promise<string> }>;

/** Node's global fetch as a FetchLike (the body types of @types/node 20 and TypeScript's lib disagree on Uint8Array). */
export const globalFetch: FetchLike = (url, init) => fetch(url, init as unknown as RequestInit);

/**
 * Returns a bearer token. With `rejected`, that token was refused (401): return a newer one (or the same one
 * when the provider has nothing newer; the request then fails). Parallel requests may report the same token.
 */
export type TokenProvider = (options: { rejected?: string }) => Promise<string>;

export interface RetryOptions {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff delay; doubles per attempt. */
  baseDelayMs: number;
  /** Cap of one backoff delay. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the request fails with the server's answer. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export interface GraphClientOptions {
  /** The Graph root (e.g. https://graph.microsoft.com, or an override); requests go to `<root>/beta/...`. */
  endpoint: string;
  getToken: TokenProvider;
  fetch: FetchLike;
  retry?: Partial<RetryOptions>;
  /** Per attempt. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Told about each retry (for progress output); never given the token. */
  onRetry?: (info: { method: string; path: string; attempt: number; delayMs: number; reason: string }) => void;
}

export interface GraphResponse {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text: string;
  attempts: number;
}

/** A request that got no usable answer (network failure, timeout, sign-in failure). */
export class GraphRequestError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export class GraphClient {
  private readonly retry: RetryOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly options: GraphClientOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  get endpoint(): string {
    return this.options.endpoint;
  }

  /** Sends a request under `<endpoint>/beta`, retrying as described above; returns the last response. */
  async send(method: string, path: string, body?: { bytes: Uint8Array | string; contentType: string }, accept = 'application/json'): Promise<GraphResponse> {
    const url = `${this.options.endpoint}/beta${path}`;
    let refreshed = false;
    let renewedToken: string | undefined;
    for (let attempt = 1; ; attempt++) {
      let token: string;
      try {
        token = renewedToken ?? (await this.options.getToken({}));
      } catch (e) {
        throw new GraphRequestError(`sign-in failed: ${readableError(e)}`, attempt);
      }
      renewedToken = undefined;
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: accept };
      if (body) headers['Content-Type'] = body.contentType;
      let response: GraphResponse;
      try {
        const r = await this.options.fetch(url, { method, headers, body: body?.bytes, signal: AbortSignal.timeout(this.timeoutMs) });
        response = { status: r.status, statusText: r.statusText, headers: r.headers, text: await r.text(), attempts: attempt };
      } catch (e) {
        const reason = describeNetworkError(e, url, this.timeoutMs);
        if (attempt >= this.retry.maxAttempts) throw new GraphRequestError(`${reason} (after ${attempt} attempt${attempt === 1 ? '' : 's'})`, attempt);
        await this.wait(method, path, attempt, this.backoff(attempt), reason);
        continue;
      }
      if (response.status === 401 && !refreshed) {
        // One retry with a new token; a provider that hands back the same token cannot help.
        refreshed = true;
        try {
          renewedToken = await this.options.getToken({ rejected: token });
        } catch (e) {
          throw new GraphRequestError(`sign-in failed while renewing a rejected token: ${readableError(e)}`, attempt);
        }
        if (renewedToken === token) return response;
        this.options.onRetry?.({ method, path, attempt, delayMs: 0, reason: 'token rejected (401), signing in again' });
        continue;
      }
      if (RETRYABLE_STATUS.has(response.status) && attempt < this.retry.maxAttempts) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), this.now());
        if (retryAfter !== undefined && retryAfter > this.retry.maxRetryAfterMs) return response;
        await this.wait(method, path, attempt, retryAfter ?? this.backoff(attempt), `HTTP ${response.status}${retryAfter !== undefined ? ', Retry-After' : ''}`);
        continue;
      }
      return response;
    }
  }

  /** Exponential backoff with "equal jitter": between half and all of min(cap, base * 2^(attempt-1)). */
  backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  private async wait(method: string, path: string, attempt: number, delayMs: number, reason: string): Promise<void> {
    this.options.onRetry?.({ method, path, attempt, delayMs, reason });
    await this.sleep(delayMs);
  }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** A thrown value as one line (Errors, strings, objects: never `[object Object]`). */
export function readableError(e: unknown): string {
  if (e instanceof Error) {
    const first = e.message.split('\n').find((l) => l.trim()) ?? e.name;
    return oneLine(first) || e.name;
  }
  if (typeof e === 'string') return oneLine(e);
  try {
    return oneLine(JSON.stringify(e) ?? String(e));
  } catch {
    return String(e);
  }
}

function describeNetworkError(e: unknown, url: string, timeoutMs: number): string {
  const host = safeHost(url);
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer from ${host} within ${Math.round(timeoutMs / 1000)} s`;
  const cause = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  const detail = code ?? (cause !== undefined ? readableError(cause) : readableError(e));
  return `cannot reach ${host}: ${detail}`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function oneLine(text: string, max = 2000): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** What a failed response says, read defensively. */
export interface GraphFailure {
  status: number;
  /** One readable line for people. */
  message: string;
  /** The service's own `error.message`, when the body had one (the text to split into findings). */
  serviceMessage?: string;
  code?: string;
  requestId?: string;
  date?: string;
}

/**
 * Reads a Graph error body (`{"error":{"code","message","innerError":{...}}}`, graph-deploy.md), an OAuth
 * error (`{"error":"...","error_description":"..."}`), an HTML page or plain text.
 */
export function describeFailure(response: { status: number; statusText: string; text: string; headers?: { get(name: string): string | null } }): GraphFailure {
  const status = response.status;
  const head = `HTTP ${status}${response.statusText ? ' ' + response.statusText : ''}`;
  const text = response.text ?? '';
  const trimmed = text.trim();
  if (!trimmed) return { status, message: `${head} (empty body)` };
  let json: unknown;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
  }
  if (json && typeof json === 'object') {
    const body = json as Record<string, unknown>;
    const error = body.error;
    if (error && typeof error === 'object') {
      const e = error as Record<string, unknown>;
      const inner = (e.innerError ?? e.innererror) as Record<string, unknown> | undefined;
      const serviceMessage = typeof e.message === 'string' ? e.message : e.message !== undefined ? readableError(e.message) : undefined;
      const code = typeof e.code === 'string' ? e.code : undefined;
      const requestId = inner && typeof inner['request-id'] === 'string' ? (inner['request-id'] as string) : undefined;
      const date = inner && typeof inner.date === 'string' ? (inner.date as string) : undefined;
      const message = serviceMessage ? oneLine(serviceMessage) : `${head}${code ? ` (${code})` : ''}: ${oneLine(JSON.stringify(error), 300)}`;
      return { status, message, serviceMessage, code, requestId, date };
    }
    if (typeof error === 'string') {
      const description = typeof body.error_description === 'string' ? body.error_description : '';
      return { status, message: oneLine(`${head}: ${error}${description ? ': ' + description : ''}`), code: error };
    }
    return { status, message: `${head}: ${oneLine(trimmed, 300)}` };
  }
  const contentType = response.headers?.get('content-type') ?? '';
  if (/html/i.test(contentType) || /^<(!doctype\s+html|html)/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1];
    return { status, message: `${head} (an HTML page${title && title.trim() ? `: "${oneLine(title, 200)}"` : ''}; is the Graph endpoint right?)` };
  }
  return { status, message: `${head}: ${oneLine(trimmed, 300)}`, serviceMessage: /xml/i.test(contentType) ? undefined : oneLine(trimmed) };
}

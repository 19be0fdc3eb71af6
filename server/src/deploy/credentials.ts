/**
 * Sign-in for the CLI through @azure/identity (graph-deploy.md, "Sign-in": client secret or certificate,
 * workload identity federation for GitHub Actions and Azure Pipelines, device code, Azure CLI). Node only;
 * the VS Code side signs in through VS Code's own authentication instead.
 *
 * Secrets come from the environment (the names @azure/identity documents), never from the command line, and
 * are never printed: every secret read and every token obtained is handed to `onSecret` for redaction.
 */
import type { TokenCredential } from '@azure/identity';
import type { Endpoints } from './clouds';
import { describeFailure, type FetchLike, type TokenProvider } from './graphClient';

export const AUTH_METHODS = ['secret', 'certificate', 'github-oidc', 'azure-pipelines', 'workload-identity', 'device-code', 'azure-cli'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** Environment variable that chooses the method when --auth is not given. */
export const AUTH_ENV = 'B2C_POLICY_AUTH';

export class CredentialSetupError extends Error {}

type Env = Record<string, string | undefined>;

/**
 * The method: --auth, else B2C_POLICY_AUTH, else the first whose environment is complete, in this order:
 * secret, certificate, GitHub OIDC, Azure Pipelines OIDC, workload identity, Azure CLI. Device code is never
 * chosen unasked (it waits for a person).
 */
export function chooseAuthMethod(explicit: string | undefined, env: Env): { method: AuthMethod; why: string } {
  const named = explicit ?? env[AUTH_ENV];
  if (named) {
    if (!(AUTH_METHODS as readonly string[]).includes(named)) throw new CredentialSetupError(`unknown sign-in method '${named}' (${AUTH_METHODS.join(', ')})`);
    return { method: named as AuthMethod, why: explicit ? '--auth' : AUTH_ENV };
  }
  if (env.AZURE_CLIENT_ID && env.AZURE_CLIENT_SECRET) return { method: 'secret', why: 'AZURE_CLIENT_SECRET is set' };
  if (env.AZURE_CLIENT_ID && env.AZURE_CLIENT_CERTIFICATE_PATH) return { method: 'certificate', why: 'AZURE_CLIENT_CERTIFICATE_PATH is set' };
  if (env.AZURE_CLIENT_ID && env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) return { method: 'github-oidc', why: 'running in GitHub Actions with id-token permission' };
  if (env.AZURE_CLIENT_ID && env.AZURE_SERVICE_CONNECTION_ID && env.SYSTEM_OIDCREQUESTURI) return { method: 'azure-pipelines', why: 'running in Azure Pipelines with a service connection' };
  if (env.AZURE_CLIENT_ID && env.AZURE_FEDERATED_TOKEN_FILE) return { method: 'workload-identity', why: 'AZURE_FEDERATED_TOKEN_FILE is set' };
  return { method: 'azure-cli', why: 'no service principal in the environment' };
}

export interface CredentialSettings {
  method: AuthMethod;
  /** The tenant to sign in to (domain or GUID). */
  tenant: string;
  endpoints: Endpoints;
  env: Env;
  /** For the GitHub OIDC token request. */
  fetch: FetchLike;
  /** Device code instructions (for a person; not a secret). */
  onPrompt: (message: string) => void;
  /** Every secret value read or obtained, for redaction of anything printed. */
  onSecret: (secret: string) => void;
}

function required(env: Env, name: string, method: AuthMethod): string {
  const value = env[name];
  if (!value) throw new CredentialSetupError(`sign-in with '${method}' needs the environment variable ${name}`);
  return value;
}

/** The GitHub Actions audience for Entra workload identity federation. */
export const GITHUB_OIDC_AUDIENCE = 'api://AzureADTokenExchange';

export function createCredential(settings: CredentialSettings): TokenCredential {
  // Loaded on first sign-in only: commands that never sign in (a dry run, a refusal) start faster.
  const { AzureCliCredential, AzurePipelinesCredential, ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, DeviceCodeCredential, WorkloadIdentityCredential } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (above)
    require('@azure/identity') as typeof import('@azure/identity');
  const { method, env, endpoints, tenant, onSecret } = settings;
  // A host given explicitly is used as is: instance discovery (which asks login.microsoftonline.com about
  // the host) cannot vouch for a proxy or a private authority.
  const common = { authorityHost: endpoints.authorityHost, disableInstanceDiscovery: endpoints.customAuthority };
  for (const name of ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'SYSTEM_ACCESSTOKEN']) {
    const value = env[name];
    if (value) onSecret(value);
  }
  switch (method) {
    case 'secret':
      return new ClientSecretCredential(tenant, required(env, 'AZURE_CLIENT_ID', method), required(env, 'AZURE_CLIENT_SECRET', method), common);
    case 'certificate':
      return new ClientCertificateCredential(
        tenant,
        required(env, 'AZURE_CLIENT_ID', method),
        { certificatePath: required(env, 'AZURE_CLIENT_CERTIFICATE_PATH', method) },
        { ...common, sendCertificateChain: env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN === 'true' },
      );
    case 'github-oidc': {
      const requestUrl = required(env, 'ACTIONS_ID_TOKEN_REQUEST_URL', method);
      const requestToken = required(env, 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', method);
      return new ClientAssertionCredential(tenant, required(env, 'AZURE_CLIENT_ID', method), () => githubIdToken(requestUrl, requestToken, settings), common);
    }
    case 'azure-pipelines':
      return new AzurePipelinesCredential(
        tenant,
        required(env, 'AZURE_CLIENT_ID', method),
        required(env, 'AZURE_SERVICE_CONNECTION_ID', method),
        required(env, 'SYSTEM_ACCESSTOKEN', method),
        common,
      );
    case 'workload-identity':
      return new WorkloadIdentityCredential({ ...common, tenantId: tenant, clientId: required(env, 'AZURE_CLIENT_ID', method), tokenFilePath: required(env, 'AZURE_FEDERATED_TOKEN_FILE', method) });
    case 'device-code':
      return new DeviceCodeCredential({ ...common, tenantId: tenant, clientId: required(env, 'AZURE_CLIENT_ID', method), userPromptCallback: (info) => settings.onPrompt(info.message) });
    case 'azure-cli':
      // The Azure CLI signs in to the cloud chosen with `az cloud set`.
      return new AzureCliCredential({ tenantId: tenant });
  }
}

/** GitHub's OIDC token for the Entra audience (what azure/login does with `core.getIDToken`). */
async function githubIdToken(requestUrl: string, requestToken: string, settings: CredentialSettings): Promise<string> {
  const url = new URL(requestUrl);
  url.searchParams.set('audience', GITHUB_OIDC_AUDIENCE);
  const response = await settings.fetch(url.href, { method: 'GET', headers: { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GitHub OIDC token request failed: ${describeFailure({ status: response.status, statusText: response.statusText, text }).message}`);
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || !value) throw new Error('GitHub OIDC token request returned no token (does the job have `permissions: id-token: write`?)');
  settings.onSecret(value);
  return value;
}

const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Tokens for the scope from a credential, shared by parallel requests. A rejected token makes a new credential
 * (an empty token cache), so the next token is really new; a token rejected by several requests at once is
 * renewed once.
 */
export function credentialTokenProvider(create: () => TokenCredential, scope: string, onSecret: (secret: string) => void, now: () => number = Date.now): TokenProvider {
  let credential = create();
  let current: { token: string; expiresOn: number } | undefined;
  let pending: Promise<string> | undefined;
  const acquire = (): Promise<string> => {
    pending ??= (async () => {
      try {
        const token = await credential.getToken(scope);
        if (!token) throw new Error('the credential returned no token');
        onSecret(token.token);
        current = { token: token.token, expiresOn: token.expiresOnTimestamp };
        return token.token;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };
  return async ({ rejected }) => {
    if (rejected !== undefined && current?.token === rejected) {
      current = undefined;
      credential = create();
    }
    if (current && current.expiresOn - RENEW_BEFORE_MS > now()) return current.token;
    return acquire();
  };
}

/**
 * National clouds: where Microsoft Graph and the sign-in authority live. The cloud is always chosen by the
 * user (flag or setting), never guessed from a tenant name; a tenant name that can only belong to another
 * cloud is refused with a message that names the right flag.
 *
 * Roots and authorities: docs "National cloud deployments" as summarised in
 * ../shared/reference/graph-deploy.md ("National clouds" table).
 */

export type CloudName = 'global' | 'usGov' | 'usGovDoD' | 'china';

export interface Cloud {
  name: CloudName;
  label: string;
  /** Microsoft Graph root (no trailing slash); also the token audience. */
  graphRoot: string;
  /** Sign-in authority host (no trailing slash). */
  authorityHost: string;
  /** The VS Code authentication provider that signs in to this cloud. */
  vscodeProvider: 'microsoft' | 'microsoft-sovereign-cloud';
  /** Value of the `microsoft-sovereign-cloud.environment` setting for this cloud, when it needs one. */
  vscodeSovereignEnvironment?: 'ChinaCloud' | 'USGovernment';
}

export const CLOUDS: Record<CloudName, Cloud> = {
  global: { name: 'global', label: 'Global (Azure public cloud)', graphRoot: 'https://graph.microsoft.com', authorityHost: 'https://login.microsoftonline.com', vscodeProvider: 'microsoft' },
  usGov: {
    name: 'usGov',
    label: 'US Government L4',
    graphRoot: 'https://graph.microsoft.us',
    authorityHost: 'https://login.microsoftonline.us',
    vscodeProvider: 'microsoft-sovereign-cloud',
    vscodeSovereignEnvironment: 'USGovernment',
  },
  usGovDoD: {
    name: 'usGovDoD',
    label: 'US Government L5 (DoD)',
    graphRoot: 'https://dod-graph.microsoft.us',
    authorityHost: 'https://login.microsoftonline.us',
    vscodeProvider: 'microsoft-sovereign-cloud',
    vscodeSovereignEnvironment: 'USGovernment',
  },
  china: {
    name: 'china',
    label: 'China (operated by 21Vianet)',
    graphRoot: 'https://microsoftgraph.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
    vscodeProvider: 'microsoft-sovereign-cloud',
    vscodeSovereignEnvironment: 'ChinaCloud',
  },
};

const CLOUD_ALIASES: Record<string, CloudName> = {
  global: 'global',
  public: 'global',
  azurecloud: 'global',
  usgov: 'usGov',
  usgovernment: 'usGov',
  azureusgovernment: 'usGov',
  usgovdod: 'usGovDoD',
  dod: 'usGovDoD',
  china: 'china',
  chinacloud: 'china',
  azurechinacloud: 'china',
};

export const CLOUD_NAMES = Object.keys(CLOUDS) as CloudName[];

/** The cloud for a flag or setting value (case-insensitive, a few common aliases); undefined if unknown. */
export function cloudByName(name: string): Cloud | undefined {
  const key = CLOUD_ALIASES[name.trim().toLowerCase().replace(/[\s_-]/g, '')];
  return key ? CLOUDS[key] : undefined;
}

/** Where requests go and where sign-in happens, after the user's overrides. */
export interface Endpoints {
  cloud: Cloud;
  /** Where Graph requests are sent (the cloud's root, or the override: a proxy, a gateway, a local server). */
  graphEndpoint: string;
  /** Where sign-in happens (the cloud's authority, or the override). */
  authorityHost: string;
  /** True when authorityHost was overridden (instance discovery then cannot vouch for it). */
  customAuthority: boolean;
  /** The token scope: always the cloud's Graph resource, also behind an endpoint override. */
  scope: string;
}

export class EndpointError extends Error {}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks an override URL: https, or plain http to this machine only (a local proxy or test server), so a
 * bearer token never crosses a network in clear. Returns it without a trailing slash.
 */
export function checkEndpointUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EndpointError(`${what} '${value}' is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new EndpointError(`${what} '${value}' must use https (plain http is accepted for localhost only)`);
  }
  if (url.search || url.hash || url.username || url.password) throw new EndpointError(`${what} '${value}' must not have a query, fragment or credentials`);
  return url.href.replace(/\/+$/, '');
}

export function resolveEndpoints(cloud: Cloud, overrides: { graphEndpoint?: string; authorityHost?: string } = {}): Endpoints {
  const graphEndpoint = overrides.graphEndpoint ? checkEndpointUrl(overrides.graphEndpoint, 'Graph endpoint') : cloud.graphRoot;
  const authorityHost = overrides.authorityHost ? checkEndpointUrl(overrides.authorityHost, 'authority host') : cloud.authorityHost;
  return { cloud, graphEndpoint, authorityHost, customAuthority: authorityHost !== cloud.authorityHost, scope: `${cloud.graphRoot}/.default` };
}

/**
 * Refuses a tenant that cannot live in the chosen cloud. Only names that say their cloud are judged:
 * `*.partner.onmschina.cn` is the China (21Vianet) tenant domain (graph-deploy.md, National clouds).
 * GUIDs and custom domains are left to the service.
 */
export function tenantCloudMismatch(tenant: string, cloud: Cloud): string | undefined {
  const t = tenant.trim().toLowerCase();
  if (t.endsWith('.partner.onmschina.cn') && cloud.name !== 'china') {
    return `tenant '${tenant}' is a China (21Vianet) tenant but the target cloud is ${cloud.label}; choose the cloud with --cloud china (setting b2cPolicy.deploy.cloud: "china")`;
  }
  return undefined;
}

/** What VS Code's authentication API is asked for (graph-deploy.md, "Sign-in"). */
export interface VscodeSignInRequest {
  providerId: string;
  scopes: string[];
}

/**
 * The session request for VS Code: the cloud's provider (or a configured one), our app's client id and the B2C
 * tenant as VS Code's special scopes (VS Code's own client id is not pre-authorised for
 * Policy.ReadWrite.TrustFramework), offline_access, and the permission on the cloud's Graph.
 */
export function vscodeSignInRequest(cloud: Cloud, tenant: string, clientId: string | undefined, providerOverride?: string): VscodeSignInRequest {
  const scopes = [...(clientId ? [`VSCODE_CLIENT_ID:${clientId}`] : []), `VSCODE_TENANT:${tenant}`, 'offline_access', `${cloud.graphRoot}/Policy.ReadWrite.TrustFramework`];
  return { providerId: providerOverride || cloud.vscodeProvider, scopes };
}

/**
 * The Microsoft Graph trustFramework calls (beta), per graph-deploy.md "Endpoints":
 * PUT/GET `/trustFramework/policies/{id}/$value`, GET `/trustFramework/policies`, DELETE
 * `/trustFramework/policies/{id}`, GET `/trustFramework/keySets`.
 */
import { describeFailure, type GraphClient, type GraphFailure, type GraphResponse } from './graphClient';

/** A Graph call answered with an error. */
export class GraphApiError extends Error {
  constructor(readonly failure: GraphFailure) {
    super(failure.message);
  }
}

const policyPath = (id: string) => `/trustFramework/policies/${encodeURIComponent(id)}`;

/** Create or update: 201 Created, 200 OK; the response is returned as is (the caller reads failures). */
export function putPolicy(client: GraphClient, policyId: string, body: Uint8Array): Promise<GraphResponse> {
  return client.send('PUT', `${policyPath(policyId)}/$value`, { bytes: body, contentType: 'application/xml' });
}

export async function getPolicyXml(client: GraphClient, policyId: string): Promise<string> {
  const response = await client.send('GET', `${policyPath(policyId)}/$value`, undefined, 'application/xml');
  if (response.status !== 200) throw new GraphApiError(describeFailure(response));
  return response.text;
}

export async function deletePolicy(client: GraphClient, policyId: string): Promise<void> {
  const response = await client.send('DELETE', policyPath(policyId));
  if (response.status < 200 || response.status >= 300) throw new GraphApiError(describeFailure(response));
}

/** The ids of the tenant's custom policies. */
export async function listPolicyIds(client: GraphClient): Promise<string[]> {
  return (await listCollection(client, '/trustFramework/policies')).map((item) => String(item.id));
}

/** The names of the tenant's policy keys (keyset ids, e.g. B2C_1A_TokenSigningKeyContainer). */
export async function listKeySetIds(client: GraphClient): Promise<string[]> {
  return (await listCollection(client, '/trustFramework/keySets')).map((item) => String(item.id));
}

const MAX_PAGES = 100;

/** A collection's `value` items, following `@odata.nextLink` through the same endpoint (a proxy stays in the path). */
async function listCollection(client: GraphClient, path: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let next: string | undefined = path;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const response = await client.send('GET', next);
    if (response.status !== 200) throw new GraphApiError(describeFailure(response));
    let body: { value?: unknown; '@odata.nextLink'?: unknown };
    try {
      body = JSON.parse(response.text);
    } catch {
      throw new GraphApiError({ status: response.status, message: `the answer to GET ${path} is not JSON (is the Graph endpoint right?)` });
    }
    if (!Array.isArray(body.value)) throw new GraphApiError({ status: response.status, message: `the answer to GET ${path} has no 'value' list` });
    for (const item of body.value) if (item && typeof item === 'object' && 'id' in item) items.push(item as Record<string, unknown>);
    next = typeof body['@odata.nextLink'] === 'string' ? pathAfterVersion(body['@odata.nextLink']) : undefined;
  }
  return items;
}

/** `https://graph.microsoft.com/beta/trustFramework/policies?$skiptoken=x` -> `/trustFramework/policies?$skiptoken=x`. */
function pathAfterVersion(link: string): string | undefined {
  try {
    const url = new URL(link);
    const at = url.pathname.indexOf('/beta/');
    return at >= 0 ? url.pathname.slice(at + '/beta'.length) + url.search : undefined;
  } catch {
    return undefined;
  }
}

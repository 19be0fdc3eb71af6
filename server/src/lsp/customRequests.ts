import { InsertClaimsProviderRequest, JourneyGraphRequest, PolicyFileOutlineRequest, PolicySetsRequest, ScaffoldContextRequest } from '../protocol';
import { safely, type ServerContext } from './context';

/** The custom requests of protocol.ts. */
export function registerCustomRequests(context: ServerContext): void {
  const { connection, service } = context;
  connection.onRequest(ScaffoldContextRequest, safely(context, 'scaffoldContext', (params) => service.scaffoldContext(params.uri, params.journey), null));
  connection.onRequest(
    InsertClaimsProviderRequest,
    safely(context, 'insertClaimsProvider', (params) => service.insertClaimsProvider(params), { error: 'internal error: see the B2C Policy Tools output' }),
  );
  connection.onRequest(
    JourneyGraphRequest,
    safely(context, 'journeyGraph', (params) => service.journeyGraph(params.uri, params.journeyId ? { journeyId: params.journeyId } : (params.position ?? { line: 0, character: 0 })), {
      error: 'internal error: see the B2C Policy Tools output',
    }),
  );
  connection.onRequest(PolicySetsRequest, safely(context, 'policySets', () => service.policySets(), { folders: [] }));
  connection.onRequest(PolicyFileOutlineRequest, safely(context, 'policyFileOutline', (params) => service.policyFileOutline(params.uri), []));
}

import type { CodeActionParams, TextDocumentPositionParams } from 'vscode-languageserver/node';
import { safely, type ServerContext } from './context';
import type { WorkspaceSync } from './workspaceSync';

/**
 * The language features: each handler waits until the document's folder is indexed (at start-up) and calls
 * the service's method of the same name.
 */
export function registerLanguageFeatures(context: ServerContext, workspace: WorkspaceSync): void {
  const { connection, service } = context;
  /** A handler on a document: answered once its folder is indexed; never throws to the client. */
  const onDocument =
    <P extends { textDocument: { uri: string } }, R>(name: string, fn: (params: P) => R, fallback: R) =>
    async (params: P): Promise<R> => {
      await workspace.ready(params.textDocument.uri);
      return safely(context, name, fn, fallback)(params);
    };
  connection.onCompletion(onDocument('completion', (p: TextDocumentPositionParams) => service.completion(p.textDocument.uri, p.position), []));
  connection.onHover(onDocument('hover', (p: TextDocumentPositionParams) => service.hover(p.textDocument.uri, p.position), null));
  connection.onCodeAction(onDocument('codeAction', (p: CodeActionParams) => service.codeActions(p.textDocument.uri, p.context.diagnostics), []));
}

import {
  CodeLensRefreshRequest,
  ErrorCodes,
  ResponseError,
  type CodeActionParams,
  type CodeLensParams,
  type DocumentLinkParams,
  type DocumentSymbolParams,
  type Location,
  type LocationLink,
  type ReferenceParams,
  type RenameParams,
  type TextDocumentPositionParams,
  type WorkspaceSymbolParams,
} from 'vscode-languageserver/node';
import { safely, type ServerContext } from './context';
import type { WorkspaceSync } from './workspaceSync';

/**
 * The language features: each handler waits until the document's folder is indexed (at start-up) and calls
 * the service's method of the same name.
 */
export function registerLanguageFeatures(context: ServerContext, workspace: WorkspaceSync): { refreshCodeLenses(): void } {
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

  registerNavigation(context, workspace, onDocument);
  return { refreshCodeLenses: codeLensRefresher(context) };
}

type OnDocument = <P extends { textDocument: { uri: string } }, R>(name: string, fn: (params: P) => R, fallback: R) => (params: P) => Promise<R>;

/** Definition, references, rename, symbols, highlights, links and code lenses (issue 8). */
function registerNavigation(context: ServerContext, workspace: WorkspaceSync, onDocument: OnDocument): void {
  const { connection, service } = context;
  connection.onDefinition(
    onDocument('definition', (p: TextDocumentPositionParams): LocationLink[] | Location[] => {
      const links = service.definition(p.textDocument.uri, p.position);
      // Links carry the origin range (the whole id underlined on Ctrl+hover) for clients that take them.
      if (context.clientCapabilities?.textDocument?.definition?.linkSupport) return links;
      return links.map((l) => ({ uri: l.targetUri, range: l.targetSelectionRange }));
    }, []),
  );
  connection.onReferences(onDocument('references', (p: ReferenceParams) => service.references(p.textDocument.uri, p.position, p.context.includeDeclaration), []));
  connection.onDocumentHighlight(onDocument('documentHighlight', (p: TextDocumentPositionParams) => service.documentHighlights(p.textDocument.uri, p.position), []));
  connection.onDocumentSymbol(onDocument('documentSymbol', (p: DocumentSymbolParams) => service.documentSymbols(p.textDocument.uri), []));
  connection.onWorkspaceSymbol(safely(context, 'workspaceSymbol', (p: WorkspaceSymbolParams) => service.workspaceSymbols(p.query), []));
  connection.onDocumentLinks(onDocument('documentLinks', (p: DocumentLinkParams) => service.documentLinks(p.textDocument.uri), []));
  connection.onCodeLens(onDocument('codeLens', (p: CodeLensParams) => (context.settings().codeLens ? service.codeLenses(p.textDocument.uri) : []), []));
  // Rename answers with the service's message as an error (the editor shows it); other failures are logged.
  connection.onPrepareRename(async (p: TextDocumentPositionParams) => {
    await workspace.ready(p.textDocument.uri);
    const result = safely(context, 'prepareRename', () => service.prepareRename(p.textDocument.uri, p.position), null)();
    if (result && 'error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
    return result;
  });
  connection.onRenameRequest(async (p: RenameParams) => {
    await workspace.ready(p.textDocument.uri);
    const result = safely(context, 'rename', () => service.rename(p.textDocument.uri, p.position, p.newName), { error: 'internal error: see the B2C Policy Tools output' })();
    if ('error' in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.error);
    return result;
  });
}

/** Asks the client to re-request code lenses (reference counts change with other files), debounced. */
function codeLensRefresher(context: ServerContext): () => void {
  let timer: NodeJS.Timeout | undefined;
  const refresh = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (context.clientCapabilities?.workspace?.codeLens?.refreshSupport) void context.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }, 500);
  };
  context.documents.onDidChangeContent(refresh);
  context.documents.onDidClose(refresh);
  return refresh;
}

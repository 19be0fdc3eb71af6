import { CodeActionKind, createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EnvironmentsChangedNotification, type InitializationOptions } from './protocol';
import { PolicyLanguageService } from './service/languageService';
import type { ServerContext } from './lsp/context';
import { registerCustomRequests } from './lsp/customRequests';
import { registerEnvironmentRequests } from './lsp/environments';
import { DiagnosticsPublisher } from './lsp/diagnostics';
import { registerLanguageFeatures } from './lsp/languageFeatures';
import { SettingsStore } from './lsp/settings';
import { WorkspaceSync } from './lsp/workspaceSync';

/**
 * The language server: wires the handler modules of `lsp/` to one connection. Each module is a few
 * handlers that call the service's facade (PolicyLanguageService).
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const log = (m: string) => connection.console.error(m);
  const service = new PolicyLanguageService({ log, onEnvironmentsChanged: (roots) => void connection.sendNotification(EnvironmentsChangedNotification, { roots }) });
  let settings: SettingsStore | undefined;
  const context: ServerContext = { connection, documents, service, log, settings: () => settings!.value };
  const publisher = new DiagnosticsPublisher(context);
  const workspace = new WorkspaceSync(context, publisher);
  settings = new SettingsStore(context, (p) => workspace.resolveInWorkspace(p));

  connection.onInitialize((params) => {
    context.clientCapabilities = params.capabilities;
    settings!.setClientCapability(!!params.capabilities.workspace?.configuration);
    settings!.setStoragePath((params.initializationOptions as InitializationOptions | undefined)?.storagePath);
    workspace.setFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
    // Ready to answer before the client's settings arrive: bundled schema, default settings.
    settings!.apply();
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: ['<', ' ', '"', "'", '/', ':'], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentHighlightProvider: true,
        documentSymbolProvider: { label: 'B2C policy' },
        workspaceSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
      },
    };
  });

  // Notification handlers return nothing: their promises end here, with failures logged (never lost).
  connection.onInitialized(() => {
    settings!.register();
    // Indexing starts at once (requests on a document wait only for its folder); settings arrive meanwhile.
    const indexed = workspace.indexWorkspace();
    Promise.all([settings!.refresh(), indexed]).catch((e: unknown) => log(`initialization failed: ${(e as Error).stack ?? e}`));
  });

  connection.onDidChangeConfiguration(() => {
    settings!
      .refresh()
      .then(() => {
        publisher.schedule([...service.policyUris(), ...documents.all().map((d) => d.uri)]);
        features.refreshCodeLenses();
      })
      .catch((e: unknown) => log(`settings refresh failed: ${(e as Error).stack ?? e}`));
  });

  workspace.listen();
  const features = registerLanguageFeatures(context, workspace);
  workspace.onDidChangeFiles(() => features.refreshCodeLenses());
  registerCustomRequests(context);
  registerEnvironmentRequests(context, workspace);
  documents.listen(connection);
  connection.listen();
}

if (require.main === module) {
  startServer(createConnection(ProposedFeatures.all));
}

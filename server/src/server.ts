import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import {
  CodeActionKind,
  createConnection,
  type CodeActionParams,
  type Position,
  type TextDocumentPositionParams,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfigurationSection, Requests, type InsertClaimsProviderParams, type ScaffoldContextParams } from './protocol';
import { getScaffoldContext } from './service/features/scaffoldContext';
import { insertClaimsProvider, ScaffoldError } from './service/features/scaffold';
import { readPolicyText } from './policyFiles';
import { SchemaCache } from './schemaFile';
import { getCodeActions } from './service/features/codeActions';
import { getCompletions } from './service/features/completion';
import { getHover } from './service/features/hover';
import { toDiagnostic } from './service/features/diagnostics';
import { DEFAULT_SETTINGS, PolicyLanguageService, type ServiceSettings } from './service/languageService';

interface ClientSettings extends ServiceSettings {
  validateWorkspace: boolean;
  schemaPath: string;
}

const DEBOUNCE_MS = 200;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.vscode-test']);
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** LSP wiring only: each handler a few lines that call the pure service. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const schemas = new SchemaCache();
  const log = (m: string) => connection.console.error(m);
  const service = new PolicyLanguageService({ log });
  let settings: ClientSettings = { ...DEFAULT_SETTINGS, validateWorkspace: true, schemaPath: '' };
  let workspaceFolders: string[] = [];
  let supportsConfiguration = false;
  const pending = new Set<string>();
  /** Uris we published non-empty diagnostics for (to clear them when they go away). */
  const published = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;

  const safely =
    <A extends unknown[], R>(name: string, fn: (...args: A) => R, fallback: R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (e) {
        log(`${name} failed: ${(e as Error).stack ?? e}`);
        return fallback;
      }
    };

  function loadSchema(): void {
    try {
      service.configure(settings, schemas.load(settings.schemaPath ? resolveInWorkspace(settings.schemaPath) : undefined));
    } catch (e) {
      connection.window.showErrorMessage(`B2C Policy Tools: cannot load the schema '${settings.schemaPath || 'bundled'}': ${(e as Error).message}. Using the bundled schema.`);
      service.configure(settings, schemas.load());
    }
  }

  function resolveInWorkspace(p: string): string {
    if (path.isAbsolute(p) || workspaceFolders.length === 0) return p;
    return path.join(workspaceFolders[0], p);
  }

  function isInWorkspace(file: string): boolean {
    return workspaceFolders.some((folder) => file === folder || file.startsWith(folder + path.sep));
  }

  function readDisk(uri: string): void {
    if (!uri.startsWith('file:')) return;
    const file = fileURLToPath(uri);
    if (!isInWorkspace(file)) return;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return;
      service.index.setDiskFile(uri, readPolicyText(file));
    } catch {
      service.index.deleteDiskFile(uri);
    }
  }

  function scanFolder(folder: string): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) scanFolder(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.xml')) readDisk(pathToFileURL(full).href);
    }
  }

  function schedule(uris: Iterable<string>): void {
    for (const uri of uris) pending.add(uri);
    if (timer) clearTimeout(timer);
    timer = setTimeout(publishPending, DEBOUNCE_MS);
  }

  /** Applies a change to the index and schedules every file whose findings may change, before or after it. */
  function applyChange(uri: string, change: () => void): void {
    const before = service.index.get(uri) ? service.affectedBy(uri) : [];
    change();
    const affected = new Set([uri, ...before, ...(service.index.get(uri) ? service.affectedBy(uri) : [])]);
    // Open documents are cheap to re-check (cached by chain signature) and may depend on a changed PolicyId.
    for (const doc of documents.all()) affected.add(doc.uri);
    schedule(affected);
  }

  function publishPending(): void {
    timer = undefined;
    const uris = [...pending];
    pending.clear();
    for (const uri of uris) publish(uri);
  }

  const publish = safely(
    'publish',
    (uri: string) => {
      const file = service.index.get(uri);
      const visible = service.index.isOpen(uri) || settings.validateWorkspace;
      const diagnostics = file && visible ? service.diagnose(uri).map((f) => toDiagnostic(file.lines, f)) : [];
      const key = JSON.stringify(diagnostics);
      if ((published.get(uri) ?? '[]') === key) return;
      published.set(uri, key);
      void connection.sendDiagnostics({ uri, diagnostics });
    },
    undefined,
  );

  async function refreshSettings(): Promise<void> {
    if (!supportsConfiguration) return;
    const config = (await connection.workspace.getConfiguration(ConfigurationSection)) as Partial<ClientSettings> | null;
    settings = {
      policyKeys: Array.isArray(config?.policyKeys) ? config!.policyKeys.filter((k) => typeof k === 'string') : [],
      templateTokens: Array.isArray(config?.templateTokens) ? config!.templateTokens : DEFAULT_SETTINGS.templateTokens,
      validateWorkspace: config?.validateWorkspace !== false,
      schemaPath: typeof config?.schemaPath === 'string' ? config.schemaPath : '',
    };
    loadSchema();
  }

  connection.onInitialize((params) => {
    supportsConfiguration = !!params.capabilities.workspace?.configuration;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspaceFolders = folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    // Ready to answer before the client's settings arrive: bundled schema, default settings, files on disk.
    loadSchema();
    for (const folder of workspaceFolders) scanFolder(folder);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: ['<', ' ', '"', "'", '/'], resolveProvider: false },
        hoverProvider: true,
      },
    };
  });

  connection.onInitialized(async () => {
    if (supportsConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: ConfigurationSection });
    try {
      await refreshSettings();
    } catch (e) {
      log(`reading settings failed: ${(e as Error).message}`);
    }
    schedule([...service.index.policies().map((f) => f.uri), ...documents.all().map((d) => d.uri)]);
  });

  connection.onDidChangeConfiguration(async () => {
    await refreshSettings().catch((e) => log(`reading settings failed: ${e}`));
    schedule(service.index.policies().map((f) => f.uri));
  });

  documents.onDidChangeContent(
    safely(
      'didChange',
      (event: { document: TextDocument }) => {
        applyChange(event.document.uri, () => service.index.setOpenDocument(event.document.uri, event.document.getText()));
      },
      undefined,
    ),
  );

  documents.onDidClose(
    safely(
      'didClose',
      (event: { document: TextDocument }) => {
        applyChange(event.document.uri, () => {
          service.index.closeOpenDocument(event.document.uri);
          readDisk(event.document.uri);
        });
      },
      undefined,
    ),
  );

  connection.onDidChangeWatchedFiles(
    safely(
      'didChangeWatchedFiles',
      (params: { changes: Array<{ uri: string; type: FileChangeType }> }) => {
        for (const change of params.changes) {
          applyChange(change.uri, () => (change.type === FileChangeType.Deleted ? service.index.deleteDiskFile(change.uri) : readDisk(change.uri)));
        }
      },
      undefined,
    ),
  );

  connection.onCodeAction(
    safely('codeAction', (params: CodeActionParams) => getCodeActions(service, params.textDocument.uri, params.context.diagnostics), []),
  );

  /** Runs a position feature on the current text of a document (open documents are always indexed). */
  const atPosition = <R>(uri: string, position: Position, feature: (offset: number) => R): R | undefined => {
    const file = service.index.get(uri);
    const schema = service.currentSchema;
    if (!file || !file.isPolicy || !schema) return undefined;
    return feature(file.lines.offsetAt(position));
  };

  connection.onCompletion(
    safely('completion', (params: TextDocumentPositionParams) => atPosition(params.textDocument.uri, params.position, (offset) => getCompletions(service, service.currentSchema!, params.textDocument.uri, offset)) ?? [], []),
  );

  connection.onHover(
    safely('hover', (params: TextDocumentPositionParams) => atPosition(params.textDocument.uri, params.position, (offset) => getHover(service, service.currentSchema!, params.textDocument.uri, offset)) ?? null, null),
  );

  connection.onRequest(Requests.scaffoldContext, safely('scaffoldContext', (params: ScaffoldContextParams) => getScaffoldContext(service, params.uri), null));

  connection.onRequest(Requests.insertClaimsProvider, (params: InsertClaimsProviderParams) => {
    try {
      return insertClaimsProvider(service, params.uri, params.provider, params.answers);
    } catch (e) {
      if (!(e instanceof ScaffoldError)) log(`insertClaimsProvider failed: ${(e as Error).stack ?? e}`);
      return { error: (e as Error).message };
    }
  });

  documents.listen(connection);
  connection.listen();
}

if (require.main === module) {
  startServer(createConnection(ProposedFeatures.all));
}

import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { DiagnosticSeverity, FileChangeType, type DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE, DiagnosticCodes } from '../protocol';
import { readPolicyFile } from '../node/policyFiles';
import { findXmlFiles } from '../node/workspaceFiles';
import { safely, type ServerContext } from './context';
import { inTimeSlices, type DiagnosticsPublisher } from './diagnostics';

/** Workspaces with more files than this get a progress notification while indexed. */
const PROGRESS_THRESHOLD = 25;

/**
 * Keeps the service in step with the workspace: the policy files on disk (read at start-up in the
 * background, open documents' folders first, then on file-watcher events) and the open documents.
 * Nothing outside the workspace folders is read.
 */
export class WorkspaceSync {
  private folders: string[] = [];
  /** Files still to be read by the background indexing (front: the folders of open documents). */
  private queue: string[] = [];
  private indexing: Promise<void> | undefined;
  /** Called when files on disk changed what the service knows (indexing read them, the watcher reported them). */
  private readonly fileListeners: Array<() => void> = [];

  constructor(
    private readonly context: ServerContext,
    private readonly publisher: DiagnosticsPublisher,
  ) {}

  setFolders(uris: string[]): void {
    this.folders = uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  }

  /** Registers a listener for changes on disk (code lenses count references in files that are not open). */
  onDidChangeFiles(listener: () => void): void {
    this.fileListeners.push(listener);
  }

  private filesChanged(): void {
    for (const listener of this.fileListeners) listener();
  }

  get workspaceFolders(): readonly string[] {
    return this.folders;
  }

  /** Resolves a path given in settings: absolute, or relative to the first workspace folder. */
  resolveInWorkspace(p: string): string {
    if (path.isAbsolute(p) || this.folders.length === 0) return p;
    return path.join(this.folders[0], p);
  }

  private isInWorkspace(file: string): boolean {
    return this.folders.some((folder) => file === folder || file.startsWith(folder + path.sep));
  }

  /** Reads a file from disk into the service (or removes it when it is gone). Returns the affected uris. */
  private readDisk(uri: string): string[] {
    if (!uri.startsWith('file:')) return [];
    const file = fileURLToPath(uri);
    if (!this.isInWorkspace(file)) return [];
    const result = readPolicyFile(file);
    if (result.ok) {
      this.publisher.setFileProblems(uri, []);
      return this.context.service.setDiskFile(uri, result.text);
    }
    const affected = this.context.service.deleteDiskFile(uri);
    if (result.kind === 'content') {
      // A file we cannot check is said so, on the file (never skipped silently).
      this.publisher.setFileProblems(uri, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Warning, source: DIAGNOSTIC_SOURCE, code: DiagnosticCodes.fileNotChecked, message: `Not checked: ${result.message}.` },
      ]);
    } else if (!/no such file/.test(result.message)) {
      this.context.log(`${file}: ${result.message}`);
    }
    return affected;
  }

  /**
   * Indexes every XML file of the workspace folders in the background, a chunk at a time, reporting
   * progress; open documents' folders go first. Resolves when done (or cancelled).
   */
  indexWorkspace(): Promise<void> {
    const walk = findXmlFiles(this.folders.map((f) => ({ absolute: f, display: f })), { environments: true });
    for (const problem of walk.problems) this.context.log(`${problem.absolute}: ${problem.message}`);
    // appsettings.json first: they say which files are templated and which folders hold built copies.
    this.queue = [...walk.settingsFiles, ...walk.files].map((f) => pathToFileURL(f.absolute).href);
    for (const document of this.context.documents.all()) this.prioritise(document.uri);
    this.indexing = this.drain().finally(() => (this.indexing = undefined));
    return this.indexing;
  }

  /**
   * Reads the queued files a time slice at a time (requests are answered in between), publishing an open
   * document's diagnostics as soon as the files it builds on are read; then checks every policy file in the
   * background (open documents first), under the same cancellable progress.
   */
  private async drain(): Promise<void> {
    const { connection, service } = this.context;
    const total = this.queue.length;
    const progress = total > PROGRESS_THRESHOLD ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin('B2C: indexing policies', 0, `0/${total}`, true);
    const cancelled = () => !!progress?.token.isCancellationRequested;
    const openUris = () => this.context.documents.all().map((d) => d.uri);
    try {
      let read = 0;
      const next = function* (sync: WorkspaceSync) {
        while (sync.queue.length) yield sync.queue.shift()!;
      };
      let affected = new Set<string>();
      await inTimeSlices(
        next(this),
        (uri) => {
          read++;
          for (const a of this.readDisk(uri)) affected.add(a);
        },
        () => {
          progress?.report(Math.round((50 * read) / total), `read ${read}/${total}`);
          // Open documents are published as soon as the files they build on are read.
          this.publisher.publishNow(openUris().filter((u) => affected.has(u)));
          affected = new Set();
        },
        cancelled,
      );
      // Every file is read: what was shown before from part of the workspace (reference counts) is stale.
      this.filesChanged();
      if (cancelled()) {
        connection.window.showWarningMessage(`B2C Policy Tools: indexing cancelled; ${this.queue.length} files were not read, so references into them are not checked.`);
        this.queue = [];
        return;
      }
      // appsettings.json files are published like policies (their own findings).
      const all = [...new Set([...openUris(), ...service.policyUris(), ...service.settingsFileUris()])];
      await this.publisher.publishInBackground(all, (done) => progress?.report(50 + Math.round((50 * done) / all.length), `checked ${done}/${all.length}`), cancelled);
    } finally {
      progress?.done();
    }
  }

  /** Moves the files in a document's folder to the front of the indexing queue. */
  private prioritise(uri: string): void {
    if (!this.queue.length) return;
    const folder = uri.slice(0, uri.lastIndexOf('/') + 1);
    const first = this.queue.filter((u) => u.startsWith(folder) && !u.slice(folder.length).includes('/'));
    if (!first.length) return;
    const rest = this.queue.filter((u) => !first.includes(u));
    this.queue = [...first, ...rest];
  }

  /**
   * Resolves when the files a document most likely builds on (those of its folder) are indexed: position
   * requests wait for that (one or two chunks, since the folder goes first), not for the whole workspace.
   */
  async ready(uri: string): Promise<void> {
    const folder = uri.slice(0, uri.lastIndexOf('/') + 1);
    while (this.indexing && this.queue.some((u) => u.startsWith(folder) && !u.slice(folder.length).includes('/'))) {
      this.prioritise(uri);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Resolves when the background indexing (if any) is over: every file of the workspace folders is read. */
  async indexed(): Promise<void> {
    await this.indexing;
  }

  /** Whether a path lies in one of the workspace folders (the server reads and writes nothing else). */
  contains(file: string): boolean {
    return this.isInWorkspace(path.resolve(file));
  }

  /** Document and file-watcher events. */
  listen(): void {
    const { documents, connection, service } = this.context;
    const allOpen = () => documents.all().map((d) => d.uri);
    documents.onDidOpen(safely(this.context, 'didOpen', (event: { document: TextDocument }) => this.prioritise(event.document.uri), undefined));
    documents.onDidChangeContent(
      safely(
        this.context,
        'didChange',
        (event: { document: TextDocument }) => {
          // Open documents are cheap to re-check (cached by chain signature) and may depend on a changed PolicyId.
          this.publisher.schedule([...service.openDocument(event.document.uri, event.document.getText()), ...allOpen()]);
        },
        undefined,
      ),
    );
    documents.onDidClose(
      safely(
        this.context,
        'didClose',
        (event: { document: TextDocument }) => {
          const uri = event.document.uri;
          this.publisher.schedule([...service.closeDocument(uri), ...this.readDisk(uri), ...allOpen()]);
        },
        undefined,
      ),
    );
    connection.onDidChangeWatchedFiles(
      safely(
        this.context,
        'didChangeWatchedFiles',
        (params: DidChangeWatchedFilesParams) => {
          const affected: string[] = [];
          for (const change of params.changes) {
            if (change.type === FileChangeType.Deleted) {
              affected.push(...service.deleteDiskFile(change.uri));
              this.publisher.setFileProblems(change.uri, []);
            } else affected.push(...this.readDisk(change.uri));
          }
          this.publisher.schedule([...affected, ...allOpen()]);
          this.filesChanged();
        },
        undefined,
      ),
    );
  }
}


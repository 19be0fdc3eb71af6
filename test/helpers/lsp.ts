import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { PROJECT_DIR } from './corpus';

const SERVER = path.join(PROJECT_DIR, 'dist', 'server.js');

/** A minimal LSP client over the real server's stdio (JSON-RPC), recording published diagnostics. */
export class LspClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters: Array<() => void> = [];
  readonly stderr: string[] = [];

  constructor(readonly process: ChildProcess, settings: Record<string, unknown>) {
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    process.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  /** Waits until the predicate holds over published diagnostics (on events, with an overall deadline). */
  async until<T>(predicate: () => T | undefined | false, what: string, ms = 15000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = predicate();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr.join('')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }
}

/** Starts the server; `workspaceCapabilities` are added to the client's (e.g. `codeLens: { refreshSupport: true }`). */
export async function start(workspaceDir: string, settings: Record<string, unknown> = {}, workspaceCapabilities: Record<string, unknown> = {}): Promise<LspClient> {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const client = new LspClient(child, { validateWorkspace: true, policyKeys: [], schemaPath: '', ...settings });
  await client.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(workspaceDir).href,
    workspaceFolders: [{ uri: pathToFileURL(workspaceDir).href, name: 'ws' }],
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, ...workspaceCapabilities } },
  });
  await client.connection.sendNotification('initialized', {});
  return client;
}

export async function stop(client: LspClient): Promise<void> {
  await client.connection.sendRequest('shutdown');
  await client.connection.sendNotification('exit');
  client.connection.dispose();
  client.process.kill();
}


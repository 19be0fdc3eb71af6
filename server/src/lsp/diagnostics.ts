import type { Diagnostic } from 'vscode-languageserver/node';
import type { ServerContext } from './context';

/** The quiet period after a change before diagnostics are published. */
export const DEBOUNCE_MS = 200;

/**
 * Publishes diagnostics, debounced: changes schedule the uris they affect, and after a quiet period each
 * scheduled uri is published once. Unchanged diagnostics are not sent again; diagnostics of files that
 * stopped being visible are cleared.
 */
export class DiagnosticsPublisher {
  private readonly pending = new Set<string>();
  /** Uris we published diagnostics for, with what we sent (to skip unchanged ones and clear stale ones). */
  private readonly published = new Map<string, string>();
  /** Extra diagnostics about files the service could not take (too large, unreadable), by uri. */
  private readonly fileProblems = new Map<string, Diagnostic[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly context: ServerContext) {}

  schedule(uris: Iterable<string>): void {
    for (const uri of uris) this.pending.add(uri);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  /** Sets (or clears, with an empty list) the diagnostics about a file that could not be read or checked. */
  setFileProblems(uri: string, diagnostics: Diagnostic[]): void {
    if (!diagnostics.length && !this.fileProblems.has(uri)) return;
    if (diagnostics.length) this.fileProblems.set(uri, diagnostics);
    else this.fileProblems.delete(uri);
    this.schedule([uri]);
  }

  /** Publishes everything scheduled now (also used by tests of the server through a short debounce). */
  flush(): void {
    this.timer = undefined;
    const uris = [...this.pending];
    this.pending.clear();
    for (const uri of uris) this.publish(uri);
  }

  private publish(uri: string): void {
    try {
      const { service } = this.context;
      const visible = service.isOpen(uri) || this.context.settings().validateWorkspace;
      const diagnostics = visible ? [...(this.fileProblems.get(uri) ?? []), ...service.diagnostics(uri)] : [];
      const key = JSON.stringify(diagnostics);
      if ((this.published.get(uri) ?? '[]') === key) return;
      if (diagnostics.length) this.published.set(uri, key);
      else this.published.delete(uri);
      void this.context.connection.sendDiagnostics({ uri, diagnostics });
    } catch (e) {
      this.context.log(`publish failed: ${(e as Error).stack ?? e}`);
    }
  }
}

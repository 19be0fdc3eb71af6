import type { Diagnostic } from 'vscode-languageserver/node';
import type { ServerContext } from './context';

/** The quiet period after a change before diagnostics are published. */
export const DEBOUNCE_MS = 200;

/** Longest stretch of background work (reading, checking) between two turns of the event loop. */
export const SLICE_MS = 15;

/**
 * Runs `work` on each item, a time slice at a time, yielding to the event loop between slices so that
 * requests and document changes are handled meanwhile. Stops early when `cancelled` says so; resolves to the
 * number of items done.
 */
export async function inTimeSlices<T>(items: Iterable<T>, work: (item: T) => void, afterSlice: (done: number) => void = () => undefined, cancelled: () => boolean = () => false): Promise<number> {
  let done = 0;
  let deadline = Date.now() + SLICE_MS;
  for (const item of items) {
    if (cancelled()) break;
    work(item);
    done++;
    if (Date.now() >= deadline) {
      afterSlice(done);
      await new Promise((resolve) => setImmediate(resolve));
      deadline = Date.now() + SLICE_MS;
    }
  }
  afterSlice(done);
  return done;
}

/**
 * Publishes diagnostics, debounced: changes schedule the uris they affect, and after a quiet period the open
 * documents among them are published at once and the other files in the background, a time slice at a time
 * (a change in a base of many files never blocks requests). Unchanged diagnostics are not sent again;
 * diagnostics of files that stopped being visible are cleared.
 */
export class DiagnosticsPublisher {
  private readonly pending = new Set<string>();
  /** Files waiting for the background publishing (insertion order). */
  private readonly background = new Set<string>();
  private publishing: Promise<void> | undefined;
  /** Uris we published diagnostics for, with what we sent (to skip unchanged ones and clear stale ones). */
  private readonly published = new Map<string, string>();
  /** Extra diagnostics about files the service could not take (too large, unreadable), by uri. */
  private readonly fileProblems = new Map<string, Diagnostic[]>();
  private timer: NodeJS.Timeout | undefined;
  /** Who follows the background publishing (start-up's progress notification), and how far it got. */
  private watcher: { progress: (done: number) => void; cancelled: () => boolean; done: number } | undefined;

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

  /** Publishes everything scheduled: open documents now, the other files in the background. */
  flush(): void {
    this.timer = undefined;
    const uris = [...this.pending];
    this.pending.clear();
    const open = uris.filter((u) => this.context.service.isOpen(u));
    this.publishNow(open);
    for (const uri of uris) if (!this.context.service.isOpen(uri)) this.background.add(uri);
    void this.publishInBackground();
  }

  /** Publishes these files' diagnostics now (open documents whose chain was just read). */
  publishNow(uris: Iterable<string>): void {
    for (const uri of uris) {
      this.background.delete(uri);
      this.publish(uri);
    }
  }

  /**
   * Publishes files in the background, a time slice at a time, after those already waiting; resolves when
   * none is left. `progress` hears how many of these were published; when `cancelled` says so, the files
   * still waiting are dropped (open documents are published again on their next change).
   */
  publishInBackground(uris: Iterable<string> = [], progress?: (done: number) => void, cancelled?: () => boolean): Promise<void> {
    for (const uri of uris) this.background.add(uri);
    if (progress || cancelled) this.watcher = { progress: progress ?? (() => undefined), cancelled: cancelled ?? (() => false), done: 0 };
    if (!this.publishing) {
      const waiting = this.background;
      const next = function* () {
        while (waiting.size) yield waiting.values().next().value as string;
      };
      const work = (uri: string) => {
        this.publishNow([uri]);
        if (this.watcher) this.watcher.done++;
      };
      const cancel = () => {
        if (!this.watcher?.cancelled()) return false;
        this.background.clear();
        return true;
      };
      this.publishing = inTimeSlices(next(), work, () => this.watcher?.progress(this.watcher.done), cancel)
        .then(() => undefined)
        .finally(() => {
          this.publishing = undefined;
          this.watcher = undefined;
        });
    }
    return this.publishing;
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

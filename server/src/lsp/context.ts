import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClientSettings } from '../protocol';
import type { PolicyLanguageService } from '../service/languageService';

/** What the handler modules share: the connection, the open documents, the service and the settings. */
export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: PolicyLanguageService;
  /** The current client settings (defaults until the client answers). */
  settings(): ClientSettings;
  log(message: string): void;
  /** What the client announced in `initialize` (set then). */
  clientCapabilities?: ClientCapabilities;
}

/**
 * Wraps a handler so that it never throws to the client: a failure is logged and the fallback returned
 * (DESIGN.md section 2: the server never throws to the client).
 */
export function safely<A extends unknown[], R>(context: Pick<ServerContext, 'log'>, name: string, fn: (...args: A) => R, fallback: R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (e) {
      context.log(`${name} failed: ${(e as Error).stack ?? e}`);
      return fallback;
    }
  };
}

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EnvironmentsChangedNotification, EnvironmentsRequest, type EnvironmentsRoot } from '../../../server/src/protocol';

/**
 * The policy roots and their environments as the language server knows them (from the appsettings.json files
 * of the workspace): asked once, then kept current by the server's change notification.
 */
export class EnvironmentsModel implements vscode.Disposable {
  private current: EnvironmentsRoot[] = [];
  private readonly changed = new vscode.EventEmitter<EnvironmentsRoot[]>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly client: LanguageClient) {
    this.subscription = client.onNotification(EnvironmentsChangedNotification, (result) => this.set(result.roots));
  }

  get roots(): EnvironmentsRoot[] {
    return this.current;
  }

  /** Asks the server (it answers once the workspace is indexed). */
  async refresh(): Promise<EnvironmentsRoot[]> {
    this.set((await this.client.sendRequest(EnvironmentsRequest, {})).roots);
    return this.current;
  }

  /** The root that governs a file: the nearest root folder containing it (an appsettings.json: its own folder). */
  rootOf(uri: vscode.Uri): EnvironmentsRoot | undefined {
    const text = uri.toString();
    return this.current.filter((r) => text.startsWith(r.rootUri + '/')).sort((a, b) => b.rootUri.length - a.rootUri.length)[0];
  }

  /** Whether a file lies in a root's output folder (a built copy). */
  isOutput(root: EnvironmentsRoot, uri: vscode.Uri): boolean {
    const relative = uri.toString().slice(root.rootUri.length + 1).toLowerCase();
    return relative.startsWith(root.environmentsFolder.toLowerCase() + '/');
  }

  private set(roots: EnvironmentsRoot[]): void {
    if (JSON.stringify(roots) === JSON.stringify(this.current)) return;
    this.current = roots;
    this.changed.fire(roots);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** A root's folder for people: relative to the workspace. */
export function rootLabel(root: EnvironmentsRoot): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(root.rootUri), true);
}

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, ConfigurationSection, type EnvironmentsRoot } from '../../../server/src/protocol';
import { BuildCommand, type BuildArguments } from './buildCommand';
import { EnvironmentsModel } from './model';
import { EnvironmentStatus, selectEnvironment } from './statusBar';

export type { BuildArguments, BuildOutcome } from './buildCommand';
export { activeEnvironment } from './statusBar';

/**
 * Environments in VS Code: "B2C: Build policies", build on save (b2cPolicy.buildOnSave), the status-bar item
 * with the active environment and "B2C: Select active environment". Returns what deploy needs: the roots.
 */
export function registerEnvironments(context: vscode.ExtensionContext, client: LanguageClient): { roots: () => Promise<EnvironmentsRoot[]> } {
  const model = new EnvironmentsModel(client);
  const status = new EnvironmentStatus(model);
  const output = vscode.window.createOutputChannel('B2C Policy Build');
  const build = new BuildCommand(client, model, output, (result) => status.buildFinished(result));
  const onSave = new BuildOnSave(model, build);
  context.subscriptions.push(
    model,
    status,
    output,
    model.onDidChange(() => status.update()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(`${ConfigurationSection}.activeEnvironment`) && status.update()),
    vscode.workspace.onDidSaveTextDocument((document) => onSave.saved(document)),
    vscode.commands.registerCommand(Commands.buildPolicies, (argument?: BuildArguments | vscode.Uri) => build.run(argument)),
    vscode.commands.registerCommand(Commands.selectEnvironment, async (name?: string) => {
      const chosen = await selectEnvironment(model, typeof name === 'string' ? name : undefined);
      status.update();
      return chosen;
    }),
  );
  void model.refresh().then(
    () => status.update(),
    () => undefined,
  );
  return { roots: () => model.refresh() };
}

/**
 * Builds the root of a saved policy file or appsettings.json when b2cPolicy.buildOnSave is on. Saves that arrive
 * while a root is building (Save All) give one more build after it, not one each.
 */
class BuildOnSave {
  private readonly running = new Map<string, { again: boolean }>();

  constructor(
    private readonly model: EnvironmentsModel,
    private readonly build: BuildCommand,
  ) {}

  saved(document: vscode.TextDocument): void {
    if (!vscode.workspace.getConfiguration(ConfigurationSection, document.uri).get<boolean>('buildOnSave', false)) return;
    const name = document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1).toLowerCase();
    if (document.languageId !== 'xml' && name !== 'appsettings.json') return;
    const root = this.model.rootOf(document.uri);
    if (!root || this.model.isOutput(root, document.uri)) return;
    void this.run(root.rootUri);
  }

  private async run(rootUri: string): Promise<void> {
    const running = this.running.get(rootUri);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.running.set(rootUri, state);
    try {
      do {
        state.again = false;
        await this.build.build({ root: rootUri }, false);
      } while (state.again);
    } catch {
      // The server reported it in its output; a save never fails because of the build.
    } finally {
      this.running.delete(rootUri);
    }
  }
}

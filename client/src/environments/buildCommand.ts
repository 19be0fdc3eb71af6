import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BuildRequest, type BuildResult, type EnvironmentsRoot, type OrError } from '../../../server/src/protocol';
import { rootLabel, type EnvironmentsModel } from './model';

/** Arguments for scripted use; without them the command asks. */
export interface BuildArguments {
  /** The root to build (a root folder URI; default: the only root, else asked). */
  root?: string;
  /** Environments to build; all when empty. */
  environments?: string[];
  /** Remove development-only settings from production environments instead of refusing them. */
  stripDevelopmentSettings?: boolean;
}

/** What the command resolves to: the server's build result, or why nothing was built. */
export type BuildOutcome = OrError<BuildResult> | { cancelled: true };

/**
 * "B2C: Build policies": all environments or one, of one root (the server writes the folders with
 * node/build.ts); problems go to the "B2C Policy Build" output, one line each.
 */
export class BuildCommand {
  constructor(
    private readonly client: LanguageClient,
    private readonly model: EnvironmentsModel,
    private readonly output: vscode.OutputChannel,
    private readonly onBuilt: (result: OrError<BuildResult>) => void,
  ) {}

  async run(argument?: BuildArguments | vscode.Uri): Promise<BuildOutcome> {
    const roots = await this.model.refresh();
    const scripted = argument !== undefined && !(argument instanceof vscode.Uri);
    let args: BuildArguments = argument instanceof vscode.Uri ? { root: this.model.rootOf(argument)?.rootUri } : argument ?? {};
    if (roots.length === 0) return this.fail('No appsettings.json with "Environments" in the workspace: nothing to build.');
    if (!scripted) {
      const picked = await this.pick(roots, args.root);
      if (!picked) return { cancelled: true };
      args = { ...args, ...picked };
      if (!(await this.saveFirst(roots.find((r) => r.rootUri === args.root)))) return { cancelled: true };
    }
    return this.build(args, true);
  }

  /** Builds without asking (build on save): messages only for failures. */
  async build(args: BuildArguments, announce: boolean): Promise<OrError<BuildResult>> {
    const result = await this.client.sendRequest(BuildRequest, { rootUri: args.root, environments: args.environments, stripDevelopmentSettings: args.stripDevelopmentSettings });
    this.report(result, announce);
    this.onBuilt(result);
    return result;
  }

  private fail(message: string): { error: string } {
    this.output.appendLine(message);
    void vscode.window.showErrorMessage(message);
    return { error: message };
  }

  private async pick(roots: EnvironmentsRoot[], root: string | undefined): Promise<{ root: string; environments: string[] } | undefined> {
    const active = vscode.workspace.getConfiguration('b2cPolicy').get<string>('activeEnvironment', '');
    const candidates = root ? roots.filter((r) => r.rootUri === root) : roots;
    const items: Array<vscode.QuickPickItem & { root?: string; environments?: string[] }> = [];
    for (const r of candidates) {
      if (candidates.length > 1) items.push({ label: rootLabel(r), kind: vscode.QuickPickItemKind.Separator });
      items.push({ label: '$(layers) All environments', description: r.environments.map((e) => e.name).join(', '), root: r.rootUri, environments: [] });
      for (const e of r.environments) {
        items.push({ label: `$(server-environment) ${e.name}`, description: [e.tenant, e.production ? 'production' : '', e.name === active ? 'active' : ''].filter(Boolean).join(' · '), root: r.rootUri, environments: [e.name] });
      }
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'B2C: Build policies', placeHolder: 'Build all environments or one (into the EnvironmentsFolder of appsettings.json)' });
    return picked?.root ? { root: picked.root, environments: picked.environments ?? [] } : undefined;
  }

  /** The build reads the files on disk: unsaved changes below the root are saved first, or left out when the user says so. */
  private async saveFirst(root: EnvironmentsRoot | undefined): Promise<boolean> {
    if (!root) return true;
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.toString().startsWith(root.rootUri + '/'));
    if (dirty.length === 0) return true;
    const choice = await vscode.window.showWarningMessage(
      `${dirty.length} file(s) below ${rootLabel(root)} have unsaved changes; the build reads the files on disk.`,
      { modal: true },
      'Save and build',
      'Build saved files',
    );
    if (choice === 'Save and build') return (await Promise.all(dirty.map((d) => d.save()))).every(Boolean);
    return choice === 'Build saved files';
  }

  private report(result: OrError<BuildResult>, announce: boolean): void {
    if ('error' in result) {
      this.output.appendLine(`Build failed: ${result.error}`);
      void vscode.window.showErrorMessage(`B2C build: ${result.error}`);
      return;
    }
    const parts: string[] = [];
    let failed = false;
    for (const root of result.roots) {
      const where = vscode.workspace.asRelativePath(vscode.Uri.parse(root.rootUri), true);
      for (const p of root.problems) {
        const at = vscode.workspace.asRelativePath(vscode.Uri.parse(p.uri), true);
        this.output.appendLine(`${at}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity} ${p.code}: ${p.message}`);
      }
      if (root.error) {
        failed = true;
        parts.push(`${where}: ${root.error}`);
        continue;
      }
      if (root.unknownEnvironments.length) {
        failed = true;
        parts.push(`${where}: no environment ${root.unknownEnvironments.join(', ')}`);
      }
      if (root.built.length) parts.push(`built ${root.built.map((b) => `${b.environment} (${b.files} files)`).join(', ')}`);
      if (root.failed.length) {
        failed = true;
        parts.push(`not built: ${root.failed.map((f) => `${f.environment} (${f.errors} error${f.errors === 1 ? '' : 's'})`).join(', ')}`);
      }
    }
    const summary = `B2C build: ${parts.join('; ')}.`;
    this.output.appendLine(summary);
    if (failed) {
      void vscode.window.showWarningMessage(summary, 'Show output').then((c) => c && this.output.show(true));
    } else if (announce) {
      void vscode.window.showInformationMessage(summary);
    } else {
      vscode.window.setStatusBarMessage(summary, 5000);
    }
  }
}

import * as vscode from 'vscode';
import { Commands, ConfigurationSection, type BuildResult, type EnvironmentsRoot, type OrError } from '../../../server/src/protocol';
import type { EnvironmentsModel } from './model';

export const ACTIVE_ENVIRONMENT = 'activeEnvironment';

/** The active environment (b2cPolicy.activeEnvironment), or '' for none. */
export function activeEnvironment(scope?: vscode.Uri): string {
  return vscode.workspace.getConfiguration(ConfigurationSection, scope).get<string>(ACTIVE_ENVIRONMENT, '').trim();
}

/**
 * The status-bar item: the active environment (shown while the workspace has a policy root); a click picks
 * another. A failed build (on save) shows as a warning on it until the next good one.
 */
export class EnvironmentStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('b2cPolicy.environment', vscode.StatusBarAlignment.Left, 10);
  private lastBuild: string | undefined;
  private lastBuildFailed = false;

  constructor(private readonly model: EnvironmentsModel) {
    this.item.name = 'B2C environment';
    this.item.command = Commands.selectEnvironment;
    this.update();
  }

  buildFinished(result: OrError<BuildResult>): void {
    if ('error' in result) {
      this.lastBuildFailed = true;
      this.lastBuild = result.error;
    } else {
      this.lastBuildFailed = result.roots.some((r) => r.error || r.failed.length || r.unknownEnvironments.length);
      this.lastBuild = result.roots
        .map((r) => [...r.built.map((b) => `${b.environment} built`), ...r.failed.map((f) => `${f.environment} not built (${f.errors} errors)`), ...(r.error ? [r.error] : [])].join(', '))
        .join('; ');
    }
    this.update();
  }

  update(): void {
    const roots = this.model.roots;
    if (roots.length === 0) {
      this.item.hide();
      return;
    }
    const name = activeEnvironment();
    const known = !name || roots.some((r) => r.environments.some((e) => e.name.toLowerCase() === name.toLowerCase()));
    const icon = this.lastBuildFailed || !known ? '$(warning)' : '$(server-environment)';
    this.item.text = `${icon} B2C: ${name || 'no environment'}`;
    const lines = [
      name ? `Active B2C environment: ${name}${known ? '' : ' (not in any appsettings.json)'}` : 'No active B2C environment',
      ...roots.map((r) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(r.rootUri), true)}: ${r.environments.map(describe).join(', ')}`),
      ...(this.lastBuild ? [`Last build: ${this.lastBuild}`] : []),
      'Click to choose the active environment',
    ];
    this.item.tooltip = lines.join('\n');
    this.item.show();
  }

  /** The text shown (for tests and the status bar). */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}

function describe(e: EnvironmentsRoot['environments'][number]): string {
  return `${e.name}${e.production ? ' (production)' : ''}`;
}

/** "B2C: Select active environment": a pick of the environments of every root, or a name given by a script. */
export async function selectEnvironment(model: EnvironmentsModel, name?: string): Promise<string | undefined> {
  const roots = await model.refresh();
  let chosen = name;
  if (chosen === undefined) {
    const names = new Map<string, { tenants: Set<string>; production: boolean }>();
    for (const r of roots)
      for (const e of r.environments) {
        const entry = names.get(e.name) ?? { tenants: new Set<string>(), production: false };
        if (e.tenant) entry.tenants.add(e.tenant);
        entry.production ||= e.production;
        names.set(e.name, entry);
      }
    const current = activeEnvironment();
    const items = [
      ...[...names].map(([n, e]) => ({ label: n, description: [...e.tenants].join(', ') + (e.production ? ' · production' : ''), picked: n === current })),
      { label: '$(close) None', description: 'no active environment', picked: false },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'B2C: Active environment', placeHolder: 'Shown in the status bar and offered first when deploying' });
    if (!pick) return undefined;
    chosen = pick.label.startsWith('$(close)') ? '' : pick.label;
  }
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(ConfigurationSection).update(ACTIVE_ENVIRONMENT, chosen || undefined, target);
  return chosen;
}

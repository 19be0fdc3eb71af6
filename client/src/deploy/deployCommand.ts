import * as vscode from 'vscode';
import { BuildIoError, resolveFolderEnvironment } from '../../../server/src/node/build';
import { ConfigurationSection, DiagnosticCodes, DIAGNOSTIC_SOURCE, type EnvironmentsRoot } from '../../../server/src/protocol';
import { cloudByName, CLOUDS, EndpointError, resolveEndpoints, tenantCloudMismatch, vscodeSignInRequest, type Endpoints } from '../../../server/src/deploy/clouds';
import { DEFAULT_CONCURRENCY, executePlan, type DeployFileResult } from '../../../server/src/deploy/deployer';
import { globalFetch, GraphClient, readableError, type TokenProvider } from '../../../server/src/deploy/graphClient';
import { buildPlan, PlanError, type DeployInput, type FileFindings } from '../../../server/src/deploy/plan';
import { parseState, previousHashes, recordDeploy, serializeState, STATE_FILE, STATE_FOLDER, STATE_FOLDER_GITIGNORE, targetKey } from '../../../server/src/deploy/state';
import { mapResolvedSpanToSource, type PositionMap } from '../../../server/src/service/environments';
import type { Finding } from '../../../server/src/service/findings';
import type { PolicyFile } from '../../../server/src/service/policy/model';
import { LineIndex } from '../../../server/src/service/xml/lines';
import type { Span } from '../../../server/src/service/xml/nodes';

/** Arguments for scripted use (tests, tasks, keybindings); without them the command asks. */
export interface DeployArguments {
  /** The folder whose policies are deployed (a URI string). */
  folder?: string;
  /**
   * Or an environment of appsettings.json, resolved in memory as `b2c-policy build` would write it (like the
   * CLI's `deploy --env`); the service's findings are shown on the source files.
   */
  environment?: string;
  /** The policy root of `environment` (a folder URI); needed only when several roots have that environment. */
  root?: string;
  /** Only these files (names, paths or PolicyIds). */
  only?: string[];
  changed?: boolean;
  dryRun?: boolean;
  /** Deploy although the policies have errors. */
  force?: boolean;
  /** Ask before uploading (default true). */
  confirm?: boolean;
}

export interface DeployOutcome {
  outcome: 'deployed' | 'failed' | 'refused' | 'dry-run' | 'nothing-to-do' | 'cancelled';
  results: Array<{ uri: string; path: string; policyId: string; status: DeployFileResult['status']; reason?: string }>;
  message: string;
  /** The lines this run wrote to the "B2C Policy Deploy" output (never a token). */
  log: string[];
}

export interface DeployDependencies {
  /** The language server's error count per file; default: the b2c-policy errors shown in the Problems panel. */
  errorsOf?: (uri: vscode.Uri) => Promise<vscode.Diagnostic[]> | vscode.Diagnostic[];
  /** The policy roots and their environments (from the language server); without it only folders are offered. */
  environments?: () => Promise<EnvironmentsRoot[]>;
}

/** The texts to upload and where their findings are shown. */
interface InputSet {
  files: DeployInput[];
  /** The file a result is about (for an environment, its source). */
  uriOf(path: string): vscode.Uri | undefined;
  /** Where a span of an uploaded text is shown: the file and range (for an environment, mapped to the source). */
  locate(path: string, file: PolicyFile, span: Span): { uri: vscode.Uri; range: vscode.Range } | undefined;
  /** The environment deployed, if any (the errors counted are those of this environment). */
  environment?: string;
  /** The environment's own tenant (appsettings.json `Tenant`), the default target. */
  tenant?: string;
}

type Target = { kind: 'folder'; folder: vscode.Uri } | { kind: 'environment'; root: EnvironmentsRoot; environment: string };

interface DeploySettings {
  tenant: string;
  cloud: string;
  graphEndpoint: string;
  clientId: string;
  authenticationProvider: string;
  concurrency: number;
}

/**
 * The deploy settings. Where the token goes (graphEndpoint) and who hands it out (authenticationProvider) are
 * read from the user's settings only: a workspace (a cloned repository) must not redirect a bearer token.
 */
function readSettings(scope: vscode.Uri, ignored: (name: string) => void): DeploySettings {
  const c = vscode.workspace.getConfiguration(`${ConfigurationSection}.deploy`, scope);
  const userOnly = (name: string): string => {
    const i = c.inspect<string>(name);
    if (i && (i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined)) ignored(`${ConfigurationSection}.deploy.${name}`);
    return (i?.globalValue ?? i?.defaultValue ?? '').trim();
  };
  return {
    tenant: c.get<string>('tenant', '').trim(),
    cloud: c.get<string>('cloud', 'global'),
    graphEndpoint: userOnly('graphEndpoint'),
    clientId: c.get<string>('clientId', '').trim(),
    authenticationProvider: userOnly('authenticationProvider'),
    concurrency: c.get<number>('concurrency', DEFAULT_CONCURRENCY),
  };
}

const isMicrosoftProvider = (id: string) => id === 'microsoft' || id === 'microsoft-sovereign-cloud';

/** "B2C: Deploy policies": the deploy engine in the extension host; the token stays in memory. */
export class DeployCommand {
  constructor(
    private readonly diagnostics: vscode.DiagnosticCollection,
    private readonly output: vscode.OutputChannel,
    private readonly deps: DeployDependencies = {},
  ) {}

  /** The lines of the current run (the output channel keeps every run's). */
  private lines: string[] = [];

  async run(argument?: DeployArguments | vscode.Uri): Promise<DeployOutcome> {
    const args: DeployArguments = argument instanceof vscode.Uri ? { folder: argument.toString() } : argument ?? {};
    this.lines = [];
    try {
      return await this.deploy(args);
    } catch (e) {
      const message = `Deploy failed: ${readableError(e)}`;
      this.say(message);
      void vscode.window.showErrorMessage(message);
      return { outcome: 'failed', results: [], message, log: this.lines };
    }
  }

  private say(line: string): void {
    this.lines.push(line);
    this.output.appendLine(line);
  }

  private async deploy(args: DeployArguments): Promise<DeployOutcome> {
    const target = await this.target(args);
    if (typeof target === 'string') return this.finish('refused', [], target, true);
    if (!target) return this.finish('cancelled', [], 'No folder or environment chosen.');
    const folder = target.kind === 'folder' ? target.folder : vscode.Uri.parse(target.root.rootUri);
    const workspaceFolder = vscode.workspace.getWorkspaceFolder(folder);
    const settings = readSettings(folder, (name) => this.say(`${name} is only read from user settings; the workspace value is ignored.`));
    const inputs = target.kind === 'folder' ? await this.readPolicies(folder) : await this.resolveEnvironment(target.root, target.environment, args.confirm !== false);
    if (typeof inputs === 'string') return this.finish('refused', [], inputs, true);
    if (!inputs) return this.finish('cancelled', [], 'Deploy cancelled.');
    if (inputs.files.length === 0) return this.finish('refused', [], `No policy files in ${target.kind === 'folder' ? vscode.workspace.asRelativePath(folder) : `environment ${target.environment}`}.`, true);

    const cloud = cloudByName(settings.cloud);
    if (!cloud) return this.finish('refused', [], `Unknown cloud '${settings.cloud}' in b2cPolicy.deploy.cloud (${Object.keys(CLOUDS).join(', ')}).`, true);
    let endpoints: Endpoints;
    try {
      endpoints = resolveEndpoints(cloud, { graphEndpoint: settings.graphEndpoint || undefined });
    } catch (e) {
      if (e instanceof EndpointError) return this.finish('refused', [], `b2cPolicy.deploy.graphEndpoint: ${e.message}`, true);
      throw e;
    }
    const tenant = inputs.tenant || settings.tenant || (await this.askTenant(inputs.files));
    if (!tenant) return this.finish('cancelled', [], 'No tenant given.');
    const mismatch = tenantCloudMismatch(tenant, cloud);
    if (mismatch) return this.finish('refused', [], mismatch.replace('--cloud china', 'the setting'), true);

    // Refuse policies with errors (what the Problems panel shows for them), unless forced.
    this.diagnostics.clear();
    const errorCount = await this.countErrors([...new Set(inputs.files.map((f) => inputs.uriOf(f.path)).filter((u): u is vscode.Uri => !!u))], inputs.environment);
    if (errorCount > 0 && !args.force) {
      const choice = args.confirm === false ? undefined : await vscode.window.showWarningMessage(`The policies to deploy have ${errorCount} error(s). Deploy anyway?`, { modal: true }, 'Deploy anyway');
      if (choice !== 'Deploy anyway') return this.finish('refused', [], `Refused: the policies have ${errorCount} error(s) (see Problems).`, args.confirm === false);
    }

    const stateUri = workspaceFolder ? vscode.Uri.joinPath(workspaceFolder.uri, STATE_FOLDER, STATE_FILE) : undefined;
    const stateText = stateUri ? await readText(stateUri) : undefined;
    const { state } = parseState(stateText);
    const deployTarget = targetKey(endpoints.graphEndpoint, tenant);
    let plan;
    try {
      const templateTokens = vscode.workspace.getConfiguration(ConfigurationSection, folder).get<string[]>('templateTokens');
      plan = buildPlan(inputs.files, { targetTenant: tenant, only: args.only, previousHashes: args.changed ? previousHashes(state, deployTarget) : undefined, templateTokens: validPatterns(templateTokens) });
    } catch (e) {
      if (e instanceof PlanError) return this.finish('refused', [], e.message, true);
      throw e;
    }
    if (plan.refusals.length) {
      this.publish(plan.refusals, inputs);
      const count = plan.refusals.reduce((n, r) => n + r.findings.length, 0);
      return this.finish('refused', [], `Deploy refused: ${count} problem(s) in ${plan.refusals.length} file(s), nothing was uploaded (see Problems).`, true);
    }
    const count = plan.levels.reduce((n, l) => n + l.length, 0);
    this.say(`Plan: ${count} policies in ${plan.levels.length} level(s) to ${tenant} (${cloud.label})${endpoints.graphEndpoint !== cloud.graphRoot ? ` via ${endpoints.graphEndpoint}` : ''}`);
    plan.levels.forEach((level, i) => this.say(`  level ${i + 1}: ${level.map((p) => p.policyId).join(', ')}`));
    for (const b of plan.assumedBases) this.say(`  assumed in the tenant: ${b.policyId} (${b.reason})`);
    if (plan.unchanged.length) this.say(`  unchanged, not uploaded: ${plan.unchanged.map((p) => p.policyId).join(', ')}`);
    if (args.dryRun) {
      this.output.show(true);
      return this.finish('dry-run', [], `Dry run: ${count} policies in ${plan.levels.length} level(s); see the output.`);
    }
    if (count === 0) return this.finish('nothing-to-do', [], 'Nothing to deploy: every policy is unchanged since its last deploy.');
    if (args.confirm !== false) {
      const go = await vscode.window.showInformationMessage(`Deploy ${count} ${count === 1 ? 'policy' : 'policies'} to ${tenant} (${cloud.label})?`, { modal: true }, 'Deploy');
      if (go !== 'Deploy') return this.finish('cancelled', [], 'Deploy cancelled.');
    }

    const signIn = vscodeSignInRequest(cloud, tenant, settings.clientId || undefined, settings.authenticationProvider || undefined);
    if (isMicrosoftProvider(signIn.providerId) && !settings.clientId) {
      void vscode.window
        .showErrorMessage('Deploying needs an app registration of your own: set b2cPolicy.deploy.clientId (a public client with the delegated permission Policy.ReadWrite.TrustFramework).', 'Open Settings')
        .then((c) => c && vscode.commands.executeCommand('workbench.action.openSettings', `${ConfigurationSection}.deploy.clientId`));
      return this.finish('refused', [], 'b2cPolicy.deploy.clientId is not set.');
    }
    if (signIn.providerId === 'microsoft-sovereign-cloud' && cloud.vscodeSovereignEnvironment) {
      const current = vscode.workspace.getConfiguration('microsoft-sovereign-cloud').get<string>('environment');
      if (current !== cloud.vscodeSovereignEnvironment) {
        return this.finish('refused', [], `Signing in to ${cloud.label} needs the setting microsoft-sovereign-cloud.environment = "${cloud.vscodeSovereignEnvironment}" (now "${current ?? ''}").`, true);
      }
    }
    const getToken = sessionTokenProvider(signIn.providerId, signIn.scopes);
    await getToken({});

    const client = new GraphClient({
      endpoint: endpoints.graphEndpoint,
      getToken,
      fetch: globalFetch,
      onRetry: (r) => this.say(`  retrying ${r.method} ${decodeURIComponent(r.path)} in ${(r.delayMs / 1000).toFixed(1)} s (${r.reason})`),
    });
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deploying to ${tenant}` }, async (progress) => {
      return executePlan(plan, {
        client,
        concurrency: Math.max(1, Math.min(16, settings.concurrency || DEFAULT_CONCURRENCY)),
        onEvent: (event) => {
          if (event.type !== 'done') return;
          const r = event.result;
          this.say(`  ${r.status.padEnd(8)} ${r.policyId}  ${r.path}${r.reason ? `  (${r.reason})` : ''}`);
          progress.report({ message: `${r.policyId}: ${r.status}`, increment: 100 / count });
        },
      });
    });
    if (stateUri && workspaceFolder) await writeState(workspaceFolder.uri, serializeState(recordDeploy(state, deployTarget, report.results, new Date())));
    for (const note of report.notes) this.say(`note: ${note}`);
    this.publish(report.results.filter((r) => r.findings.length), inputs);
    const results = report.results.map((r) => ({ uri: inputs.uriOf(r.path)?.toString() ?? '', path: r.path, policyId: r.policyId, status: r.status, ...(r.reason ? { reason: r.reason } : {}) }));
    const counts = { created: 0, updated: 0, failed: 0, skipped: 0 };
    for (const r of report.results) counts[r.status]++;
    const summary = `Deployed ${counts.created + counts.updated} of ${report.results.length} policies to ${tenant}: ${counts.created} created, ${counts.updated} updated, ${counts.failed} failed, ${counts.skipped} skipped.`;
    this.say(summary);
    if (counts.failed + counts.skipped) {
      this.output.show(true);
      void vscode.window.showErrorMessage(`${summary} See Problems.`);
      return { outcome: 'failed', results, message: summary, log: this.lines };
    }
    void vscode.window.showInformationMessage(summary);
    return { outcome: 'deployed', results, message: summary, log: this.lines };
  }

  private finish(outcome: DeployOutcome['outcome'], results: DeployOutcome['results'], message: string, error = false): DeployOutcome {
    this.say(message);
    if (error) void vscode.window.showErrorMessage(message);
    return { outcome, results, message, log: this.lines };
  }

  private publish(reported: Array<FileFindings | DeployFileResult>, inputs: InputSet): void {
    const byUri = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const r of reported) {
      for (const f of r.findings) {
        const at = inputs.locate(r.path, r.file, f.span);
        if (!at) continue;
        const entry = byUri.get(at.uri.toString()) ?? { uri: at.uri, diagnostics: [] };
        entry.diagnostics.push(toVscodeDiagnostic(at.range, f, inputs.environment));
        byUri.set(at.uri.toString(), entry);
      }
    }
    for (const { uri, diagnostics } of byUri.values()) this.diagnostics.set(uri, diagnostics);
  }

  private async countErrors(uris: vscode.Uri[], environment?: string): Promise<number> {
    let n = 0;
    for (const uri of uris) {
      const diagnostics = this.deps.errorsOf ? await this.deps.errorsOf(uri) : vscode.languages.getDiagnostics(uri);
      n += diagnostics.filter((d) => {
        const code = String(typeof d.code === 'object' ? d.code.value : d.code);
        // A finding of other environments' resolved copies (data.environments) does not stop this one.
        const environments = (d as { data?: { environments?: unknown } }).data?.environments;
        if (environment && Array.isArray(environments) && !environments.some((e) => String(e).toLowerCase() === environment.toLowerCase())) return false;
        // The deploy looks bases up in the tenant itself; its own findings are not the language server's.
        return d.source === DIAGNOSTIC_SOURCE && d.severity === vscode.DiagnosticSeverity.Error && code !== DiagnosticCodes.unresolvedBasePolicy && !code.startsWith('deploy-');
      }).length;
    }
    return n;
  }

  /** What to deploy: the arguments', else a pick of the environments (the active one first) and the folders. */
  private async target(args: DeployArguments): Promise<Target | string | undefined> {
    if (args.folder) return { kind: 'folder', folder: vscode.Uri.parse(args.folder) };
    const roots = this.deps.environments ? await this.deps.environments() : [];
    if (args.environment) {
      const name = args.environment.toLowerCase();
      const matching = roots.filter((r) => (!args.root || r.rootUri === args.root.replace(/\/$/, '')) && r.environments.some((e) => e.name.toLowerCase() === name));
      if (matching.length === 0) return `No environment '${args.environment}' in the appsettings.json files of the workspace.`;
      if (matching.length > 1) return `Several policy roots have an environment '${args.environment}': give the root too.`;
      return { kind: 'environment', root: matching[0], environment: matching[0].environments.find((e) => e.name.toLowerCase() === name)!.name };
    }
    return this.pickTarget(roots);
  }

  /**
   * An environment resolved in memory from the files on disk (what `b2c-policy build` writes, without writing
   * it): refused when it does not build (its errors are shown on the source files).
   */
  private async resolveEnvironment(root: EnvironmentsRoot, environment: string, interactive: boolean): Promise<InputSet | string | undefined> {
    const rootUri = vscode.Uri.parse(root.rootUri);
    if (rootUri.scheme !== 'file') return 'Environments can be deployed from folders on disk only.';
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.toString().startsWith(root.rootUri + '/'));
    if (dirty.length) {
      if (!interactive) return `Refused: ${dirty.length} file(s) below ${vscode.workspace.asRelativePath(rootUri)} have unsaved changes (the environment is resolved from the files on disk).`;
      const save = await vscode.window.showWarningMessage(`${dirty.length} file(s) have unsaved changes; the environment is resolved from the files on disk.`, { modal: true }, 'Save and continue');
      if (save !== 'Save and continue' || !(await Promise.all(dirty.map((d) => d.save()))).every(Boolean)) return undefined;
    }
    let resolved;
    try {
      resolved = resolveFolderEnvironment(rootUri.fsPath, environment).resolved;
    } catch (e) {
      if (e instanceof BuildIoError) return `Environment ${environment}: ${e.message}`;
      throw e;
    }
    const sourceOf = new Map<string, { uri: vscode.Uri; map: PositionMap; lines: LineIndex }>();
    for (const f of resolved.files) sourceOf.set(f.relativePath, { uri: vscode.Uri.joinPath(rootUri, ...f.relativePath.split('/')), map: f.map, lines: new LineIndex(f.source.text) });
    const errors = resolved.problems.filter((p) => p.severity === 'error');
    if (errors.length) {
      const byUri = new Map<string, vscode.Diagnostic[]>();
      for (const p of errors) {
        const uri = vscode.Uri.joinPath(rootUri, ...p.file.split('/')).toString();
        const d = new vscode.Diagnostic(new vscode.Range(p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character), p.message, vscode.DiagnosticSeverity.Error);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = p.code;
        byUri.set(uri, [...(byUri.get(uri) ?? []), d]);
      }
      for (const [uri, diagnostics] of byUri) this.diagnostics.set(vscode.Uri.parse(uri), diagnostics);
      return `Deploy refused: environment ${environment} does not build (${errors.length} error${errors.length === 1 ? '' : 's'}, see Problems); nothing was uploaded.`;
    }
    // Shown as the source's path in the workspace (the root may be the workspace folder itself).
    const workspaceFolder = vscode.workspace.getWorkspaceFolder(rootUri);
    const prefix = workspaceFolder ? rootUri.path.slice(workspaceFolder.uri.path.length).replace(/^\//, '') : rootUri.fsPath;
    const files = resolved.files.filter((f) => f.isPolicy).map((f) => ({ path: prefix ? `${prefix}/${f.relativePath}` : f.relativePath, text: f.text, relativePath: f.relativePath }));
    const relativeOf = new Map(files.map((f) => [f.path, f.relativePath]));
    return {
      files: files.map(({ path: p, text }) => ({ path: p, text })),
      environment,
      tenant: root.environments.find((e) => e.name === environment)?.tenant,
      uriOf: (p) => sourceOf.get(relativeOf.get(p) ?? '')?.uri,
      locate: (p, _file, span) => {
        const source = sourceOf.get(relativeOf.get(p) ?? '');
        if (!source) return undefined;
        const range = source.lines.rangeOf(mapResolvedSpanToSource(source.map, span));
        return { uri: source.uri, range: new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character) };
      },
    };
  }

  private async readPolicies(folder: vscode.Uri): Promise<InputSet> {
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.xml'), '**/node_modules/**');
    found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const files: DeployInput[] = [];
    const uris = new Map<string, vscode.Uri>();
    for (const uri of found) {
      const text = await readText(uri);
      if (text === undefined || !/<(\w+:)?TrustFrameworkPolicy\b/.test(text)) continue;
      const path = vscode.workspace.asRelativePath(uri, false);
      files.push({ path, text });
      uris.set(path, uri);
    }
    return {
      files,
      uriOf: (p) => uris.get(p),
      locate: (p, file, span) => {
        const uri = uris.get(p);
        if (!uri) return undefined;
        const start = file.lines.positionAt(span.start);
        const end = file.lines.positionAt(span.end);
        return { uri, range: new vscode.Range(start.line, start.character, end.line, end.character) };
      },
    };
  }

  /**
   * The environments of appsettings.json (the active one first), then the folders holding policy files (the
   * folder of the active editor first; built environment folders among them).
   */
  private async pickTarget(roots: EnvironmentsRoot[]): Promise<Target | undefined> {
    const found = await vscode.workspace.findFiles('**/*.xml', '**/node_modules/**', 2000);
    const folders = new Map<string, vscode.Uri>();
    for (const uri of found) {
      const folder = vscode.Uri.joinPath(uri, '..');
      if (folders.has(folder.toString())) continue;
      const text = await readText(uri);
      if (text && /<(\w+:)?TrustFrameworkPolicy\b/.test(text)) folders.set(folder.toString(), folder);
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const folderItems = [...folders.values()]
      .map((f) => ({ label: `$(folder) ${vscode.workspace.asRelativePath(f, true)}`, target: { kind: 'folder', folder: f } as Target, sortKey: vscode.workspace.asRelativePath(f, true), uri: f }))
      .sort((a, b) => Number(!!active && active.toString().startsWith(b.uri.toString() + '/')) - Number(!!active && active.toString().startsWith(a.uri.toString() + '/')) || a.sortKey.localeCompare(b.sortKey));
    const activeName = vscode.workspace.getConfiguration(ConfigurationSection).get<string>('activeEnvironment', '').trim().toLowerCase();
    const environmentItems = roots
      .flatMap((root) =>
        root.environments.map((e) => ({
          label: `$(server-environment) ${e.name}`,
          description: [e.tenant, e.production ? 'production' : '', roots.length > 1 ? vscode.workspace.asRelativePath(vscode.Uri.parse(root.rootUri), true) : '', e.name.toLowerCase() === activeName ? 'active' : ''].filter(Boolean).join(' · '),
          detail: 'resolved from appsettings.json in memory, as B2C: Build policies would write it',
          target: { kind: 'environment', root, environment: e.name } as Target,
          isActive: e.name.toLowerCase() === activeName,
        })),
      )
      .sort((a, b) => Number(b.isActive) - Number(a.isActive));
    if (folderItems.length === 0 && environmentItems.length === 0) {
      void vscode.window.showErrorMessage('No folder with policy files in the workspace.');
      return undefined;
    }
    const items: Array<vscode.QuickPickItem & { target?: Target }> = [
      ...(environmentItems.length ? [{ label: 'Environments', kind: vscode.QuickPickItemKind.Separator }, ...environmentItems] : []),
      ...(folderItems.length ? [{ label: 'Folders', kind: vscode.QuickPickItemKind.Separator }, ...folderItems] : []),
    ];
    const picked = await vscode.window.showQuickPick(items, { placeHolder: 'An environment of appsettings.json, or a folder of policies (for example a built environment)' });
    return picked?.target;
  }

  private async askTenant(files: DeployInput[]): Promise<string | undefined> {
    const stated = [...new Set(files.map((f) => /\bTenantId\s*=\s*"([^"]+)"/.exec(f.text)?.[1]).filter((t): t is string => !!t))];
    return vscode.window.showInputBox({
      title: 'B2C tenant to deploy to',
      prompt: 'The tenant domain (for example contoso.onmicrosoft.com); set b2cPolicy.deploy.tenant to skip this question',
      value: stated.length === 1 ? stated[0] : '',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A tenant is needed'),
    });
  }
}

/**
 * Tokens from VS Code's authentication: the session's token; on a rejection (401) the session again (VS Code
 * may have refreshed it), and if that is the same token, a new sign-in. Asked once even when several uploads
 * were rejected at the same time.
 */
function sessionTokenProvider(providerId: string, scopes: string[]): TokenProvider {
  let current: string | undefined;
  let pending: Promise<string> | undefined;
  const renew = (rejected: string | undefined) =>
    (pending ??= (async () => {
      try {
        let session = rejected === undefined ? await vscode.authentication.getSession(providerId, scopes, { createIfNone: true }) : await vscode.authentication.getSession(providerId, scopes, { silent: true });
        if (!session || session.accessToken === rejected) {
          session = await vscode.authentication.getSession(providerId, scopes, { forceNewSession: { detail: 'Microsoft Graph rejected the sign-in; sign in again to go on deploying.' } });
        }
        current = session.accessToken;
        return current;
      } finally {
        pending = undefined;
      }
    })());
  return async ({ rejected }) => {
    if (rejected !== undefined && rejected === current) return renew(rejected);
    return current ?? pending ?? renew(undefined);
  };
}

const SEVERITIES = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
} as const;

function toVscodeDiagnostic(range: vscode.Range, finding: Finding, environment: string | undefined): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, environment ? `[${environment}] ${finding.message}` : finding.message, SEVERITIES[finding.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = finding.code;
  return d;
}

/** The user's template-token patterns that compile (an invalid one is reported by the language server). */
function validPatterns(patterns: string[] | undefined): string[] | undefined {
  if (!Array.isArray(patterns)) return undefined;
  return patterns.filter((p) => {
    try {
      new RegExp(p, 'g');
      return typeof p === 'string' && p.length > 0;
    } catch {
      return false;
    }
  });
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

async function writeState(root: vscode.Uri, text: string): Promise<void> {
  const folder = vscode.Uri.joinPath(root, STATE_FOLDER);
  await vscode.workspace.fs.createDirectory(folder);
  const ignore = vscode.Uri.joinPath(folder, '.gitignore');
  if ((await readText(ignore)) === undefined) await vscode.workspace.fs.writeFile(ignore, new TextEncoder().encode(STATE_FOLDER_GITIGNORE));
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, STATE_FILE), new TextEncoder().encode(text));
}

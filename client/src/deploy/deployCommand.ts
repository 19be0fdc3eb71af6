import * as vscode from 'vscode';
import { ConfigurationSection, DiagnosticCodes, DIAGNOSTIC_SOURCE } from '../../../server/src/protocol';
import { cloudByName, CLOUDS, EndpointError, resolveEndpoints, tenantCloudMismatch, vscodeSignInRequest, type Endpoints } from '../../../server/src/deploy/clouds';
import { DEFAULT_CONCURRENCY, executePlan, type DeployFileResult } from '../../../server/src/deploy/deployer';
import { globalFetch, GraphClient, readableError, type TokenProvider } from '../../../server/src/deploy/graphClient';
import { buildPlan, PlanError, type DeployInput, type FileFindings } from '../../../server/src/deploy/plan';
import { parseState, previousHashes, recordDeploy, serializeState, STATE_FILE, STATE_FOLDER, STATE_FOLDER_GITIGNORE, targetKey } from '../../../server/src/deploy/state';
import type { Finding } from '../../../server/src/service/findings';
import type { PolicyFile } from '../../../server/src/service/policy/model';

/** Arguments for scripted use (tests, tasks, keybindings); without them the command asks. */
export interface DeployArguments {
  /** The folder whose policies are deployed (a URI string). */
  folder?: string;
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
}

export interface DeployDependencies {
  /** The language server's error count per file; default: the b2c-policy errors shown in the Problems panel. */
  errorsOf?: (uri: vscode.Uri) => Promise<vscode.Diagnostic[]> | vscode.Diagnostic[];
}

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

  async run(argument?: DeployArguments | vscode.Uri): Promise<DeployOutcome> {
    const args: DeployArguments = argument instanceof vscode.Uri ? { folder: argument.toString() } : argument ?? {};
    try {
      return await this.deploy(args);
    } catch (e) {
      const message = `Deploy failed: ${readableError(e)}`;
      this.output.appendLine(message);
      void vscode.window.showErrorMessage(message);
      return { outcome: 'failed', results: [], message };
    }
  }

  private async deploy(args: DeployArguments): Promise<DeployOutcome> {
    const folder = args.folder ? vscode.Uri.parse(args.folder) : await this.pickFolder();
    if (!folder) return this.finish('cancelled', [], 'No folder chosen.');
    const workspaceFolder = vscode.workspace.getWorkspaceFolder(folder);
    const settings = readSettings(folder, (name) => this.output.appendLine(`${name} is only read from user settings; the workspace value is ignored.`));
    const inputs = await this.readPolicies(folder);
    if (inputs.files.length === 0) return this.finish('refused', [], `No policy files in ${vscode.workspace.asRelativePath(folder)}.`, true);

    const cloud = cloudByName(settings.cloud);
    if (!cloud) return this.finish('refused', [], `Unknown cloud '${settings.cloud}' in b2cPolicy.deploy.cloud (${Object.keys(CLOUDS).join(', ')}).`, true);
    let endpoints: Endpoints;
    try {
      endpoints = resolveEndpoints(cloud, { graphEndpoint: settings.graphEndpoint || undefined });
    } catch (e) {
      if (e instanceof EndpointError) return this.finish('refused', [], `b2cPolicy.deploy.graphEndpoint: ${e.message}`, true);
      throw e;
    }
    const tenant = settings.tenant || (await this.askTenant(inputs.files));
    if (!tenant) return this.finish('cancelled', [], 'No tenant given.');
    const mismatch = tenantCloudMismatch(tenant, cloud);
    if (mismatch) return this.finish('refused', [], mismatch.replace('--cloud china', 'the setting'), true);

    // Refuse policies with errors (what the Problems panel shows for them), unless forced.
    this.diagnostics.clear();
    const errorCount = await this.countErrors(inputs.files.map((f) => inputs.uris.get(f.path)!));
    if (errorCount > 0 && !args.force) {
      const choice = args.confirm === false ? undefined : await vscode.window.showWarningMessage(`The policies to deploy have ${errorCount} error(s). Deploy anyway?`, { modal: true }, 'Deploy anyway');
      if (choice !== 'Deploy anyway') return this.finish('refused', [], `Refused: the policies have ${errorCount} error(s) (see Problems).`, args.confirm === false);
    }

    const stateUri = workspaceFolder ? vscode.Uri.joinPath(workspaceFolder.uri, STATE_FOLDER, STATE_FILE) : undefined;
    const stateText = stateUri ? await readText(stateUri) : undefined;
    const { state } = parseState(stateText);
    const target = targetKey(endpoints.graphEndpoint, tenant);
    let plan;
    try {
      const templateTokens = vscode.workspace.getConfiguration(ConfigurationSection, folder).get<string[]>('templateTokens');
      plan = buildPlan(inputs.files, { targetTenant: tenant, only: args.only, previousHashes: args.changed ? previousHashes(state, target) : undefined, templateTokens: validPatterns(templateTokens) });
    } catch (e) {
      if (e instanceof PlanError) return this.finish('refused', [], e.message, true);
      throw e;
    }
    if (plan.refusals.length) {
      this.publish(plan.refusals, inputs.uris);
      const count = plan.refusals.reduce((n, r) => n + r.findings.length, 0);
      return this.finish('refused', [], `Deploy refused: ${count} problem(s) in ${plan.refusals.length} file(s), nothing was uploaded (see Problems).`, true);
    }
    const count = plan.levels.reduce((n, l) => n + l.length, 0);
    this.output.appendLine(`Plan: ${count} policies in ${plan.levels.length} level(s) to ${tenant} (${cloud.label})${endpoints.graphEndpoint !== cloud.graphRoot ? ` via ${endpoints.graphEndpoint}` : ''}`);
    plan.levels.forEach((level, i) => this.output.appendLine(`  level ${i + 1}: ${level.map((p) => p.policyId).join(', ')}`));
    for (const b of plan.assumedBases) this.output.appendLine(`  assumed in the tenant: ${b.policyId} (${b.reason})`);
    if (plan.unchanged.length) this.output.appendLine(`  unchanged, not uploaded: ${plan.unchanged.map((p) => p.policyId).join(', ')}`);
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
      onRetry: (r) => this.output.appendLine(`  retrying ${r.method} ${decodeURIComponent(r.path)} in ${(r.delayMs / 1000).toFixed(1)} s (${r.reason})`),
    });
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deploying to ${tenant}` }, async (progress) => {
      return executePlan(plan, {
        client,
        concurrency: Math.max(1, Math.min(16, settings.concurrency || DEFAULT_CONCURRENCY)),
        onEvent: (event) => {
          if (event.type !== 'done') return;
          const r = event.result;
          this.output.appendLine(`  ${r.status.padEnd(8)} ${r.policyId}  ${r.path}${r.reason ? `  (${r.reason})` : ''}`);
          progress.report({ message: `${r.policyId}: ${r.status}`, increment: 100 / count });
        },
      });
    });
    if (stateUri && workspaceFolder) await writeState(workspaceFolder.uri, serializeState(recordDeploy(state, target, report.results, new Date())));
    for (const note of report.notes) this.output.appendLine(`note: ${note}`);
    this.publish(report.results.filter((r) => r.findings.length), inputs.uris);
    const results = report.results.map((r) => ({ uri: inputs.uris.get(r.path)!.toString(), path: r.path, policyId: r.policyId, status: r.status, ...(r.reason ? { reason: r.reason } : {}) }));
    const counts = { created: 0, updated: 0, failed: 0, skipped: 0 };
    for (const r of report.results) counts[r.status]++;
    const summary = `Deployed ${counts.created + counts.updated} of ${report.results.length} policies to ${tenant}: ${counts.created} created, ${counts.updated} updated, ${counts.failed} failed, ${counts.skipped} skipped.`;
    this.output.appendLine(summary);
    if (counts.failed + counts.skipped) {
      this.output.show(true);
      void vscode.window.showErrorMessage(`${summary} See Problems.`);
      return { outcome: 'failed', results, message: summary };
    }
    void vscode.window.showInformationMessage(summary);
    return { outcome: 'deployed', results, message: summary };
  }

  private finish(outcome: DeployOutcome['outcome'], results: DeployOutcome['results'], message: string, error = false): DeployOutcome {
    this.output.appendLine(message);
    if (error) void vscode.window.showErrorMessage(message);
    return { outcome, results, message };
  }

  private publish(reported: Array<FileFindings | DeployFileResult>, uris: Map<string, vscode.Uri>): void {
    for (const r of reported) {
      const uri = uris.get(r.path);
      if (uri) this.diagnostics.set(uri, r.findings.map((f) => toVscodeDiagnostic(r.file, f)));
    }
  }

  private async countErrors(uris: vscode.Uri[]): Promise<number> {
    let n = 0;
    for (const uri of uris) {
      const diagnostics = this.deps.errorsOf ? await this.deps.errorsOf(uri) : vscode.languages.getDiagnostics(uri);
      n += diagnostics.filter((d) => {
        const code = String(typeof d.code === 'object' ? d.code.value : d.code);
        // The deploy looks bases up in the tenant itself; its own findings are not the language server's.
        return d.source === DIAGNOSTIC_SOURCE && d.severity === vscode.DiagnosticSeverity.Error && code !== DiagnosticCodes.unresolvedBasePolicy && !code.startsWith('deploy-');
      }).length;
    }
    return n;
  }

  private async readPolicies(folder: vscode.Uri): Promise<{ files: DeployInput[]; uris: Map<string, vscode.Uri> }> {
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
    return { files, uris };
  }

  /** Folders holding policy files, nearest first by path; the folder of the active editor first. */
  private async pickFolder(): Promise<vscode.Uri | undefined> {
    const found = await vscode.workspace.findFiles('**/*.xml', '**/node_modules/**', 2000);
    const folders = new Map<string, vscode.Uri>();
    for (const uri of found) {
      const folder = vscode.Uri.joinPath(uri, '..');
      if (folders.has(folder.toString())) continue;
      const text = await readText(uri);
      if (text && /<(\w+:)?TrustFrameworkPolicy\b/.test(text)) folders.set(folder.toString(), folder);
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const items = [...folders.values()]
      .map((f) => ({ label: vscode.workspace.asRelativePath(f, true), uri: f }))
      .sort((a, b) => Number(!!active && active.toString().startsWith(b.uri.toString() + '/')) - Number(!!active && active.toString().startsWith(a.uri.toString() + '/')) || a.label.localeCompare(b.label));
    if (items.length === 0) {
      void vscode.window.showErrorMessage('No folder with policy files in the workspace.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Folder of policies to deploy (for example a built environment)' });
    return picked?.uri;
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

function toVscodeDiagnostic(file: PolicyFile, finding: Finding): vscode.Diagnostic {
  const start = file.lines.positionAt(finding.span.start);
  const end = file.lines.positionAt(finding.span.end);
  const d = new vscode.Diagnostic(new vscode.Range(start.line, start.character, end.line, end.character), finding.message, SEVERITIES[finding.severity]);
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

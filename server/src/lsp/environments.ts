/**
 * The environments requests: the policy roots and their environments (for the client's pickers and status
 * bar), and building them on disk (node/build.ts writes each environment's folder whole or not at all).
 * Only roots the service knows (appsettings.json files found in the workspace folders) are built.
 */
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { BuildIoError, buildFolder } from '../node/build';
import { BuildRequest, EnvironmentsRequest, type BuildParams, type BuildProblemInfo, type BuildResult, type EnvironmentsRoot, type OrError, type RootBuildResult } from '../protocol';
import type { BuildProblem } from '../service/environments';
import { safely, type ServerContext } from './context';
import type { WorkspaceSync } from './workspaceSync';

export function registerEnvironmentRequests(context: ServerContext, workspace: WorkspaceSync): void {
  const { connection, service } = context;
  connection.onRequest(EnvironmentsRequest, async () => {
    await workspace.indexed();
    return safely(context, 'environments', () => ({ roots: service.environmentRoots() }), { roots: [] })();
  });
  connection.onRequest(BuildRequest, async (params: BuildParams): Promise<OrError<BuildResult>> => {
    await workspace.indexed();
    return safely(context, 'build', () => build(params, service.environmentRoots(), (root) => workspace.contains(root)), { error: 'internal error: see the B2C Policy Tools output' })();
  });
}

/** Builds the chosen roots (the requested environments of each; roots without all of them are skipped). */
export function build(params: BuildParams, roots: EnvironmentsRoot[], inWorkspace: (folder: string) => boolean): OrError<BuildResult> {
  const wanted = (params.environments ?? []).filter((n) => n.trim() !== '');
  let chosen = params.rootUri ? roots.filter((r) => r.rootUri === params.rootUri) : roots;
  if (params.rootUri && chosen.length === 0) return { error: `${params.rootUri} is not a policy root (a folder with an appsettings.json that declares Environments)` };
  if (!params.rootUri && wanted.length) chosen = chosen.filter((r) => wanted.every((w) => r.environments.some((e) => e.name.toLowerCase() === w.toLowerCase())));
  if (chosen.length === 0) return { error: wanted.length ? `no policy root has the environment${wanted.length === 1 ? '' : 's'} ${wanted.join(', ')}` : 'no appsettings.json with Environments in the workspace' };
  return { roots: chosen.map((root) => buildRoot(root, wanted, !!params.stripDevelopmentSettings, inWorkspace)) };
}

function buildRoot(root: EnvironmentsRoot, environments: string[], stripDevelopmentSettings: boolean, inWorkspace: (folder: string) => boolean): RootBuildResult {
  const result: RootBuildResult = { rootUri: root.rootUri, built: [], failed: [], unknownEnvironments: [], problems: [] };
  if (!root.rootUri.startsWith('file:')) return { ...result, error: 'only folders on disk can be built' };
  const folder = fileURLToPath(root.rootUri);
  if (!inWorkspace(folder)) return { ...result, error: `${folder} is outside the workspace folders` };
  try {
    const report = buildFolder({ root: folder, environments, stripDevelopmentSettings });
    const info = (p: BuildProblem): BuildProblemInfo => ({
      uri: pathToFileURL(path.join(folder, ...p.file.split('/'))).href,
      range: p.range,
      severity: p.severity,
      code: p.code,
      message: p.message,
      ...(p.environment ? { environment: p.environment } : {}),
    });
    result.problems = [...report.result.appSettingsProblems, ...report.result.environments.flatMap((e) => e.problems)].map(info);
    result.unknownEnvironments = report.result.unknownEnvironments;
    result.built = report.written.map((w) => ({ environment: w.environment, folderUri: pathToFileURL(w.folder).href, files: w.files }));
    result.failed = report.result.environments.filter((e) => !e.files).map((e) => ({ environment: e.environment, errors: e.problems.filter((p) => p.severity === 'error').length }));
    if (report.result.appSettingsProblems.some((p) => p.severity === 'error')) result.error = `${path.basename(fileURLToPath(root.settingsUri))} has errors: nothing was built`;
    return result;
  } catch (e) {
    if (e instanceof BuildIoError) return { ...result, error: e.message };
    throw e;
  }
}

/**
 * Which files an environment builds. Paths are relative to the policy root (the folder of appsettings.json),
 * with `/` between folders.
 *
 * Never inputs, whatever Include says: the EnvironmentsFolder (the outputs: building them again would nest
 * Dev/Dev/...; Microsoft's extension excludes `**\/<EnvironmentsFolder>/**` for the same reason, but then writes
 * to a hard-coded "Environments", its issue #93), folders or files whose name starts with a dot (.git, .vscode,
 * editor backups), node_modules, and any further output folder the caller names (a `--out` inside the root).
 * Only `.xml` files are inputs: policies are XML, and a build that copied README.md or package.json into each
 * environment would surprise. Non-policy XML files are resolved and copied like policies (as the extension does).
 */
import type { AppSettings, EnvironmentSettings } from './appSettings';
import { matchesAny } from './globs';

const SKIPPED_FOLDER_NAMES = new Set(['node_modules']);

/** Folders under the root whose contents are never inputs (relative, `/`-separated). */
export function outputFolders(settings: AppSettings, extraOutputFolders: string[] = []): string[] {
  return [settings.environmentsFolder, ...extraOutputFolders].map((f) => f.replace(/\\/g, '/').replace(/^\.\/|\/$/g, ''));
}

/** Whether a folder (relative to the root) is skipped entirely: the walker does not enter it. */
export function isSkippedFolder(settings: AppSettings, relativeFolder: string, extraOutputFolders: string[] = []): boolean {
  const segments = relativeFolder.split('/');
  if (segments.some((s) => s.startsWith('.') || SKIPPED_FOLDER_NAMES.has(s.toLowerCase()))) return true;
  const lower = relativeFolder.toLowerCase();
  // Case-insensitively: on Windows and macOS "environments" is the same folder as "Environments".
  return outputFolders(settings, extraOutputFolders).some((o) => {
    const out = o.toLowerCase();
    return lower === out || lower.startsWith(out + '/');
  });
}

/** Whether a file (relative to the root) can be an input of some environment. */
export function isCandidateFile(settings: AppSettings, relativePath: string, extraOutputFolders: string[] = []): boolean {
  const slash = relativePath.lastIndexOf('/');
  const name = relativePath.slice(slash + 1);
  if (name.startsWith('.') || !name.toLowerCase().endsWith('.xml')) return false;
  return slash < 0 || !isSkippedFolder(settings, relativePath.slice(0, slash), extraOutputFolders);
}

/** Whether an environment takes a candidate file: it matches Include (default every XML file) and no Exclude. */
export function environmentTakesFile(environment: EnvironmentSettings, relativePath: string): boolean {
  return matchesAny(environment.include, relativePath) && !matchesAny(environment.exclude, relativePath);
}

/** The files an environment builds, in the order given. */
export function selectEnvironmentFiles(settings: AppSettings, environment: EnvironmentSettings, relativePaths: string[], extraOutputFolders: string[] = []): string[] {
  return relativePaths.filter((p) => isCandidateFile(settings, p, extraOutputFolders) && environmentTakesFile(environment, p));
}

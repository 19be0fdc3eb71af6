/**
 * Which files of a workspace are environments files, and which paths are their outputs: shared by the
 * workspace walker (node/workspaceFiles.ts) and the editor's analysis (analysis/environments.ts).
 *
 * An `appsettings.json` (any case: `appSettings.json` is common) is an environments file when its top-level
 * object has `Environments` or `EnvironmentsFolder`. Other appsettings.json files (an ASP.NET application's)
 * are left alone: no diagnostics, not a policy root.
 */
import { parseTree } from 'jsonc-parser';
import { APPSETTINGS_FILE_NAME, type AppSettings } from './appSettings';
import { outputFolders } from './files';
import { relativePathInRoot } from './settingsContext';

/** Whether a file name (no folders) is appsettings.json in any case. */
export function isAppSettingsName(name: string): boolean {
  return name.toLowerCase() === APPSETTINGS_FILE_NAME;
}

/** Whether a URI (or a `/`-separated path) names an appsettings.json file. */
export function isAppSettingsUri(uri: string): boolean {
  let name = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    name = decodeURIComponent(name);
  } catch {
    // Keep the raw name.
  }
  return isAppSettingsName(name);
}

/** Whether the text is an environments file: a top-level object with `Environments` or `EnvironmentsFolder`. */
export function declaresEnvironments(text: string): boolean {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root || root.type !== 'object') return false;
  return (root.children ?? []).some((p) => p.children?.[0] && (p.children[0].value === 'Environments' || p.children[0].value === 'EnvironmentsFolder'));
}

/** The folder of a file URI (the policy root of an appsettings.json), without a trailing slash. */
export function rootOfSettingsUri(settingsUri: string): string {
  return settingsUri.slice(0, settingsUri.lastIndexOf('/'));
}

/**
 * Whether a file URI lies in an output folder (`<EnvironmentsFolder>/...`) of the settings of `rootUri`.
 * Output folders hold built copies with the same PolicyIds as their sources: they are never indexed as sources.
 */
export function isInOutputFolder(settings: AppSettings, rootUri: string, fileUri: string): boolean {
  const relative = relativePathInRoot(rootUri, fileUri);
  if (relative === undefined) return false;
  const lower = relative.toLowerCase();
  // Case-insensitively, as isSkippedFolder: on Windows and macOS "environments" is the same folder.
  return outputFolders(settings).some((o) => lower.startsWith(o.toLowerCase() + '/'));
}

/**
 * What the editor features need to know about a policy file's environments: the parsed appsettings.json that
 * governs it and where that file's folder (the policy root) is.
 */
import type { AppSettings, EnvironmentSettings } from './appSettings';
import { environmentTakesFile, isCandidateFile } from './files';

export interface SettingsContext {
  settings: AppSettings;
  /** The URI of the folder holding appsettings.json, without a trailing slash. */
  rootUri: string;
}

/** The path of a file URI relative to the root URI (`/` separated, decoded), or undefined when outside it. */
export function relativePathInRoot(rootUri: string, fileUri: string): string | undefined {
  const root = rootUri.endsWith('/') ? rootUri.slice(0, -1) : rootUri;
  if (!fileUri.startsWith(root + '/')) return undefined;
  try {
    return fileUri
      .slice(root.length + 1)
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
  } catch {
    return undefined;
  }
}

/** The nearest root (by URI) that contains the file, for workspaces with several appsettings.json. */
export function nearestSettingsRoot(fileUri: string, rootUris: string[]): string | undefined {
  let best: string | undefined;
  for (const root of rootUris) {
    if (relativePathInRoot(root, fileUri) === undefined) continue;
    if (!best || root.length > best.length) best = root;
  }
  return best;
}

/** The environments that build a file (none when the file is not an input: outside the root, an output...). */
export function environmentsOfFile(context: SettingsContext, fileUri: string): EnvironmentSettings[] {
  const relativePath = relativePathInRoot(context.rootUri, fileUri);
  if (relativePath === undefined || !isCandidateFile(context.settings, relativePath)) return [];
  return context.settings.environments.filter((e) => environmentTakesFile(e, relativePath));
}

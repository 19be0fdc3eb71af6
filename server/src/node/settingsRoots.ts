import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { APPSETTINGS_FILE_NAME } from '../service/environments/appSettings';

/**
 * The folders holding an appsettings.json (any casing, as the build reads it) among the folders of the given
 * policy files and their parents, up to and including the folder of `within` that contains each file (a file
 * given in `within` stands for its folder): the policies below such a folder are templates built per
 * environment. Nothing outside `within` is looked at.
 * Returned as folder URIs without a trailing slash (ServiceSettings.settingsRoots).
 */
export function findSettingsRoots(files: string[], within: string[]): string[] {
  // A file given on its own is bounded by its folder.
  const bounds = within.map((w) => (isFile(w) ? path.dirname(path.resolve(w)) : path.resolve(w)));
  const seen = new Map<string, boolean>();
  const roots: string[] = [];
  for (const file of files) {
    const bound = bounds.filter((b) => isInside(path.resolve(file), b)).sort((a, b) => a.length - b.length)[0];
    if (!bound) continue;
    for (let folder = path.dirname(path.resolve(file)); isInside(folder, bound); folder = path.dirname(folder)) {
      if (!seen.has(folder)) {
        const has = hasAppSettings(folder);
        seen.set(folder, has);
        if (has) roots.push(pathToFileURL(folder).href.replace(/\/$/, ''));
      }
      if (folder === bound || path.dirname(folder) === folder) break;
    }
  }
  return roots;
}

function isInside(p: string, folder: string): boolean {
  return p === folder || p.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function hasAppSettings(folder: string): boolean {
  try {
    return fs.readdirSync(folder).some((name) => name.toLowerCase() === APPSETTINGS_FILE_NAME);
  } catch {
    return false;
  }
}

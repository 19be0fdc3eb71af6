import * as fs from 'fs';
import * as path from 'path';
import { declaresEnvironments, isAppSettingsName, isSkippedFolder, parseAppSettings, type AppSettings } from '../service/environments';

/** Folders never searched for policies (dependencies, version control, test caches). */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.vscode-test']);

/** Policy files above this size are not read (the service's own limit is 1,024 KB). */
export const MAX_POLICY_BYTES = 5 * 1024 * 1024;

export interface FoundFile {
  /** Absolute path. */
  absolute: string;
  /** The path to show: as given, or the given folder joined with the path found below it. */
  display: string;
}

export interface FileProblem extends FoundFile {
  message: string;
}

export interface WalkResult {
  files: FoundFile[];
  /** The appsettings.json files found (any case), when `environments` is on. */
  settingsFiles: FoundFile[];
  /** Paths that were found but cannot be read as policies: each said, never skipped silently. */
  problems: FileProblem[];
}

export interface WalkOptions {
  /** Only files whose real path is inside one of these folders are taken (symlinks pointing elsewhere are reported). */
  within?: string[];
  /**
   * Environments (the editor): report appsettings.json files, and do not enter the output folders of those that
   * declare environments (`<EnvironmentsFolder>/`: built copies with the same PolicyIds as their sources).
   */
  environments?: boolean;
}

/**
 * The one workspace walker (editor and CLI): XML files under the given paths, sorted by name within each
 * folder. Folders found while walking are skipped when they are dependencies, version control or hidden
 * (dot-folders); a path given explicitly is always taken. Symlinks are followed (to files and folders)
 * when their target stays inside `within` (default: the given paths), with loop protection.
 */
export function findXmlFiles(paths: Array<{ absolute: string; display: string }>, options: WalkOptions = {}): WalkResult {
  const result: WalkResult = { files: [], problems: [], settingsFiles: [] };
  /** Policy roots met while walking: their output folders are not entered. */
  const roots: Array<{ folder: string; settings: AppSettings }> = [];
  const isOutputFolder = (folder: string) =>
    roots.some((r) => {
      const relative = path.relative(r.folder, folder);
      return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) && isSkippedFolder(r.settings, relative.split(path.sep).join('/'));
    });
  const seenFiles = new Set<string>();
  const seenFolders = new Set<string>();
  const within = (options.within ?? paths.map((p) => p.absolute)).map((p) => realOrSelf(p));
  const inside = (real: string) => within.some((w) => real === w || real.startsWith(w.endsWith(path.sep) ? w : w + path.sep));

  const addFile = (entry: FoundFile, real: string) => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    result.files.push(entry);
  };

  const walk = (entry: FoundFile, real: string) => {
    if (seenFolders.has(real)) return; // a symlink loop or the same folder twice
    seenFolders.add(real);
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(entry.absolute, { withFileTypes: true });
    } catch (e) {
      result.problems.push({ ...entry, message: `cannot read folder: ${errorText(e)}` });
      return;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (options.environments) {
      for (const dirent of names.filter((d) => isAppSettingsName(d.name) && d.isFile())) {
        const found = { absolute: path.join(entry.absolute, dirent.name), display: path.join(entry.display, dirent.name) };
        result.settingsFiles.push(found);
        const text = readSmallText(found.absolute);
        if (text !== undefined && declaresEnvironments(text)) roots.push({ folder: entry.absolute, settings: parseAppSettings(text).settings });
      }
    }
    for (const dirent of names) {
      const child = { absolute: path.join(entry.absolute, dirent.name), display: path.join(entry.display, dirent.name) };
      let isDirectory = dirent.isDirectory();
      let isFile = dirent.isFile();
      let childReal = child.absolute;
      if (dirent.isSymbolicLink()) {
        try {
          childReal = fs.realpathSync(child.absolute);
          const stat = fs.statSync(childReal);
          isDirectory = stat.isDirectory();
          isFile = stat.isFile() || (!stat.isDirectory() && child.absolute.toLowerCase().endsWith('.xml'));
        } catch (e) {
          if (child.absolute.toLowerCase().endsWith('.xml')) result.problems.push({ ...child, message: `broken symbolic link: ${errorText(e)}` });
          continue;
        }
        if (!inside(childReal)) {
          if (isDirectory || child.absolute.toLowerCase().endsWith('.xml')) result.problems.push({ ...child, message: `symbolic link to ${childReal}, outside the checked folders: not read` });
          continue;
        }
      } else {
        childReal = path.join(real, dirent.name);
      }
      if (isDirectory) {
        if (!SKIPPED_FOLDERS.has(dirent.name) && !dirent.name.startsWith('.') && !isOutputFolder(child.absolute)) walk(child, childReal);
      } else if (child.absolute.toLowerCase().endsWith('.xml')) {
        if (isFile) addFile(child, childReal);
        else result.problems.push({ ...child, message: 'not a regular file: not read' });
      }
    }
  };

  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p.absolute);
    } catch {
      result.problems.push({ ...p, message: 'no such file or folder' });
      continue;
    }
    const real = realOrSelf(p.absolute);
    if (stat.isDirectory()) walk(p, real);
    else addFile(p, real);
  }
  return result;
}

/** appsettings.json files are small: one read, at most 1 MB, as UTF-8; undefined when that fails. */
function readSmallText(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > 1024 * 1024) return undefined;
    return fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  } catch {
    return undefined;
  }
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

export function errorText(e: unknown): string {
  const error = e as NodeJS.ErrnoException;
  if (error?.code === 'EACCES' || error?.code === 'EPERM') return 'permission denied';
  if (error?.code === 'ENOENT') return 'no such file or folder';
  if (error?.code === 'EISDIR') return 'is a folder';
  return error?.message ?? String(e);
}

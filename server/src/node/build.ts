/**
 * The file-system side of building environments: find and read appsettings.json and the policy files of its
 * folder, hand them to the pure service (service/environments), write each environment's output folder whole
 * or not at all.
 *
 * Safety: only files under the policy root are read, symbolic links are not followed (a link could lead out of
 * the root or into the outputs), the output folders are never walked as inputs, and an environment's folder is
 * replaced only by a complete new one: the files are written to a temporary sibling folder (its name starts with
 * a dot, so a crash leaves nothing a later build would take as input), which is then renamed into place.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readPolicyFile } from './policyFiles';
import {
  APPSETTINGS_FILE_NAME,
  buildEnvironments,
  findEnvironment,
  isCandidateFile,
  isSkippedFolder,
  parseAppSettings,
  resolveEnvironment,
  type AppSettings,
  type BuildResult,
  type ResolvedEnvironment,
  type ResolvedFile,
  type SourceFile,
} from '../service/environments';

/** A problem of the file system or the command line: reported in one line, exit code 2. */
export class BuildIoError extends Error {}

/** The appsettings.json of a folder, whatever the case of its name (`appSettings.json` is common). */
export function findAppSettingsFile(folder: string): string {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    throw new BuildIoError(`cannot read folder '${folder}'`);
  }
  const matches = names.filter((n) => n.toLowerCase() === APPSETTINGS_FILE_NAME);
  if (matches.length === 0) throw new BuildIoError(`no ${APPSETTINGS_FILE_NAME} in '${folder}' (the folder of appsettings.json is the policy root; see --root)`);
  if (matches.length > 1) throw new BuildIoError(`several appsettings files in '${folder}' (${matches.join(', ')}): keep one`);
  return path.join(folder, matches[0]);
}

/**
 * Reads an input of the build (appsettings.json, a policy) with the one policy reader (readPolicyFile: regular
 * files only, size cap, encodings decoded as XML says), and accepts UTF-8 only, with or without byte-order mark:
 * the build writes every output in UTF-8, so a file stored in another encoding (UTF-16, or a declared
 * ISO-8859-1 or windows-1252) would come out with a declaration that no longer matches its bytes. Such a file
 * stops the build with a message that says so (exit 2); save it as UTF-8.
 */
export function readUtf8(file: string): { text: string; hadBom: boolean } {
  const read = readPolicyFile(file);
  if (!read.ok) {
    if (read.kind === 'io') throw new BuildIoError(`cannot read '${file}': ${read.message}`);
    if (read.message.startsWith('too large')) throw new BuildIoError(`'${file}' is ${read.message}`);
    throw new BuildIoError(`'${file}' is not UTF-8 text: ${read.message.replace(/^The file is not valid UTF-8: /, '').replace(/\. .*$/, '')}`);
  }
  if (read.form.encoding !== 'utf-8') throw new BuildIoError(`'${file}' is not UTF-8 text: it is stored as ${read.form.encoding.toUpperCase()}, and the build writes UTF-8 only; save it as UTF-8`);
  return { text: read.text, hadBom: read.form.bom };
}

/** Relative paths (`/`-separated, sorted) of the files under the root that can be inputs. */
export function listInputFiles(root: string, settings: AppSettings, extraOutputFolders: string[] = []): string[] {
  const out: string[] = [];
  const walk = (relativeFolder: string) => {
    const absolute = relativeFolder ? path.join(root, ...relativeFolder.split('/')) : root;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(absolute, { withFileTypes: true });
    } catch {
      throw new BuildIoError(`cannot read folder '${absolute}'`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const relative = relativeFolder ? `${relativeFolder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!isSkippedFolder(settings, relative, extraOutputFolders)) walk(relative);
      } else if (entry.isFile() && isCandidateFile(settings, relative, extraOutputFolders)) out.push(relative);
    }
  };
  walk('');
  return out;
}

export interface BuildInputs {
  root: string;
  appSettingsFile: string;
  appSettingsText: string;
  settings: AppSettings;
  sources: SourceFile[];
  /** Output folders inside the root other than the EnvironmentsFolder (relative), never inputs. */
  extraOutputFolders: string[];
}

/** Reads appsettings.json and every candidate input of the root. */
export function loadBuildInputs(root: string, outDir?: string): BuildInputs {
  const appSettingsFile = findAppSettingsFile(root);
  const appSettingsText = readUtf8(appSettingsFile).text;
  const { settings } = parseAppSettings(appSettingsText);
  const extraOutputFolders: string[] = [];
  if (outDir) {
    const relative = path.relative(path.resolve(root), path.resolve(outDir));
    if (relative === '') throw new BuildIoError(`--out '${outDir}' is the policy root: outputs would become inputs`);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) extraOutputFolders.push(relative.split(path.sep).join('/'));
  }
  const sources = listInputFiles(root, settings, extraOutputFolders).map((relativePath) => {
    const { text, hadBom } = readUtf8(path.join(root, ...relativePath.split('/')));
    return { relativePath, text, hadBom };
  });
  return { root, appSettingsFile, appSettingsText, settings, sources, extraOutputFolders };
}

export interface BuildFolderOptions {
  /** The policy root: the folder of appsettings.json. */
  root: string;
  /** Environment names to build (any case); all when empty. */
  environments: string[];
  /** Where the environment folders go instead of `<root>/<EnvironmentsFolder>`. */
  outDir?: string;
  stripDevelopmentSettings: boolean;
}

export interface BuildReport {
  inputs: BuildInputs;
  result: BuildResult;
  /** The folder that holds the environment folders (absolute). */
  outputRoot: string;
  /** Environments written: name, absolute folder, number of files. */
  written: Array<{ environment: string; folder: string; files: number }>;
}

/** Builds and writes. Environments with errors are not written (their folder stays as it was). */
export function buildFolder(options: BuildFolderOptions): BuildReport {
  const inputs = loadBuildInputs(options.root, options.outDir);
  const result = buildEnvironments(inputs.appSettingsText, inputs.sources, {
    environments: options.environments,
    stripDevelopmentSettings: options.stripDevelopmentSettings,
    extraOutputFolders: inputs.extraOutputFolders,
    appSettingsFile: path.basename(inputs.appSettingsFile),
  });
  const outputRoot = options.outDir ? path.resolve(options.outDir) : path.resolve(options.root, ...inputs.settings.environmentsFolder.split('/'));
  // The EnvironmentsFolder comes from the repository: a symbolic link there must not send the writes (and the
  // replacement of a folder) outside the policy root. An --out given on the command line is the user's choice.
  if (!options.outDir) assertStaysInside(path.resolve(options.root), outputRoot);
  const written: BuildReport['written'] = [];
  for (const environment of result.environments) {
    if (!environment.files) continue;
    const folder = path.join(outputRoot, environment.environment);
    writeEnvironmentFolder(path.resolve(options.root), folder, environment.files);
    written.push({ environment: environment.environment, folder, files: environment.files.length });
  }
  return { inputs, result, outputRoot, written };
}

/** Throws when the deepest existing part of `target` resolves (through symbolic links) outside `root`. */
function assertStaysInside(root: string, target: string): void {
  let existing = target;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const realRoot = fs.realpathSync(root);
  const real = fs.realpathSync(existing);
  const relative = path.relative(realRoot, real);
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new BuildIoError(`refusing to write: '${existing}' leads outside the policy root (a symbolic link?)`);
}

/** A resolved file as written (in UTF-8): the byte-order mark when the source had one, then the text. */
export function outputText(file: ResolvedFile): string {
  return (file.hadBom ? '\ufeff' : '') + file.text;
}

/** Replaces `folder` by a folder holding exactly `files`, or leaves it untouched when anything fails. */
export function writeEnvironmentFolder(root: string, folder: string, files: ResolvedFile[]): void {
  const target = path.resolve(folder);
  const fromTarget = path.relative(target, root);
  if (fromTarget === '' || (!fromTarget.startsWith('..') && !path.isAbsolute(fromTarget))) {
    throw new BuildIoError(`refusing to replace '${folder}': it contains the policy root`);
  }
  const parent = path.dirname(target);
  const name = path.basename(target);
  let staging: string | undefined;
  let previous: string | undefined;
  try {
    fs.mkdirSync(parent, { recursive: true });
    if (fs.existsSync(target) && !fs.lstatSync(target).isDirectory()) throw new BuildIoError(`'${folder}' exists and is not a folder`);
    staging = fs.mkdtempSync(path.join(parent, `.${name}.building-`));
    for (const file of files) {
      const destination = path.join(staging, ...file.relativePath.split('/'));
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.writeFileSync(destination, outputText(file), 'utf8');
    }
    if (fs.existsSync(target)) {
      previous = fs.mkdtempSync(path.join(parent, `.${name}.previous-`));
      fs.rmdirSync(previous);
      fs.renameSync(target, previous);
    }
    fs.renameSync(staging, target);
    staging = undefined;
  } catch (e) {
    if (previous && !fs.existsSync(target)) fs.renameSync(previous, target);
    previous = undefined;
    if (e instanceof BuildIoError) throw e;
    throw new BuildIoError(`cannot write '${folder}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
    if (previous) fs.rmSync(previous, { recursive: true, force: true });
  }
}

/** One environment resolved from a folder (for `check --env`): the resolved texts, their maps and problems. */
export function resolveFolderEnvironment(root: string, environmentName: string, stripDevelopmentSettings = false): { inputs: BuildInputs; resolved: ResolvedEnvironment } {
  const inputs = loadBuildInputs(root);
  const environment = findEnvironment(inputs.settings, environmentName);
  if (!environment) {
    const names = inputs.settings.environments.map((e) => e.name).join(', ');
    throw new BuildIoError(`no environment '${environmentName}' in ${path.basename(inputs.appSettingsFile)}${names ? ` (${names})` : ''}`);
  }
  return { inputs, resolved: resolveEnvironment(inputs.settings, environment, inputs.sources, { stripDevelopmentSettings }) };
}

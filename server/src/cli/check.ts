import * as fs from 'fs';
import * as path from 'path';
import { checkEnvironmentFolder } from '../node/checkEnvironment';
import { splitTargetArguments } from './deploy';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE, DiagnosticCodes } from '../protocol';
import { writeFilesAtomically } from '../node/atomicWrite';
import { findSettingsRoots } from '../node/settingsRoots';
import { policyBytes } from '../node/policyFiles';
import { defaultCacheDir, SchemaCache } from '../schemaFile';
import { PolicyLanguageService } from '../service/languageService';
import { parseArgs, UsageError, valueOf } from './args';
import { exitCodeOf, formatResults, oneLine, type FileResult, type OutputFormat } from './format';
import { loadPolicies } from './policies';
import type { CommandIo } from './io';

export const CHECK_USAGE = `Usage: b2c-policy check [paths...] [--format text|json|sarif] [--schema current|official|FILE] [--policy-keys k1,k2] [--fix] [--env NAME] [--tenant-keys [target options]] [--] [paths...]

Checks Azure AD B2C custom policy files (folders are searched recursively; chains resolve across all
given paths). --schema: the bundled current schema (default), the official one, or an XSD file. --fix applies the safe fixes (tenant-name case, B2C_1A_ key prefix, id case) in place,
rewriting only the fixed spans (all files or none), then reports what remains. --env NAME checks the policies
of one folder (the folder of appsettings.json) as that environment resolves them, at the source positions.
--tenant-keys reads the tenant's policy keys through Microsoft Graph (sign-in and target options as for
'b2c-policy deploy'): a StorageReferenceId naming a key the tenant lacks is then an error, as on upload.
Exit code: 0 no error, 1 at least one error-severity finding, 2 usage or I/O error.`;

export interface CheckOptions {
  paths: string[];
  format: OutputFormat;
  schema?: string;
  policyKeys: string[];
  fix: boolean;
  /** Check the policies as this environment of appsettings.json resolves them (at source positions). */
  env?: string;
}

export function parseCheckArguments(args: string[]): CheckOptions {
  const parsed = parseArgs(args, { values: ['--format', '--schema', '--policy-keys', '--env'], switches: ['--fix'] });
  const format = valueOf(parsed, '--format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`unknown format '${format}' (text, json or sarif)`);
  return {
    paths: parsed.positional.length ? parsed.positional : ['.'],
    format,
    schema: valueOf(parsed, '--schema'),
    policyKeys: (valueOf(parsed, '--policy-keys') ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    fix: parsed.switches.has('--fix'),
    env: valueOf(parsed, '--env'),
  };
}

/** What a check run found: per-file results, and files that could not be read at all (exit 2). */
export interface CheckRun {
  results: FileResult[];
  ioProblems: string[];
}

/** Runs the checks: the same language service as the editor, fed from the file system. */
export function runCheck(options: CheckOptions, schemaCache = new SchemaCache({ cacheDir: defaultCacheDir(), log: (m) => process.stderr.write(m + '\n') })): CheckRun {
  const service = new PolicyLanguageService({ schema: schemaCache.load(options.schema), settings: { policyKeys: options.policyKeys } });
  const loaded = loadPolicies(service, options.paths);
  // Policies below a folder with an appsettings.json are templates: no placeholder-tenant finding there.
  const settingsRoots = findSettingsRoots(loaded.files.map((f) => f.absolute), options.paths);
  if (settingsRoots.length) service.configure({ policyKeys: options.policyKeys, settingsRoots });
  if (options.fix) {
    const writes = [];
    for (const f of loaded.files) {
      const fixed = service.safeFixes(f.uri);
      if (fixed) writes.push({ file: f, text: fixed.text });
    }
    // Every new content is encoded first (an edit the file's encoding cannot hold refuses the run), then all
    // files are written or none.
    writeFilesAtomically(writes.map((w) => ({ path: w.file.absolute, data: policyBytes(w.file.display, w.text, w.file.form) })));
    for (const w of writes) service.setDiskFile(w.file.uri, w.text);
  }
  const results: FileResult[] = [];
  for (const f of loaded.files) if (service.isPolicy(f.uri)) results.push({ path: f.display, diagnostics: service.diagnostics(f.uri) });
  for (const u of loaded.unreadable) {
    if (u.kind !== 'content') continue;
    const at = { line: 0, character: 0 };
    results.push({
      path: u.display,
      diagnostics: [{ range: { start: at, end: at }, severity: DiagnosticSeverity.Error, source: DIAGNOSTIC_SOURCE, code: DiagnosticCodes.fileNotChecked, message: `Not checked: ${u.message}.` }],
    });
  }
  return { results, ioProblems: loaded.unreadable.filter((u) => u.kind === 'io').map((u) => `${oneLine(u.display)}: ${u.message}`) };
}

export async function checkCommand(args: string[], io: CommandIo & { env: Record<string, string | undefined>; cwd: string }): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(CHECK_USAGE + '\n');
    return 0;
  }
  // --tenant-keys: the tenant's policy keys, read through Microsoft Graph (target options as for deploy).
  const { rest, fetchKeys } = splitTargetArguments(args, io);
  const tenantKeys = rest.includes('--tenant-keys');
  const options = parseCheckArguments(rest.filter((a) => a !== '--tenant-keys'));
  if (tenantKeys) options.policyKeys.push(...(await fetchKeys()));
  // A path given on the command line that does not exist is a mistake in the command: nothing is checked.
  const missing = options.paths.find((p) => !fs.existsSync(p));
  if (missing !== undefined) throw new Error(`cannot read '${oneLine(missing)}': no such file or folder`);
  if (options.env !== undefined) {
    if (options.fix) throw new UsageError('--fix and --env cannot be combined (fixes are made in the sources)');
    if (options.paths.length > 1) throw new UsageError('--env takes one folder: the policy root (the folder of appsettings.json)');
    const root = options.paths[0];
    const results = checkEnvironmentFolder({ root: path.resolve(root), environment: options.env, schema: new SchemaCache().load(options.schema), policyKeys: options.policyKeys }).map((r) => ({
      path: path.join(root, ...r.relativePath.split('/')),
      diagnostics: r.diagnostics,
    }));
    io.out(formatResults(results, options.format));
    return exitCodeOf(results);
  }
  const run = runCheck(options);
  io.out(formatResults(run.results, options.format));
  for (const problem of run.ioProblems) io.err(`b2c-policy: ${problem}\n`);
  // Fail closed: a file that could not be read is an I/O error even when the others are clean.
  return run.ioProblems.length ? 2 : exitCodeOf(run.results);
}

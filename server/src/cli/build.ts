/**
 * `b2c-policy build`: builds the environments of appsettings.json into their folders. Exit code 0 when every
 * requested environment was built, 1 when appsettings.json or an environment has an error (those environments
 * are not written), 2 on a usage or I/O error (one line on stderr). Problems print one per line as
 * `path:line:column: severity code: message`, paths as given (relative to the current folder).
 */
import * as path from 'path';
import { BuildIoError, buildFolder, type BuildReport } from '../node/build';
import type { BuildProblem } from '../service/environments';

export const BUILD_USAGE = `Usage: b2c-policy build [--env NAME]... [--out DIR] [--root DIR] [--strip-development-settings] [--format text|json]

Builds a copy of the policies for each environment of appsettings.json (in --root, default the current
folder): every {Settings:Key} token replaced by the environment's value, PolicyIdPrefix/PolicyIdSuffix
applied, written to <EnvironmentsFolder>/<Name>/ (or DIR/<Name>/) with the source's paths, byte-order marks
and line endings. An environment with an error (a token without a value, a development setting in a
production environment) is not written. --strip-development-settings removes DeploymentMode="Development"
and JourneyInsights DeveloperMode="true" from production environments instead of refusing them.
Exit code: 0 built, 1 build errors, 2 usage or I/O error.`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
}

interface BuildArguments {
  environments: string[];
  out?: string;
  root?: string;
  strip: boolean;
  format: 'text' | 'json';
  help: boolean;
}

class UsageError extends Error {}

function parseArguments(args: string[]): BuildArguments {
  const parsed: BuildArguments = { environments: [], strip: false, format: 'text', help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--env':
        parsed.environments.push(value());
        break;
      case '--out':
        if (parsed.out !== undefined) throw new UsageError('--out is given twice');
        parsed.out = value();
        break;
      case '--root':
        if (parsed.root !== undefined) throw new UsageError('--root is given twice');
        parsed.root = value();
        break;
      case '--strip-development-settings':
        parsed.strip = true;
        break;
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json') throw new UsageError(`unknown format '${f}' (text or json)`);
        parsed.format = f;
        break;
      }
      case '--help':
      case '-h':
        parsed.help = true;
        break;
      default:
        throw new UsageError(flag.startsWith('-') ? `unknown option '${flag}'` : `unexpected argument '${arg}' (the policy folder is given with --root)`);
    }
  }
  return parsed;
}

/** Runs `b2c-policy build` with the arguments after `build`; returns the exit code. */
export function runBuild(args: string[], io: CliIo): number {
  let parsed: BuildArguments;
  try {
    parsed = parseArguments(args);
  } catch (e) {
    io.err(`b2c-policy: ${(e as Error).message}; try 'b2c-policy build --help'\n`);
    return 2;
  }
  if (parsed.help) {
    io.out(BUILD_USAGE + '\n');
    return 0;
  }
  const rootGiven = parsed.root ?? '.';
  const root = path.resolve(io.cwd, rootGiven);
  let report: BuildReport;
  try {
    report = buildFolder({ root, environments: parsed.environments, outDir: parsed.out === undefined ? undefined : path.resolve(io.cwd, parsed.out), stripDevelopmentSettings: parsed.strip });
  } catch (e) {
    const message = e instanceof BuildIoError ? e.message : `unexpected failure: ${(e as Error).message}`;
    io.err(`b2c-policy: ${message.split('\n')[0]}\n`);
    return 2;
  }
  const { result } = report;
  if (result.unknownEnvironments.length) {
    const names = report.inputs.settings.environments.map((e) => e.name).join(', ');
    io.err(`b2c-policy: no environment ${result.unknownEnvironments.map((n) => `'${n}'`).join(', ')} in ${path.basename(report.inputs.appSettingsFile)}${names ? ` (${names})` : ''}\n`);
    return 2;
  }
  // Paths as given: under --root as typed, or relative to the current folder.
  const shown = (relativeToRoot: string) => path.join(parsed.root ?? '', ...relativeToRoot.split('/'));
  const outputShown = (name: string) => (parsed.out !== undefined ? path.join(parsed.out, name) : shown(`${report.inputs.settings.environmentsFolder}/${name}`));
  const failed = result.appSettingsProblems.some((p) => p.severity === 'error') || result.environments.some((e) => !e.files);
  if (parsed.format === 'json') {
    io.out(
      JSON.stringify({
        appSettings: { path: shown(result.appSettingsProblems[0]?.file ?? path.basename(report.inputs.appSettingsFile)), diagnostics: result.appSettingsProblems.map((p) => jsonProblem(p, shown)) },
        environments: result.environments.map((e) => ({
          name: e.environment,
          output: outputShown(e.environment),
          built: !!e.files,
          files: (e.files ?? []).map((f) => f.relativePath),
          diagnostics: e.problems.map((p) => jsonProblem(p, shown)),
        })),
      }) + '\n',
    );
    return failed ? 1 : 0;
  }
  const lines: string[] = [];
  for (const p of result.appSettingsProblems) lines.push(problemLine(p, shown));
  for (const e of result.environments) {
    for (const p of e.problems) lines.push(problemLine(p, shown));
    const errors = e.problems.filter((p) => p.severity === 'error').length;
    lines.push(
      e.files
        ? `${e.environment}: ${e.files.length} file${e.files.length === 1 ? '' : 's'} written to ${outputShown(e.environment)}`
        : `${e.environment}: not built (${errors} error${errors === 1 ? '' : 's'}); ${outputShown(e.environment)} left as it was`,
    );
  }
  if (result.appSettingsProblems.some((p) => p.severity === 'error')) lines.push(`Nothing built: fix ${shown(path.basename(report.inputs.appSettingsFile))} first.`);
  io.out(lines.join('\n') + '\n');
  return failed ? 1 : 0;
}

function problemLine(p: BuildProblem, shown: (relative: string) => string): string {
  return `${shown(p.file)}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity} ${p.code}: ${p.message}`;
}

function jsonProblem(p: BuildProblem, shown: (relative: string) => string) {
  return { path: shown(p.file), environment: p.environment, code: p.code, severity: p.severity, message: p.message, range: p.range };
}

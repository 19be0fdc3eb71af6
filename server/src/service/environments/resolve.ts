/**
 * Resolving and building environments: each environment's files with `{Settings:...}` tokens replaced, policy
 * ids prefixed, development settings refused or stripped; every resolved file with a map back to its source.
 * Pure: the caller reads the files and writes the outputs (server/src/node/build.ts).
 *
 * The text of a file is handled without its byte-order mark (as the editor shows it); `hadBom` says whether
 * to write one back. Nothing else changes outside the edits: line endings, indentation and comments are the
 * source's, byte for byte.
 */
import { DiagnosticCodes, type DiagnosticCode } from '../../protocol';
import type { Finding } from '../findings';
import { parsePolicyFile, type PolicyFile } from '../policy/model';
import { LineIndex, type Range } from '../xml/lines';
import type { Span } from '../xml/nodes';
import { APPSETTINGS_FILE_NAME, parseAppSettings, type AppSettings, type AppSettingsResult, type EnvironmentSettings } from './appSettings';
import { selectEnvironmentFiles } from './files';
import { policyIdEdits, rewritePolicyId } from './policyIds';
import { applySourceEdits, composeEdits, mapResolvedSpanToSource, type PositionMap, type SourceEdit } from './positionMap';
import { findDevelopmentSettings } from './production';
import { builtInSetting, findSettingsTokens, settingValue } from './tokens';

export interface SourceFile {
  /** Relative to the policy root, `/` between folders. */
  relativePath: string;
  /** The text without a byte-order mark. */
  text: string;
  hadBom: boolean;
}

export type LineEnding = '\r\n' | '\n' | 'mixed' | 'none';

export interface ResolvedFile {
  relativePath: string;
  /** The resolved text, without byte-order mark (write one when hadBom). */
  text: string;
  hadBom: boolean;
  /** The line endings of the text (the source's: the build never changes them). */
  eol: LineEnding;
  /** From offsets of `text` to offsets of the source text. */
  map: PositionMap;
  isPolicy: boolean;
  /** The PolicyId once resolved and prefixed (policies only). */
  policyId: string | undefined;
  source: SourceFile;
}

export type BuildProblemSeverity = 'error' | 'warning' | 'information';

export interface BuildProblem {
  code: DiagnosticCode;
  severity: BuildProblemSeverity;
  /** One line. Never contains a setting's value (values may be secrets that belong in a pipeline). */
  message: string;
  /** The environment it concerns (undefined for problems of appsettings.json itself). */
  environment: string | undefined;
  /** The source file (relative to the policy root), or the appsettings file name. */
  file: string;
  /** Offsets in that file's source text (without byte-order mark). */
  span: Span;
  /** The same as 0-based line and character. */
  range: Range;
  data?: Record<string, unknown>;
}

export interface ResolvedEnvironment {
  environment: EnvironmentSettings;
  /** Where the files go, relative to the policy root: `<EnvironmentsFolder>/<Name>`. */
  outputFolder: string;
  /**
   * Every file the environment takes, resolved as far as possible: a token without a value is left as it is
   * (a check of the resolved policies still runs; a build writes nothing when `problems` has an error).
   */
  files: ResolvedFile[];
  problems: BuildProblem[];
}

export interface ResolveOptions {
  /** Remove development-only settings from production environments instead of refusing them. */
  stripDevelopmentSettings?: boolean;
  /** Further output folders inside the root (relative), never taken as inputs. */
  extraOutputFolders?: string[];
}

export function lineEndingOf(text: string): LineEnding {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const all = (text.match(/\r\n|\r|\n/g) ?? []).length;
  if (all === 0) return 'none';
  if (crlf === all) return '\r\n';
  return crlf === 0 && !text.includes('\r') ? '\n' : 'mixed';
}

/** A file with its `{Settings:...}` tokens replaced (the first pass; policy ids are known only after it). */
export interface TokenPass {
  source: SourceFile;
  lines: LineIndex;
  tokenEdits: SourceEdit[];
  resolved: string;
  map: PositionMap;
  policy: PolicyFile;
  /** Tokens without a value in the environment (undefined-setting errors of the build). */
  problems: BuildProblem[];
}

/** A file resolved completely (tokens, policy ids, development settings), with its problems but for collisions. */
export interface FileResolution {
  file: ResolvedFile;
  problems: BuildProblem[];
}

function problemOf(environment: EnvironmentSettings, pass: Pick<TokenPass, 'source' | 'lines'>, code: DiagnosticCode, severity: BuildProblemSeverity, message: string, span: Span, data?: Record<string, unknown>): BuildProblem {
  return { code, severity, message, environment: environment.name, file: pass.source.relativePath, span, range: pass.lines.rangeOf(span), data };
}

/**
 * The first pass over one file: its tokens replaced by the environment's values (a token without one stays).
 * `parsed`, a parse of the source text the caller already has, is used when no token is replaced.
 */
export function resolveTokens(environment: EnvironmentSettings, source: SourceFile, parsed?: PolicyFile): TokenPass {
  const lines = parsed && parsed.text === source.text ? parsed.lines : new LineIndex(source.text);
  const tokenEdits: SourceEdit[] = [];
  const missing: Array<{ key: string; span: Span }> = [];
  for (const token of findSettingsTokens(source.text)) {
    const value = settingValue(environment, token.key, source.relativePath);
    if (value === undefined) missing.push({ key: token.key, span: token.span });
    else tokenEdits.push({ start: token.span.start, end: token.span.end, newText: value });
  }
  const { text: resolved, map } = applySourceEdits(source.text, tokenEdits);
  const problems = missing.map((m) =>
    problemOf(environment, { source, lines }, DiagnosticCodes.undefinedSetting, 'error', `{Settings:${m.key}} has no value in environment '${environment.name}': ${howToDefine(m.key)}.`, m.span, {
      key: m.key,
      environments: [environment.name],
    }),
  );
  const policy = parsed && tokenEdits.length === 0 && parsed.text === resolved ? parsed : parsePolicyFile(`environment:${source.relativePath}`, resolved);
  return { source, lines, tokenEdits, resolved, map, policy, problems };
}

/** The lower-case policy ids of a set of first passes: the ids a prefix renames (BasePolicy references included). */
export function policyIdsOf(passes: TokenPass[]): Set<string> {
  const ids = new Set<string>();
  for (const pass of passes) if (pass.policy.isPolicy && pass.policy.policyId) ids.add(pass.policy.policyId.toLowerCase());
  return ids;
}

/**
 * The second pass over one file, on its resolved text: policy ids prefixed (those in `idsOfSet`), development
 * settings refused or stripped in production, folded into one map to the source.
 */
export function resolvePolicyIds(pass: TokenPass, environment: EnvironmentSettings, idsOfSet: Set<string>, options: ResolveOptions = {}): FileResolution {
  const problems: BuildProblem[] = [...pass.problems];
  const report = (code: DiagnosticCode, severity: BuildProblemSeverity, message: string, span: Span, data?: Record<string, unknown>) =>
    problems.push(problemOf(environment, pass, code, severity, message, span, data));
  const secondEdits: SourceEdit[] = [...policyIdEdits(pass.policy, environment.policyIdPrefix, environment.policyIdSuffix, idsOfSet)];
  if (environment.production) {
    for (const setting of findDevelopmentSettings(pass.policy)) {
      const at = mapResolvedSpanToSource(pass.map, setting.span);
      if (options.stripDevelopmentSettings) {
        secondEdits.push(setting.removal);
        report(DiagnosticCodes.developmentSettingInProduction, 'information', `Removed ${setting.description} for production environment '${environment.name}'.`, at, {
          kind: setting.kind,
          stripped: true,
        });
      } else {
        report(
          DiagnosticCodes.developmentSettingInProduction,
          'error',
          `Production environment '${environment.name}' refuses ${setting.description}; remove it, or build with the option that strips development settings.`,
          at,
          { kind: setting.kind, stripped: false },
        );
      }
    }
  }
  const edits = secondEdits.length ? composeEdits(pass.tokenEdits, pass.map, pass.resolved, secondEdits) : pass.tokenEdits;
  const { text, map } = secondEdits.length ? applySourceEdits(pass.source.text, edits) : { text: pass.resolved, map: pass.map };
  const policyId = pass.policy.isPolicy && pass.policy.policyId ? rewritePolicyId(pass.policy.policyId, environment.policyIdPrefix, environment.policyIdSuffix) : undefined;
  return {
    file: { relativePath: pass.source.relativePath, text, hadBom: pass.source.hadBom, eol: lineEndingOf(text), map, isPolicy: pass.policy.isPolicy, policyId, source: pass.source },
    problems,
  };
}

export function resolveEnvironment(settings: AppSettings, environment: EnvironmentSettings, sources: SourceFile[], options: ResolveOptions = {}): ResolvedEnvironment {
  const paths = new Set(selectEnvironmentFiles(settings, environment, sources.map((s) => s.relativePath), options.extraOutputFolders));
  // First pass: tokens. The policy ids of the set are known only once every file is resolved.
  const passes = sources.filter((s) => paths.has(s.relativePath)).map((source) => resolveTokens(environment, source));
  const idsOfSet = policyIdsOf(passes);
  // Second pass: policy ids and development settings, on the resolved text, folded into one map to the source.
  const resolutions = passes.map((pass) => resolvePolicyIds(pass, environment, idsOfSet, options));
  const files = resolutions.map((r) => r.file);
  const problems = [...resolutions.flatMap((r) => r.problems), ...collisionProblems(passes, files, environment)];
  sortProblems(problems);
  return { environment, outputFolder: `${settings.environmentsFolder}/${environment.name}`, files, problems };
}

/** Problems in file order, then by offset. */
export function sortProblems(problems: BuildProblem[]): BuildProblem[] {
  return problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start));
}

function howToDefine(key: string): string {
  return builtInSetting(key) === 'Tenant' ? 'give the environment a "Tenant"' : `add "${key}" to its PolicySettings`;
}

/**
 * Two files with one policy id overwrite each other on upload. When their sources already share the id (packs
 * side by side in one root) it is a warning; when the environment's values or prefix made them collide, the
 * build is wrong and it is an error. `passes[i]` and `files[i]` are the two passes over one file.
 */
export function collisionProblems(passes: TokenPass[], files: ResolvedFile[], environment: EnvironmentSettings): BuildProblem[] {
  const problems: BuildProblem[] = [];
  const byId = new Map<string, number[]>();
  files.forEach((f, i) => {
    if (!f.policyId) return;
    const key = f.policyId.toLowerCase();
    byId.set(key, [...(byId.get(key) ?? []), i]);
  });
  for (const indexes of byId.values()) {
    if (indexes.length < 2) continue;
    const spans = indexes.map((i) => mapResolvedSpanToSource(passes[i].map, passes[i].policy.policyIdSpan!));
    const written = new Set(indexes.map((i, k) => passes[i].source.text.slice(spans[k].start, spans[k].end).toLowerCase()));
    const severity = written.size === 1 ? 'warning' : 'error';
    indexes.forEach((i, k) => {
      const others = indexes.filter((j) => j !== i).map((j) => passes[j].source.relativePath);
      problems.push(
        problemOf(
          environment,
          passes[i],
          DiagnosticCodes.policyIdCollision,
          severity,
          `Policy id '${files[i].policyId}' in environment '${environment.name}' is also the id of ${others.join(', ')}: uploads would overwrite each other.`,
          spans[k],
          { policyId: files[i].policyId, files: [files[i].relativePath, ...others] },
        ),
      );
    });
  }
  return problems;
}

export interface BuildOptions extends ResolveOptions {
  /** Names of the environments to build (any case); all when empty or undefined. */
  environments?: string[];
  /** The appsettings file name to name in problems (its case on disk). */
  appSettingsFile?: string;
}

export interface EnvironmentBuild {
  environment: string;
  outputFolder: string;
  /** The files to write; undefined when the environment has an error (nothing is written for it). */
  files: ResolvedFile[] | undefined;
  problems: BuildProblem[];
}

export interface BuildResult {
  /** Findings of appsettings.json itself; with an error among them, no environment is built. */
  appSettingsProblems: BuildProblem[];
  environments: EnvironmentBuild[];
  /** Requested names that no environment has. */
  unknownEnvironments: string[];
}

export function findEnvironment(settings: AppSettings, name: string): EnvironmentSettings | undefined {
  return settings.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
}

export function appSettingsProblems(text: string, result: AppSettingsResult, file = APPSETTINGS_FILE_NAME): BuildProblem[] {
  const lines = new LineIndex(text);
  return result.findings.map((f: Finding) => ({
    code: f.code,
    severity: f.severity === 'hint' ? 'information' : f.severity,
    message: f.message,
    environment: undefined,
    file,
    span: f.span,
    range: lines.rangeOf(f.span),
    data: f.data,
  }));
}

/** Builds the requested environments: for each, every file resolved, or nothing when it has an error. */
export function buildEnvironments(appSettingsText: string, sources: SourceFile[], options: BuildOptions = {}): BuildResult {
  const parsed = parseAppSettings(appSettingsText);
  const result: BuildResult = { appSettingsProblems: appSettingsProblems(appSettingsText, parsed, options.appSettingsFile), environments: [], unknownEnvironments: [] };
  const wanted = options.environments ?? [];
  result.unknownEnvironments = wanted.filter((n) => !findEnvironment(parsed.settings, n));
  if (parsed.hasErrors || result.unknownEnvironments.length) return result;
  const chosen = wanted.length ? parsed.settings.environments.filter((e) => wanted.some((n) => n.toLowerCase() === e.name.toLowerCase())) : parsed.settings.environments;
  for (const environment of chosen) {
    const resolved = resolveEnvironment(parsed.settings, environment, sources, options);
    const failed = resolved.problems.some((p) => p.severity === 'error');
    result.environments.push({ environment: environment.name, outputFolder: resolved.outputFolder, files: failed ? undefined : resolved.files, problems: resolved.problems });
  }
  return result;
}

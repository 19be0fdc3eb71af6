/**
 * Environments in the editor: the workspace's appsettings.json files, and what each environment makes of the
 * policy files below them (DESIGN.md section 1; issue "From editor to tenant").
 *
 * The folder of an environments file (an appsettings.json with `Environments`) is a policy root; the policy
 * files below it are templated: each environment builds a resolved copy of them. While editing, a source file
 * gets, besides its own findings:
 * - `undefined-setting`: a `{Settings:X}` token that some environment building the file does not define
 *   (a warning on the token naming them; the build of those environments fails on it);
 * - the findings of its resolved copies, mapped back to source positions (environmentFindingsForFile): a value
 *   that becomes invalid once resolved, a tenant spelled with capitals, a policy id that collides after
 *   prefixing, a development setting a production environment refuses.
 *
 * Each (root, environment) has a shadow analysis holding the environment's resolved files under the SOURCE
 * uris (the build keeps relative paths, so chains resolve among them as among the sources, and files are
 * named as the user knows them). Shadows are brought up to date lazily, when findings are asked for (the
 * server asks in its debounced publishing, not on each keystroke), file by file: a file is resolved again only
 * when its text or the environment changed, and its shadow findings are cached by the shadow's own chain
 * signature. A chain that resolves to the very texts of the source (no token, no prefix) is not checked again.
 */
import { DiagnosticCodes, type EnvironmentsRoot } from '../../protocol';
import {
  checkSettingsTokens,
  collisionProblems,
  declaresEnvironments,
  environmentFindingsForFile,
  environmentsOfFile,
  environmentTakesFile,
  isCandidateFile,
  isInOutputFolder,
  nearestSettingsRoot,
  parseAppSettings,
  policyIdsOf,
  relativePathInRoot,
  resolvePolicyIds,
  resolveTokens,
  rootOfSettingsUri,
  type AppSettingsResult,
  type BuildProblem,
  type EnvironmentCheck,
  type EnvironmentSettings,
  type FileResolution,
  type SettingsContext,
  type TokenPass,
} from '../environments';
import type { Finding } from '../findings';
import type { PolicyFile } from '../policy/model';
import type { WorkspaceIndex } from '../policy/workspace';
import { LineIndex } from '../xml/lines';
import type { Analysis } from './analysis';

/** Findings of a resolved copy that say nothing new about the source. */
const NOT_MAPPED = new Set<string>([
  // The shadow holds only the environment's files: a base outside them (uploaded by another build, or looked
  // up in the tenant by deploy) is missing there by construction, and references through it are unverified.
  DiagnosticCodes.unresolvedBasePolicy,
  DiagnosticCodes.unverifiedReferences,
  // Same ids among the environment's files are the build's policy-id-collision.
  DiagnosticCodes.duplicatePolicyId,
]);

/** An appsettings.json the service holds (open document text over disk text). */
interface SettingsFile {
  uri: string;
  rootUri: string;
  disk: string | undefined;
  open: string | undefined;
  text: string;
  /** Whether it declares environments; other appsettings.json files are ignored. */
  isEnvironments: boolean;
  parsed: AppSettingsResult;
  lines: LineIndex;
  version: number;
}

export interface EnvironmentHost {
  /** The workspace analysis whose index holds the sources. */
  main: Analysis;
  /** A new, empty analysis (a shadow). */
  createAnalysis(): Analysis;
}

export class EnvironmentAnalysis {
  private readonly files = new Map<string, SettingsFile>();
  private readonly shadows = new Map<string, EnvironmentShadow>();
  private readonly memo = new Map<string, { key: unknown[]; findings: Finding[] }>();
  /** Bumped on every change of a source or settings file: shadows compare it to know they are current. */
  private generation = 0;
  private versionCounter = 0;

  constructor(private readonly host: EnvironmentHost) {}

  private get index(): WorkspaceIndex {
    return this.host.main.index;
  }

  /** A source file changed somewhere (the facade calls this on every change). */
  touch(): void {
    this.generation++;
  }

  // ---- settings files ---------------------------------------------------------------------------------

  /** Sets an appsettings.json's disk text (undefined: deleted) or open text (undefined: closed). Returns the affected uris. */
  setSettingsText(uri: string, text: string | undefined, layer: 'disk' | 'open'): string[] {
    const before = this.affectedBySettings(uri);
    const previous = this.files.get(uri);
    const disk = layer === 'disk' ? text : previous?.disk;
    const open = layer === 'open' ? text : previous?.open;
    const current = open ?? disk;
    if (current === undefined) this.files.delete(uri);
    else if (current !== previous?.text) {
      this.files.set(uri, {
        uri,
        rootUri: rootOfSettingsUri(uri),
        disk,
        open,
        text: current,
        isEnvironments: declaresEnvironments(current),
        parsed: parseAppSettings(current),
        lines: new LineIndex(current),
        version: ++this.versionCounter,
      });
    } else this.files.set(uri, { ...previous, disk, open });
    if (this.files.get(uri)?.text === previous?.text) return [uri];
    for (const key of [...this.shadows.keys()]) if (key.startsWith(uri + '\n')) this.shadows.delete(key);
    this.touch();
    this.dropIndexedOutputs();
    return [...new Set([uri, ...before, ...this.affectedBySettings(uri)])];
  }

  isSettingsFile(uri: string): boolean {
    return this.files.has(uri);
  }

  isOpenSettingsFile(uri: string): boolean {
    return this.files.get(uri)?.open !== undefined;
  }

  /** Every appsettings.json the service holds. */
  settingsFileUris(): string[] {
    return [...this.files.keys()];
  }

  /** Whether a file lies in an output folder of an environments file: such files are not indexed as sources. */
  isOutput(uri: string): boolean {
    for (const file of this.environmentsFiles()) if (isInOutputFolder(file.parsed.settings, file.rootUri, uri)) return true;
    return false;
  }

  /** The findings of an appsettings.json itself (`appsettings-*` codes), with the lines to place them. */
  settingsFindings(uri: string): { findings: Finding[]; lines: LineIndex } | undefined {
    const file = this.files.get(uri);
    if (!file?.isEnvironments) return undefined;
    const findings = [...file.parsed.findings];
    const siblings = this.environmentsFiles().filter((f) => f.rootUri === file.rootUri && f.uri !== uri);
    if (siblings.length) {
      findings.push({
        code: DiagnosticCodes.appsettingsInvalid,
        severity: 'error',
        message: `This folder has several appsettings files (${siblings.map((s) => baseName(s.uri)).join(', ')}): the build refuses to guess; keep one.`,
        span: { start: 0, end: 0 },
        data: { reason: 'several-files' },
      });
    }
    return { findings, lines: file.lines };
  }

  /** The roots and their environments (for the client's pickers and status bar). */
  roots(): EnvironmentsRoot[] {
    return this.activeFiles().map((f) => ({
      rootUri: f.rootUri,
      settingsUri: f.uri,
      environmentsFolder: f.parsed.settings.environmentsFolder,
      environments: f.parsed.settings.environments.map((e) => ({ name: e.name, production: e.production, tenant: e.tenant })),
      hasErrors: f.parsed.hasErrors,
    }));
  }

  /** The settings that govern a policy file: the nearest environments file above it. */
  contextFor(fileUri: string): SettingsContext | undefined {
    const file = this.governing(fileUri);
    return file ? { settings: file.parsed.settings, rootUri: file.rootUri } : undefined;
  }

  // ---- findings of policy files -----------------------------------------------------------------------

  /**
   * A policy file's own findings (`own`, from the workspace analysis) with those its environments add:
   * undefined settings and the mapped findings of its resolved copies. `own` itself when no environment
   * builds the file.
   */
  withEnvironmentFindings(uri: string, own: Finding[]): Finding[] {
    const settingsFile = this.governing(uri);
    const file = this.host.main.policy(uri);
    if (!settingsFile || !file) return own;
    const context: SettingsContext = { settings: settingsFile.parsed.settings, rootUri: settingsFile.rootUri };
    const relativePath = relativePathInRoot(settingsFile.rootUri, uri);
    const environments = environmentsOfFile(context, uri);
    if (relativePath === undefined || environments.length === 0) return own;
    const checks: EnvironmentCheck[] = [];
    const key: unknown[] = [own, file, settingsFile.version];
    for (const environment of environments) {
      const shadow = this.shadowOf(settingsFile, environment);
      shadow.sync(this.generation);
      const resolution = shadow.resolution(uri);
      if (!resolution) continue;
      const findings = shadow.resolvedFindings(uri);
      const collisions = shadow.collisionsOf(relativePath);
      key.push(resolution, findings, collisions);
      checks.push({
        resolved: { environment, outputFolder: `${context.settings.environmentsFolder}/${environment.name}`, files: [resolution.file], problems: [...resolution.problems, ...collisions] },
        findingsByPath: new Map([[relativePath, findings]]),
      });
    }
    const memo = this.memo.get(uri);
    if (memo && memo.key.length === key.length && memo.key.every((k, i) => k === key[i])) return memo.findings;
    let added: Finding[] = [];
    try {
      added = [...checkSettingsTokens(file.text, uri, context), ...environmentFindingsForFile(relativePath, own, checks)];
    } catch (e) {
      this.host.main.log(`environment findings failed on ${uri}: ${(e as Error).stack ?? e}`);
    }
    const findings = added.length ? [...own, ...added].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end) : own;
    this.memo.set(uri, { key, findings });
    return findings;
  }

  // ---- internals --------------------------------------------------------------------------------------

  private environmentsFiles(): SettingsFile[] {
    return [...this.files.values()].filter((f) => f.isEnvironments).sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  /** One environments file per root: the first by uri when a folder has several (they are reported). */
  private activeFiles(): SettingsFile[] {
    const seen = new Set<string>();
    return this.environmentsFiles().filter((f) => !seen.has(f.rootUri) && !!seen.add(f.rootUri));
  }

  private governing(fileUri: string): SettingsFile | undefined {
    const active = this.activeFiles();
    const root = nearestSettingsRoot(fileUri, active.map((f) => f.rootUri));
    return root === undefined ? undefined : active.find((f) => f.rootUri === root);
  }

  private affectedBySettings(uri: string): string[] {
    const root = rootOfSettingsUri(uri);
    return this.index
      .all()
      .filter((f) => relativePathInRoot(root, f.uri) !== undefined)
      .map((f) => f.uri);
  }

  /** Disk files of the index that lie in an output folder are dropped (open documents stay as they are). */
  private dropIndexedOutputs(): void {
    for (const file of this.index.all()) if (!this.index.isOpen(file.uri) && this.isOutput(file.uri)) this.index.deleteDiskFile(file.uri);
  }

  private shadowOf(settingsFile: SettingsFile, environment: EnvironmentSettings): EnvironmentShadow {
    const key = `${settingsFile.uri}\n${environment.name.toLowerCase()}`;
    let shadow = this.shadows.get(key);
    if (!shadow) this.shadows.set(key, (shadow = new EnvironmentShadow(this.host, settingsFile, environment)));
    return shadow;
  }
}

/** One environment of one root: its resolved files, checked by an analysis of their own. */
class EnvironmentShadow {
  private readonly analysis: Analysis;
  private readonly passes = new Map<string, { source: PolicyFile; relativePath: string; pass: TokenPass }>();
  private readonly resolutions = new Map<string, { pass: TokenPass; idsKey: string; resolution: FileResolution }>();
  private collisions = new Map<string, BuildProblem[]>();
  /** The mapped subset of each file's shadow findings, kept while those are the same array. */
  private readonly mapped = new Map<string, { all: Finding[]; kept: Finding[] }>();
  private syncedGeneration = -1;

  constructor(
    private readonly host: EnvironmentHost,
    private readonly settingsFile: SettingsFile,
    private readonly environment: EnvironmentSettings,
  ) {
    this.analysis = host.createAnalysis();
  }

  /** Brings the resolved files up to date with the workspace (once per generation). */
  sync(generation: number): void {
    this.analysis.adoptConfiguration(this.host.main);
    if (this.syncedGeneration === generation) return;
    this.syncedGeneration = generation;
    const { rootUri, parsed } = this.settingsFile;
    const current = new Set<string>();
    let changed = false;
    for (const source of this.host.main.index.policies()) {
      const relativePath = relativePathInRoot(rootUri, source.uri);
      if (relativePath === undefined || !isCandidateFile(parsed.settings, relativePath)) continue;
      if (!environmentTakesFile(this.environment, relativePath)) continue;
      current.add(source.uri);
      const known = this.passes.get(source.uri);
      if (known?.source === source) continue;
      this.passes.set(source.uri, { source, relativePath, pass: resolveTokens(this.environment, { relativePath, text: source.text, hadBom: false }, source) });
      changed = true;
    }
    for (const uri of [...this.passes.keys()]) {
      if (current.has(uri)) continue;
      this.passes.delete(uri);
      this.resolutions.delete(uri);
      this.analysis.index.deleteDiskFile(uri);
      changed = true;
    }
    if (!changed) return;
    const passes = [...this.passes.values()].map((p) => p.pass);
    const ids = policyIdsOf(passes);
    // Ids matter to the second pass only when it renames them.
    const idsKey = this.environment.policyIdPrefix || this.environment.policyIdSuffix ? [...ids].sort().join('|') : '';
    const files = [];
    for (const [uri, { pass }] of this.passes) {
      let entry = this.resolutions.get(uri);
      if (!entry || entry.pass !== pass || entry.idsKey !== idsKey) {
        entry = { pass, idsKey, resolution: resolvePolicyIds(pass, this.environment, ids) };
        this.resolutions.set(uri, entry);
        if (this.analysis.index.get(uri)?.text !== entry.resolution.file.text) this.analysis.index.setDiskFile(uri, entry.resolution.file.text);
      }
      files.push(entry.resolution.file);
    }
    const collisions = new Map<string, BuildProblem[]>();
    for (const problem of collisionProblems(passes, files, this.environment)) collisions.set(problem.file, [...(collisions.get(problem.file) ?? []), problem]);
    // Keep the arrays of files whose collisions did not change (callers memoise on identity).
    for (const [file, problems] of collisions) {
      const previous = this.collisions.get(file);
      if (previous && JSON.stringify(previous) === JSON.stringify(problems)) collisions.set(file, previous);
    }
    this.collisions = collisions;
  }

  resolution(uri: string): FileResolution | undefined {
    return this.resolutions.get(uri)?.resolution;
  }

  collisionsOf(relativePath: string): BuildProblem[] {
    return this.collisions.get(relativePath) ?? NONE;
  }

  /**
   * The findings of the resolved copy, in offsets of the resolved text; none when its whole chain resolved to
   * the source texts (the source's own findings already say everything).
   */
  resolvedFindings(uri: string): Finding[] {
    const file = this.analysis.policy(uri);
    if (!file) return NONE;
    const chain = this.analysis.index.chain(file).files;
    const sourceFile = this.host.main.policy(uri);
    const sourceChain = sourceFile ? this.host.main.index.chain(sourceFile).files : [];
    const unchanged = chain.length === sourceChain.length && chain.every((f, i) => f.uri === sourceChain[i].uri && f.text === sourceChain[i].text);
    if (unchanged) return NONE;
    const all = this.analysis.findings(uri);
    const cached = this.mapped.get(uri);
    if (cached?.all === all) return cached.kept;
    const kept = all.filter((f) => !NOT_MAPPED.has(f.code));
    this.mapped.set(uri, { all, kept });
    return kept;
  }
}

const NONE: never[] = [];

function baseName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

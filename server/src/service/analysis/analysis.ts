import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import { ChainModel } from '../journeys/model';
import type { EffectivePolicy } from '../policy/effective';
import type { PolicyFile } from '../policy/model';
import { evictLeastRecentlyUsed, WorkspaceIndex } from '../policy/workspace';
import { compileTemplateTokens, DEFAULT_TEMPLATE_TOKENS, type RuleContext, type RuleSettings } from '../rules/context';
import { RULES } from '../rules';
import { validateDocument, type CompiledSchema } from '../schema';
import { redactSecrets } from '../rules/secrets';
import { appendFindings, applyFindingBudget, chainBudgetFinding, internalErrorFinding } from './budget';
import { EnvironmentAnalysis } from './environments';
import { scopeOfRule, type RuleScope } from './ruleDependencies';
import { SymbolIndex } from './symbols';

/** Settings of the analysis (the `b2cPolicy.*` settings that change findings). */
export interface ServiceSettings {
  policyKeys: string[];
  /** Regular expressions (as strings) of template tokens. */
  templateTokens: string[];
  /** Folders (URIs, no trailing slash) holding an appsettings.json: the policies below them are templates. */
  settingsRoots: string[];
}

export const DEFAULT_SETTINGS: ServiceSettings = { policyKeys: [], templateTokens: DEFAULT_TEMPLATE_TOKENS, settingsRoots: [] };

export interface AnalysisOptions {
  /** The compiled framework schema; without one, no schema checks run. */
  schema?: CompiledSchema;
  settings?: Partial<ServiceSettings>;
  /** Where failing checks are logged (each becomes an internal-error finding; the others still report). */
  log?: (message: string) => void;
}

/** How many journey models and effective policies are kept for files that are not open (least recently used go first). */
export const CHAIN_CACHE_SIZE = 64;

/** One check's findings on a file, and the key of what they were computed from (see ruleDependencies.ts). */
interface CachedCheck {
  key: string;
  findings: Finding[];
}

/** The names of the checks that are not rules in the cache (the rules have theirs in rules/index.ts). */
const SYNTAX = 'xml';
const SCHEMA = 'schema';
const CHAIN_BUDGET = 'chainBudget';
const NO_FINDINGS: Finding[] = [];

/**
 * The analysis layer beneath the features: the workspace index (files, chains, effective policies), the
 * schema, the settings, and the findings of each file cached per check by what that check depends on
 * (ruleDependencies.ts): an edit in a base re-runs its descendants' chain checks but not their schema
 * validation. Features read it; only the language service facade changes it.
 */
export class Analysis {
  readonly index = new WorkspaceIndex({ keep: CHAIN_CACHE_SIZE });
  /** Symbols for navigation (definitions, references, rename), cached by chain signatures. */
  readonly symbols = new SymbolIndex(this.index);
  private currentSchema: CompiledSchema | undefined;
  private ruleSettings: RuleSettings;
  readonly log: (message: string) => void;
  /**
   * Journey models per uri, valid while the effective policy they were built from is current. Bounded: the
   * models of open documents stay, the others are rebuilt when needed again.
   */
  private readonly models = new Map<string, { effective: EffectivePolicy; model: ChainModel }>();
  /** Per uri: per check, the findings and the key they were computed for; and all of them, sorted. */
  private readonly cache = new Map<string, { checks: Map<string, CachedCheck>; merged: Finding[] | undefined }>();
  private settingsGeneration = 0;
  /** How many journey models were built (the benchmark reports it). */
  chainModelsBuilt = 0;
  /** The workspace's appsettings.json files and what their environments make of the policy files. */
  readonly environments: EnvironmentAnalysis = new EnvironmentAnalysis({ main: this, createAnalysis: () => new Analysis({ log: (m) => this.log(m) }) });

  constructor(options: AnalysisOptions = {}) {
    this.currentSchema = options.schema;
    this.ruleSettings = toRuleSettings({ ...DEFAULT_SETTINGS, ...options.settings });
    this.log = options.log ?? (() => undefined);
  }

  configure(settings: Partial<ServiceSettings>, schema?: CompiledSchema | null): void {
    this.ruleSettings = toRuleSettings({ ...DEFAULT_SETTINGS, ...settings });
    if (schema !== undefined) this.currentSchema = schema ?? undefined;
    this.settingsGeneration++;
    this.cache.clear();
    // Models memoise results computed with the settings (template tokens).
    this.models.clear();
  }

  /** The compiled schema in use (undefined when none was given). */
  get schema(): CompiledSchema | undefined {
    return this.currentSchema;
  }

  get settings(): RuleSettings {
    return this.ruleSettings;
  }

  /** The parsed policy file at a uri (undefined for unknown and non-policy files). */
  policy(uri: string): PolicyFile | undefined {
    const file = this.index.get(uri);
    return file?.isPolicy ? file : undefined;
  }

  effective(file: PolicyFile): EffectivePolicy {
    return this.index.effective(file);
  }

  /** The journey model of a file's chain, built once per chain version (and again after it was dropped). */
  chainModel(file: PolicyFile): ChainModel {
    const effective = this.index.effective(file);
    const cached = this.models.get(file.uri);
    if (cached && cached.effective === effective) {
      // Most recently used last.
      this.models.delete(file.uri);
      this.models.set(file.uri, cached);
      return cached.model;
    }
    const model = new ChainModel(effective);
    this.chainModelsBuilt++;
    this.models.delete(file.uri);
    this.models.set(file.uri, { effective, model });
    evictLeastRecentlyUsed(this.models, CHAIN_CACHE_SIZE, (uri) => this.index.isOpen(uri));
    return model;
  }

  /**
   * All findings for a file: XML syntax, schema, every rule. Empty for non-policy files. Fail closed: a check
   * that fails is an internal-error finding; past the per-file budget one finding carries the count of those
   * not listed; no finding quotes a secret the secrets rule found.
   */
  findings(uri: string): Finding[] {
    const file = this.policy(uri);
    if (!file) return [];
    let cached = this.cache.get(uri);
    if (!cached) this.cache.set(uri, (cached = { checks: new Map(), merged: undefined }));
    const { checks } = cached;
    const keys = new DependencyKeys(this.index, file, `${this.settingsGeneration}/${this.settingsRoots().join('|')}`);
    let recomputed = false;
    /** One check's findings: the cached ones when computed under the same key, else computed now. */
    const check = (name: string, key: string, compute: () => Finding[]): Finding[] => {
      const entry = checks.get(name);
      if (entry && entry.key === key) return entry.findings;
      recomputed = true;
      const computed = compute();
      checks.set(name, { key, findings: computed.length ? computed : NO_FINDINGS });
      return computed;
    };
    const parts: Finding[][] = [];
    const fileKey = keys.of('file');
    parts.push(check(SYNTAX, fileKey, () => syntaxFindings(file)));
    parts.push(check(SCHEMA, fileKey, () => this.schemaFindings(file)));
    // A chain too large to check within the budget gets syntax and schema checks only, and one finding that says so.
    const overBudget = check(CHAIN_BUDGET, keys.of('chain'), () => {
      const finding = chainBudgetFinding(this.index.chain(file).files);
      return finding ? [finding] : NO_FINDINGS;
    });
    parts.push(overBudget);
    let context: RuleContext | undefined;
    let contextFailed = false;
    if (overBudget.length === 0) {
      for (const [name, rule] of RULES) {
        const previous = checks.get(name);
        // references: only an unresolved reference's message names a descendant; without one, the chain decides.
        const dependsOnDescendants = name !== 'references' || !previous || previous.findings.some((f) => f.code === DiagnosticCodes.unresolvedReference);
        const key = keys.of(dependsOnDescendants ? scopeOfRule(name) : 'chain');
        parts.push(
          check(name, key, () => {
            if (contextFailed) return NO_FINDINGS;
            try {
              context ??= this.ruleContext(file);
            } catch (e) {
              contextFailed = true;
              this.log(`the chain of ${file.uri} could not be built: ${(e as Error).stack ?? e}`);
              return [internalErrorFinding('chain', e)];
            }
            try {
              return rule(context);
            } catch (e) {
              this.log(`rule ${name} failed on ${file.uri}: ${(e as Error).stack ?? e}`);
              return [internalErrorFinding(name, e)];
            }
          }),
        );
        if (name === 'references') {
          const entry = checks.get(name)!;
          entry.key = keys.of(entry.findings.some((f) => f.code === DiagnosticCodes.unresolvedReference) ? 'descendants' : 'chain');
        }
      }
    }
    if (!recomputed && cached.merged) return cached.merged;
    const findings: Finding[] = [];
    for (const part of parts) appendFindings(findings, part);
    // Stable: findings at the same span keep the order of the checks.
    findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    cached.merged = applyFindingBudget(redactSecrets(file, findings));
    return cached.merged;
  }

  private schemaFindings(file: PolicyFile): Finding[] {
    if (!this.currentSchema) return NO_FINDINGS;
    try {
      return validateDocument(this.currentSchema, file.xml, { templateTokens: this.ruleSettings.templateTokens, throwInternalErrors: true });
    } catch (e) {
      this.log(`schema validation failed on ${file.uri}: ${(e as Error).stack ?? e}`);
      return [internalErrorFinding('schema', e)];
    }
  }

  /** What every rule gets about a file: its chain, effective policy, the index and the settings. */
  ruleContext(file: PolicyFile): RuleContext {
    const settingsRoots = this.settingsRoots();
    return {
      file,
      chain: this.index.chain(file),
      effective: this.index.effective(file),
      index: this.index,
      settings: settingsRoots === this.ruleSettings.settingsRoots ? this.ruleSettings : { ...this.ruleSettings, settingsRoots },
      chainModel: (f) => this.chainModel(f),
    };
  }

  /**
   * Folders whose policies are templated by an appsettings.json: those configured (the CLI finds them on disk)
   * and those of the environments files the workspace holds (the editor).
   */
  private settingsRoots(): string[] {
    const known = this.environments.roots().map((r) => r.rootUri);
    if (known.length === 0) return this.ruleSettings.settingsRoots;
    return [...new Set([...this.ruleSettings.settingsRoots, ...known])].sort();
  }

  /**
   * The policy files whose findings may change when `uri` changes: the file itself, every file whose chain
   * includes it, and its bases (a base's unresolved reference says which descendant defines the id).
   */
  affectedBy(uri: string): string[] {
    const out = new Set<string>([uri]);
    for (const d of this.index.descendants(uri)) out.add(d.uri);
    const file = this.index.get(uri);
    if (file?.isPolicy) for (const f of this.index.chain(file).files) out.add(f.uri);
    return [...out];
  }

  /** Checks with another analysis's schema and settings (environment shadows check like the workspace). */
  adoptConfiguration(from: Analysis): void {
    if (this.currentSchema === from.currentSchema && this.ruleSettings === from.ruleSettings) return;
    this.currentSchema = from.currentSchema;
    this.ruleSettings = from.ruleSettings;
    this.settingsGeneration++;
    this.cache.clear();
    this.models.clear();
  }
}

/** The XML problems of a file as findings. */
function syntaxFindings(file: PolicyFile): Finding[] {
  if (!file.xml.problems.length) return NO_FINDINGS;
  return file.xml.problems.map((p) => ({
    code: p.code === 'doctype-not-allowed' ? DiagnosticCodes.doctypeNotAllowed : DiagnosticCodes.xmlSyntax,
    severity: 'error' as const,
    message: p.message,
    span: p.span,
  }));
}

/**
 * The keys of the dependency scopes of one file, each computed on first use: versions are unique across all
 * parses, so a list of versions identifies the texts it was computed from.
 */
class DependencyKeys {
  private readonly keys = new Map<RuleScope, string>();

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly file: PolicyFile,
    /** What the settings make of the findings (their generation, the templated folders). */
    private readonly settingsKey: string,
  ) {}

  of(scope: RuleScope): string {
    let key = this.keys.get(scope);
    if (key === undefined) {
      key = this.compute(scope);
      this.keys.set(scope, key);
    }
    return key;
  }

  private compute(scope: RuleScope): string {
    switch (scope) {
      case 'file':
        return `${this.settingsKey}#${this.file.version}`;
      case 'chain':
        return `${this.settingsKey}#${this.index.chainSignature(this.file)}`;
      case 'shape':
        return `${this.of('chain')}#${this.index.shapeGeneration}`;
      case 'descendants':
        return `${this.of('chain')}>${versionsOf(this.index.descendants(this.file.uri))}`;
      case 'all':
        return `${this.of('descendants')}#${this.index.shapeGeneration}`;
    }
  }
}

function versionsOf(files: PolicyFile[]): string {
  let s = '';
  for (const f of files) s += f.version + ',';
  return s;
}

function toRuleSettings(settings: ServiceSettings): RuleSettings {
  return {
    policyKeys: settings.policyKeys ?? [],
    templateTokens: compileTemplateTokens(settings.templateTokens ?? DEFAULT_TEMPLATE_TOKENS),
    settingsRoots: settings.settingsRoots ?? [],
  };
}

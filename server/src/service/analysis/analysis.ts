import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import { ChainModel } from '../journeys/model';
import type { EffectivePolicy } from '../policy/effective';
import type { PolicyFile } from '../policy/model';
import { WorkspaceIndex } from '../policy/workspace';
import { compileTemplateTokens, DEFAULT_TEMPLATE_TOKENS, type RuleContext, type RuleSettings } from '../rules/context';
import { RULES } from '../rules';
import { validateDocument, type CompiledSchema } from '../schema';
import { SymbolIndex } from './symbols';
import { EnvironmentAnalysis } from './environments';
import { redactSecrets } from '../rules/secrets';
import { appendFindings, applyFindingBudget, chainBudgetFinding, internalErrorFinding } from './budget';

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
  /** Where failing rules are logged (each becomes an internal-error finding; the others still report). */
  log?: (message: string) => void;
}

/**
 * The analysis layer beneath the features: the workspace index (files, chains, effective policies), the
 * schema, the settings, and the findings of each file cached by what they depend on. Features read it;
 * only the language service facade changes it.
 */
export class Analysis {
  readonly index = new WorkspaceIndex();
  /** Symbols for navigation (definitions, references, rename), cached by chain signatures. */
  readonly symbols = new SymbolIndex(this.index);
  private currentSchema: CompiledSchema | undefined;
  private ruleSettings: RuleSettings;
  readonly log: (message: string) => void;
  /** Journey models per uri, valid while the effective policy they were built from is current. */
  private readonly models = new Map<string, { effective: EffectivePolicy; model: ChainModel }>();
  /**
   * Findings per uri, valid while the chain signature (files and versions) and settings are unchanged, and
   * while the file's descendants are unchanged (rules read them: an unresolved reference's message says which
   * descendant defines the id; a base's profile may be completed by a descendant).
   */
  private readonly cache = new Map<string, { signature: string; descendants: string | undefined; findings: Finding[] }>();
  private settingsGeneration = 0;
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

  /** The journey model of a file's chain, built once per chain version. */
  chainModel(file: PolicyFile): ChainModel {
    const effective = this.index.effective(file);
    const cached = this.models.get(file.uri);
    if (cached && cached.effective === effective) return cached.model;
    const model = new ChainModel(effective);
    this.models.set(file.uri, { effective, model });
    return model;
  }

  /** All findings for a file: XML syntax, schema, cross-references. Empty for non-policy files. */
  findings(uri: string): Finding[] {
    const file = this.policy(uri);
    if (!file) return [];
    const signature = `${this.settingsGeneration}#${this.index.chainSignature(file)}#${this.settingsRoots().join('|')}`;
    const cached = this.cache.get(uri);
    if (cached && cached.signature === signature && (cached.descendants === undefined || cached.descendants === this.descendantSignature(file))) return cached.findings;
    const findings = this.computeFindings(file);
    // Descendants matter to every file, not only to one with an unresolved reference: the metadata and
    // localization rules read them too (a base's profile that an Extensions completes). Found by the fuzzer.
    this.cache.set(uri, { signature, descendants: this.descendantSignature(file), findings });
    return findings;
  }

  private descendantSignature(file: PolicyFile): string {
    return this.index
      .descendants(file.uri)
      .map((d) => `${d.uri}@${d.version}`)
      .join('|');
  }

  private computeFindings(file: PolicyFile): Finding[] {
    const findings: Finding[] = file.xml.problems.map((p) => ({
      code: p.code === 'doctype-not-allowed' ? DiagnosticCodes.doctypeNotAllowed : DiagnosticCodes.xmlSyntax,
      severity: 'error' as const,
      message: p.message,
      span: p.span,
    }));
    if (this.currentSchema) {
      try {
        appendFindings(findings, validateDocument(this.currentSchema, file.xml, { templateTokens: this.ruleSettings.templateTokens, throwInternalErrors: true }));
      } catch (e) {
        this.log(`schema validation failed on ${file.uri}: ${(e as Error).stack ?? e}`);
        findings.push(internalErrorFinding('schema', e));
      }
    }
    const overBudget = chainBudgetFinding(this.index.chain(file).files);
    if (overBudget) findings.push(overBudget);
    else this.runRules(file, findings);
    findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    // Fail closed: a check that failed is an internal-error finding above, and past the budget one finding
    // carries the count of those not listed. No finding quotes a secret the secrets rule found.
    return applyFindingBudget(redactSecrets(file, findings));
  }

  /** Runs every rule on a file; a rule that throws is an internal-error finding (and logged). */
  private runRules(file: PolicyFile, findings: Finding[]): void {
    let context: RuleContext;
    try {
      context = this.ruleContext(file);
    } catch (e) {
      this.log(`the chain of ${file.uri} could not be built: ${(e as Error).stack ?? e}`);
      findings.push(internalErrorFinding('chain', e));
      return;
    }
    for (const [name, rule] of RULES) {
      try {
        appendFindings(findings, rule(context));
      } catch (e) {
        this.log(`rule ${name} failed on ${file.uri}: ${(e as Error).stack ?? e}`);
        findings.push(internalErrorFinding(name, e));
      }
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
  }

}

function toRuleSettings(settings: ServiceSettings): RuleSettings {
  return {
    policyKeys: settings.policyKeys ?? [],
    templateTokens: compileTemplateTokens(settings.templateTokens ?? DEFAULT_TEMPLATE_TOKENS),
    settingsRoots: settings.settingsRoots ?? [],
  };
}

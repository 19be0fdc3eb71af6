import { DiagnosticCodes } from '../protocol';
import type { Finding } from './findings';
import type { PolicyFile } from './policy/model';
import { WorkspaceIndex } from './policy/workspace';
import { checkBasePolicy } from './rules/basePolicy';
import { compileTemplateTokens, DEFAULT_TEMPLATE_TOKENS, type Rule, type RuleContext, type RuleSettings } from './rules/context';
import { checkClaimsExchangeTargets } from './rules/journeys';
import { checkLocalizedElements } from './rules/localization';
import { checkPolicyKeys } from './rules/policyKeys';
import { checkReferences } from './rules/references';
import { checkSecrets } from './rules/secrets';
import { checkTenantNames } from './rules/tenantNames';
import { validateDocument, type CompiledSchema } from './schema';

export interface ServiceSettings {
  policyKeys: string[];
  /** Regular expressions (as strings) of template tokens. */
  templateTokens: string[];
}

export const DEFAULT_SETTINGS: ServiceSettings = { policyKeys: [], templateTokens: DEFAULT_TEMPLATE_TOKENS };

export interface ServiceOptions {
  /** The compiled framework schema; without one, no schema checks run. */
  schema?: CompiledSchema;
  settings?: Partial<ServiceSettings>;
  /** Where failing rules are logged (they are skipped; the others still report). */
  log?: (message: string) => void;
}

const CROSS_REFERENCE_RULES: Array<[string, Rule]> = [
  ['basePolicy', checkBasePolicy],
  ['references', checkReferences],
  ['claimsExchanges', checkClaimsExchangeTargets],
  ['policyKeys', checkPolicyKeys],
  ['tenantNames', checkTenantNames],
  ['secrets', checkSecrets],
  ['localization', checkLocalizedElements],
];

/**
 * The pure language service: a workspace index plus the checks. No LSP connection, no file system: the
 * server and the CLI feed it text and ask for findings.
 */
export class PolicyLanguageService {
  readonly index = new WorkspaceIndex();
  private schema: CompiledSchema | undefined;
  private settings: RuleSettings;
  private readonly log: (message: string) => void;
  /** Findings per uri, valid while the chain signature (files and versions) and settings are unchanged. */
  private readonly cache = new Map<string, { signature: string; findings: Finding[] }>();
  private settingsGeneration = 0;

  constructor(options: ServiceOptions = {}) {
    this.schema = options.schema;
    this.settings = toRuleSettings({ ...DEFAULT_SETTINGS, ...options.settings });
    this.log = options.log ?? (() => undefined);
  }

  configure(settings: Partial<ServiceSettings>, schema?: CompiledSchema | null): void {
    this.settings = toRuleSettings({ ...DEFAULT_SETTINGS, ...settings });
    if (schema !== undefined) this.schema = schema ?? undefined;
    this.settingsGeneration++;
    this.cache.clear();
  }

  /** The compiled schema in use (undefined when none was given). */
  get currentSchema(): CompiledSchema | undefined {
    return this.schema;
  }

  get ruleSettings(): RuleSettings {
    return this.settings;
  }

  /** All findings for a file: XML syntax, schema, cross-references. Empty for non-policy files. */
  diagnose(uri: string): Finding[] {
    const file = this.index.get(uri);
    if (!file || !file.isPolicy) return [];
    const signature = `${this.settingsGeneration}#${this.index.chainSignature(file)}#${this.dependencySignature(file)}`;
    const cached = this.cache.get(uri);
    if (cached && cached.signature === signature) return cached.findings;
    const findings = this.computeFindings(file);
    this.cache.set(uri, { signature, findings });
    return findings;
  }

  /**
   * References a file's own chain cannot resolve may be resolved by the policies that build on it, so a
   * file's findings also depend on its descendants; only files with unresolved references pay for this.
   */
  private dependencySignature(file: PolicyFile): string {
    const descendants = this.index.descendants(file.uri);
    return descendants.length ? descendants.map((d) => `${d.uri}@${d.version}`).join('|') : '';
  }

  private computeFindings(file: PolicyFile): Finding[] {
    const findings: Finding[] = file.xml.problems.map((p) => ({
      code: p.code === 'doctype-not-allowed' ? DiagnosticCodes.doctypeNotAllowed : DiagnosticCodes.xmlSyntax,
      severity: 'error' as const,
      message: p.message,
      span: p.span,
    }));
    if (this.schema) {
      try {
        findings.push(...validateDocument(this.schema, file.xml, { templateTokens: this.settings.templateTokens }));
      } catch (e) {
        this.log(`schema validation failed on ${file.uri}: ${(e as Error).stack ?? e}`);
      }
    }
    const chain = this.index.chain(file);
    const context: RuleContext = { file, chain, effective: this.index.effective(file), index: this.index, settings: this.settings };
    for (const [name, rule] of CROSS_REFERENCE_RULES) {
      try {
        findings.push(...rule(context));
      } catch (e) {
        this.log(`rule ${name} failed on ${file.uri}: ${(e as Error).stack ?? e}`);
      }
    }
    findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    return findings;
  }

  /**
   * The policy files whose findings may change when `uri` changes: the file itself, every file whose
   * chain includes it, and the files its own chain includes (a child can resolve a base's reference).
   */
  affectedBy(uri: string): string[] {
    const out = new Set<string>([uri]);
    for (const d of this.index.descendants(uri)) out.add(d.uri);
    const file = this.index.get(uri);
    if (file?.isPolicy) for (const f of this.index.chain(file).files) out.add(f.uri);
    return [...out];
  }
}

function toRuleSettings(settings: ServiceSettings): RuleSettings {
  return { policyKeys: settings.policyKeys ?? [], templateTokens: compileTemplateTokens(settings.templateTokens ?? DEFAULT_TEMPLATE_TOKENS) };
}

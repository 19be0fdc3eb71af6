/**
 * The deploy plan: which policies go up, in which order, and what refuses the deploy before anything is sent.
 *
 * Order: a policy whose BasePolicy is not in the tenant is rejected (`Policy with 'policyId': <ID> cannot be
 * found in the directory '<guid>'`, service-errors.md #6), so every base goes before its children, level by
 * level; policies of one level are independent (graph-deploy.md, "Order").
 */
import { createSha256 } from '../service/util/sha256';
import { stripBom } from '../node/policyFiles';
import { DiagnosticCodes } from '../protocol';
import type { Diagnostic } from 'vscode-languageserver-types';
import { toDiagnostic } from '../service/features/diagnostics';
import type { Finding } from '../service/findings';
import { parsePolicyFile, type PolicyFile } from '../service/policy/model';
import { DEFAULT_TEMPLATE_TOKENS } from '../service/rules/context';
import type { Span, XmlElement } from '../service/xml/nodes';
import { getAttribute, walkElements } from '../service/xml/query';

export interface DeployInput {
  /** How the file is shown to the user (as given, or relative to the folder deployed). */
  path: string;
  /** The policy as it will be uploaded (a leading byte-order mark is dropped). */
  text: string;
}

export interface PlannedPolicy {
  path: string;
  policyId: string;
  /** PolicyId in capitals: the service compares ids case-insensitively and reports them in capitals. */
  key: string;
  baseId: string | undefined;
  baseKey: string | undefined;
  /** Depth in the input: 0 when the base is not among the inputs. */
  depth: number;
  file: PolicyFile;
  /** The request body: UTF-8 without byte-order mark (service-errors.md #1: the body must be raw XML). */
  body: Uint8Array;
  /** SHA-256 of the body, hex. */
  hash: string;
}

export interface FileFindings {
  path: string;
  file: PolicyFile;
  findings: Finding[];
}

export interface AssumedBase {
  policyId: string;
  /** Paths of the uploads that build on it. */
  children: string[];
  reason: 'not-in-input' | 'not-selected' | 'unchanged';
}

export interface DeployPlan {
  /** The uploads, bases first: each level only builds on earlier levels or on the tenant. */
  levels: PlannedPolicy[][];
  /** Every policy of the input. */
  policies: PlannedPolicy[];
  /** Left out because their content was deployed before (--changed). */
  unchanged: PlannedPolicy[];
  /** Left out by --only. */
  notSelected: PlannedPolicy[];
  /** Bases the uploads need that this run does not upload: they must already be in the tenant. */
  assumedBases: AssumedBase[];
  /** What stops the deploy (nothing is uploaded while there is one). */
  refusals: FileFindings[];
  /** Inputs that are not policy files (ignored). */
  ignored: string[];
}

export interface PlanOptions {
  /** The tenant deployed to (a domain such as contoso.onmicrosoft.com, or a tenant GUID). */
  targetTenant: string;
  /** --only: file names, paths or PolicyIds; their bases are assumed to be in the tenant. */
  only?: string[];
  /** --changed: the body hash of each policy (by key) at its last successful upload to this target. */
  previousHashes?: Record<string, string>;
  /** Template tokens that must not reach the service (default: the `b2cPolicy.templateTokens` defaults). */
  templateTokens?: string[];
}

export class PlanError extends Error {}

/** The PolicyId pattern of the framework schema (TrustFrameworkPolicy_0.3.0.0.xsd, simpleType PolicyId). */
const POLICY_ID = /^[A-Za-z0-9_\-.]*[A-Za-z0-9_-]$/;
const MAX_POLICY_BYTES = 1024 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function buildPlan(inputs: DeployInput[], options: PlanOptions): DeployPlan {
  const plan: DeployPlan = { levels: [], policies: [], unchanged: [], notSelected: [], assumedBases: [], refusals: [], ignored: [] };
  const refusals = new Map<string, FileFindings>();
  const refuse = (path: string, file: PolicyFile, finding: Finding) => {
    let entry = refusals.get(path);
    if (!entry) refusals.set(path, (entry = { path, file, findings: [] }));
    entry.findings.push(finding);
  };
  const tokens = (options.templateTokens ?? DEFAULT_TEMPLATE_TOKENS).map((t) => new RegExp(t, 'g'));
  const target = options.targetTenant.trim().toLowerCase();

  for (const input of inputs) {
    const text = stripBom(input.text);
    const file = parsePolicyFile(input.path, text);
    if (!file.isPolicy) {
      plan.ignored.push(input.path);
      continue;
    }
    const root = file.xml.root!;
    const policyId = file.policyId ?? '';
    if (!POLICY_ID.test(policyId)) {
      // An empty or invalid PolicyId makes an upload URL without an id: "No HTTP resource was found that
      // matches the request URI" (service-errors.md #19).
      refuse(input.path, file, {
        code: DiagnosticCodes.deployInvalidPolicyId,
        severity: 'error',
        message: policyId ? `PolicyId '${policyId}' is not a valid policy id (letters, digits, '_', '-', '.'; not ending with '.')` : 'The policy has no PolicyId, so it cannot be uploaded',
        span: file.policyIdSpan ?? root.nameSpan,
      });
    }
    if (!GUID.test(target)) {
      // "TenantId in the policy xml 'yourtenant.onmicrosoft.com' is not same as the one in login tenant" (#7).
      for (const [tenant, span] of tenantMentions(file)) {
        if (tenant.toLowerCase() === target) continue;
        refuse(input.path, file, {
          code: DiagnosticCodes.deployTenantMismatch,
          severity: 'error',
          message: `TenantId '${tenant}' is not the target tenant '${options.targetTenant}'`,
          span,
          data: { tenant, targetTenant: options.targetTenant },
        });
      }
    }
    for (const { token, span } of unreplacedTokens(file, tokens)) {
      // An unreplaced {Settings:Tenant} is rejected as "settings:tenant is neither a valid DNS name" (#18);
      // elsewhere a token would go live as literal text.
      refuse(input.path, file, {
        code: DiagnosticCodes.deployUnreplacedToken,
        severity: 'error',
        message: `Template token '${token}' was not replaced; build the environment first`,
        span,
        data: { token },
      });
    }
    const body = new TextEncoder().encode(text);
    if (body.length > MAX_POLICY_BYTES) {
      // "a policy file is at most 1,024 KB" (service-errors.md, Service limits (documented)).
      refuse(input.path, file, {
        code: DiagnosticCodes.deployTooLarge,
        severity: 'error',
        message: `The policy is ${Math.ceil(body.length / 1024)} KB; the service accepts at most 1,024 KB per policy`,
        span: root.nameSpan,
      });
    }
    plan.policies.push({
      path: input.path,
      policyId,
      key: policyId.toUpperCase(),
      baseId: file.base?.policyId || undefined,
      baseKey: file.base?.policyId ? file.base.policyId.toUpperCase() : undefined,
      depth: 0,
      file,
      body,
      hash: createSha256().update(body).digest('hex'),
    });
  }

  const byKey = new Map<string, PlannedPolicy>();
  for (const p of plan.policies) {
    if (!p.key) continue;
    const other = byKey.get(p.key);
    if (other) {
      for (const q of [other, p]) {
        refuse(q.path, q.file, {
          code: DiagnosticCodes.duplicatePolicyId,
          severity: 'error',
          message: `PolicyId '${q.policyId}' is also the PolicyId of ${q === p ? other.path : p.path}; one upload would replace the other`,
          span: q.file.policyIdSpan ?? q.file.xml.root!.nameSpan,
        });
      }
    } else byKey.set(p.key, p);
  }

  // Depths, with cycles refused.
  const state = new Map<PlannedPolicy, 'visiting' | 'done'>();
  const depthOf = (p: PlannedPolicy, trail: PlannedPolicy[]): number => {
    if (state.get(p) === 'done') return p.depth;
    if (state.get(p) === 'visiting') {
      const cycle = trail.slice(trail.indexOf(p));
      for (const q of cycle) {
        refuse(q.path, q.file, {
          code: DiagnosticCodes.basePolicyCycle,
          severity: 'error',
          message: `Base policies form a cycle: ${[...cycle, p].map((c) => c.policyId).join(' -> ')}`,
          span: q.file.base?.span ?? q.file.xml.root!.nameSpan,
        });
      }
      return 0;
    }
    state.set(p, 'visiting');
    const base = p.baseKey ? byKey.get(p.baseKey) : undefined;
    p.depth = base ? depthOf(base, [...trail, p]) + 1 : 0;
    state.set(p, 'done');
    return p.depth;
  };
  for (const p of plan.policies) depthOf(p, []);

  // Selection: --only, then --changed.
  let selected = plan.policies;
  if (options.only && options.only.length) {
    const wanted = options.only.map((o) => o.trim()).filter(Boolean);
    const unmatched = wanted.filter((w) => !plan.policies.some((p) => matchesSelector(p, w)));
    if (unmatched.length) throw new PlanError(`--only: no policy file matches ${unmatched.map((u) => `'${u}'`).join(', ')}`);
    selected = plan.policies.filter((p) => wanted.some((w) => matchesSelector(p, w)));
    plan.notSelected = plan.policies.filter((p) => !selected.includes(p));
  }
  if (options.previousHashes) {
    const previous = options.previousHashes;
    plan.unchanged = selected.filter((p) => previous[p.key] === p.hash);
    selected = selected.filter((p) => previous[p.key] !== p.hash);
  }

  const uploading = new Set(selected);
  const assumed = new Map<string, AssumedBase>();
  for (const p of selected) {
    if (!p.baseKey) continue;
    const base = byKey.get(p.baseKey);
    if (base && uploading.has(base)) continue;
    const reason: AssumedBase['reason'] = !base ? 'not-in-input' : plan.unchanged.includes(base) ? 'unchanged' : 'not-selected';
    let entry = assumed.get(p.baseKey);
    if (!entry) assumed.set(p.baseKey, (entry = { policyId: p.baseId!, children: [], reason }));
    entry.children.push(p.path);
  }
  plan.assumedBases = [...assumed.values()];

  const depths = [...new Set(selected.map((p) => p.depth))].sort((a, b) => a - b);
  plan.levels = depths.map((d) => selected.filter((p) => p.depth === d));
  plan.refusals = [...refusals.values()];
  return plan;
}

function matchesSelector(p: PlannedPolicy, selector: string): boolean {
  const normalized = selector.replace(/\\/g, '/');
  const path = p.path.replace(/\\/g, '/');
  const name = path.slice(path.lastIndexOf('/') + 1);
  return path === normalized || name === normalized || name === `${normalized}.xml` || p.key === selector.toUpperCase() || path.endsWith('/' + normalized);
}

/**
 * The tenant names a policy states: the root's TenantId (#7) and its BasePolicy's TenantId, "the tenant" in
 * which the base "is looked up" (TrustFrameworkPolicy_0.3.0.0.xsd, BasePolicy/PolicyId documentation).
 */
function tenantMentions(file: PolicyFile): Array<[string, Span]> {
  const out: Array<[string, Span]> = [];
  const root = file.xml.root!;
  const attribute = getAttribute(root, 'TenantId');
  if (attribute?.value && attribute.valueSpan) out.push([attribute.value.trim(), attribute.valueSpan]);
  if (file.base?.tenantId) {
    const element = file.base.element.children.find((c): c is XmlElement => c.type === 'element' && c.localName === 'TenantId');
    const textNode = element?.children.find((c) => c.type === 'text');
    if (textNode && textNode.type === 'text') {
      const raw = file.text.slice(textNode.span.start, textNode.span.end);
      const lead = raw.length - raw.trimStart().length;
      out.push([file.base.tenantId, { start: textNode.span.start + lead, end: textNode.span.start + lead + raw.trim().length }]);
    }
  }
  return out;
}

/** Template tokens in attribute values and element text (comments are not looked at). */
export function unreplacedTokens(file: PolicyFile, tokens: RegExp[]): Array<{ token: string; span: Span }> {
  const out: Array<{ token: string; span: Span }> = [];
  const scan = (span: Span) => {
    const raw = file.text.slice(span.start, span.end);
    for (const pattern of tokens) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(raw); m; m = pattern.exec(raw)) {
        if (m[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        out.push({ token: m[0], span: { start: span.start + m.index, end: span.start + m.index + m[0].length } });
      }
    }
  };
  for (const element of walkElements(file.xml.root)) {
    for (const attribute of element.attributes) if (attribute.valueSpan) scan(attribute.valueSpan);
    for (const child of element.children) if (child.type === 'text' || child.type === 'cdata') scan(child.span);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The policies that build on `policy` (transitively) among the given ones. */
export function descendantsOf(policy: PlannedPolicy, policies: PlannedPolicy[]): PlannedPolicy[] {
  const out: PlannedPolicy[] = [];
  const frontier = [policy.key];
  const seen = new Set(frontier);
  while (frontier.length) {
    const key = frontier.pop()!;
    for (const p of policies) {
      if (p.baseKey === key && !seen.has(p.key)) {
        seen.add(p.key);
        out.push(p);
        frontier.push(p.key);
      }
    }
  }
  return out;
}

/** Findings of a planned or deployed file as LSP diagnostics (for the CLI's formats and the editor's Problems). */
export function diagnosticsOf(file: PolicyFile, findings: Finding[]): Diagnostic[] {
  return findings.map((f) => toDiagnostic(file.lines, f));
}

/**
 * Runs a deploy plan: level by level, a bounded number of uploads at a time within a level. A failed upload
 * stops the policies that build on it (they are "skipped (base failed)"); its siblings go on.
 */
import { DiagnosticCodes } from '../protocol';
import type { Finding } from '../service/findings';
import type { PolicyFile } from '../service/policy/model';
import { describeFailure, GraphRequestError, readableError, type GraphClient } from './graphClient';
import type { DeployPlan, PlannedPolicy } from './plan';
import { findingsFromServiceMessage } from './serviceErrors';
import { listPolicyIds, putPolicy } from './trustFramework';

export type DeployStatus = 'created' | 'updated' | 'failed' | 'skipped';

export interface DeployFileResult {
  path: string;
  policyId: string;
  status: DeployStatus;
  file: PolicyFile;
  /** SHA-256 of the body sent (recorded for --changed when the upload succeeded). */
  hash: string;
  findings: Finding[];
  /** Why a policy was skipped, or a one-line summary of a failure. */
  reason?: string;
}

export interface DeployReport {
  results: DeployFileResult[];
  /** Things to tell the user that are not about one file. */
  notes: string[];
}

export type DeployEvent =
  | { type: 'level'; index: number; count: number; policies: string[] }
  | { type: 'done'; result: DeployFileResult };

export interface ExecuteOptions {
  client: GraphClient;
  /** Uploads at a time within a level. */
  concurrency?: number;
  /** Check with the tenant's policy list that the bases this run does not upload are there (default true). */
  verifyAssumedBases?: boolean;
  onEvent?: (event: DeployEvent) => void;
}

export const DEFAULT_CONCURRENCY = 4;

/** Status codes whose error body is the service's verdict on the policy (split into findings). */
function isVerdict(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 403, 407, 408, 429].includes(status);
}

export async function executePlan(plan: DeployPlan, options: ExecuteOptions): Promise<DeployReport> {
  if (plan.refusals.length) throw new Error('the plan has refusals; nothing may be uploaded');
  const report: DeployReport = { results: [], notes: [] };
  const byKey = new Map(plan.policies.map((p) => [p.key, p]));
  /** Keys of policies that failed or were skipped in this run: their descendants are skipped. */
  const stopped = new Map<string, string>();
  const finish = (result: DeployFileResult, key: string) => {
    report.results.push(result);
    if (result.status === 'failed' || result.status === 'skipped') stopped.set(key, result.policyId);
    options.onEvent?.({ type: 'done', result });
  };

  if (plan.assumedBases.length && options.verifyAssumedBases !== false) {
    let present: Set<string> | undefined;
    try {
      present = new Set((await listPolicyIds(options.client)).map((id) => id.toUpperCase()));
    } catch (e) {
      report.notes.push(`Could not list the tenant's policies to check that ${plan.assumedBases.map((b) => b.policyId).join(', ')} exist (${readableError(e)}); uploading anyway.`);
    }
    for (const base of plan.assumedBases) {
      if (!present || present.has(base.policyId.toUpperCase())) continue;
      for (const p of plan.levels.flat().filter((q) => base.children.includes(q.path))) {
        const message =
          base.reason === 'not-in-input'
            ? `Base policy '${base.policyId}' is not in the tenant and not among the policies deployed; deploy it first`
            : `Base policy '${base.policyId}' is not in the tenant; deploy it too (it was left out ${base.reason === 'unchanged' ? 'as unchanged' : 'by --only'})`;
        finish(
          {
            path: p.path,
            policyId: p.policyId,
            status: 'failed',
            file: p.file,
            hash: p.hash,
            reason: message,
            findings: [{ code: DiagnosticCodes.deployMissingBase, severity: 'error', message, span: p.file.base?.span ?? p.file.xml.root!.nameSpan, data: { basePolicyId: base.policyId } }],
          },
          p.key,
        );
      }
    }
  }

  const done = new Set(report.results.map((r) => r.path));
  for (let index = 0; index < plan.levels.length; index++) {
    const level = plan.levels[index].filter((p) => !done.has(p.path));
    options.onEvent?.({ type: 'level', index, count: plan.levels.length, policies: level.map((p) => p.policyId) });
    await forEachBounded(level, options.concurrency ?? DEFAULT_CONCURRENCY, async (p) => {
      const blocker = stoppedAncestor(p, byKey, stopped);
      if (blocker) {
        finish({ path: p.path, policyId: p.policyId, status: 'skipped', file: p.file, hash: p.hash, findings: [], reason: `skipped: base policy ${blocker} failed` }, p.key);
        return;
      }
      let result: DeployFileResult;
      try {
        result = await upload(p, options.client);
      } catch (e) {
        const message = readableError(e);
        result = { path: p.path, policyId: p.policyId, status: 'failed', file: p.file, hash: p.hash, reason: message, findings: [{ code: DiagnosticCodes.deployRequestFailed, severity: 'error', message: `Upload failed: ${message}`, span: p.file.xml.root!.nameSpan }] };
      }
      finish(result, p.key);
    });
  }
  return report;
}

async function upload(p: PlannedPolicy, client: GraphClient): Promise<DeployFileResult> {
  const result = { path: p.path, policyId: p.policyId, file: p.file, hash: p.hash };
  const root = p.file.xml.root!.nameSpan;
  let response;
  try {
    response = await putPolicy(client, p.policyId, p.body);
  } catch (e) {
    const message = e instanceof GraphRequestError ? e.message : readableError(e);
    return { ...result, status: 'failed', reason: message, findings: [{ code: DiagnosticCodes.deployRequestFailed, severity: 'error', message: `Upload failed: ${message}`, span: root }] };
  }
  if (response.status >= 200 && response.status < 300) return { ...result, status: response.status === 201 ? 'created' : 'updated', findings: [] };
  const failure = describeFailure(response);
  const data = { policyId: p.policyId, status: failure.status, ...(failure.requestId ? { requestId: failure.requestId } : {}) };
  if (failure.serviceMessage && isVerdict(failure.status)) {
    const findings = findingsFromServiceMessage(failure.serviceMessage, p.file, data);
    return { ...result, status: 'failed', reason: `rejected by the service (${findings.length} message${findings.length === 1 ? '' : 's'})`, findings };
  }
  const hint =
    failure.status === 403
      ? ' (deploying needs the Policy.ReadWrite.TrustFramework permission and, signed in as a user, the B2C IEF Policy Administrator role)'
      : failure.status === 401
        ? ' (the token was rejected; sign in to the target tenant and cloud)'
        : response.attempts > 1
          ? ` (gave up after ${response.attempts} attempts)`
          : '';
  const message = `${failure.message}${hint}`;
  return { ...result, status: 'failed', reason: message, findings: [{ code: DiagnosticCodes.deployRequestFailed, severity: 'error', message: `Upload failed: ${message}`, span: root, data }] };
}

function stoppedAncestor(p: PlannedPolicy, byKey: Map<string, PlannedPolicy>, stopped: Map<string, string>): string | undefined {
  const seen = new Set<string>();
  for (let key = p.baseKey; key && !seen.has(key); key = byKey.get(key)?.baseKey) {
    seen.add(key);
    const id = stopped.get(key);
    if (id) return id;
  }
  return undefined;
}

/** Runs `work` over the items with at most `limit` at a time. */
export async function forEachBounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

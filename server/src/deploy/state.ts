/**
 * What was deployed where, for `--changed`: the SHA-256 of each policy body at its last successful upload,
 * per target (Graph endpoint and tenant). Kept in `<workspace>/.b2c-policy/deploy-state.json`; the folder
 * carries its own `.gitignore` so the state stays out of version control. Pure: the caller reads and writes.
 */
import type { DeployFileResult } from './deployer';

export const STATE_FOLDER = '.b2c-policy';
export const STATE_FILE = 'deploy-state.json';
/** Written into STATE_FOLDER: ignore everything in it. */
export const STATE_FOLDER_GITIGNORE = '# Written by b2c-policy: local deploy state, not for version control.\n*\n';

export interface DeployedPolicy {
  sha256: string;
  deployedAt: string;
}

export interface DeployState {
  version: 1;
  /** Target key -> policy key (PolicyId in capitals) -> last upload. */
  targets: Record<string, Record<string, DeployedPolicy>>;
}

export function targetKey(graphEndpoint: string, tenant: string): string {
  return `${graphEndpoint.replace(/\/+$/, '').toLowerCase()}|${tenant.trim().toLowerCase()}`;
}

/** Reads the state; an absent or unreadable file is an empty state (with a warning for the latter). */
export function parseState(text: string | undefined): { state: DeployState; warning?: string } {
  const empty: DeployState = { version: 1, targets: {} };
  if (text === undefined) return { state: empty };
  try {
    const parsed = JSON.parse(text) as Partial<DeployState>;
    if (parsed && parsed.version === 1 && parsed.targets && typeof parsed.targets === 'object') return { state: { version: 1, targets: parsed.targets } };
  } catch {
    // fall through
  }
  return { state: empty, warning: `${STATE_FOLDER}/${STATE_FILE} is not a deploy state this version understands; every policy counts as changed` };
}

export function previousHashes(state: DeployState, target: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(state.targets[target] ?? {})) if (entry && typeof entry.sha256 === 'string') out[key] = entry.sha256;
  return out;
}

/** The state after a deploy: successful uploads recorded, failures forgotten (so they count as changed). */
export function recordDeploy(state: DeployState, target: string, results: DeployFileResult[], now: Date): DeployState {
  const entries = { ...(state.targets[target] ?? {}) };
  for (const r of results) {
    const key = r.policyId.toUpperCase();
    if (r.status === 'created' || r.status === 'updated') entries[key] = { sha256: r.hash, deployedAt: now.toISOString() };
    else if (r.status === 'failed') delete entries[key];
  }
  return { version: 1, targets: { ...state.targets, [target]: entries } };
}

export function serializeState(state: DeployState): string {
  return JSON.stringify(state, null, 2) + '\n';
}

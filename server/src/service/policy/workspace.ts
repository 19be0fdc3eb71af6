import { EffectivePolicy } from './effective';
import { parsePolicyFile, type PolicyFile } from './model';

export type BaseResolution =
  | { status: 'none' }
  | { status: 'found'; file: PolicyFile }
  /** Not found, or found only in several folders at the same distance (never guess between environments). */
  | { status: 'missing'; policyId: string; ambiguous: PolicyFile[] };

export interface Chain {
  /** The chain, the file itself first, then its base, and so on. */
  files: PolicyFile[];
  /** Where the chain stops short: the file whose base is missing, or the file that closes a cycle. */
  missingBase?: { file: PolicyFile; policyId: string };
  cycle?: { file: PolicyFile; target: PolicyFile };
}

/** The folder part of a URI or path ("file:///a/b/c.xml" -> "file:///a/b"). */
export function folderOf(uri: string): string {
  const slash = uri.lastIndexOf('/');
  return slash < 0 ? '' : uri.slice(0, slash);
}

/** Steps up from `from` to the common ancestor plus steps down to `to`. */
export function folderDistance(from: string, to: string): number {
  if (from === to) return 0;
  const a = from.split('/');
  const b = to.split('/');
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return a.length - common + (b.length - common);
}

/** Identifies a chain's content: every file and the version of its text. */
function signatureOf(chain: Chain): string {
  return chain.files.map((f) => `${f.uri}@${f.version}`).join('|');
}

export function baseName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

/**
 * All policy files of the workspace: parsed once per (uri, text), with open editor documents taking
 * precedence over what is on disk. Resolves BasePolicy chains by PolicyId (same folder first, then the
 * nearest folder) and builds the effective policy of each chain, cached until a file of the chain changes.
 */
export class WorkspaceIndex {
  private readonly diskFiles = new Map<string, PolicyFile>();
  private readonly openFiles = new Map<string, PolicyFile>();
  private byPolicyId: Map<string, PolicyFile[]> | undefined;
  private childrenByBase: Map<string, string[]> | undefined;
  private readonly effectiveCache = new Map<string, { signature: string; policy: EffectivePolicy }>();
  private readonly baseCache = new Map<string, BaseResolution>();
  private versionCounter = 0;

  /** Sets a file's content as read from disk. Returns the parsed file (or the open document that hides it). */
  setDiskFile(uri: string, text: string): PolicyFile {
    const previous = this.diskFiles.get(uri);
    if (previous && previous.text === text) return this.get(uri)!;
    const file = parsePolicyFile(uri, text, ++this.versionCounter);
    this.diskFiles.set(uri, file);
    if (!this.openFiles.has(uri)) this.changed(previous, file);
    return this.get(uri)!;
  }

  deleteDiskFile(uri: string): void {
    const previous = this.diskFiles.get(uri);
    if (!previous) return;
    this.diskFiles.delete(uri);
    if (!this.openFiles.has(uri)) this.changed(previous, undefined);
  }

  /** Sets the content of an open editor document; it hides the disk content until closed. */
  setOpenDocument(uri: string, text: string): PolicyFile {
    const previous = this.get(uri);
    const open = this.openFiles.get(uri);
    if (open && open.text === text) return open;
    const file = parsePolicyFile(uri, text, ++this.versionCounter);
    this.openFiles.set(uri, file);
    this.changed(previous, file);
    return file;
  }

  closeOpenDocument(uri: string): void {
    const previous = this.openFiles.get(uri);
    if (!previous) return;
    this.openFiles.delete(uri);
    const disk = this.diskFiles.get(uri);
    if (!disk || disk.text !== previous.text) this.changed(previous, disk);
  }

  isOpen(uri: string): boolean {
    return this.openFiles.has(uri);
  }

  get(uri: string): PolicyFile | undefined {
    return this.openFiles.get(uri) ?? this.diskFiles.get(uri);
  }

  /** Every known file (policy or not), open documents first taking precedence. */
  all(): PolicyFile[] {
    const out: PolicyFile[] = [];
    for (const uri of new Set([...this.openFiles.keys(), ...this.diskFiles.keys()])) out.push(this.get(uri)!);
    return out;
  }

  policies(): PolicyFile[] {
    return this.all().filter((f) => f.isPolicy);
  }

  private changed(previous: PolicyFile | undefined, next: PolicyFile | undefined): void {
    // Chains depend only on PolicyIds and BasePolicy ids; keep the resolution when those stay the same.
    const shapeChanged =
      previous?.isPolicy !== next?.isPolicy ||
      previous?.policyId !== next?.policyId ||
      previous?.base?.policyId !== next?.base?.policyId ||
      !previous !== !next;
    if (shapeChanged) {
      this.byPolicyId = undefined;
      this.childrenByBase = undefined;
      this.baseCache.clear();
    }
  }

  private policyIdMap(): Map<string, PolicyFile[]> {
    if (!this.byPolicyId) {
      const map = new Map<string, PolicyFile[]>();
      for (const file of this.policies()) {
        if (!file.policyId) continue;
        const key = file.policyId.toLowerCase();
        const list = map.get(key);
        if (list) list.push(file);
        else map.set(key, [file]);
      }
      for (const list of map.values()) list.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
      this.byPolicyId = map;
    }
    return this.byPolicyId;
  }

  /** Files with the given PolicyId (case-insensitive). */
  filesWithPolicyId(policyId: string): PolicyFile[] {
    return this.policyIdMap().get(policyId.toLowerCase()) ?? [];
  }

  /** The base of a file: same folder first, then the nearest folder up or down the tree. */
  resolveBase(file: PolicyFile): BaseResolution {
    if (!file.base) return { status: 'none' };
    const cached = this.baseCache.get(file.uri);
    if (cached) {
      // Files in the cache are replaced by newer parses; re-read them by uri.
      if (cached.status !== 'found') return cached;
      const current = this.get(cached.file.uri);
      if (current && current.isPolicy) return { status: 'found', file: current };
    }
    const resolution = this.computeBase(file);
    this.baseCache.set(file.uri, resolution);
    return resolution;
  }

  private computeBase(file: PolicyFile): BaseResolution {
    const policyId = file.base!.policyId;
    // A policy that names itself as its base is a cycle of one (reported as base-policy-cycle), not a base
    // missing from the workspace, whatever other folders hold.
    if (file.policyId !== undefined && file.policyId.toLowerCase() === policyId.toLowerCase()) return { status: 'found', file };
    const candidates = this.filesWithPolicyId(policyId).filter((c) => c.uri !== file.uri);
    if (candidates.length === 0) return { status: 'missing', policyId, ambiguous: [] };
    const folder = folderOf(file.uri);
    let best: PolicyFile[] = [];
    let bestDistance = Infinity;
    for (const candidate of candidates) {
      const d = folderDistance(folder, folderOf(candidate.uri));
      if (d < bestDistance) {
        bestDistance = d;
        best = [candidate];
      } else if (d === bestDistance) best.push(candidate);
    }
    if (best.length > 1) return { status: 'missing', policyId, ambiguous: best };
    return { status: 'found', file: best[0] };
  }

  /** The chain of a file, itself first. Stops at a missing base or a cycle. */
  chain(file: PolicyFile): Chain {
    const files = [file];
    const seen = new Set([file.uri]);
    let current = file;
    for (;;) {
      const base = this.resolveBase(current);
      if (base.status === 'none') return { files };
      if (base.status === 'missing') return { files, missingBase: { file: current, policyId: base.policyId } };
      if (seen.has(base.file.uri)) return { files, cycle: { file: current, target: base.file } };
      seen.add(base.file.uri);
      files.push(base.file);
      current = base.file;
    }
  }

  /** The effective policy of a file's chain, rebuilt only when a file of the chain changed. */
  effective(file: PolicyFile): EffectivePolicy {
    const chain = this.chain(file);
    const signature = signatureOf(chain);
    const cached = this.effectiveCache.get(file.uri);
    if (cached && cached.signature === signature) return cached.policy;
    const policy = new EffectivePolicy(chain.files, !chain.missingBase && !chain.cycle);
    this.effectiveCache.set(file.uri, { signature, policy });
    return policy;
  }

  /** Signature of everything a file's diagnostics depend on (its chain, with versions). */
  chainSignature(file: PolicyFile): string {
    return signatureOf(this.chain(file));
  }

  /** Files whose base is the given file. */
  children(uri: string): PolicyFile[] {
    if (!this.childrenByBase) {
      const map = new Map<string, string[]>();
      for (const f of this.policies()) {
        const base = this.resolveBase(f);
        if (base.status !== 'found') continue;
        const list = map.get(base.file.uri);
        if (list) list.push(f.uri);
        else map.set(base.file.uri, [f.uri]);
      }
      this.childrenByBase = map;
    }
    return (this.childrenByBase.get(uri) ?? []).map((u) => this.get(u)!).filter(Boolean);
  }

  /** Every file whose chain includes the given file (not the file itself). */
  descendants(uri: string): PolicyFile[] {
    const out: PolicyFile[] = [];
    const seen = new Set([uri]);
    const queue = [uri];
    while (queue.length) {
      const next = queue.shift()!;
      for (const child of this.children(next)) {
        if (seen.has(child.uri)) continue;
        seen.add(child.uri);
        out.push(child);
        queue.push(child.uri);
      }
    }
    return out;
  }
}

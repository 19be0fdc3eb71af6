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
  // Segments between '/', counted without splitting: the common leading segments, then the rest of each.
  let common = 0;
  let i = 0;
  const shorter = Math.min(from.length, to.length);
  while (i < shorter && from.charCodeAt(i) === to.charCodeAt(i)) {
    if (from.charCodeAt(i) === 0x2f) common++;
    i++;
  }
  if ((i === from.length || from.charCodeAt(i) === 0x2f) && (i === to.length || to.charCodeAt(i) === 0x2f)) common++;
  return segments(from) - common + (segments(to) - common);
}

function segments(path: string): number {
  let n = 1;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) n++;
  return n;
}

/** Identifies a chain's content: the version of each file's text (versions are unique across all parses). */
function signatureOf(chain: Chain): string {
  let s = '';
  for (const f of chain.files) s += f.version + '|';
  return s;
}

/** Drops the least recently used entries (the first in the map) beyond `size`, keeping those of open documents. */
export function evictLeastRecentlyUsed<V>(map: Map<string, V>, size: number, isOpen: (uri: string) => boolean): void {
  if (map.size <= size) return;
  for (const uri of map.keys()) {
    if (map.size <= size) break;
    if (!isOpen(uri)) map.delete(uri);
  }
}

/** Adds a uri to an index by PolicyId, then folder. */
function addByFolder(index: Map<string, Map<string, Set<string>>>, id: string, folder: string, uri: string): void {
  let folders = index.get(id);
  if (!folders) index.set(id, (folders = new Map()));
  let uris = folders.get(folder);
  if (!uris) folders.set(folder, (uris = new Set()));
  uris.add(uri);
}

function byUri(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
  /** Policy files by PolicyId (lower case), then by folder: kept up to date on each change. */
  private readonly withPolicyId = new Map<string, Map<string, Set<string>>>();
  /** Policy files by the PolicyId (lower case) their BasePolicy names, then by folder. */
  private readonly referencing = new Map<string, Map<string, Set<string>>>();
  /**
   * Per PolicyId (lower case), the files naming it as their base from a folder that has no other file with
   * that PolicyId: their base is found by distance, possibly in any folder.
   */
  private readonly farReferencing = new Map<string, Set<string>>();
  /** Effective policies per uri; bounded (least recently used first out), open documents' kept. */
  private readonly effectiveCache = new Map<string, { signature: string; policy: EffectivePolicy }>();
  /**
   * Base resolutions per uri. `sameFolder`: decided by the candidates in the file's own folder (one: found;
   * several: ambiguous), which only a change in that folder can alter.
   */
  private readonly baseCache = new Map<string, { resolution: BaseResolution; sameFolder: boolean; distance: number }>();
  private versionCounter = 0;
  private shapeChanges = 0;
  private readonly keep: number;

  /** @param options.keep how many effective policies of files that are not open to keep (default: all). */
  constructor(options: { keep?: number } = {}) {
    this.keep = options.keep ?? Infinity;
  }

  /** Changes each time the PolicyIds or BasePolicy ids of the workspace change (base resolution may differ). */
  get shapeGeneration(): number {
    return this.shapeChanges;
  }

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
    if (!shapeChanged) return;
    this.shapeChanges++;
    const uri = (previous ?? next)!.uri;
    const folder = folderOf(uri);
    const oldId = previous?.isPolicy ? previous.policyId?.toLowerCase() : undefined;
    const newId = next?.isPolicy ? next.policyId?.toLowerCase() : undefined;
    const oldBase = previous?.isPolicy ? previous.base?.policyId.toLowerCase() : undefined;
    const newBase = next?.isPolicy ? next.base?.policyId.toLowerCase() : undefined;
    if (oldId !== undefined) this.withPolicyId.get(oldId)?.get(folder)?.delete(uri);
    if (newId !== undefined) addByFolder(this.withPolicyId, newId, folder, uri);
    if (oldBase !== undefined) {
      this.referencing.get(oldBase)?.get(folder)?.delete(uri);
      this.farReferencing.get(oldBase)?.delete(uri);
    }
    if (newBase !== undefined) addByFolder(this.referencing, newBase, folder, uri);
    for (const id of new Set([oldId, newId, oldBase, newBase])) if (id !== undefined) this.updateFarReferencing(id, folder);
    // Resolutions that may change: the file's own, and those of files naming its old or new PolicyId as their
    // base, unless their own folder decided them (and that folder is not this one).
    this.baseCache.delete(uri);
    for (const id of new Set([oldId, newId])) {
      if (id === undefined) continue;
      for (const r of this.referencing.get(id)?.get(folder) ?? []) this.baseCache.delete(r);
      // One found by distance changes only when this folder is as near as what was found (or nothing was).
      for (const r of this.farReferencing.get(id) ?? []) {
        const cached = this.baseCache.get(r);
        if (cached && folderDistance(folderOf(r), folder) <= cached.distance) this.baseCache.delete(r);
      }
    }
  }

  /** Recomputes which files of a folder that name `id` as their base have no other file with that id beside them. */
  private updateFarReferencing(id: string, folder: string): void {
    const referencing = this.referencing.get(id)?.get(folder);
    if (!referencing?.size) return;
    const beside = this.withPolicyId.get(id)?.get(folder);
    let far = this.farReferencing.get(id);
    for (const r of referencing) {
      const near = !!beside && (beside.size > 1 || (beside.size === 1 && !beside.has(r)));
      if (near) far?.delete(r);
      else {
        if (!far) this.farReferencing.set(id, (far = new Set()));
        far.add(r);
      }
    }
  }

  /** Files with the given PolicyId (case-insensitive) in one folder, ordered by uri. */
  filesWithPolicyIdInFolder(policyId: string, folder: string): PolicyFile[] {
    return this.filesOf(this.withPolicyId.get(policyId.toLowerCase())?.get(folder) ?? []);
  }

  /** Files with the given PolicyId (case-insensitive), ordered by uri. */
  filesWithPolicyId(policyId: string): PolicyFile[] {
    const folders = this.withPolicyId.get(policyId.toLowerCase());
    if (!folders) return [];
    const uris: string[] = [];
    for (const inFolder of folders.values()) for (const u of inFolder) uris.push(u);
    return this.filesOf(uris);
  }

  /** The current files at some uris, ordered by uri. */
  private filesOf(uris: Iterable<string>): PolicyFile[] {
    const out: PolicyFile[] = [];
    for (const u of [...uris].sort(byUri)) {
      const f = this.get(u);
      if (f?.isPolicy) out.push(f);
    }
    return out;
  }

  /** The base of a file: same folder first, then the nearest folder up or down the tree. */
  resolveBase(file: PolicyFile): BaseResolution {
    if (!file.base) return { status: 'none' };
    const cached = this.baseCache.get(file.uri);
    if (cached) {
      // Files in the cache are replaced by newer parses; re-read them by uri.
      const resolution = cached.resolution;
      if (resolution.status !== 'found') return resolution;
      const current = this.get(resolution.file.uri);
      if (current && current.isPolicy) return { status: 'found', file: current };
    }
    const computed = this.computeBase(file);
    this.baseCache.set(file.uri, computed);
    return computed.resolution;
  }

  private computeBase(file: PolicyFile): { resolution: BaseResolution; sameFolder: boolean; distance: number } {
    const policyId = file.base!.policyId;
    // A policy that names itself as its base is a cycle of one (reported as base-policy-cycle), not a base
    // missing from the workspace, whatever other folders hold.
    if (file.policyId !== undefined && file.policyId.toLowerCase() === policyId.toLowerCase()) return { resolution: { status: 'found', file }, sameFolder: true, distance: 0 };
    const folder = folderOf(file.uri);
    const inFolder = this.withPolicyId.get(policyId.toLowerCase())?.get(folder);
    const near = inFolder ? this.filesOf([...inFolder].filter((u) => u !== file.uri)) : [];
    if (near.length === 1) return { resolution: { status: 'found', file: near[0] }, sameFolder: true, distance: 0 };
    if (near.length > 1) return { resolution: { status: 'missing', policyId, ambiguous: near }, sameFolder: true, distance: 0 };
    const candidates = this.filesWithPolicyId(policyId).filter((c) => c.uri !== file.uri);
    if (candidates.length === 0) return { resolution: { status: 'missing', policyId, ambiguous: [] }, sameFolder: false, distance: Infinity };
    let best: PolicyFile[] = [];
    let bestDistance = Infinity;
    for (const candidate of candidates) {
      const d = folderDistance(folder, folderOf(candidate.uri));
      if (d < bestDistance) {
        bestDistance = d;
        best = [candidate];
      } else if (d === bestDistance) best.push(candidate);
    }
    if (best.length > 1) return { resolution: { status: 'missing', policyId, ambiguous: best }, sameFolder: false, distance: bestDistance };
    return { resolution: { status: 'found', file: best[0] }, sameFolder: false, distance: bestDistance };
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
    this.effectiveCache.delete(file.uri); // most recently used last
    if (cached && cached.signature === signature) {
      this.effectiveCache.set(file.uri, cached);
      return cached.policy;
    }
    // Built on the base's chain (cached too): a relying party shares its base's maps.
    const parent = chain.files.length > 1 && !chain.cycle ? this.effective(chain.files[1]) : undefined;
    const policy = new EffectivePolicy(chain.files, !chain.missingBase && !chain.cycle, parent);
    this.effectiveCache.set(file.uri, { signature, policy });
    evictLeastRecentlyUsed(this.effectiveCache, this.keep, (uri) => this.openFiles.has(uri));
    return policy;
  }

  /** Signature of everything a file's diagnostics depend on (its chain, with versions). */
  chainSignature(file: PolicyFile): string {
    return signatureOf(this.chain(file));
  }

  /** Files whose base is the given file, ordered by uri. */
  children(uri: string): PolicyFile[] {
    const file = this.get(uri);
    if (!file?.isPolicy || !file.policyId) return [];
    const out: PolicyFile[] = [];
    const id = file.policyId.toLowerCase();
    // Those beside it (found in their own folder) and those that look further (found by distance).
    const candidates = [...(this.referencing.get(id)?.get(folderOf(uri)) ?? []), ...(this.farReferencing.get(id) ?? [])];
    for (const candidateUri of new Set(candidates)) {
      const candidate = this.get(candidateUri);
      if (!candidate?.isPolicy) continue;
      const base = this.resolveBase(candidate);
      if (base.status === 'found' && base.file.uri === uri) out.push(candidate);
    }
    return out.sort((a, b) => byUri(a.uri, b.uri));
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

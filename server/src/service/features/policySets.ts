/**
 * The policy sets view's data (issue 13, part 2): the workspace as the service uploads it. For each folder,
 * each relying party (a policy with a RelyingParty element) with its chain as the index resolves it
 * (same folder first, then the nearest), error and warning counts per file, where a chain stops at a missing
 * base or closes a cycle, and the policy files of the folder that no relying party there builds on.
 */
import type { PolicyFileOutlineItem, PolicySetFile, PolicySetFolder, PolicySets } from '../../protocol';
import type { Analysis } from '../analysis/analysis';
import type { PolicyFile } from '../policy/model';
import { folderOf } from '../policy/workspace';
import { attributeValue, firstChild } from '../xml/query';

export function getPolicySets(analysis: Analysis): PolicySets {
  const folders = new Map<string, PolicySetFolder>();
  const folderOfFile = (uri: string) => {
    const key = folderOf(uri);
    let entry = folders.get(key);
    if (!entry) folders.set(key, (entry = { folder: key, relyingParties: [], others: [] }));
    return entry;
  };
  const summary = (file: PolicyFile): PolicySetFile => {
    const findings = analysis.findings(file.uri);
    return {
      uri: file.uri,
      policyId: file.policyId,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    };
  };
  const policies = analysis.index.policies().sort((a, b) => compare(a.uri, b.uri));
  const inSomeChain = new Set<string>();
  for (const file of policies) {
    const relyingParty = file.xml.root ? firstChild(file.xml.root, 'RelyingParty') : undefined;
    if (!relyingParty) continue;
    const chain = analysis.index.chain(file);
    const journey = firstChild(relyingParty, 'DefaultUserJourney');
    const base = chain.missingBase ? analysis.index.resolveBase(chain.missingBase.file) : undefined;
    folderOfFile(file.uri).relyingParties.push({
      relyingParty: { ...summary(file), defaultUserJourney: journey ? attributeValue(journey, 'ReferenceId') : undefined },
      chain: chain.files.map(summary),
      missingBase: chain.missingBase
        ? { file: chain.missingBase.file.uri, policyId: chain.missingBase.policyId, ambiguous: base?.status === 'missing' ? base.ambiguous.map((f) => f.uri) : [] }
        : undefined,
      cycle: chain.cycle ? { file: chain.cycle.file.uri, target: chain.cycle.target.uri } : undefined,
    });
    for (const f of chain.files) inSomeChain.add(f.uri);
  }
  for (const file of policies) if (!inSomeChain.has(file.uri)) folderOfFile(file.uri).others.push(summary(file));
  return { folders: [...folders.values()].sort((a, b) => compare(a.folder, b.folder)) };
}

const OUTLINE_KINDS = new Set<PolicyFileOutlineItem['kind']>(['userJourney', 'subJourney', 'technicalProfile', 'claimType']);

/** The journeys, technical profiles and claim types a file defines, in document order. */
export function getPolicyFileOutline(analysis: Analysis, uri: string): PolicyFileOutlineItem[] {
  const file = analysis.policy(uri);
  if (!file) return [];
  return file.definitions
    .filter((d) => OUTLINE_KINDS.has(d.kind as PolicyFileOutlineItem['kind']))
    .map((d) => ({ kind: d.kind as PolicyFileOutlineItem['kind'], id: d.id, range: file.lines.rangeOf(d.idSpan) }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

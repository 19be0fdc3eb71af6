import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import { baseName, folderOf } from '../policy/workspace';

function relativeFolder(fromUri: string, toUri: string): string {
  const from = folderOf(fromUri).split('/');
  const to = folderOf(toUri).split('/');
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  return decodeURIComponent([...from.slice(common).map(() => '..'), ...to.slice(common)].join('/') || '.');
}
import type { RuleContext } from './context';
import { isUserFlowId } from './serviceLimits';

/**
 * unresolved-base-policy: once per missing parent, on the file that names it. Also a cycle in the chain,
 * a base found in several folders at the same distance, and two policies with one PolicyId in a folder.
 */
export function checkBasePolicy(context: RuleContext): Finding[] {
  const { file, index } = context;
  const findings: Finding[] = [];
  if (file.base) {
    const resolution = index.resolveBase(file);
    if (!file.base.policyId) {
      findings.push({
        code: DiagnosticCodes.unresolvedBasePolicy,
        severity: 'error',
        message: 'BasePolicy has no PolicyId: name the policy this one builds on.',
        span: file.base.span,
        data: { policyId: '' },
      });
    } else if (resolution.status === 'missing' && !isUserFlowId(file.base.policyId)) {
      const ambiguous = resolution.ambiguous;
      findings.push({
        code: DiagnosticCodes.unresolvedBasePolicy,
        severity: 'error',
        message: ambiguous.length
          ? `Base policy '${file.base.policyId}' is not in this folder, and ${ambiguous.length} folders at the same distance define it (${ambiguous.map((f) => relativeFolder(file.uri, f.uri)).join(', ')}); put the base beside this file or keep one environment per folder tree.`
          : `Base policy '${file.base.policyId}' is not in the workspace: no policy file has PolicyId '${file.base.policyId}'.`,
        span: file.base.span,
        data: { policyId: file.base.policyId, candidates: ambiguous.map((f) => f.uri) },
      });
    }
    if (context.chain.cycle && context.chain.cycle.file.uri === file.uri) {
      findings.push({
        code: DiagnosticCodes.basePolicyCycle,
        severity: 'error',
        message: `BasePolicy makes a cycle: ${context.chain.files.map((f) => f.policyId).join(' -> ')} -> ${context.chain.cycle.target.policyId}.`,
        span: file.base.span,
        data: { policyIds: context.chain.files.map((f) => f.policyId) },
      });
    } else if (context.chain.cycle) {
      findings.push({
        code: DiagnosticCodes.basePolicyCycle,
        severity: 'error',
        message: `The chain of this policy has a cycle at '${context.chain.cycle.file.policyId}' (${baseName(context.chain.cycle.file.uri)}).`,
        span: file.base.span,
        data: { policyIds: context.chain.files.map((f) => f.policyId) },
      });
    }
  }
  if (file.policyId && file.policyIdSpan) {
    const folder = folderOf(file.uri);
    const twins = index.filesWithPolicyIdInFolder(file.policyId, folder).filter((f) => f.uri !== file.uri);
    if (twins.length > 0) {
      findings.push({
        code: DiagnosticCodes.duplicatePolicyId,
        severity: 'warning',
        message: `PolicyId '${file.policyId}' is also used by ${twins.map((f) => baseName(f.uri)).join(', ')} in the same folder.`,
        span: file.policyIdSpan,
        data: { policyId: file.policyId, uris: twins.map((f) => f.uri) },
      });
    }
  }
  return findings;
}

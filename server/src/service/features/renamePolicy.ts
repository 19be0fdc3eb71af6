/**
 * Rename (F2) of a PolicyId: from the root's PolicyId or from a BasePolicy/PolicyId that resolves. Renames the
 * policy's PolicyId, the BasePolicy/PolicyId of every policy that builds on it (the files whose base resolves
 * to it: other folders' same-named policies are other policy sets and stay as they are), and the last segment
 * of its PublicPolicyUri when that segment is the PolicyId (the starter packs' convention, e.g.
 * `http://yourtenant.onmicrosoft.com/B2C_1A_TrustFrameworkBase`). Refused when the new name cannot be a
 * PolicyId or another policy already has it where this one or a descendant would resolve it.
 */
import type { Range } from 'vscode-languageserver-types';
import type { OrError } from '../../protocol';
import type { Analysis } from '../analysis/analysis';
import type { NavigationTarget, Occurrence } from '../analysis/symbols';
import type { PolicyFile } from '../policy/model';
import { baseName, folderOf } from '../policy/workspace';
import { isUserFlowId } from '../rules/serviceLimits';
import type { Span } from '../xml/nodes';
import { getAttribute } from '../xml/query';

type PolicyTarget = Extract<NavigationTarget, { type: 'policyId' | 'basePolicy' }>;

/**
 * Why `name` cannot be a PolicyId, or undefined. Evidence: the framework schema types BasePolicy/PolicyId as
 * tfp:PolicyId (letters, digits, `_`, `-`, `.`, not ending with a dot) and the root's PolicyId as
 * tfp:PolicyIdPattern (the same with braces for placeholders): a renamed PolicyId lands in both, so
 * `{Settings:...}` tokens are accepted and everything else must be a tfp:PolicyId. A custom policy cannot be
 * named like a built-in user flow (`B2C_1_`): its descendants could no longer build on it
 * (rules/serviceLimits.ts, base-policy-is-user-flow).
 */
export function invalidPolicyIdReason(name: string): string | undefined {
  if (name.length === 0) return 'The new PolicyId is empty.';
  const literal = name.replace(/\{[A-Za-z0-9_:.-]+\}/g, 'x');
  const bad = /[^A-Za-z0-9_.-]/.exec(literal);
  if (bad) return `A PolicyId holds only letters, digits, '_', '-' and '.' (and {Settings:...} tokens), not '${bad[0]}': '${name}'.`;
  if (literal.endsWith('.')) return `A PolicyId cannot end with a dot: '${name}'.`;
  if (isUserFlowId(name)) return `'${name}' is named like a built-in user flow (B2C_1_...); a custom policy's id starts with B2C_1A_.`;
  return undefined;
}

/** The policy a PolicyId target names: the file itself, or the base its BasePolicy/PolicyId resolves to. */
function policyOf(analysis: Analysis, target: PolicyTarget): PolicyFile | string {
  if (target.type === 'policyId') return target.file;
  const base = analysis.index.resolveBase(target.file);
  if (base.status === 'found') return base.file;
  return `Base policy '${target.file.base?.policyId ?? ''}' is not in the workspace (or not in one place): nothing to rename.`;
}

export function preparePolicyRename(analysis: Analysis, target: PolicyTarget): OrError<{ range: Range; placeholder: string }> {
  const policy = policyOf(analysis, target);
  if (typeof policy === 'string') return { error: policy };
  return { range: target.file.lines.rangeOf(target.span), placeholder: policy.policyId ?? '' };
}

/**
 * What renaming the policy edits: its PolicyId and every BasePolicy/PolicyId resolving to it (the occurrences
 * that references and highlights use), and the PublicPolicyUri segment; or why the rename is refused.
 */
export function policyRenameOccurrences(analysis: Analysis, target: PolicyTarget, newName: string): OrError<Occurrence[]> {
  const policy = policyOf(analysis, target);
  if (typeof policy === 'string') return { error: policy };
  const problem = invalidPolicyIdReason(newName) ?? collision(analysis, policy, newName);
  if (problem) return { error: problem };
  const occurrences = analysis.symbols.occurrencesOf(target.file, target) ?? [];
  const uriSegment = publicPolicyUriSegment(policy);
  if (uriSegment) occurrences.push({ uri: policy.uri, span: uriSegment, id: policy.text.slice(uriSegment.start, uriSegment.end), kind: 'policy', role: 'reference' });
  return occurrences;
}

/**
 * Another policy named `newName` in the policy's folder or in a descendant's folder: a base is looked up in
 * its descendant's own folder first (policy/workspace.ts, resolveBase), so there the rename would change which
 * file is the base, or make two policies of one name (duplicate-policy-id).
 */
function collision(analysis: Analysis, policy: PolicyFile, newName: string): string | undefined {
  const folders = new Set([folderOf(policy.uri), ...analysis.index.children(policy.uri).map((c) => folderOf(c.uri))]);
  for (const folder of folders) {
    const other = analysis.index.filesWithPolicyIdInFolder(newName, folder).find((f) => f.uri !== policy.uri);
    if (other) return `A policy with PolicyId '${other.policyId}' already exists (${baseName(other.uri)}); choose another name.`;
  }
  return undefined;
}

/** The span of the PublicPolicyUri's last path segment when it is the PolicyId (written without entities). */
function publicPolicyUriSegment(policy: PolicyFile): Span | undefined {
  const uri = policy.xml.root ? getAttribute(policy.xml.root, 'PublicPolicyUri') : undefined;
  const id = policy.policyId;
  if (!uri?.valueSpan || !id) return undefined;
  const raw = policy.text.slice(uri.valueSpan.start, uri.valueSpan.end);
  if (raw !== uri.value) return undefined;
  const segment = raw.slice(raw.lastIndexOf('/') + 1);
  if (segment.toLowerCase() !== id.toLowerCase()) return undefined;
  return { start: uri.valueSpan.end - segment.length, end: uri.valueSpan.end };
}

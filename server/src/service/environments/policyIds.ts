/**
 * PolicyIdPrefix / PolicyIdSuffix: versioned or per-developer policy ids (`B2C_1A_DEV_ANNA_signup_signin`), so
 * several copies of one set of policies live side by side in a tenant (Microsoft's extension, issue #90).
 *
 * A set of policies refers to itself by id in three places, and all three are rewritten together so the
 * chain still holds: the root's `PolicyId`, `BasePolicy/PolicyId`, and the root's `PublicPolicyUri` (which by
 * convention ends with the policy id: trustframeworkpolicy.md, "The URI for the policy, which is combination of
 * the tenant ID and the policy ID"). A PublicPolicyUri that does not end with the policy id is left as written.
 *
 * Only ids of the set being built are rewritten: a BasePolicy that names a policy outside the environment's
 * files (a base uploaded by another team or another build, or excluded by Exclude) keeps its id, because that
 * policy is not renamed and a prefixed reference would point at nothing (service-errors.md #6, "Policy with
 * 'policyId': ... cannot be found").
 *
 * The prefix goes after `B2C_1A_` when the id starts with it: "This identifier must be prefixed by B2C_1A_"
 * (trustframeworkpolicy.md, PolicyId), so `B2C_1A_` + prefix + rest keeps ids valid and recognisable.
 */
import { trimmedTextSpan, type PolicyFile } from '../policy/model';
import { firstChild, getAttribute } from '../xml/query';
import type { SourceEdit } from './positionMap';

const CUSTOM_POLICY_PREFIX = 'B2C_1A_';

/** Where the prefix goes in an id: after B2C_1A_ (any case) when present, else at the start. */
export function prefixInsertionOffset(id: string): number {
  return id.slice(0, CUSTOM_POLICY_PREFIX.length).toUpperCase() === CUSTOM_POLICY_PREFIX ? CUSTOM_POLICY_PREFIX.length : 0;
}

export function rewritePolicyId(id: string, prefix: string, suffix: string): string {
  const at = prefixInsertionOffset(id);
  return id.slice(0, at) + prefix + id.slice(at) + suffix;
}

/** Insertions around an id written at [start, end) of the text. */
function idEdits(id: string, start: number, end: number, prefix: string, suffix: string): SourceEdit[] {
  const edits: SourceEdit[] = [];
  if (prefix) {
    const at = start + prefixInsertionOffset(id);
    edits.push({ start: at, end: at, newText: prefix });
  }
  if (suffix) edits.push({ start: end, end, newText: suffix });
  return edits;
}

/**
 * The edits (in offsets of the file's text) that add the prefix and suffix to the file's own id, its
 * PublicPolicyUri and its BasePolicy when the base is in `idsOfSet` (lower-case policy ids of the files built).
 */
export function policyIdEdits(file: PolicyFile, prefix: string, suffix: string, idsOfSet: Set<string>): SourceEdit[] {
  if ((!prefix && !suffix) || !file.isPolicy || !file.xml.root) return [];
  const root = file.xml.root;
  const text = file.text;
  const edits: SourceEdit[] = [];
  const own = getAttribute(root, 'PolicyId');
  const ownId = own?.valueSpan ? text.slice(own.valueSpan.start, own.valueSpan.end) : undefined;
  if (own?.valueSpan && ownId && ownId === own.value) {
    edits.push(...idEdits(ownId, own.valueSpan.start, own.valueSpan.end, prefix, suffix));
    const uri = getAttribute(root, 'PublicPolicyUri');
    if (uri?.valueSpan && uri.value !== undefined) {
      const raw = text.slice(uri.valueSpan.start, uri.valueSpan.end);
      const lastSegment = raw.slice(raw.lastIndexOf('/') + 1);
      if (raw === uri.value && lastSegment.toLowerCase() === ownId.toLowerCase()) {
        edits.push(...idEdits(lastSegment, uri.valueSpan.end - lastSegment.length, uri.valueSpan.end, prefix, suffix));
      }
    }
  }
  const basePolicyId = file.xml.root && firstChild(root, 'BasePolicy') ? firstChild(firstChild(root, 'BasePolicy')!, 'PolicyId') : undefined;
  if (basePolicyId) {
    const { value, span } = trimmedTextSpan(basePolicyId, text);
    if (value && text.slice(span.start, span.end) === value && idsOfSet.has(value.toLowerCase())) {
      edits.push(...idEdits(value, span.start, span.end, prefix, suffix));
    }
  }
  return edits;
}

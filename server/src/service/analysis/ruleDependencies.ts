/**
 * What each check's findings on a file depend on, so that a change re-runs only the checks it can change
 * (the analysis caches each check's findings under the key of its scope):
 * - `file`: the file's own text (and the settings): XML syntax, the schema, checks that read nothing else;
 * - `chain`: the file and its bases (their texts): the effective policy, the journey model of the file's
 *   chain and of its base's chain (a sub-chain);
 * - `shape`: the chain plus which files hold which PolicyId (base resolution, ambiguity, twins in a folder);
 * - `descendants`: the chain plus every file that builds on this one (messages that name a descendant, and
 *   requirements a descendant fulfils).
 * A check missing from this list is treated as `descendants` + `shape` (the widest scope): a new rule is
 * correct before it is fast.
 */
export type RuleScope = 'file' | 'chain' | 'shape' | 'descendants' | 'all';

export const RULE_SCOPES: Readonly<Record<string, RuleScope>> = {
  // rules/basePolicy.ts: index.resolveBase (candidates, ambiguity), chain cycles, index.filesWithPolicyId (twins).
  basePolicy: 'shape',
  // rules/references.ts: lookups in the effective policy; an unresolved reference's message names the
  // descendant that defines the id (index.descendants), so those findings depend on descendants (see
  // `dependsOnDescendants` in analysis.ts: only when the result has an unresolved reference).
  references: 'descendants',
  // rules/journeys.ts: the journey models of the file's chain and of its base's chain.
  claimsExchanges: 'chain',
  // rules/policyKeys.ts: the file's keys and the settings.
  policyKeys: 'file',
  // rules/tenantNames.ts: the file's text.
  tenantNames: 'file',
  // rules/secrets.ts: the file's metadata items and the settings.
  secrets: 'file',
  // rules/localization.ts: lookups in the effective policy.
  localization: 'chain',
  // rules/claimsTransformations.ts: the file's transformations, claim types from the effective policy.
  claimsTransformations: 'chain',
  // rules/claimsFlow.ts and rules/journeyStructure.ts: journey models of the chain and its base's chain.
  claimsFlow: 'chain',
  journeyStructure: 'chain',
  // rules/technicalProfileMetadata.ts: index.descendants (included profiles, redeclarations, step content).
  technicalProfileMetadata: 'descendants',
  // rules/technicalProfileOverrides.ts and rules/claimTypeRedeclared.ts: the file's definitions against its bases'.
  technicalProfileOverrides: 'chain',
  claimTypeRedeclared: 'chain',
  // rules/localizationStrings.ts: content definitions of the chain, then of the descendants' chains.
  localizationStrings: 'descendants',
  // rules/serviceLimits.ts: the file's size, the chain's depth, which files hold a PolicyId (a user-flow base's
  // B2C_1A_ twin); templated folders (settings roots) are part of every key.
  serviceLimits: 'shape',
};

export function scopeOfRule(name: string): RuleScope {
  return RULE_SCOPES[name] ?? 'all';
}

import type { Finding } from '../../server/src/service/findings';
import type { Analysis } from '../../server/src/service/analysis/analysis';
import type { Rule } from '../../server/src/service/rules/context';

/**
 * Runs one rule on one file the way the analysis does (Analysis.ruleContext): the
 * file, its chain and effective policy from the service's index, and the service's settings. To test a rule alone.
 */
export function runRule(service: Analysis, uri: string, rule: Rule): Finding[] {
  const file = service.policy(uri);
  if (!file) throw new Error(`not a policy file in the index: ${uri}`);
  return rule(service.ruleContext(file));
}

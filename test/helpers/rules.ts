import type { Finding } from '../../server/src/service/findings';
import type { PolicyLanguageService } from '../../server/src/service/languageService';
import type { Rule } from '../../server/src/service/rules/context';

/**
 * Runs one rule on one file the way the language service does (languageService.ts computeFindings): the
 * file, its chain and effective policy from the service's index, and the service's settings. For rules that
 * are not registered in the service yet.
 */
export function runRule(service: PolicyLanguageService, uri: string, rule: Rule): Finding[] {
  const file = service.index.get(uri);
  if (!file || !file.isPolicy) throw new Error(`not a policy file in the index: ${uri}`);
  return rule({ file, chain: service.index.chain(file), effective: service.index.effective(file), index: service.index, settings: service.ruleSettings });
}

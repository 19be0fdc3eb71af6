import * as assert from 'node:assert/strict';
import type { Finding } from '../../server/src/service/findings';
import { Analysis } from '../../server/src/service/analysis/analysis';
import type { Rule, RuleContext } from '../../server/src/service/rules/context';

/** A service holding the given files (uri -> text), without schema. */
export function serviceWith(files: Record<string, string>): Analysis {
  const service = new Analysis({ log: (m) => { throw new Error(m); } });
  for (const [uri, text] of Object.entries(files)) service.index.setDiskFile(uri, text);
  return service;
}

/** The rule context of one file, as the analysis builds it. */
export function ruleContext(service: Analysis, uri: string): RuleContext {
  const file = service.policy(uri);
  assert.ok(file, `${uri} is not a policy in the index`);
  return service.ruleContext(file);
}

/** Runs rules on one file of a workspace. */
export function runRules(rules: Rule[], files: Record<string, string>, uri: string): Finding[] {
  const service = serviceWith(files);
  return rules.flatMap((rule) => rule(ruleContext(service, uri)));
}

/** The span of `value` inside the first occurrence of `needle` (from `from`) in `text`. */
export function spanOf(text: string, needle: string, value = needle, from = 0): { start: number; end: number } {
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `'${needle}' not in text`);
  const start = at + needle.indexOf(value);
  assert.ok(needle.includes(value), `'${value}' not in '${needle}'`);
  return { start, end: start + value.length };
}

export const codes = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.code}`);

import { DEFAULT_TEMPLATE_TOKENS as DEFAULT_TOKEN_PATTERNS } from '../schema/validator';
import type { Finding } from '../findings';
import type { ChainModel } from '../journeys/model';
import type { EffectivePolicy } from '../policy/effective';
import type { PolicyFile } from '../policy/model';
import type { Chain, WorkspaceIndex } from '../policy/workspace';

export interface RuleSettings {
  /** Policy keys that exist in the tenant; empty when the user declared none. */
  policyKeys: string[];
  /** Template tokens: values containing one are not checked against patterns or enumerations. */
  templateTokens: RegExp[];
  /** Folders (URIs) holding an appsettings.json: the policies below them are templates built per environment. */
  settingsRoots: string[];
}

/** What every rule gets: the file, its chain and effective policy, the index and the settings. */
export interface RuleContext {
  file: PolicyFile;
  chain: Chain;
  effective: EffectivePolicy;
  index: WorkspaceIndex;
  settings: RuleSettings;
  /** The journey model of a file's chain (of this file, or of its base for comparison), cached. */
  chainModel: (file: PolicyFile) => ChainModel;
}

export type Rule = (context: RuleContext) => Finding[];

/** The default template tokens as the strings of the `b2cPolicy.templateTokens` setting. */
export const DEFAULT_TEMPLATE_TOKENS = DEFAULT_TOKEN_PATTERNS.map((r) => r.source);

export function compileTemplateTokens(patterns: string[]): RegExp[] {
  const out: RegExp[] = [];
  for (const p of patterns) {
    try {
      out.push(new RegExp(p));
    } catch {
      // An invalid user pattern is skipped; the settings reader reports it.
    }
  }
  return out;
}

export function hasTemplateToken(value: string, tokens: RegExp[]): boolean {
  return tokens.some((t) => t.test(value));
}

/**
 * `{Settings:Key}` tokens in a policy file below an appsettings.json: completion of the keys after
 * `{Settings:` and hover with the value in each environment (environments/settingsCompletion.ts and
 * settingsHover.ts do the work; this finds the settings that govern the file).
 */
import type { CompletionItem, Hover } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import { settingsCompletions, settingsHover, settingsKeyAt } from '../environments';
import type { PolicyFile } from '../policy/model';

/** The setting keys when the offset is in a key after `{Settings:` in a file that environments build; else undefined. */
export function settingsTokenCompletions(analysis: Analysis, file: PolicyFile, offset: number): CompletionItem[] | undefined {
  if (!settingsKeyAt(file.text, offset)) return undefined;
  const context = analysis.environments.contextFor(file.uri);
  return context ? settingsCompletions(file.text, offset, file.uri, context) : undefined;
}

/** The value of the token under the offset in each environment; undefined off a token or without environments. */
export function settingsTokenHover(analysis: Analysis, file: PolicyFile, offset: number): Hover | undefined {
  const context = analysis.environments.contextFor(file.uri);
  return context ? settingsHover(file.text, offset, file.uri, context) : undefined;
}

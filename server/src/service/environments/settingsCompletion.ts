/**
 * Completion of setting keys after `{Settings:`: the built-ins and every PolicySettings key of the environments
 * that build the file, each with its value per environment.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import { LineIndex } from '../xml/lines';
import type { EnvironmentSettings } from './appSettings';
import { settingsTable } from './settingsHover';
import { environmentsOfFile, relativePathInRoot, type SettingsContext } from './settingsContext';
import { BUILT_IN_DESCRIPTIONS, BUILT_IN_SETTINGS, settingValue } from './tokens';

const OPENER = '{settings:';
const KEY_CHARACTER = /[^{}\r\n]/;

/** Where a key being typed after `{Settings:` starts and ends, or undefined when the offset is not in one. */
export function settingsKeyAt(text: string, offset: number): { start: number; end: number; closed: boolean } | undefined {
  let start = offset;
  while (start > 0 && KEY_CHARACTER.test(text[start - 1]) && text[start - 1] !== ':') start--;
  if (text.slice(Math.max(0, start - OPENER.length), start).toLowerCase() !== OPENER) return undefined;
  let end = offset;
  while (end < text.length && KEY_CHARACTER.test(text[end]) && text[end] !== '"' && text[end] !== '<') end++;
  return { start, end, closed: text[end] === '}' };
}

export function settingsCompletions(text: string, offset: number, fileUri: string, context: SettingsContext): CompletionItem[] {
  const at = settingsKeyAt(text, offset);
  if (!at) return [];
  const environments = environmentsOfFile(context, fileUri);
  const relativePath = relativePathInRoot(context.rootUri, fileUri);
  const lines = new LineIndex(text);
  const range = lines.rangeOf({ start: at.start, end: at.closed ? at.end + 1 : at.end });
  const item = (key: string, kind: CompletionItemKind, detail: string, sortText: string): CompletionItem => ({
    label: key,
    kind,
    detail,
    documentation: { kind: MarkupKind.Markdown, value: settingsTable(key, environments, relativePath) },
    textEdit: { range, newText: `${key}}` },
    filterText: key,
    sortText,
  });
  const items: CompletionItem[] = BUILT_IN_SETTINGS.map((b, i) => item(b, CompletionItemKind.Constant, BUILT_IN_DESCRIPTIONS[b].replace(/`/g, ''), `0${i}`));
  const keys = new Map<string, string>();
  for (const environment of environments) for (const s of environment.settings) if (!keys.has(s.key.toLowerCase())) keys.set(s.key.toLowerCase(), s.key);
  for (const key of [...keys.values()].sort((a, b) => a.localeCompare(b))) {
    items.push(item(key, CompletionItemKind.Variable, definedIn(key, environments), `1${key.toLowerCase()}`));
  }
  return items;
}

function definedIn(key: string, environments: EnvironmentSettings[]): string {
  const missing = environments.filter((e) => settingValue(e, key) === undefined).map((e) => e.name);
  return missing.length ? `Setting; not defined in ${missing.join(', ')}` : 'Setting';
}

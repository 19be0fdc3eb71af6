/**
 * Hover on a `{Settings:X}` token: its value in each environment that builds the file.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { LineIndex } from '../xml/lines';
import type { EnvironmentSettings } from './appSettings';
import { environmentsOfFile, relativePathInRoot, type SettingsContext } from './settingsContext';
import { BUILT_IN_DESCRIPTIONS, builtInSetting, findSettingsTokens, settingValue } from './tokens';

export function settingsHover(text: string, offset: number, fileUri: string, context: SettingsContext): Hover | undefined {
  const token = findSettingsTokens(text).find((t) => t.span.start <= offset && offset <= t.span.end);
  if (!token) return undefined;
  const environments = environmentsOfFile(context, fileUri);
  const relativePath = relativePathInRoot(context.rootUri, fileUri);
  return {
    contents: { kind: MarkupKind.Markdown, value: `**{Settings:${token.key}}**\n\n${settingsTable(token.key, environments, relativePath)}` },
    range: new LineIndex(text).rangeOf(token.span),
  };
}

/** A Markdown table of a key's value per environment (shared with completion). */
export function settingsTable(key: string, environments: EnvironmentSettings[], relativePath: string | undefined): string {
  const builtIn = builtInSetting(key);
  const intro = builtIn ? `${BUILT_IN_DESCRIPTIONS[builtIn]}\n\n` : '';
  if (environments.length === 0) return `${intro}No environment of appsettings.json builds this file.`;
  const rows = environments.map((e) => {
    const value = settingValue(e, key, relativePath);
    return `| ${escapeCell(e.name)}${e.production ? ' (production)' : ''} | ${value === undefined ? '*not defined*' : code(value)} |`;
  });
  return `${intro}| Environment | Value |\n| --- | --- |\n${rows.join('\n')}`;
}

function escapeCell(text: string): string {
  return text.replace(/[\\|*_`[\]<>]/g, (c) => `\\${c}`);
}

/** A value as inline code inside a table cell: one line, pipes escaped, enough backticks around it. */
function code(value: string): string {
  if (value === '') return '*(empty)*';
  const oneLine = value.replace(/\r\n|\r|\n/g, ' ').replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

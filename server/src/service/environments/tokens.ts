/**
 * `{Settings:Key}` tokens: where they are in a text and what they resolve to in an environment.
 *
 * Matching follows Microsoft's B2C extension for VS Code (azure-ad-b2c/vscode-extension, src/PolicyBuild.ts),
 * whose appsettings.json format engineers already have:
 * - it replaces `new RegExp("\{Settings:" + key + "\}", "gi")`, so both `Settings` and the key match in any
 *   case (`{settings:tenant}` is the tenant);
 * - built-ins first, in this order: `Tenant` (the environment's Tenant), `Filename` (the file name without its
 *   extension, `/\.[^/.]+$/` removed), `PolicyFilename` (the same with every `B2C_1A_` removed, case-sensitive),
 *   `Environment` (the environment's Name); then each PolicySettings key. So a PolicySettings key named like a
 *   built-in is never used (appsettings.ts warns about it).
 * Differences, on purpose: one pass over the text, so a value that itself contains `{Settings:X}` is written as
 * it is (the extension's sequential replaces expand it only when X happens to come later); a value is inserted
 * literally (String.replace would read `$&` in a value as a pattern); a key is never read as a regular
 * expression; and a token without a value is an error of the build, where the extension leaves it in the
 * output for the service to reject (`settings:tenant is neither a valid DNS name...`, service-errors.md #18).
 */
import type { Span } from '../xml/nodes';
import type { EnvironmentSettings } from './appSettings';

export interface SettingsToken {
  /** The key as written (between `{Settings:` and `}`). */
  key: string;
  /** The whole token, braces included. */
  span: Span;
  keySpan: Span;
}

const PREFIX_LENGTH = '{Settings:'.length;
/** A token: `{Settings:` in any case, a key of one or more characters other than braces and line breaks, `}`. */
const TOKEN = /\{settings:([^{}\r\n]+)\}/gi;

export function findSettingsTokens(text: string): SettingsToken[] {
  const tokens: SettingsToken[] = [];
  const re = new RegExp(TOKEN.source, TOKEN.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    tokens.push({ key: m[1], span: { start, end: start + m[0].length }, keySpan: { start: start + PREFIX_LENGTH, end: start + m[0].length - 1 } });
  }
  return tokens;
}

/** The built-in settings, in the order Microsoft's extension replaces them. */
export const BUILT_IN_SETTINGS = ['Tenant', 'Filename', 'PolicyFilename', 'Environment'] as const;
export type BuiltInSetting = (typeof BUILT_IN_SETTINGS)[number];

export const BUILT_IN_DESCRIPTIONS: Record<BuiltInSetting, string> = {
  Tenant: "The environment's `Tenant`.",
  Filename: 'The name of the policy file, without its extension.',
  PolicyFilename: 'The name of the policy file, without its extension and without `B2C_1A_`.',
  Environment: "The environment's `Name`.",
};

export function builtInSetting(key: string): BuiltInSetting | undefined {
  const lower = key.toLowerCase();
  return BUILT_IN_SETTINGS.find((b) => b.toLowerCase() === lower);
}

/** The file name without folders and without its last extension. */
export function fileNameWithoutExtension(relativePath: string): string {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return name.replace(/\.[^/.]+$/, '');
}

/**
 * The value of a setting in an environment, or undefined when the environment does not define it.
 * `relativePath` (the file being resolved) gives Filename and PolicyFilename; without it they are undefined.
 */
export function settingValue(environment: EnvironmentSettings, key: string, relativePath?: string): string | undefined {
  switch (builtInSetting(key)) {
    case 'Tenant':
      return environment.tenant;
    case 'Environment':
      return environment.name;
    case 'Filename':
      return relativePath === undefined ? undefined : fileNameWithoutExtension(relativePath);
    case 'PolicyFilename':
      return relativePath === undefined ? undefined : fileNameWithoutExtension(relativePath).replace(/B2C_1A_/g, '');
    default: {
      const lower = key.toLowerCase();
      return environment.settings.find((s) => s.key.toLowerCase() === lower)?.value;
    }
  }
}

/** Whether an environment gives the key a value in every file (Filename and PolicyFilename always do). */
export function isSettingDefined(environment: EnvironmentSettings, key: string): boolean {
  const builtIn = builtInSetting(key);
  if (builtIn === 'Filename' || builtIn === 'PolicyFilename') return true;
  return settingValue(environment, key) !== undefined;
}

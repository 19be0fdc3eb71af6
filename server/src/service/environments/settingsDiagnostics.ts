/**
 * undefined-setting while editing: a `{Settings:X}` token that some environment building this file does not
 * define. A warning on the token naming those environments (the build of those environments fails on it).
 */
import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import { environmentsOfFile, type SettingsContext } from './settingsContext';
import { findSettingsTokens, isSettingDefined } from './tokens';

export function checkSettingsTokens(fileText: string, fileUri: string, context: SettingsContext): Finding[] {
  const environments = environmentsOfFile(context, fileUri);
  if (environments.length === 0) return [];
  const findings: Finding[] = [];
  for (const token of findSettingsTokens(fileText)) {
    const missing = environments.filter((e) => !isSettingDefined(e, token.key)).map((e) => e.name);
    if (missing.length === 0) continue;
    const where =
      missing.length === environments.length && environments.length > 1
        ? `in any environment (${missing.join(', ')})`
        : `in environment${missing.length === 1 ? '' : 's'} ${missing.map((m) => `'${m}'`).join(', ')}`;
    findings.push({
      code: DiagnosticCodes.undefinedSetting,
      severity: 'warning',
      message: `{Settings:${token.key}} has no value ${where}: the build of ${missing.length === 1 ? 'that environment' : 'those environments'} fails.`,
      span: token.span,
      data: { key: token.key, environments: missing },
    });
  }
  return findings;
}

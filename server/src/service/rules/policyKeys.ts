import { DiagnosticCodes } from '../../protocol';
import { storageReferenceLooksLikeSecret } from '../catalogs/secrets';
import type { Finding } from '../findings';
import { hasTemplateToken, type RuleContext } from './context';

export const POLICY_KEY_PREFIX = 'B2C_1A_';

/**
 * A StorageReferenceId names a policy key stored in the tenant, whose name always starts with B2C_1A_
 * (the portal adds the prefix). When the tenant's keys are known (declared in settings, or read from the
 * tenant with `check --tenant-keys`), an unknown key is an error: the upload fails with service message #12,
 * `Tenant "..." does not have CryptographicKey referenced by storageReferenceId "B2C_1A_AADAppSecret".`
 */
export function checkPolicyKeys(context: RuleContext): Finding[] {
  const { file, settings } = context;
  const findings: Finding[] = [];
  const declared = new Set(settings.policyKeys.map((k) => k.toLowerCase()));
  for (const key of file.policyKeys) {
    if (!key.name || hasTemplateToken(key.name, settings.templateTokens)) continue;
    // A secret typed where the key's name belongs is secret-in-policy's to report: never echo it here.
    if (storageReferenceLooksLikeSecret(key.name)) continue;
    if (!key.name.toUpperCase().startsWith(POLICY_KEY_PREFIX)) {
      findings.push({
        code: DiagnosticCodes.policyKeyPrefix,
        severity: 'error',
        message: `Policy key '${key.name}' lacks the '${POLICY_KEY_PREFIX}' prefix: the tenant stores it as '${POLICY_KEY_PREFIX}${key.name}'.`,
        span: key.span,
        data: { name: key.name, fixed: POLICY_KEY_PREFIX + key.name },
      });
      continue;
    }
    if (declared.size > 0 && !declared.has(key.name.toLowerCase())) {
      findings.push({
        code: DiagnosticCodes.unknownPolicyKey,
        severity: 'error',
        message: `Policy key '${key.name}' is not among the tenant's keys (${settings.policyKeys.join(', ')}).`,
        span: key.span,
        data: { name: key.name, known: settings.policyKeys },
      });
    }
  }
  return findings;
}

import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import { trimmedTextSpan } from '../policy/model';
import { attributeValue, walkElements } from '../xml/query';
import { hasTemplateToken, type RuleContext } from './context';

const SECRET_KEYS = new Set(['client_secret', 'clientsecret', 'password', 'apikey', 'api_key']);

/** A literal secret in a metadata item: secrets belong in a policy key referenced by StorageReferenceId. */
export function checkSecrets(context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const element of walkElements(context.file.xml.root)) {
    if (element.localName !== 'Item' || element.parent?.localName !== 'Metadata') continue;
    const key = attributeValue(element, 'Key');
    if (!key || !SECRET_KEYS.has(key.toLowerCase())) continue;
    const value = trimmedTextSpan(element);
    if (!value.value || hasTemplateToken(value.value, context.settings.templateTokens)) continue;
    findings.push({
      code: DiagnosticCodes.secretInPolicy,
      severity: 'error',
      message: `Metadata item '${key}' holds a literal secret. Store it as a policy key and reference it from CryptographicKeys (<Key Id="${key}" StorageReferenceId="B2C_1A_..." />).`,
      span: value.span,
      data: { key },
    });
  }
  return findings;
}

import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import { trimmedTextSpan } from '../policy/model';
import { baseName } from '../policy/workspace';
import { firstChild } from '../xml/query';
import type { RuleContext } from './context';

/**
 * A ClaimType that a base already declares, declared again with another DataType. The declarations merge by
 * Id, so every profile and transformation of the base that uses the claim now sees another type. Evidence:
 * azure-ad-b2c/samples#524 — a sample's Extensions redeclared the starter pack's refreshTokensValidFromDateTime
 * with another data type and the upload failed (reported as a reference to a ClaimType "neither the policy nor
 * any of its base policies contain"); the fix (samples#548) renamed the claim. Same-type redeclarations
 * (adding a DisplayName or a restriction) are ordinary and not reported. Judged against the file's own bases.
 */
export function checkClaimTypeRedeclared(context: RuleContext): Finding[] {
  const { file, effective } = context;
  const bases = effective.files.filter((f) => f !== file);
  if (bases.length === 0) return [];
  const findings: Finding[] = [];
  for (const definition of file.definitions) {
    if (definition.kind !== 'claimType') continue;
    const dataTypeElement = firstChild(definition.element, 'DataType');
    if (!dataTypeElement) continue;
    const own = trimmedTextSpan(dataTypeElement);
    if (!own.value) continue;
    for (const base of bases) {
      const declared = base.definitions.find((d) => d.kind === 'claimType' && d.id.toLowerCase() === definition.id.toLowerCase());
      const baseType = declared && firstChild(declared.element, 'DataType');
      const baseValue = baseType ? trimmedTextSpan(baseType).value : '';
      if (!baseValue) continue;
      if (baseValue.toLowerCase() !== own.value.toLowerCase()) {
        findings.push({
          code: DiagnosticCodes.claimTypeRedeclared,
          severity: 'error',
          message: `ClaimType "${definition.id}" is declared in ${baseName(base.uri)} with DataType "${baseValue}"; redeclaring it as "${own.value}" changes the type for every use in the base policies. Use the base's DataType or another claim Id.`,
          span: own.span,
          data: { id: definition.id, dataType: own.value, baseDataType: baseValue, baseUri: base.uri },
        });
      }
      break; // the nearest base declaration is the one the redeclaration overrides
    }
  }
  return findings;
}

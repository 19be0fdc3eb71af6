import { DiagnosticCodes } from '../../protocol';
import {
  CLAIM_DATA_TYPES,
  claimsTransformationMethod,
  claimsTransformationMethodNames,
  type OpenTransformationSlots,
  type TransformationSlot,
} from '../catalogs/claimsTransformations';
import { closestIds } from '../util/closest';
import type { Finding } from '../findings';
import type { EffectivePolicy } from '../policy/effective';
import type { Definition } from '../policy/model';
import { CLAIM_RESOLVER } from '../schema/validator';
import type { Span, XmlAttribute, XmlElement } from '../xml/nodes';
import { childElements, firstChild, getAttribute, textContent } from '../xml/query';
import { hasTemplateToken, type RuleContext } from './context';

/**
 * Claims transformations against the catalog of methods (catalogs/claimsTransformations.ts):
 * - unknown-transformation-method: a TransformationMethod the reference does not document;
 * - transformation-signature-mismatch: per section (InputClaims, InputParameters, OutputClaims), names the
 *   method does not take and required names that are not declared. The service rejects both on upload, in
 *   one message per section: "The InputClaims mismatched in ClaimsTransformation with id "X" with
 *   TransformationMethod "M". The following InputClaims were declared in the Policy but were not expected by
 *   the TransformMethod: [DateTime]rightOperand. The following InputClaims were expected by the
 *   TransformMethod but were not declared in the Policy: [String]rightOperand." (service-errors.md #15);
 * - transformation-claim-type-mismatch: a claim bound to a known name whose ClaimType (in the file's chain)
 *   has a DataType the method does not accept; the service counts it in the same message (#15 above: a
 *   DateTime claim bound to rightOperand, which expects String);
 * - transformation-parameter-invalid-value: an InputParameter Value that is not a value of its declared
 *   DataType (int, long, boolean), or not one of the values the reference lists for the parameter.
 * Names compare exactly, like method names: no public evidence shows the service ignoring their case.
 * Values holding a template token or a claim resolver are not judged.
 */
export function checkClaimsTransformations(context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const definition of context.file.definitions) {
    if (definition.kind === 'claimsTransformation') checkTransformation(definition, context, findings);
  }
  return findings;
}

type Section = 'InputClaims' | 'InputParameters' | 'OutputClaims';

const SECTIONS: ReadonlyArray<{ section: Section; entry: string; slots: 'inputClaims' | 'inputParameters' | 'outputClaims'; open: 'openInputClaims' | 'openInputParameters' | 'openOutputClaims' }> = [
  { section: 'InputClaims', entry: 'InputClaim', slots: 'inputClaims', open: 'openInputClaims' },
  { section: 'InputParameters', entry: 'InputParameter', slots: 'inputParameters', open: 'openInputParameters' },
  { section: 'OutputClaims', entry: 'OutputClaim', slots: 'outputClaims', open: 'openOutputClaims' },
];

/** One InputClaim, InputParameter or OutputClaim as the policy declares it. */
interface DeclaredEntry {
  /** TransformationClaimType (or, when absent, ClaimTypeReferenceId, as the schema documents) or the parameter Id. */
  name: string;
  nameSpan: Span;
  /** Claims: the bound ClaimType. */
  claim?: { id: string; span: Span };
  /** Parameters: the declared DataType and Value. */
  dataType?: string;
  value?: XmlAttribute;
}

interface TransformationInfo {
  id: string;
  method: string;
  methodSpan: Span;
}

function valueSpan(attribute: XmlAttribute): Span {
  return attribute.valueSpan ?? attribute.nameSpan;
}

function checkTransformation(definition: Definition, context: RuleContext, findings: Finding[]): void {
  const { settings } = context;
  const methodAttribute = getAttribute(definition.element, 'TransformationMethod');
  // A missing attribute is the schema's finding; a templated one cannot be judged.
  if (!methodAttribute || methodAttribute.value === undefined || hasTemplateToken(methodAttribute.value, settings.templateTokens)) return;
  const info: TransformationInfo = { id: definition.id, method: methodAttribute.value, methodSpan: valueSpan(methodAttribute) };
  const method = claimsTransformationMethod(info.method);
  if (!method) {
    findings.push(unknownMethod(info));
    return;
  }
  if (!method.signature) return;
  for (const s of SECTIONS) {
    const entries = declaredEntries(definition.element, s.section, s.entry);
    checkSection(info, s.section, entries, method.signature[s.slots], method.signature[s.open], context, findings);
  }
}

function unknownMethod(info: TransformationInfo): Finding {
  const names = claimsTransformationMethodNames();
  const suggestions = closestIds(info.method, names);
  const sameButCase = names.find((n) => n.toLowerCase() === info.method.toLowerCase());
  const hint = sameButCase
    ? ` Method names are case-sensitive: use '${sameButCase}'.`
    : suggestions.length
      ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?`
      : '';
  return {
    code: DiagnosticCodes.unknownTransformationMethod,
    severity: 'error',
    message: `ClaimsTransformation '${info.id}': '${info.method}' is not a claims transformation method of Azure AD B2C.${hint}`,
    span: info.methodSpan,
    data: { transformationId: info.id, method: info.method, suggestions },
  };
}

function declaredEntries(transformation: XmlElement, section: Section, entryName: string): DeclaredEntry[] {
  const out: DeclaredEntry[] = [];
  for (const list of childElements(transformation, section)) {
    for (const element of childElements(list, entryName)) {
      if (section === 'InputParameters') {
        const id = getAttribute(element, 'Id');
        if (id?.value === undefined) continue; // the schema reports the missing Id
        out.push({ name: id.value, nameSpan: valueSpan(id), dataType: getAttribute(element, 'DataType')?.value, value: getAttribute(element, 'Value') });
        continue;
      }
      const claim = getAttribute(element, 'ClaimTypeReferenceId');
      const transformationClaimType = getAttribute(element, 'TransformationClaimType');
      const named = transformationClaimType?.value !== undefined ? transformationClaimType : claim;
      if (named?.value === undefined) continue; // the schema reports the missing ClaimTypeReferenceId
      out.push({
        name: named.value,
        nameSpan: valueSpan(named),
        claim: claim?.value !== undefined ? { id: claim.value, span: valueSpan(claim) } : undefined,
      });
    }
  }
  return out;
}

function checkSection(
  info: TransformationInfo,
  section: Section,
  entries: DeclaredEntry[],
  slots: readonly TransformationSlot[],
  open: OpenTransformationSlots | undefined,
  context: RuleContext,
  findings: Finding[],
): void {
  const { effective, settings } = context;
  const unexpected: DeclaredEntry[] = [];
  const declaredNames = new Set<string>();
  let templatedName = false;
  for (const entry of entries) {
    if (hasTemplateToken(entry.name, settings.templateTokens)) {
      templatedName = true;
      continue;
    }
    declaredNames.add(entry.name);
    const slot = slots.find((s) => s.name === entry.name);
    const accepted = slot ?? (open ? { name: entry.name, dataTypes: open.dataTypes, required: false } : undefined);
    if (!accepted) {
      unexpected.push(entry);
      continue;
    }
    if (entry.claim) {
      const mismatch = claimTypeMismatch(info, section, entry, accepted, effective, settings.templateTokens);
      if (mismatch) findings.push(mismatch);
    } else if (entry.value) {
      const invalid = invalidParameterValue(info, entry, slot, settings.templateTokens);
      if (invalid) findings.push(invalid);
    }
  }
  // A templated name may stand for any expected one: then nothing can be called missing.
  const missing = templatedName ? [] : slots.filter((s) => s.required && !declaredNames.has(s.name));
  if (!unexpected.length && !missing.length) return;
  const declaredText = unexpected.map((e) => `[${e.claim ? displayType(claimDataType(effective, e.claim.id)) : displayType(e.dataType)}]${e.name}`);
  const expectedText = missing.map((s) => `[${s.dataTypes.map(displayType).join('|')}]${s.name}`);
  const parts = [`The ${section} of ClaimsTransformation '${info.id}' do not match TransformationMethod '${info.method}'.`];
  if (declaredText.length) parts.push(`Declared but not expected: ${declaredText.join(', ')}.`);
  if (expectedText.length) parts.push(`Expected but not declared: ${expectedText.join(', ')}.`);
  findings.push({
    code: DiagnosticCodes.transformationSignatureMismatch,
    severity: 'error',
    message: parts.join(' '),
    span: unexpected.length ? unexpected[0].nameSpan : info.methodSpan,
    data: {
      transformationId: info.id,
      method: info.method,
      section,
      unexpected: unexpected.map((e) => e.name),
      missing: missing.map((s) => s.name),
      expected: slots.map((s) => s.name),
    },
  });
}

function claimTypeMismatch(
  info: TransformationInfo,
  section: Section,
  entry: DeclaredEntry,
  slot: TransformationSlot,
  effective: EffectivePolicy,
  templateTokens: RegExp[],
): Finding | undefined {
  const claim = entry.claim!;
  if (hasTemplateToken(claim.id, templateTokens)) return undefined;
  const dataType = claimDataType(effective, claim.id);
  // Unresolved claims are the references rule's finding; an unknown DataType is the schema's.
  if (dataType === undefined || !(CLAIM_DATA_TYPES as readonly string[]).includes(dataType)) return undefined;
  if ((slot.dataTypes as readonly string[]).includes(dataType)) return undefined;
  const expected = `[${slot.dataTypes.map(displayType).join('|')}]${slot.name}`;
  return {
    code: DiagnosticCodes.transformationClaimTypeMismatch,
    severity: 'error',
    message:
      `The ${section} of ClaimsTransformation '${info.id}' do not match TransformationMethod '${info.method}'. ` +
      `Declared: [${displayType(dataType)}]${entry.name} (ClaimType '${claim.id}' is ${dataType}). Expected: ${expected}.`,
    span: claim.span,
    data: { transformationId: info.id, method: info.method, section, name: entry.name, claimType: claim.id, dataType, expected: [...slot.dataTypes] },
  };
}

/** The DataType of a ClaimType in the chain: the most derived declaration that states one. */
export function claimDataType(effective: EffectivePolicy, id: string): string | undefined {
  const found = effective.lookup('claimType', id);
  for (const definition of [...found.exact, ...found.caseOnly]) {
    const element = firstChild(definition.element, 'DataType');
    const value = element ? textContent(element).trim() : '';
    if (value) return value;
  }
  return undefined;
}

/** `dateTime` -> `DateTime`, as the service writes types in its messages; `?` when unknown. */
function displayType(dataType: string | undefined): string {
  return dataType ? dataType.charAt(0).toUpperCase() + dataType.slice(1) : '?';
}

const INT32 = { min: -(2n ** 31n), max: 2n ** 31n - 1n };
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

/**
 * Whether a value parses as the declared DataType. Only int, long and boolean are judged (.NET parses them
 * strictly: digits with an optional sign; true or false in any case); dates and other types are left alone,
 * since the service's date parsing accepts many forms.
 */
function parsesAs(dataType: string | undefined, value: string): boolean {
  const v = value.trim();
  if (dataType === 'boolean') return /^(true|false)$/i.test(v);
  if (dataType === 'int' || dataType === 'long') {
    if (!/^[+-]?\d+$/.test(v)) return false;
    const n = BigInt(v);
    const range = dataType === 'int' ? INT32 : INT64;
    return n >= range.min && n <= range.max;
  }
  return true;
}

function invalidParameterValue(info: TransformationInfo, entry: DeclaredEntry, slot: TransformationSlot | undefined, templateTokens: RegExp[]): Finding | undefined {
  const attribute = entry.value!;
  const value = attribute.value;
  if (value === undefined || hasTemplateToken(value, templateTokens) || CLAIM_RESOLVER.test(value)) return undefined;
  const base = { transformationId: info.id, method: info.method, parameter: entry.name, value, dataType: entry.dataType };
  // Allowed values, as the reference lists them (compared ignoring case, as its own examples write them).
  if (slot?.values && !slot.values.some((v) => v.toLowerCase() === value.trim().toLowerCase())) {
    return {
      code: DiagnosticCodes.transformationParameterInvalidValue,
      severity: 'error',
      message: `InputParameter '${entry.name}' of ClaimsTransformation '${info.id}' (${info.method}) must be one of ${slot.values.map((v) => `'${v}'`).join(', ')}; found '${value}'.`,
      span: valueSpan(attribute),
      data: { ...base, allowed: [...slot.values] },
    };
  }
  if (!parsesAs(entry.dataType, value)) {
    return {
      code: DiagnosticCodes.transformationParameterInvalidValue,
      severity: 'error',
      message: `InputParameter '${entry.name}' of ClaimsTransformation '${info.id}' is declared ${entry.dataType}, but '${value}' is not a${entry.dataType === 'int' ? 'n' : ''} ${entry.dataType} value.`,
      span: valueSpan(attribute),
      data: base,
    };
  }
  return undefined;
}

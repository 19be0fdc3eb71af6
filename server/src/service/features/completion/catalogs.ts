/**
 * Completion of attribute values that the catalogs know (features/catalogSites.ts): TransformationMethod (every
 * documented method, with its signature), TransformationClaimType and InputParameter Id (the chosen method's
 * names, those not used yet first), InputParameter DataType and Value (what the method expects first), metadata
 * Item Key (the keys of the profile's protocol or handler, with their documentation), LocalizedString StringId
 * (the ids of the element type and of the page the resources serve). Undefined when no catalog applies, so
 * that the schema's and the chain's completions are offered instead.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import { CLAIM_DATA_TYPES, CLAIMS_TRANSFORMATION_METHODS, methodSignature, type TransformationSlot } from '../../catalogs/claimsTransformations';
import { metadataKeysFor } from '../../catalogs/technicalProfiles';
import { escapeAttribute } from '../../edits/textEdits';
import type { PolicyFile } from '../../policy/model';
import { baseName } from '../../policy/workspace';
import type { CompiledSchema } from '../../schema';
import type { XmlAttribute, XmlElement } from '../../xml/nodes';
import { attributeValue, childElements, firstChild, walkElements } from '../../xml/query';
import { catalogSiteOf, uxElementChoices, type CatalogSite } from '../catalogSites';
import { metadataKeyDescription, methodDocumentation, slotDescription, stringIdDescription } from '../hover/catalogs';

/** What the value items replace: the range of the value, the quote it sits in, the closing quote to add. */
export interface ValueEdit {
  range: Range;
  quote: string;
  suffix: string;
}

export function catalogValueCompletions(
  analysis: Analysis,
  schema: CompiledSchema,
  file: PolicyFile,
  element: XmlElement,
  attribute: XmlAttribute,
  edit: ValueEdit,
): CompletionItem[] | undefined {
  const site = catalogSiteOf(analysis, file, element, attribute.name);
  if (!site) return undefined;
  const item = (label: string, rank: string, extra: Partial<CompletionItem>): CompletionItem => ({
    label,
    sortText: rank + label,
    textEdit: { range: edit.range, newText: escapeAttribute(label) + edit.suffix },
    ...extra,
  });
  switch (site.kind) {
    case 'method':
      return CLAIMS_TRANSFORMATION_METHODS.map((method) =>
        item(method.name, '', { kind: CompletionItemKind.Function, detail: methodSignature(method.name), documentation: markdown(methodDocumentation(method)) }),
      );
    case 'claimSlot':
    case 'parameterId': {
      if (!site.method || !site.slots) return undefined;
      const signature = methodSignature(site.method.name);
      return site.slots.map((slot, index) => {
        const used = site.used.has(slot.name);
        const rank = (used ? '2' : slot.required ? '0' : '1') + String(index).padStart(3, '0');
        return item(slot.name, rank, {
          kind: site.kind === 'claimSlot' ? CompletionItemKind.Variable : CompletionItemKind.Field,
          detail: `${slot.required ? 'required' : 'optional'} ${site.what}: ${slot.dataTypes.join(' | ')}${used ? ' (already declared)' : ''}`,
          documentation: markdown(`${slotDescription(slot)}\n\n\`${signature}\``),
        });
      });
    }
    case 'parameterDataType':
      return site.method && site.slot ? dataTypeItems(schema, element, site.method.name, site.slot, item) : undefined;
    case 'parameterValue':
      return site.method && site.slot ? parameterValueItems(site.method.name, site.slot, item) : undefined;
    case 'metadataKey':
      return metadataKeyItems(analysis, file, site, item);
    case 'stringId':
      return stringIdItems(analysis, file, site, item);
  }
}

type ItemMaker = (label: string, rank: string, extra: Partial<CompletionItem>) => CompletionItem;

/** The schema's DataType values, the ones the method expects for the parameter first. */
function dataTypeItems(schema: CompiledSchema, element: XmlElement, method: string, slot: TransformationSlot, item: ItemMaker): CompletionItem[] {
  const decl = schema.elementDeclFor(element);
  const enumeration = decl ? schema.attribute(decl, 'DataType')?.type.enumeration : undefined;
  const values = enumeration?.length ? enumeration.map((e) => ({ value: e.value, documentation: e.documentation })) : CLAIM_DATA_TYPES.map((value) => ({ value, documentation: undefined }));
  return values.map(({ value, documentation }, index) => {
    const expected = (slot.dataTypes as readonly string[]).includes(value);
    return item(value, (expected ? '0' : '1') + String(index).padStart(3, '0'), {
      kind: CompletionItemKind.EnumMember,
      detail: expected ? `expected by ${method} for ${slot.name}` : undefined,
      documentation: documentation ? markdown(documentation) : undefined,
    });
  });
}

/** The documented values of a parameter (true/false for a boolean one). */
function parameterValueItems(method: string, slot: TransformationSlot, item: ItemMaker): CompletionItem[] | undefined {
  const values = slot.values ?? (slot.dataTypes.length === 1 && slot.dataTypes[0] === 'boolean' ? ['true', 'false'] : undefined);
  return values?.map((value, index) => item(value, String(index).padStart(3, '0'), { kind: CompletionItemKind.EnumMember, detail: `${slot.name} of ${method}` }));
}

/**
 * The keys the profile's type reads, leaving out the keys this Metadata element already has (a duplicate key
 * fails the upload): required keys the merged profile lacks first, then the others, then the keys another
 * declaration of the profile (a base, an included profile) already sets.
 */
function metadataKeyItems(analysis: Analysis, file: PolicyFile, site: Extract<CatalogSite, { kind: 'metadataKey' }>, item: ItemMaker): CompletionItem[] | undefined {
  const type = site.type;
  if (!type || type.openMetadata) return undefined;
  const here = new Set(childElements(site.metadata, 'Item').flatMap((i) => (i === site.item ? [] : [attributeValue(i, 'Key') ?? ''])));
  const id = attributeValue(site.profile, 'Id');
  const merged = id && site.profile.parent?.localName === 'TechnicalProfiles' ? analysis.chainModel(file).profiles.profile(id)?.metadata : undefined;
  return metadataKeysFor(type)
    .filter(({ key }) => !here.has(key))
    .map(({ key, spec }, index) => {
      const elsewhere = merged?.get(key);
      const setElsewhere = elsewhere && elsewhere.item.parent !== site.metadata ? elsewhere : undefined;
      const rank = (setElsewhere ? '2' : spec.required ? '0' : '1') + String(index).padStart(3, '0');
      return item(key, rank, {
        kind: CompletionItemKind.Property,
        detail: `${type.title} · ${spec.type}${spec.required ? ' · required' : ''}${setElsewhere ? ` · set in ${baseName(setElsewhere.file.uri)}` : ''}`,
        documentation: markdown(metadataKeyDescription(type, key)),
      });
    });
}

/** The string ids of the element type; ids already localized in this LocalizedStrings (same ElementId) last. */
function stringIdItems(analysis: Analysis, file: PolicyFile, site: Extract<CatalogSite, { kind: 'stringId' }>, item: ItemMaker): CompletionItem[] | undefined {
  const spec = site.spec;
  if (!spec) return undefined;
  const effective = analysis.index.effective(file);
  const elementId = attributeValue(site.string, 'ElementId');
  const linked = spec.stringId.kind === 'perPage' ? uxElementChoices(analysis, file, site.string.parent?.parent) : undefined;
  let ids: string[];
  if (spec.stringId.kind === 'fixed') ids = [...spec.stringId.ids];
  else if (spec.stringId.kind === 'perPage') ids = linked?.ids ?? [];
  else {
    switch (spec.stringId.what) {
      case 'claimsExchange':
        ids = effective.journeys().flatMap((j) => j.steps.flatMap((s) => s.step.exchanges.map((e) => e.id)));
        break;
      case 'predicateGroup': {
        const validation = elementId ? effective.lookup('predicateValidation', elementId) : undefined;
        const element = validation && (validation.exact[0] ?? validation.caseOnly[0])?.element;
        ids = element ? [...walkElements(element)].filter((e) => e.localName === 'PredicateGroup').map((e) => attributeValue(e, 'Id') ?? '') : [];
        break;
      }
      case 'stringFormatId':
        ids = transformationsOf(analysis, file, 'FormatLocalizedString').flatMap((t) =>
          childElements(firstChild(t, 'InputParameters') ?? t, 'InputParameter')
            .filter((p) => attributeValue(p, 'Id') === 'stringFormatId')
            .map((p) => attributeValue(p, 'Value') ?? ''),
        );
        break;
      case 'transformationClaimType':
        ids = transformationsOf(analysis, file, 'GetLocalizedStringsTransformation').flatMap((t) =>
          childElements(firstChild(t, 'OutputClaims') ?? t, 'OutputClaim').map((c) => attributeValue(c, 'TransformationClaimType') ?? ''),
        );
        break;
    }
  }
  const used = new Set(
    childElements(site.string.parent!, 'LocalizedString')
      .filter((s) => s !== site.string && attributeValue(s, 'ElementType') === spec.elementType && attributeValue(s, 'ElementId') === elementId)
      .map((s) => attributeValue(s, 'StringId')),
  );
  return [...new Set(ids.filter(Boolean))].map((id) =>
    item(id, used.has(id) ? '1' : '0', {
      kind: CompletionItemKind.Constant,
      detail: `${spec.elementType} string${used.has(id) ? ' (already localized here)' : ''}`,
      documentation: markdown(stringIdDescription(spec, id, linked)),
    }),
  );
}

function transformationsOf(analysis: Analysis, file: PolicyFile, method: string): XmlElement[] {
  return analysis.index
    .effective(file)
    .definitionsOf('claimsTransformation')
    .map((d) => d.element)
    .filter((e) => attributeValue(e, 'TransformationMethod') === method);
}

function markdown(value: string) {
  return { kind: MarkupKind.Markdown, value };
}

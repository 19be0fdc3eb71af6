/**
 * Hover on attribute values that the catalogs know (features/catalogSites.ts): a TransformationMethod with its
 * signature, a TransformationClaimType or InputParameter with the method's slot, a metadata Key with its
 * documentation for the profile's protocol or handler, a LocalizedString StringId with what it names. Also the
 * descriptions completion shows beside the same values.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import type { Analysis } from '../../analysis/analysis';
import {
  claimsTransformationMethod,
  claimsTransformationReferenceUrl,
  methodSignature,
  type ClaimsTransformationMethod,
  type TransformationSlot,
} from '../../catalogs/claimsTransformations';
import { DISPLAY_CONTROL_STRING_IDS, ERROR_MESSAGE_IDS, PAGE_CONTRACTS, type ElementTypeSpec } from '../../catalogs/pageContracts';
import { describeMetadataItem, metadataKeyMatch, type TechnicalProfileType } from '../../catalogs/technicalProfiles';
import type { PolicyFile } from '../../policy/model';
import type { XmlAttribute, XmlElement } from '../../xml/nodes';
import { catalogSiteOf, uxElementChoices } from '../catalogSites';

export function catalogValueHover(analysis: Analysis, file: PolicyFile, element: XmlElement, attribute: XmlAttribute): Hover | undefined {
  const value = attribute.value;
  if (value === undefined || !attribute.valueSpan) return undefined;
  const site = catalogSiteOf(analysis, file, element, attribute.name);
  if (!site) return undefined;
  let content: string | undefined;
  switch (site.kind) {
    case 'method': {
      const method = claimsTransformationMethod(value);
      content = method && `**TransformationMethod** \`${method.name}\`\n\n${methodDocumentation(method)}`;
      break;
    }
    case 'claimSlot':
    case 'parameterId': {
      if (!site.method || !site.slots) break;
      const slot = site.slots.find((s) => s.name === value);
      content = slot
        ? `**${capitalised(site.what)}** \`${slot.name}\` of \`${site.method.name}\`\n\n${slotDescription(slot)}\n\n\`${methodSignature(site.method.name)}\``
        : `\`${value}\` is not ${article(site.what)} ${site.what} of \`${site.method.name}\`${site.slots.length ? `, which takes ${site.slots.map((s) => `\`${s.name}\``).join(', ')}` : ', which takes none'}.`;
      break;
    }
    case 'parameterDataType':
    case 'parameterValue':
      if (site.method && site.slot) content = `**${site.slot.name}** of \`${site.method.name}\`\n\n${slotDescription(site.slot)}`;
      break;
    case 'metadataKey':
      content = site.type && metadataKeyDescription(site.type, value);
      break;
    case 'stringId':
      content = site.spec && stringIdDescription(site.spec, value, site.spec.stringId.kind === 'perPage' ? uxElementChoices(analysis, file, site.string.parent?.parent) : undefined);
      break;
  }
  return content ? { contents: { kind: MarkupKind.Markdown, value: content }, range: file.lines.rangeOf(attribute.valueSpan) } : undefined;
}

/** The signature as a code block, the description, the reference page. */
export function methodDocumentation(method: ClaimsTransformationMethod): string {
  return `\`\`\`\n${methodSignature(method.name)}\n\`\`\`\n\n${method.description}\n\n[${method.evidence ? 'not in the reference; where it is used and described' : method.page}](${claimsTransformationReferenceUrl(method)})`;
}

/** "Required · string | int · one of `a`, `b`". */
export function slotDescription(slot: TransformationSlot): string {
  const parts = [slot.required ? 'Required' : 'Optional', `data type ${slot.dataTypes.map((t) => `\`${t}\``).join(' or ')}`];
  if (slot.values) parts.push(`one of ${slot.values.map((v) => `\`${v}\``).join(', ')}`);
  return parts.join(' · ');
}

export function metadataKeyDescription(type: TechnicalProfileType, key: string): string {
  const title = `**Metadata** \`${key}\` · ${type.title} technical profile`;
  if (type.openMetadata) return `${title}\n\nThe metadata of this kind of profile is not documented (${type.page}).`;
  const match = metadataKeyMatch(type, key);
  if (match.kind === 'listed') return `${title}\n\n${describeMetadataItem(match.spec)}\n\n(${type.page}${match.spec.source ? `; ${match.spec.source}` : ''})`;
  if (match.kind === 'pattern') return `${title}\n\n${match.doc}\n\n(${type.page})`;
  return `${title}\n\nNot a metadata item that ${type.title} technical profiles read (${type.page}).`;
}

/** What the attributes of a claim that LocalizedString ElementType="ClaimType" can set mean (localization.md). */
const CLAIM_TYPE_STRINGS: Readonly<Record<string, string>> = {
  DisplayName: 'The label of the claim on the page.',
  UserHelpText: 'The help text shown to the user for the claim.',
  PatternHelpText: 'The message shown when the value does not match the claim\'s Restriction pattern.',
  AdminHelpText: 'The description of the claim for administrators.',
};

/**
 * What a StringId stands for: the element type's meaning, and where the catalog lists the id; for a UxElement,
 * whether the pages the resources serve (`linked`, from uxElementChoices) have it.
 */
export function stringIdDescription(spec: ElementTypeSpec, id: string, linked?: { ids: string[]; pages: string[] }): string {
  const lines = [`**StringId** \`${id}\` · ElementType ${spec.elementType}`, spec.doc];
  switch (spec.elementType) {
    case 'UxElement': {
      const pages = PAGE_CONTRACTS.flatMap((p) => {
        const entry = p.uxElements?.find((e) => e.id === id);
        if (!entry) return [];
        const range = [entry.since ? `${entry.since} and later` : '', entry.before ? `before ${entry.before}` : ''].filter(Boolean).join(', ');
        return [`${p.page}${range ? ` (layout ${range})` : ''}`];
      });
      lines.push(pages.length ? `Listed for the page${pages.length > 1 ? 's' : ''} ${pages.join(', ')} (localization-string-ids.md).` : 'Not listed for any page by localization-string-ids.md.');
      if (linked?.pages.length) lines.push(`These resources serve ${linked.pages.join(', ')}, which ${linked.ids.includes(id) ? 'has' : 'does not have'} this string.`);
      break;
    }
    case 'ErrorMessage': {
      const sections = Object.entries(ERROR_MESSAGE_IDS)
        .filter(([, ids]) => ids.includes(id))
        .map(([section]) => section);
      if (sections.length) lines.push(`Listed for: ${sections.join(', ')}.`);
      else if (/^UserMessageIf[A-Za-z0-9]+$/.test(id)) lines.push(`Replaces the message of the metadata item \`${id}\`.`);
      break;
    }
    case 'ClaimType': {
      const meaning = CLAIM_TYPE_STRINGS[id];
      if (meaning) lines.push(meaning);
      break;
    }
    case 'DisplayControl': {
      const families = Object.entries(DISPLAY_CONTROL_STRING_IDS)
        .filter(([, ids]) => ids.includes(id))
        .map(([family]) => family);
      if (families.length) lines.push(`A string of the ${families.join(', ')} display control${families.length > 1 ? 's' : ''}.`);
      break;
    }
  }
  return lines.join('\n\n');
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function article(what: string): string {
  return /^[aeiou]/.test(what) ? 'an' : 'a';
}

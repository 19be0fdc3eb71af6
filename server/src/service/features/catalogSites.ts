/**
 * Which catalog fact an attribute value is about (catalogs/): a claims-transformation method, one of its claim
 * or parameter names, a parameter's data type or value, a technical profile's metadata key, a localized
 * string id. Completion and hover (features/completion/catalogs.ts, features/hover/catalogs.ts) both start here.
 */
import type { Analysis } from '../analysis/analysis';
import { claimsTransformationMethod, type ClaimsTransformationMethod, type TransformationSlot } from '../catalogs/claimsTransformations';
import { allUxElementIds, elementTypeSpec, type ElementTypeSpec } from '../catalogs/pageContracts';
import { technicalProfileTypeOf, type TechnicalProfileType } from '../catalogs/technicalProfiles';
import type { PolicyFile } from '../policy/model';
import { mergeLinks, resourceLinks, type Allowed } from '../rules/localizationStrings';
import type { XmlElement } from '../xml/nodes';
import { attributeValue, childElements, firstChild } from '../xml/query';

/** Where a claim or parameter entry of a ClaimsTransformation sits, and the method's catalog entry. */
export interface TransformationEntry {
  transformation: XmlElement;
  /** The InputClaim, OutputClaim or InputParameter element. */
  entry: XmlElement;
  /** Undefined when TransformationMethod names no documented method. */
  method: ClaimsTransformationMethod | undefined;
  /** The slots of the entry's section (undefined: the method's signature is not documented). */
  slots: readonly TransformationSlot[] | undefined;
  /** What the entry is, for people: "input claim", "output claim", "input parameter". */
  what: 'input claim' | 'output claim' | 'input parameter';
  /** The names that sibling entries of the same section already use (the entry itself left out). */
  used: Set<string>;
}

export type CatalogSite =
  | { kind: 'method'; transformation: XmlElement }
  | ({ kind: 'claimSlot' } & TransformationEntry)
  | ({ kind: 'parameterId' } & TransformationEntry)
  | ({ kind: 'parameterDataType'; slot: TransformationSlot | undefined } & TransformationEntry)
  | ({ kind: 'parameterValue'; slot: TransformationSlot | undefined } & TransformationEntry)
  | { kind: 'metadataKey'; type: TechnicalProfileType | undefined; profile: XmlElement; metadata: XmlElement; item: XmlElement }
  | { kind: 'stringId'; elementType: string; spec: ElementTypeSpec | undefined; string: XmlElement };

/** The catalog site of an attribute (its value), or undefined when no catalog speaks about it. */
export function catalogSiteOf(analysis: Analysis, file: PolicyFile, element: XmlElement, attribute: string): CatalogSite | undefined {
  const parent = element.parent;
  switch (element.localName) {
    case 'ClaimsTransformation':
      return attribute === 'TransformationMethod' && parent?.localName === 'ClaimsTransformations' ? { kind: 'method', transformation: element } : undefined;
    case 'InputClaim':
    case 'OutputClaim': {
      if (attribute !== 'TransformationClaimType') return undefined;
      const entry = transformationEntry(element, element.localName === 'InputClaim' ? 'InputClaims' : 'OutputClaims');
      return entry && { kind: 'claimSlot', ...entry };
    }
    case 'InputParameter': {
      const entry = transformationEntry(element, 'InputParameters');
      if (!entry) return undefined;
      const id = attributeValue(element, 'Id');
      const slot = id === undefined ? undefined : entry.slots?.find((s) => s.name === id);
      if (attribute === 'Id') return { kind: 'parameterId', ...entry };
      if (attribute === 'DataType') return { kind: 'parameterDataType', slot, ...entry };
      if (attribute === 'Value') return { kind: 'parameterValue', slot, ...entry };
      return undefined;
    }
    case 'Item': {
      const profile = parent?.parent;
      if (attribute !== 'Key' || parent?.localName !== 'Metadata' || profile?.localName !== 'TechnicalProfile') return undefined;
      return { kind: 'metadataKey', type: profileType(analysis, file, profile), profile, metadata: parent, item: element };
    }
    case 'LocalizedString': {
      if (attribute !== 'StringId' || parent?.localName !== 'LocalizedStrings') return undefined;
      const elementType = attributeValue(element, 'ElementType') ?? '';
      return { kind: 'stringId', elementType, spec: elementTypeSpec(elementType), string: element };
    }
    default:
      return undefined;
  }
}

/** An InputClaim/OutputClaim/InputParameter directly inside `section` of a ClaimsTransformation. */
function transformationEntry(entry: XmlElement, section: 'InputClaims' | 'OutputClaims' | 'InputParameters'): TransformationEntry | undefined {
  const container = entry.parent;
  const transformation = container?.parent;
  if (container?.localName !== section || transformation?.localName !== 'ClaimsTransformation') return undefined;
  const method = claimsTransformationMethod(attributeValue(transformation, 'TransformationMethod') ?? '');
  const signature = method?.signature;
  const slots = !signature ? undefined : section === 'InputClaims' ? signature.inputClaims : section === 'OutputClaims' ? signature.outputClaims : signature.inputParameters;
  const nameAttribute = section === 'InputParameters' ? 'Id' : 'TransformationClaimType';
  const used = new Set<string>();
  for (const sibling of childElements(container, entry.localName)) {
    const name = sibling === entry ? undefined : attributeValue(sibling, nameAttribute);
    if (name) used.add(name);
  }
  const what = section === 'InputClaims' ? 'input claim' : section === 'OutputClaims' ? 'output claim' : 'input parameter';
  return { transformation, entry, method, slots, what, used };
}

/**
 * The catalog type of a technical profile: for a claims provider's profile, the type of the profile merged
 * along the file's chain and its includes (the protocol may come from a base); for the relying party's, from
 * its own Protocol.
 */
export function profileType(analysis: Analysis, file: PolicyFile, profile: XmlElement): TechnicalProfileType | undefined {
  if (profile.parent?.localName === 'RelyingParty') {
    const protocol = firstChild(profile, 'Protocol');
    return protocol ? technicalProfileTypeOf({ name: attributeValue(protocol, 'Name'), handler: undefined, outputTokenFormat: undefined }, true) : undefined;
  }
  const id = attributeValue(profile, 'Id');
  if (profile.parent?.localName !== 'TechnicalProfiles' || !id) return undefined;
  return analysis.chainModel(file).profiles.profile(id)?.type;
}

/**
 * The UxElement string ids a LocalizedResources may use, as the localization rule judges them: the ids of the
 * pages (and layout versions) of the content definitions that reference it in the file's chain, else in the
 * chains of the policies built on it; every listed page's ids when no page is known.
 */
export function uxElementChoices(analysis: Analysis, file: PolicyFile, resources: XmlElement | undefined): { ids: string[]; pages: string[] } {
  const resourcesId = resources?.localName === 'LocalizedResources' ? attributeValue(resources, 'Id')?.toLowerCase() : undefined;
  const effective = analysis.index.effective(file);
  let allowed: Allowed | undefined = resourcesId ? resourceLinks(effective).get(resourcesId) : undefined;
  if (resourcesId && !allowed) allowed = mergeLinks(analysis.index.descendants(file.uri).map((d) => resourceLinks(analysis.index.effective(d)))).get(resourcesId);
  if (allowed?.kind === 'set') return { ids: [...allowed.ids], pages: allowed.pages };
  return { ids: allUxElementIds(), pages: [] };
}

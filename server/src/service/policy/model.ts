import type { ReferenceKind } from '../../protocol';
import type { Span, XmlAttribute, XmlDocument, XmlElement } from '../xml/nodes';
import { LineIndex } from '../xml/lines';
import { parseXml } from '../xml/parser';
import { attributeValue, childElements, firstChild, getAttribute, textContent, walkElements } from '../xml/query';

export const POLICY_NAMESPACE = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';

/** Kinds of things a policy defines with an Id; the reference kinds plus a few that nothing refers to. */
export type DefinitionKind = Exclude<ReferenceKind, 'claimsExchange'> | 'claimsProvider' | 'predicateGroup';

/** Element local name -> definition kind, for elements whose Id others can refer to. */
const DEFINITION_ELEMENTS: Record<string, DefinitionKind> = {
  TechnicalProfile: 'technicalProfile',
  ClaimType: 'claimType',
  ClaimsTransformation: 'claimsTransformation',
  ContentDefinition: 'contentDefinition',
  UserJourney: 'userJourney',
  SubJourney: 'subJourney',
  DisplayControl: 'displayControl',
  Predicate: 'predicate',
  PredicateValidation: 'predicateValidation',
  PredicateGroup: 'predicateGroup',
  LocalizedResources: 'localizedResources',
  ClientDefinition: 'clientDefinition',
};

/** Parent element that must hold a definition element (guards against same-named elements elsewhere). */
const DEFINITION_PARENTS: Record<string, string> = {
  TechnicalProfile: 'TechnicalProfiles',
  ClaimType: 'ClaimsSchema',
  ClaimsTransformation: 'ClaimsTransformations',
  ContentDefinition: 'ContentDefinitions',
  UserJourney: 'UserJourneys',
  SubJourney: 'SubJourneys',
  DisplayControl: 'DisplayControls',
  Predicate: 'Predicates',
  PredicateValidation: 'PredicateValidations',
  PredicateGroup: 'PredicateGroups',
  LocalizedResources: 'Localization',
  ClientDefinition: 'ClientDefinitions',
};

export const KIND_LABELS: Record<DefinitionKind | 'claimsExchange', string> = {
  technicalProfile: 'TechnicalProfile',
  claimType: 'ClaimType',
  claimsTransformation: 'ClaimsTransformation',
  contentDefinition: 'ContentDefinition',
  userJourney: 'UserJourney',
  subJourney: 'SubJourney',
  displayControl: 'DisplayControl',
  predicate: 'Predicate',
  predicateValidation: 'PredicateValidation',
  predicateGroup: 'PredicateGroup',
  localizedResources: 'LocalizedResources',
  clientDefinition: 'ClientDefinition',
  claimsProvider: 'ClaimsProvider',
  claimsExchange: 'ClaimsExchange',
};

export interface Definition {
  kind: DefinitionKind;
  id: string;
  /** The Id attribute's value span. */
  idSpan: Span;
  element: XmlElement;
  uri: string;
}

export interface Reference {
  kind: ReferenceKind;
  id: string;
  /** The span of the referring value (attribute value or element text). */
  span: Span;
  element: XmlElement;
  /** The attribute that holds the reference, or undefined when it is element text. */
  attribute: string | undefined;
  uri: string;
  /** For claimsExchange references: the journey and step the reference sits in. */
  step?: { journeyId: string; journeyKind: 'userJourney' | 'subJourney'; order: number; target: 'next' | 'same' };
}

/** A localization entry naming an element (LocalizedString@ElementId, LocalizedCollection@ElementId). */
export interface LocalizedElementReference {
  elementType: string;
  id: string;
  span: Span;
  element: XmlElement;
}

export interface PolicyKeyReference {
  name: string;
  span: Span;
  element: XmlElement;
}

export interface OrchestrationStepInfo {
  order: number;
  orderSpan: Span | undefined;
  type: string | undefined;
  element: XmlElement;
  exchanges: Array<{ id: string; span: Span; element: XmlElement }>;
}

export interface JourneyInfo {
  kind: 'userJourney' | 'subJourney';
  id: string;
  idSpan: Span;
  element: XmlElement;
  steps: OrchestrationStepInfo[];
}

export interface BasePolicyInfo {
  policyId: string;
  /** The PolicyId element's text span (or the BasePolicy element's name when PolicyId is missing). */
  span: Span;
  element: XmlElement;
  tenantId: string | undefined;
}

/**
 * One parsed file: its XML tree and, when it is a policy, the facts every check needs. Built once per
 * (uri, text); everything else reads it.
 */
export interface PolicyFile {
  uri: string;
  version: number;
  text: string;
  xml: XmlDocument;
  lines: LineIndex;
  /** True when the root element is TrustFrameworkPolicy (in the policy namespace or none). */
  isPolicy: boolean;
  policyId: string | undefined;
  policyIdSpan: Span | undefined;
  tenantId: string | undefined;
  base: BasePolicyInfo | undefined;
  definitions: Definition[];
  references: Reference[];
  localizedElements: LocalizedElementReference[];
  policyKeys: PolicyKeyReference[];
  journeys: JourneyInfo[];
  /** How many elements the document has (counted once while the policy facts are extracted). */
  elementCount: number;
}

function valueSpan(attribute: XmlAttribute): Span {
  return attribute.valueSpan ?? attribute.nameSpan;
}

/**
 * The span of an element's trimmed text, or its name when it has no text. Give the document's `source` text:
 * the trimmed span is then found in the source, so it stays exact when the parser changed the text's length
 * (CRLF line ends read as LF, character references); without it such a text falls back to the whole span.
 */
export function trimmedTextSpan(element: XmlElement, source?: string): { value: string; span: Span } {
  const texts = element.children.filter((c) => c.type === 'text' || c.type === 'cdata');
  const raw = textContent(element);
  const value = raw.trim();
  if (texts.length === 0) return { value, span: element.nameSpan };
  const first = texts[0];
  const last = texts[texts.length - 1];
  if (texts.length === 1 && first.type === 'text' && first.value.length === first.span.end - first.span.start) {
    // The source is the value: trim by the value's own white space.
    const src = first.value;
    const lead = src.length - src.trimStart().length;
    const trail = src.length - src.trimEnd().length;
    if (lead + trail >= src.length) return { value, span: { start: first.span.start, end: first.span.start } };
    return { value, span: { start: first.span.start + lead, end: first.span.end - trail } };
  }
  let start = first.span.start;
  let end = last.span.end;
  if (source !== undefined) {
    if (first.type === 'text') start = skipSpace(source, first.span.start, first.span.end);
    if (last.type === 'text') end = Math.max(start, skipSpaceBack(source, last.span.start, last.span.end));
  }
  return { value, span: { start, end } };
}

/** XML white space, as text or as a character reference (`&#32;`, `&#x9;`, `&#10;`, `&#13;`). */
const SPACE_REFERENCE = /^&#(?:x0*(?:20|9|a|d)|0*(?:32|9|10|13));/i;

function isXmlSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** The first offset in [start, end) of `source` that is not white space (raw or a reference). */
function skipSpace(source: string, start: number, end: number): number {
  let i = start;
  for (;;) {
    if (i < end && isXmlSpace(source[i])) i++;
    else if (i < end && source[i] === '&') {
      const m = SPACE_REFERENCE.exec(source.slice(i, Math.min(end, i + 12)));
      if (!m) return i;
      i += m[0].length;
    } else return i;
  }
}

/** The offset just after the last character in [start, end) of `source` that is not white space. */
function skipSpaceBack(source: string, start: number, end: number): number {
  let i = end;
  for (;;) {
    if (i > start && isXmlSpace(source[i - 1])) i--;
    else if (i > start && source[i - 1] === ';') {
      const amp = source.lastIndexOf('&', i - 1);
      if (amp < start || i - amp > 12) return i;
      const m = SPACE_REFERENCE.exec(source.slice(amp, i));
      if (!m || m[0].length !== i - amp) return i;
      i = amp;
    } else return i;
  }
}

/** Attribute references: element local name (or '*') and attribute -> kind. */
const ATTRIBUTE_REFERENCES: Array<{ element: string; attribute: string; kind: ReferenceKind }> = [
  { element: '*', attribute: 'TechnicalProfileReferenceId', kind: 'technicalProfile' },
  { element: 'OrchestrationStep', attribute: 'CpimIssuerTechnicalProfileReferenceId', kind: 'technicalProfile' },
  { element: 'ValidationTechnicalProfile', attribute: 'ReferenceId', kind: 'technicalProfile' },
  { element: 'IncludeTechnicalProfile', attribute: 'ReferenceId', kind: 'technicalProfile' },
  { element: 'UseTechnicalProfileForSessionManagement', attribute: 'ReferenceId', kind: 'technicalProfile' },
  { element: '*', attribute: 'ClaimTypeReferenceId', kind: 'claimType' },
  { element: 'SubjectNamingInfo', attribute: 'ClaimType', kind: 'claimType' },
  { element: 'InputClaimsTransformation', attribute: 'ReferenceId', kind: 'claimsTransformation' },
  { element: 'OutputClaimsTransformation', attribute: 'ReferenceId', kind: 'claimsTransformation' },
  { element: '*', attribute: 'ContentDefinitionReferenceId', kind: 'contentDefinition' },
  { element: 'DefaultUserJourney', attribute: 'ReferenceId', kind: 'userJourney' },
  { element: 'Endpoint', attribute: 'UserJourneyReferenceId', kind: 'userJourney' },
  { element: '*', attribute: 'SubJourneyReferenceId', kind: 'subJourney' },
  { element: '*', attribute: 'DisplayControlReferenceId', kind: 'displayControl' },
  { element: 'PredicateReference', attribute: 'Id', kind: 'predicate' },
  { element: 'PredicateValidationReference', attribute: 'Id', kind: 'predicateValidation' },
  { element: '*', attribute: 'LocalizedResourcesReferenceId', kind: 'localizedResources' },
  { element: 'ClientDefinition', attribute: 'ReferenceId', kind: 'clientDefinition' },
];

const ATTRIBUTE_REFERENCE_INDEX = new Map<string, Map<string, ReferenceKind>>();
for (const r of ATTRIBUTE_REFERENCES) {
  let byElement = ATTRIBUTE_REFERENCE_INDEX.get(r.attribute);
  if (!byElement) ATTRIBUTE_REFERENCE_INDEX.set(r.attribute, (byElement = new Map()));
  byElement.set(r.element, r.kind);
}

/** The kind an attribute refers to, if it is a reference (also used by completion and hover). */
export function referenceKindOfAttribute(elementLocalName: string, attribute: string): ReferenceKind | undefined {
  if (attribute === 'TargetClaimsExchangeId' || attribute === 'ValidationClaimsExchangeId') {
    return elementLocalName === 'ClaimsProviderSelection' ? 'claimsExchange' : undefined;
  }
  const byElement = ATTRIBUTE_REFERENCE_INDEX.get(attribute);
  if (!byElement) return undefined;
  return byElement.get(elementLocalName) ?? byElement.get('*');
}

function isInPolicyNamespace(root: XmlElement): boolean {
  if (root.localName !== 'TrustFrameworkPolicy') return false;
  const prefix = root.name.includes(':') ? root.name.slice(0, root.name.indexOf(':')) : '';
  const ns = attributeValue(root, prefix ? `xmlns:${prefix}` : 'xmlns');
  return ns === undefined || ns === POLICY_NAMESPACE;
}

/** A parsed file; its line index is built on first use (most files of a workspace never need one). */
class ParsedPolicyFile implements PolicyFile {
  isPolicy: boolean;
  policyId: string | undefined = undefined;
  policyIdSpan: Span | undefined = undefined;
  tenantId: string | undefined = undefined;
  base: BasePolicyInfo | undefined = undefined;
  definitions: Definition[] = [];
  references: Reference[] = [];
  localizedElements: LocalizedElementReference[] = [];
  policyKeys: PolicyKeyReference[] = [];
  journeys: JourneyInfo[] = [];
  elementCount = 0;
  private lineIndex: LineIndex | undefined = undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    readonly xml: XmlDocument,
  ) {
    this.isPolicy = !!xml.root && isInPolicyNamespace(xml.root);
  }

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }
}

/** Parses a file and extracts the policy facts. Never throws. */
export function parsePolicyFile(uri: string, text: string, version = 0): PolicyFile {
  const xml = parseXml(text);
  const file = new ParsedPolicyFile(uri, version, text, xml);
  if (!file.isPolicy || !xml.root) return file;
  const root = xml.root;
  const policyId = getAttribute(root, 'PolicyId');
  file.policyId = policyId?.value;
  file.policyIdSpan = policyId ? valueSpan(policyId) : undefined;
  file.tenantId = attributeValue(root, 'TenantId');

  const basePolicy = firstChild(root, 'BasePolicy');
  if (basePolicy) {
    const policyIdElement = firstChild(basePolicy, 'PolicyId');
    const tenantElement = firstChild(basePolicy, 'TenantId');
    const id = policyIdElement ? trimmedTextSpan(policyIdElement, text) : undefined;
    file.base = {
      policyId: id?.value ?? '',
      span: id && id.value ? id.span : basePolicy.nameSpan,
      element: basePolicy,
      tenantId: tenantElement ? textContent(tenantElement).trim() : undefined,
    };
  }

  for (const element of walkElements(root)) {
    file.elementCount++;
    const local = element.localName;
    // Definitions
    const definitionKind = DEFINITION_ELEMENTS[local];
    if (definitionKind && element.parent?.localName === DEFINITION_PARENTS[local]) {
      const idAttribute = getAttribute(element, 'Id');
      if (idAttribute && idAttribute.value) {
        file.definitions.push({ kind: definitionKind, id: idAttribute.value, idSpan: valueSpan(idAttribute), element, uri });
      }
    }
    // Attribute references
    for (const attribute of element.attributes) {
      const kind = referenceKindOfAttribute(local, attribute.name);
      if (!kind || kind === 'claimsExchange' || attribute.value === undefined) continue;
      file.references.push({ kind, id: attribute.value, span: valueSpan(attribute), element, attribute: attribute.name, uri });
    }
    if (local === 'Item' && element.parent?.localName === 'Metadata') {
      const key = attributeValue(element, 'Key');
      if (key === 'ContentDefinitionReferenceId') {
        const t = trimmedTextSpan(element, text);
        if (t.value) file.references.push({ kind: 'contentDefinition', id: t.value, span: t.span, element, attribute: undefined, uri });
      }
    } else if (local === 'Precondition') {
      const type = attributeValue(element, 'Type');
      const firstValue = firstChild(element, 'Value');
      if (firstValue && (type === 'ClaimsExist' || type === 'ClaimEquals')) {
        const t = trimmedTextSpan(firstValue, text);
        if (t.value) file.references.push({ kind: 'claimType', id: t.value, span: t.span, element: firstValue, attribute: undefined, uri });
      }
    } else if ((local === 'LocalizedString' || local === 'LocalizedCollection') && element.parent) {
      const elementId = getAttribute(element, 'ElementId');
      const elementType = attributeValue(element, 'ElementType');
      if (elementId?.value && elementType) {
        file.localizedElements.push({ elementType, id: elementId.value, span: valueSpan(elementId), element });
      }
    } else if (local === 'Key' && element.parent?.localName === 'CryptographicKeys') {
      const storage = getAttribute(element, 'StorageReferenceId');
      if (storage && storage.value !== undefined) file.policyKeys.push({ name: storage.value, span: valueSpan(storage), element });
    } else if ((local === 'UserJourney' && element.parent?.localName === 'UserJourneys') || (local === 'SubJourney' && element.parent?.localName === 'SubJourneys')) {
      const journey = extractJourney(element, local === 'UserJourney' ? 'userJourney' : 'subJourney', file);
      if (journey) file.journeys.push(journey);
    }
  }
  return file;
}

function extractJourney(element: XmlElement, kind: 'userJourney' | 'subJourney', file: PolicyFile): JourneyInfo | undefined {
  const idAttribute = getAttribute(element, 'Id');
  if (!idAttribute?.value) return undefined;
  const journey: JourneyInfo = { kind, id: idAttribute.value, idSpan: valueSpan(idAttribute), element, steps: [] };
  const stepsElement = firstChild(element, 'OrchestrationSteps');
  if (!stepsElement) return journey;
  for (const stepElement of childElements(stepsElement, 'OrchestrationStep')) {
    const orderAttribute = getAttribute(stepElement, 'Order');
    const order = orderAttribute?.value !== undefined ? Number.parseInt(orderAttribute.value, 10) : NaN;
    if (!Number.isFinite(order)) continue;
    const step: OrchestrationStepInfo = {
      order,
      orderSpan: orderAttribute ? valueSpan(orderAttribute) : undefined,
      type: attributeValue(stepElement, 'Type'),
      element: stepElement,
      exchanges: [],
    };
    for (const exchanges of childElements(stepElement, 'ClaimsExchanges')) {
      for (const exchange of childElements(exchanges, 'ClaimsExchange')) {
        const id = getAttribute(exchange, 'Id');
        if (id?.value) step.exchanges.push({ id: id.value, span: valueSpan(id), element: exchange });
      }
    }
    for (const selections of childElements(stepElement, 'ClaimsProviderSelections')) {
      for (const selection of childElements(selections, 'ClaimsProviderSelection')) {
        for (const [attribute, target] of [
          ['TargetClaimsExchangeId', 'next'],
          ['ValidationClaimsExchangeId', 'same'],
        ] as const) {
          const a = getAttribute(selection, attribute);
          if (a?.value === undefined) continue;
          file.references.push({
            kind: 'claimsExchange',
            id: a.value,
            span: valueSpan(a),
            element: selection,
            attribute,
            uri: file.uri,
            step: { journeyId: journey.id, journeyKind: kind, order, target },
          });
        }
      }
    }
    journey.steps.push(step);
  }
  return journey;
}

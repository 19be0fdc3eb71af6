/**
 * The Outline (hierarchical document symbols; breadcrumbs follow from it): BuildingBlocks > ClaimsSchema > each
 * ClaimType by Id, and the other building blocks; ClaimsProviders > each provider by DisplayName > its
 * TechnicalProfiles by Id; UserJourneys and SubJourneys > each journey > "Step N (Type)" > its exchanges;
 * RelyingParty. Containers whose only job is to hold a list (TechnicalProfiles, OrchestrationSteps,
 * ClaimsExchanges) are skipped so the tree stays shallow.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import type { DefinitionKind, PolicyFile } from '../policy/model';
import type { XmlElement } from '../xml/nodes';
import { attributeValue, childElements, firstChild, getAttribute, textContent } from '../xml/query';

/** The symbol kind of each kind of definition (shared with workspace symbols). */
export const DEFINITION_SYMBOL_KINDS: Record<DefinitionKind, SymbolKind> = {
  claimType: SymbolKind.Field,
  claimsTransformation: SymbolKind.Function,
  contentDefinition: SymbolKind.File,
  displayControl: SymbolKind.Object,
  predicate: SymbolKind.Boolean,
  predicateValidation: SymbolKind.Boolean,
  predicateGroup: SymbolKind.Boolean,
  localizedResources: SymbolKind.String,
  clientDefinition: SymbolKind.Interface,
  claimsProvider: SymbolKind.Module,
  technicalProfile: SymbolKind.Class,
  userJourney: SymbolKind.Struct,
  subJourney: SymbolKind.Struct,
};

interface Spec {
  kind: SymbolKind;
  /** The symbol's name; the element's Id by default. */
  name?: (e: XmlElement) => string | undefined;
  detail?: (e: XmlElement) => string | undefined;
  /** Child elements that become symbols. */
  children?: Children;
}
/** By element name: a symbol, or `{ through }` to take that element's children without a symbol of its own. */
type Children = Record<string, Spec | { through: Children }>;

const section = (children: Children): Spec => ({ kind: SymbolKind.Namespace, name: (e) => e.localName, children });
const definition = (kind: DefinitionKind, detail?: (e: XmlElement) => string | undefined, children?: Children): Spec => ({ kind: DEFINITION_SYMBOL_KINDS[kind], detail, children });
const childText = (name: string) => (e: XmlElement) => {
  const child = firstChild(e, name);
  return child ? textContent(child).trim() || undefined : undefined;
};
const attribute = (name: string) => (e: XmlElement) => attributeValue(e, name) || undefined;

const EXCHANGE: Spec = { kind: SymbolKind.Method, detail: attribute('TechnicalProfileReferenceId') };
const STEP: Spec = {
  kind: SymbolKind.EnumMember,
  name: (e) => {
    const type = attributeValue(e, 'Type');
    return `Step ${attributeValue(e, 'Order') ?? '?'}${type ? ` (${type})` : ''}`;
  },
  detail: attribute('CpimIssuerTechnicalProfileReferenceId'),
  children: { ClaimsExchanges: { through: { ClaimsExchange: EXCHANGE } } },
};
const journey = (kind: 'userJourney' | 'subJourney'): Spec => definition(kind, undefined, { OrchestrationSteps: { through: { OrchestrationStep: STEP } } });
const TECHNICAL_PROFILE = definition('technicalProfile', childText('DisplayName'));

const ROOT_CHILDREN: Children = {
  BasePolicy: { kind: SymbolKind.Package, name: () => 'BasePolicy', detail: childText('PolicyId') },
  BuildingBlocks: section({
    ClaimsSchema: section({ ClaimType: definition('claimType', childText('DataType')) }),
    Predicates: section({ Predicate: definition('predicate', attribute('Method')) }),
    PredicateValidations: section({ PredicateValidation: definition('predicateValidation') }),
    ClaimsTransformations: section({ ClaimsTransformation: definition('claimsTransformation', attribute('TransformationMethod')) }),
    ClientDefinitions: section({ ClientDefinition: definition('clientDefinition') }),
    ContentDefinitions: section({ ContentDefinition: definition('contentDefinition', childText('DataUri')) }),
    Localization: section({ LocalizedResources: definition('localizedResources') }),
    DisplayControls: section({ DisplayControl: definition('displayControl', attribute('UserInterfaceControlType')) }),
  }),
  ClaimsProviders: section({
    ClaimsProvider: {
      kind: DEFINITION_SYMBOL_KINDS.claimsProvider,
      name: (e) => childText('DisplayName')(e) ?? childText('Domain')(e) ?? 'ClaimsProvider',
      detail: childText('Domain'),
      children: { TechnicalProfiles: { through: { TechnicalProfile: TECHNICAL_PROFILE } } },
    },
  }),
  UserJourneys: section({ UserJourney: journey('userJourney') }),
  SubJourneys: section({ SubJourney: journey('subJourney') }),
  RelyingParty: {
    kind: SymbolKind.Interface,
    name: () => 'RelyingParty',
    children: {
      DefaultUserJourney: { kind: SymbolKind.Struct, name: () => 'DefaultUserJourney', detail: attribute('ReferenceId') },
      TechnicalProfile: TECHNICAL_PROFILE,
    },
  },
};

export function getDocumentSymbols(analysis: Analysis, uri: string): DocumentSymbol[] {
  const file = analysis.policy(uri);
  return file?.xml.root ? symbolsOf(file, file.xml.root, ROOT_CHILDREN) : [];
}

function symbolsOf(file: PolicyFile, parent: XmlElement, children: Children): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const element of childElements(parent)) {
    const spec = children[element.localName];
    if (!spec) continue;
    if ('through' in spec) {
      out.push(...symbolsOf(file, element, spec.through));
      continue;
    }
    const id = getAttribute(element, 'Id');
    const name = (spec.name ? spec.name(element) : id?.value) || `${element.localName} (no Id)`;
    const selection = !spec.name && id?.value && id.valueSpan ? id.valueSpan : element.nameSpan;
    const symbol: DocumentSymbol = {
      name,
      kind: spec.kind,
      range: file.lines.rangeOf({ start: element.start, end: Math.max(element.end, selection.end) }),
      selectionRange: file.lines.rangeOf(selection),
    };
    const detail = spec.detail?.(element);
    if (detail) symbol.detail = detail;
    if (spec.children) symbol.children = symbolsOf(file, element, spec.children);
    out.push(symbol);
  }
  return out;
}

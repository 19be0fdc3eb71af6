/**
 * Completion for policy files: child elements the content model allows, attribute names, enumeration values
 * and reference ids from the effective policy (DESIGN.md sections 1 and 2). Pure: reads the parsed file, the
 * workspace index and the compiled schema; returns LSP completion items whose text edits replace exactly the
 * partial name or value the user has typed.
 */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type MarkupContent, type Range } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import { selectionTarget, type EffectivePolicy } from '../policy/effective';
import { KIND_LABELS, referenceKindOfAttribute, type DefinitionKind, type PolicyFile } from '../policy/model';
import { baseName } from '../policy/workspace';
import type { AttributeDecl, CompiledSchema, ElementDecl, SimpleTypeDef } from '../schema';
import type { XmlAttribute, XmlElement } from '../xml/nodes';
import { attributeValue, firstChild, getAttribute, nodeAt } from '../xml/query';
import { definitionSummary } from './hover';
import { claimsAvailableWhereProfileRuns } from './journeyInsight';
import { catalogValueCompletions } from './completion/catalogs';
import { settingsTokenCompletions } from './settingsTokens';

export function getCompletions(analysis: Analysis, schema: CompiledSchema, uri: string, offset: number): CompletionItem[] {
  const file = analysis.index.get(uri);
  if (!file) return [];
  const settingsKeys = settingsTokenCompletions(analysis, file, offset);
  if (settingsKeys) return settingsKeys;
  const context = { analysis, schema, file, offset };
  const text = file.text;
  const node = nodeAt(file.xml, offset);
  if (node && (node.type === 'comment' || node.type === 'cdata' || node.type === 'pi')) {
    if (offset > node.span.start) return [];
  }

  // Inside a start tag: the element's name, an attribute name or an attribute value.
  if (node?.type === 'element' && isInStartTag(node, offset)) {
    if (offset >= node.nameSpan.start && offset <= node.nameSpan.end) {
      return elementNameCompletions(context, node.parent, precedingSiblings(node.parent, node, offset), node.nameSpan.start, node.nameSpan.end, !node.startTagClosed && node.attributes.length === 0);
    }
    for (const attribute of node.attributes) {
      if (attribute.valueSpan && offset >= attribute.valueSpan.start && offset <= attribute.valueSpan.end && isAfterOpeningQuote(text, attribute)) {
        return attributeValueCompletions(context, node, attribute);
      }
    }
    for (const attribute of node.attributes) {
      if (offset >= attribute.nameSpan.start && offset <= attribute.nameSpan.end) {
        return attributeNameCompletions(context, node, attribute.nameSpan.start, attribute.nameSpan.end, attribute.valueSpan !== undefined || text.charCodeAt(skipSpaces(text, attribute.nameSpan.end)) === 0x3d);
      }
    }
    if (offset > node.nameSpan.end && isSpace(text.charCodeAt(offset - 1))) {
      return attributeNameCompletions(context, node, offset, offset, false);
    }
    return [];
  }

  // Element content: '<' or '</' followed by a partial name, or white space between elements, or a value.
  const parent = node?.type === 'element' ? node : node?.parent;
  let nameStart = offset;
  while (nameStart > 0 && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
  let nameEnd = offset;
  while (nameEnd < text.length && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
  if (text.charCodeAt(nameStart - 1) === 0x2f /* / */ && text.charCodeAt(nameStart - 2) === 0x3c /* < */) {
    return closingTagCompletions(context, parent, nameStart, nameEnd);
  }
  if (text.charCodeAt(nameStart - 1) === 0x3c /* < */) {
    return elementNameCompletions(context, parent, precedingSiblings(parent, undefined, offset), nameStart, nameEnd, true);
  }
  if (!parent) return [];
  const decl = schema.elementDeclFor(parent);
  const valueItems = elementValueCompletions(context, parent, decl);
  if (valueItems) return valueItems;
  if (!decl || decl.type.kind === 'simple' || decl.type.kind === 'empty') return [];
  // Between elements (nothing typed yet): whole elements inserted at the cursor.
  if (!isSpace(text.charCodeAt(offset - 1)) && text.charCodeAt(offset - 1) !== 0x3e /* > */) return [];
  return elementNameCompletions(context, parent, precedingSiblings(parent, undefined, offset), offset, offset, true, true);
}

interface Context {
  analysis: Analysis;
  schema: CompiledSchema;
  file: PolicyFile;
  offset: number;
}

function isInStartTag(element: XmlElement, offset: number): boolean {
  if (offset <= element.start) return false;
  if (!element.startTagClosed) return offset <= element.startTagEnd;
  return offset < element.startTagEnd - (element.selfClosing ? 1 : 0);
}

function isAfterOpeningQuote(text: string, attribute: XmlAttribute): boolean {
  const q = text.charCodeAt(attribute.valueSpan!.start - 1);
  return q === 0x22 || q === 0x27;
}

/** Element children of `parent` that start before the offset (leaving out the element being typed). */
function precedingSiblings(parent: XmlElement | undefined, exclude: XmlElement | undefined, offset: number): string[] {
  if (!parent) return [];
  const names: string[] = [];
  for (const child of parent.children) {
    if (child === exclude) break;
    if (child.type !== 'element') continue;
    if (child.start >= offset) break;
    names.push(child.localName);
  }
  return names;
}

function elementNameCompletions(
  context: Context,
  parent: XmlElement | undefined,
  preceding: string[],
  start: number,
  end: number,
  withTags: boolean,
  withOpeningBracket = false,
): CompletionItem[] {
  const { schema, file } = context;
  let decls: ElementDecl[];
  if (!parent) decls = [...schema.globalElements.values()];
  else {
    const parentDecl = schema.elementDeclFor(parent);
    if (!parentDecl) return [];
    decls = schema.allowedChildren(parentDecl, preceding);
  }
  const range = rangeOf(file, start, end);
  return decls.map((decl, index) => {
    const body = withTags ? elementSnippet(schema, decl, !parent) : decl.name;
    const newText = (withOpeningBracket ? '<' : '') + body;
    const item: CompletionItem = {
      label: decl.name,
      kind: CompletionItemKind.Property,
      sortText: String(index).padStart(4, '0'),
      filterText: (withOpeningBracket ? '<' : '') + decl.name,
      insertTextFormat: withTags ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range, newText },
    };
    const documentation = schema.documentation(decl);
    if (documentation) item.documentation = markdown(documentation);
    return item;
  });
}

/** `Name Id="$1">$0</Name>`: the name, required attributes as tab stops, the end tag (or `/>`). */
function elementSnippet(schema: CompiledSchema, decl: ElementDecl, isRoot: boolean): string {
  let tabStop = 1;
  let s = decl.name;
  if (isRoot && schema.targetNamespace) s += ` xmlns="${schema.targetNamespace}"`;
  for (const attribute of schema.attributes(decl)) {
    if (attribute.required && attribute.fixed === undefined) s += ` ${attribute.name}="$${tabStop++}"`;
  }
  if (decl.type.kind === 'empty') return s + (tabStop > 1 ? ' />$0' : '$0 />');
  return s + `>$0</${decl.name}>`;
}

function closingTagCompletions(context: Context, parent: XmlElement | undefined, start: number, end: number): CompletionItem[] {
  let open = parent;
  while (open && open.endTag && open.endTag.span.start !== start - 2) open = open.parent;
  if (!open) return [];
  const closed = context.file.text.charCodeAt(skipSpaces(context.file.text, end)) === 0x3e;
  return [{ label: open.name, kind: CompletionItemKind.Property, textEdit: { range: rangeOf(context.file, start, end), newText: open.name + (closed ? '' : '>') } }];
}

function attributeNameCompletions(context: Context, element: XmlElement, start: number, end: number, nameOnly: boolean): CompletionItem[] {
  const { schema, file } = context;
  const decl = schema.elementDeclFor(element);
  if (!decl) return [];
  const present = new Set(element.attributes.filter((a) => !(a.nameSpan.start === start && a.nameSpan.end === end)).map((a) => a.name));
  const attributes = schema.attributes(decl).filter((a) => !present.has(a.name));
  const ordered = [...attributes.filter((a) => a.required), ...attributes.filter((a) => !a.required)];
  const range = rangeOf(file, start, end);
  return ordered.map((attribute, index) => {
    const item: CompletionItem = {
      label: attribute.name,
      kind: CompletionItemKind.Field,
      detail: attribute.required ? 'required' : 'optional',
      sortText: String(index).padStart(4, '0'),
      insertTextFormat: nameOnly ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
      textEdit: { range, newText: nameOnly ? attribute.name : `${attribute.name}="$1"` },
    };
    if (!nameOnly && (attribute.type.enumeration?.length || referenceKindOfAttribute(element.localName, attribute.name))) {
      item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
    }
    const documentation = attributeDocumentation(attribute);
    if (documentation) item.documentation = markdown(documentation);
    return item;
  });
}

function attributeDocumentation(attribute: AttributeDecl): string | undefined {
  return attribute.documentation ?? attribute.type.documentation;
}

function attributeValueCompletions(context: Context, element: XmlElement, attribute: XmlAttribute): CompletionItem[] {
  const { schema, file, offset } = context;
  const text = file.text;
  const valueSpan = attribute.valueSpan!;
  const quote = text[valueSpan.start - 1];
  const rest = text.slice(offset, valueSpan.end);
  const end = attribute.valueClosed && !/[\r\n]/.test(rest) ? valueSpan.end : offset;
  const suffix = attribute.valueClosed ? '' : quote;
  const range = rangeOf(file, valueSpan.start, end);
  const fromCatalogs = catalogValueCompletions(context.analysis, schema, file, element, attribute, { range, quote, suffix });
  if (fromCatalogs) return fromCatalogs;
  const items: CompletionItem[] = [];

  const decl = schema.elementDeclFor(element);
  const attributeDecl = decl ? schema.attribute(decl, attribute.name) : undefined;
  if (attributeDecl) items.push(...enumerationItems(attributeDecl.type, range, quote, suffix));

  const kind = referenceKindOfAttribute(element.localName, attribute.name);
  if (kind === 'claimsExchange') {
    items.push(...claimsExchangeItems(context, element, attribute.name === 'TargetClaimsExchangeId' ? 'next' : 'same', range, quote, suffix));
  } else if (kind) {
    items.push(...definitionItems(context, kind, range, quote, suffix, element));
  }
  return items;
}

/** Values of an element's text: enumerations of its type, and ids for element-text references. */
function elementValueCompletions(context: Context, element: XmlElement, decl: ElementDecl | undefined): CompletionItem[] | undefined {
  const { schema, file, offset } = context;
  const kind = elementTextReferenceKind(element);
  const valueType = decl ? schema.valueType(decl) : undefined;
  if (!kind && !valueType?.enumeration?.length) return undefined;
  const text = file.text;
  let start = offset;
  while (start > 0 && !/[\s>]/.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && !/[\s<]/.test(text[end])) end++;
  const range = rangeOf(file, start, end);
  const items: CompletionItem[] = [];
  if (valueType) items.push(...enumerationItems(valueType, range, '<', ''));
  if (kind) items.push(...definitionItems(context, kind, range, '<', ''));
  return items;
}

/** Element text that refers to a definition: a metadata item naming a content definition, a precondition's first value. */
function elementTextReferenceKind(element: XmlElement): DefinitionKind | undefined {
  if (element.localName === 'Item' && element.parent?.localName === 'Metadata' && attributeValue(element, 'Key') === 'ContentDefinitionReferenceId') {
    return 'contentDefinition';
  }
  if (element.localName === 'Value' && element.parent?.localName === 'Precondition') {
    const type = attributeValue(element.parent, 'Type');
    if ((type === 'ClaimsExist' || type === 'ClaimEquals') && firstChild(element.parent, 'Value') === element) return 'claimType';
  }
  return undefined;
}

function enumerationItems(type: SimpleTypeDef, range: Range, quote: string, suffix: string): CompletionItem[] {
  return (type.enumeration ?? []).map((value, index) => {
    const item: CompletionItem = {
      label: value.value,
      kind: CompletionItemKind.EnumMember,
      sortText: '0' + String(index).padStart(4, '0'),
      textEdit: { range, newText: escapeValue(value.value, quote) + suffix },
    };
    if (value.documentation) item.documentation = markdown(value.documentation);
    return item;
  });
}

function definitionItems(context: Context, kind: DefinitionKind, range: Range, quote: string, suffix: string, element?: XmlElement): CompletionItem[] {
  const effective = context.analysis.index.effective(context.file);
  const definitions = [...effective.definitionsOf(kind)].sort((a, b) => a.id.localeCompare(b.id));
  // An input claim of a technical profile: the claims available where journeys run the profile come first.
  const available =
    kind === 'claimType' && element?.localName === 'InputClaim' && element.parent?.localName === 'InputClaims'
      ? claimsAvailableWhereProfileRuns(context.analysis, context.file, element)
      : undefined;
  return definitions.map((definition, index) => {
    const isAvailable = available?.has(definition.id.toLowerCase());
    const item: CompletionItem = {
      label: definition.id,
      kind: CompletionItemKind.Reference,
      detail: `${KIND_LABELS[kind]} (${baseName(definition.uri)})${isAvailable ? ' · available here' : ''}`,
      sortText: (isAvailable ? '0' : '1') + String(index).padStart(5, '0'),
      textEdit: { range, newText: escapeValue(definition.id, quote) + suffix },
    };
    const summary = definitionSummary(definition);
    if (summary) item.documentation = markdown(summary);
    return item;
  });
}

/** ClaimsExchange ids of the next step (TargetClaimsExchangeId) or the same step (ValidationClaimsExchangeId). */
function claimsExchangeItems(context: Context, element: XmlElement, target: 'next' | 'same', range: Range, quote: string, suffix: string): CompletionItem[] {
  const located = enclosingStep(element);
  if (!located) return [];
  const effective: EffectivePolicy = context.analysis.index.effective(context.file);
  const journey = effective.journey(located.journeyKind, located.journeyId);
  if (!journey) return [];
  const step = selectionTarget(journey, located.order, target)?.target;
  if (!step) return [];
  return step.step.exchanges.map((exchange, i) => {
    const profile = attributeValue(exchange.element, 'TechnicalProfileReferenceId');
    const item: CompletionItem = {
      label: exchange.id,
      kind: CompletionItemKind.Reference,
      detail: `ClaimsExchange, step ${step.order} (${baseName(step.file.uri)})`,
      sortText: String(i).padStart(4, '0'),
      textEdit: { range, newText: escapeValue(exchange.id, quote) + suffix },
    };
    if (profile) item.documentation = markdown(`Runs technical profile \`${profile}\`.`);
    return item;
  });
}

/** The journey and orchestration step an element sits in. */
export function enclosingStep(element: XmlElement): { journeyKind: 'userJourney' | 'subJourney'; journeyId: string; order: number } | undefined {
  let order: number | undefined;
  for (let e: XmlElement | undefined = element; e; e = e.parent) {
    if (e.localName === 'OrchestrationStep' && order === undefined) {
      const value = Number.parseInt(attributeValue(e, 'Order') ?? '', 10);
      if (!Number.isFinite(value)) return undefined;
      order = value;
    } else if ((e.localName === 'UserJourney' || e.localName === 'SubJourney') && order !== undefined) {
      const id = getAttribute(e, 'Id')?.value;
      if (!id) return undefined;
      return { journeyKind: e.localName === 'UserJourney' ? 'userJourney' : 'subJourney', journeyId: id, order };
    }
  }
  return undefined;
}

function escapeValue(value: string, quote: string): string {
  let s = value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (quote === '"') s = s.replace(/"/g, '&quot;');
  else if (quote === "'") s = s.replace(/'/g, '&apos;');
  return s;
}

function markdown(value: string): MarkupContent {
  return { kind: MarkupKind.Markdown, value };
}

function rangeOf(file: PolicyFile, start: number, end: number): Range {
  return { start: file.lines.positionAt(start), end: file.lines.positionAt(end) };
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isNameChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d || c === 0x2e || c === 0x3a || c > 0x7f;
}

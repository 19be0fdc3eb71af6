/**
 * Hover for policy files: the schema's documentation of elements and attributes, and for references the
 * definition they resolve to in the effective policy (kind, id, defining file and line, a one-line summary).
 */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import { selectionTarget } from '../policy/effective';
import { KIND_LABELS, type Definition, type PolicyFile, type Reference } from '../policy/model';
import { baseName } from '../policy/workspace';
import type { AttributeDecl, CompiledSchema, SimpleTypeDef } from '../schema';
import type { Span, XmlElement } from '../xml/nodes';
import { attributeValue, firstChild, nodeAt, textContent } from '../xml/query';
import { inputClaimInsight, stepInsight } from './journeyInsight';
import { catalogValueHover } from './hover/catalogs';
import { settingsTokenHover } from './settingsTokens';

export function getHover(analysis: Analysis, schema: CompiledSchema, uri: string, offset: number): Hover | undefined {
  const file = analysis.index.get(uri);
  if (!file) return undefined;
  const settingsValues = settingsTokenHover(analysis, file, offset);
  if (settingsValues) return settingsValues;
  const node = nodeAt(file.xml, offset);
  if (!node) return undefined;
  if (node.type === 'element') {
    const element = node;
    if (within(element.nameSpan, offset) || (element.endTag && within(element.endTag.nameSpan, offset))) {
      const span = within(element.nameSpan, offset) ? element.nameSpan : element.endTag!.nameSpan;
      const decl = schema.elementDeclFor(element);
      const documentation = decl ? schema.documentation(decl) : undefined;
      const step = element.localName === 'OrchestrationStep' && file.isPolicy ? stepInsight(analysis, file, element) : undefined;
      return hover(file, span, `**${element.localName}**` + (step ? `\n\n${step}` : '') + (documentation ? `\n\n${documentation}` : decl ? '' : '\n\nNot declared in the schema here.'));
    }
    for (const attribute of element.attributes) {
      if (within(attribute.nameSpan, offset)) {
        const decl = schema.elementDeclFor(element);
        const attributeDecl = decl ? schema.attribute(decl, attribute.name) : undefined;
        const content = attributeDecl ? describeAttribute(attributeDecl) : `**${attribute.name}**\n\nNot declared for \`${element.localName}\` in the schema.`;
        return hover(file, attribute.nameSpan, content);
      }
      if (attribute.valueSpan && within(attribute.valueSpan, offset)) {
        const fromCatalogs = catalogValueHover(analysis, file, element, attribute);
        if (fromCatalogs) return fromCatalogs;
        const reference = referenceAt(file, offset, element, attribute.name);
        if (reference) {
          const flow = reference.kind === 'claimType' ? inputClaimInsight(analysis, file, element) : undefined;
          return hover(file, reference.span, describeReference(analysis, file, reference) + (flow ? `\n\n${flow}` : ''));
        }
        const decl = schema.elementDeclFor(element);
        const attributeDecl = decl ? schema.attribute(decl, attribute.name) : undefined;
        const value = attributeDecl?.type.enumeration?.find((v) => v.value === attribute.value);
        if (value?.documentation) return hover(file, attribute.valueSpan, `\`${value.value}\`\n\n${value.documentation}`);
        return undefined;
      }
    }
    return undefined;
  }
  if (node.type === 'text' && node.parent) {
    const reference = referenceAt(file, offset, node.parent, undefined);
    if (reference) return hover(file, reference.span, describeReference(analysis, file, reference));
    const decl = schema.elementDeclFor(node.parent);
    const valueType = decl ? schema.valueType(decl) : undefined;
    const text = node.value.trim();
    const value = valueType?.enumeration?.find((v) => v.value === text);
    if (value?.documentation) {
      const lead = node.value.length - node.value.trimStart().length;
      const span = { start: node.span.start + lead, end: node.span.start + lead + text.length };
      if (node.span.end - node.span.start === node.value.length && within(span, offset)) return hover(file, span, `\`${value.value}\`\n\n${value.documentation}`);
    }
  }
  return undefined;
}

/** A one-line summary of a definition: DisplayName and Protocol of a technical profile, DisplayName and DataType of a claim type. */
export function definitionSummary(definition: Definition): string | undefined {
  const element = definition.element;
  const parts: string[] = [];
  const displayName = childText(element, 'DisplayName');
  if (displayName) parts.push(`DisplayName: ${displayName}`);
  switch (definition.kind) {
    case 'technicalProfile': {
      const protocol = firstChild(element, 'Protocol');
      const name = protocol ? attributeValue(protocol, 'Name') : undefined;
      if (name) parts.push(`Protocol: ${name}`);
      break;
    }
    case 'claimType': {
      const dataType = childText(element, 'DataType');
      if (dataType) parts.push(`DataType: ${dataType}`);
      break;
    }
    case 'claimsTransformation': {
      const method = attributeValue(element, 'TransformationMethod');
      if (method) parts.push(`TransformationMethod: ${method}`);
      break;
    }
    case 'contentDefinition': {
      const loadUri = childText(element, 'LoadUri');
      if (loadUri) parts.push(`LoadUri: ${loadUri}`);
      break;
    }
    case 'displayControl': {
      const type = attributeValue(element, 'UserInterfaceControlType');
      if (type) parts.push(`UserInterfaceControlType: ${type}`);
      break;
    }
    default:
      break;
  }
  return parts.length ? parts.join(' · ') : undefined;
}

function childText(element: XmlElement, name: string): string | undefined {
  const child = firstChild(element, name);
  const value = child ? textContent(child).trim() : '';
  return value || undefined;
}

function referenceAt(file: PolicyFile, offset: number, element: XmlElement, attribute: string | undefined): Reference | undefined {
  return file.references.find((r) => r.attribute === attribute && within(r.span, offset) && (attribute === undefined || r.element === element));
}

function describeReference(analysis: Analysis, file: PolicyFile, reference: Reference): string {
  const effective = analysis.index.effective(file);
  const label = KIND_LABELS[reference.kind];
  const title = `**${label}** \`${reference.id}\``;
  if (reference.kind === 'claimsExchange') {
    const step = reference.step;
    if (!step) return title;
    const journey = effective.journey(step.journeyKind, step.journeyId);
    const target = journey ? selectionTarget(journey, step.order, step.target)?.target : undefined;
    const exchange = target?.step.exchanges.find((e) => e.id.toLowerCase() === reference.id.toLowerCase());
    if (!target || !exchange) {
      return `${title}\n\nNot found in the ${step.target === 'next' ? 'next' : 'same'} orchestration step of journey \`${step.journeyId}\`.`;
    }
    const line = target.file.lines.positionAt(exchange.span.start).line + 1;
    const profile = attributeValue(exchange.element, 'TechnicalProfileReferenceId');
    return `${title}\n\nOrchestration step ${target.order} of journey \`${step.journeyId}\`, defined in ${definitionLink(target.file.uri, line)}` + (profile ? `\n\nTechnicalProfile: \`${profile}\`` : '');
  }
  const lookup = effective.lookup(reference.kind, reference.id);
  const definition = lookup.exact[0] ?? lookup.caseOnly[0];
  if (!definition) return `${title}\n\nNot defined in this policy or its base policies.`;
  const definingFile = effective.files.find((f) => f.uri === definition.uri) ?? analysis.index.get(definition.uri);
  const line = definingFile ? definingFile.lines.positionAt(definition.idSpan.start).line + 1 : undefined;
  let content = `${title}\n\nDefined in ${definitionLink(definition.uri, line)}`;
  if (definition.id !== reference.id) content += ` as \`${definition.id}\` (differs in case)`;
  const summary = definitionSummary(definition);
  if (summary) content += `\n\n${summary}`;
  return content;
}

/**
 * "`File.xml` line N" as a link that opens the definition: the editor opens file links of hovers and selects
 * the line a `#L<line>` fragment names. Parentheses would end the Markdown link target, so they are escaped.
 */
function definitionLink(uri: string, line: number | undefined): string {
  const target = uri.replace(/\(/g, '%28').replace(/\)/g, '%29') + (line ? `#L${line}` : '');
  return `[\`${baseName(uri)}\`${line ? ` line ${line}` : ''}](${target})`;
}

function describeAttribute(attribute: AttributeDecl): string {
  let content = `**${attribute.name}** (${attribute.required ? 'required' : 'optional'})`;
  const type = describeType(attribute.type);
  if (type) content += ` · ${type}`;
  if (attribute.default !== undefined) content += ` · default \`${attribute.default}\``;
  const documentation = attribute.documentation ?? attribute.type.documentation;
  if (documentation) content += `\n\n${documentation}`;
  return content;
}

function describeType(type: SimpleTypeDef): string {
  const values = type.enumeration;
  if (values?.length) {
    const shown = values.slice(0, 12).map((v) => `\`${v.value}\``).join(', ');
    return `one of ${shown}${values.length > 12 ? `, ... (${values.length} values)` : ''}`;
  }
  return `type \`${type.name ?? type.builtin}\``;
}

function hover(file: PolicyFile, span: Span, value: string): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: file.lines.rangeOf(span) };
}

function within(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

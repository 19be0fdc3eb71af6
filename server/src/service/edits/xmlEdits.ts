import type { CompiledSchema } from '../schema';
import type { XmlElement } from '../xml/nodes';
import { childElements } from '../xml/query';
import { leadingWhitespace, lineIndent, type FileEdits, type TextStyle } from './textEdits';

export interface InsertChildOptions {
  /** Place the child in the parent's content-model order (after the last sibling that may precede it). */
  schema?: CompiledSchema;
  /** Insert as the first child. */
  atStart?: boolean;
  /** Insert after this child element (null: as the first child). */
  after?: XmlElement | null;
  blankLineBefore?: boolean;
}

/**
 * Inserts a child element, rendered at the indentation of the parent's existing children (or the parent's
 * plus one unit). Where it goes: after `after`; first (`atStart`); in schema order (`schema`); else last.
 * Text outside the insertion point is left as it is (a self-closing parent is opened).
 */
export function insertChildElement(
  edits: FileEdits,
  style: TextStyle,
  parent: XmlElement,
  name: string,
  render: (indent: string) => string,
  options: InsertChildOptions = {},
): void {
  const text = edits.file.text;
  const children = childElements(parent);
  const parentIndent = lineIndent(text, parent.start);
  const indent = children.map((c) => leadingWhitespace(text, c.start)).find((ws) => ws !== undefined && ws.length > 0) ?? parentIndent + style.unit;
  if (parent.selfClosing || !parent.endTag) {
    // `<X ... />` -> `<X ...>` + child + `</X>`
    const tagText = text.slice(parent.start, parent.startTagEnd);
    const slash = parent.start + tagText.lastIndexOf('/');
    let from = slash;
    while (from > parent.start && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
    edits.replace(from, parent.startTagEnd, `>${style.eol}${render(indent)}${style.eol}${parentIndent}</${parent.name}>`);
    return;
  }
  let previous: XmlElement | undefined;
  if (options.after !== undefined) previous = options.after ?? undefined;
  else if (options.atStart) previous = undefined;
  else {
    const order = options.schema ? schemaChildOrder(options.schema, parent) : undefined;
    if (order && order.includes(name)) {
      const index = order.indexOf(name);
      for (const c of children) {
        const i = order.indexOf(c.localName);
        if (i >= 0 && i <= index) previous = c;
      }
    } else previous = children[children.length - 1];
  }
  if (previous) {
    edits.insert(previous.end, style.eol + (options.blankLineBefore ? style.eol : '') + render(indent));
  } else {
    let inserted = style.eol + render(indent);
    const between = text.slice(parent.startTagEnd, parent.endTag.span.start);
    if (children.length === 0 && !/[\r\n]/.test(between)) inserted += style.eol + parentIndent;
    edits.insert(parent.startTagEnd, inserted);
  }
}

/** The names of an element's children in the order its content model declares them. */
export function schemaChildOrder(schema: CompiledSchema, parent: XmlElement): string[] | undefined {
  const decl = schema.elementDeclFor(parent);
  return decl ? schema.childDecls(decl).map((d) => d.name) : undefined;
}

/** Wraps a child renderer in a new container element. */
export function wrapElement(name: string, inner: (indent: string) => string, style: TextStyle): (indent: string) => string {
  return (indent) => `${indent}<${name}>${style.eol}${inner(indent + style.unit)}${style.eol}${indent}</${name}>`;
}

/**
 * Removes an element. When it is alone on its line(s), the whole line goes (its indentation and one line
 * break), so no blank line is left; otherwise exactly the element's text.
 */
export function removeElement(edits: FileEdits, element: XmlElement): void {
  const text = edits.file.text;
  let start = element.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = element.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  const lineStartBefore = start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r';
  const lineEndAfter = end === text.length || text[end] === '\n' || text[end] === '\r';
  if (lineStartBefore && lineEndAfter) {
    if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
    else if (end < text.length) end += 1;
    edits.replace(start, end, '');
  } else edits.replace(element.start, element.end, '');
}

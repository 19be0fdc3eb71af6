import type { XmlAttribute, XmlDocument, XmlElement, XmlNode } from './nodes';

export function getAttribute(element: XmlElement, name: string): XmlAttribute | undefined {
  for (const attribute of element.attributes) if (attribute.name === name) return attribute;
  return undefined;
}

export function attributeValue(element: XmlElement, name: string): string | undefined {
  return getAttribute(element, name)?.value;
}

export function childElements(element: XmlElement, localName?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of element.children) {
    if (child.type === 'element' && (localName === undefined || child.localName === localName)) out.push(child);
  }
  return out;
}

export function firstChild(element: XmlElement, localName: string): XmlElement | undefined {
  for (const child of element.children) if (child.type === 'element' && child.localName === localName) return child;
  return undefined;
}

/** Text and CDATA content directly inside the element, concatenated. */
export function textContent(element: XmlElement): string {
  let s = '';
  for (const child of element.children) if (child.type === 'text' || child.type === 'cdata') s += child.value;
  return s;
}

/** Every element of the document, depth first, in document order. */
export function* walkElements(root: XmlElement | undefined): Generator<XmlElement> {
  if (!root) return;
  const stack: XmlElement[] = [root];
  while (stack.length) {
    const element = stack.pop()!;
    yield element;
    for (let i = element.children.length - 1; i >= 0; i--) {
      const child = element.children[i];
      if (child.type === 'element') stack.push(child);
    }
  }
}

/** The innermost node whose span contains the offset (start inclusive, end exclusive for elements). */
export function nodeAt(document: XmlDocument, offset: number): XmlNode | undefined {
  let nodes: XmlNode[] = document.children;
  let found: XmlNode | undefined;
  for (;;) {
    let next: XmlNode | undefined;
    for (const node of nodes) {
      const start = node.type === 'element' ? node.start : node.span.start;
      const end = node.type === 'element' ? node.end : node.span.end;
      if (offset >= start && (offset < end || (offset === end && node.type === 'element' && !node.endTag && !(node.selfClosing && node.startTagClosed)))) {
        next = node;
        break;
      }
      if (start > offset) break;
    }
    if (!next) return found;
    found = next;
    if (next.type !== 'element') return found;
    nodes = next.children;
  }
}

/** Element names from the root down to the element, e.g. ["TrustFrameworkPolicy", "ClaimsProviders", ...]. */
export function elementPath(element: XmlElement): string[] {
  const path: string[] = [];
  for (let e: XmlElement | undefined = element; e; e = e.parent) path.unshift(e.localName);
  return path;
}

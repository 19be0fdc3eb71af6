/**
 * The "current" schema = the official grammar + documented later additions. The additions live in their own
 * file (schemas/TrustFrameworkPolicy_0.3.0.0.additions.xml), each with the documentation page it comes from,
 * so the official schema stays exactly Microsoft's grammar and every difference is listed in one place:
 *
 *   <additions xmlns="urn:b2c-policy-tools:schema-additions" xmlns:xs="http://www.w3.org/2001/XMLSchema">
 *     <addition id="captcha-control" source="articles/active-directory-b2c/display-control-captcha.md">
 *       <add-to simpleType="UserInterfaceControlType" path="restriction">
 *         <xs:enumeration value="CaptchaControl">...</xs:enumeration>
 *       </add-to>
 *     </addition>
 *   </additions>
 *
 * `add-to` names a top-level xs:simpleType or xs:complexType; `path` walks down its XSD children by local
 * name (`sequence/element[InputClaims]/complexType/sequence`; `[X]` selects the child whose name is X);
 * the XSD content is appended there, or inserted after the child named by `after`. Build-time only (xmldom).
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SchemaCompileError, XS_NAMESPACE } from './compileError';

export const ADDITIONS_NAMESPACE = 'urn:b2c-policy-tools:schema-additions';

/** One documented addition: what it changes and where Microsoft documents it. */
export interface SchemaAddition {
  id: string;
  /** Path of the documentation page in MicrosoftDocs/azure-docs (`articles/active-directory-b2c/...`). */
  source: string;
  /** Human summary, e.g. `enumeration CaptchaControl in UserInterfaceControlType`. */
  summary: string;
}

// Structural view of the xmldom nodes used here.
interface Node {
  nodeType: number;
  localName: string | null;
  namespaceURI: string | null;
  childNodes: ArrayLike<Node>;
  parentNode: Node | null;
  nextSibling: Node | null;
  ownerDocument: Doc;
  getAttribute(name: string): string | null;
  insertBefore(node: Node, before: Node | null): Node;
  appendChild(node: Node): Node;
}
interface Doc extends Node {
  documentElement: Node | null;
  importNode(node: Node, deep: boolean): Node;
  createTextNode(text: string): Node;
}

function parse(text: string, what: string): Doc {
  try {
    const parser = new DOMParser({
      onError: (level: string, message: string) => {
        if (level !== 'warning') throw new Error(message);
      },
    });
    return parser.parseFromString(text, 'text/xml') as unknown as Doc;
  } catch (error) {
    throw new SchemaCompileError(`${what} is not well-formed XML: ${(error as Error).message}`, undefined);
  }
}

function elements(node: Node): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < node.childNodes.length; i++) if (node.childNodes[i].nodeType === 1) out.push(node.childNodes[i]);
  return out;
}

/** The additions declared in an additions file, in file order. */
export function readAdditions(additionsText: string): SchemaAddition[] {
  return additionNodes(parse(additionsText, 'The additions file')).map(({ node, targets }) => ({
    id: node.getAttribute('id') ?? '',
    source: node.getAttribute('source') ?? '',
    summary: targets.map(describeTarget).join('; '),
  }));
}

function additionNodes(doc: Doc): { node: Node; targets: Node[] }[] {
  const root = doc.documentElement;
  if (!root || root.localName !== 'additions' || root.namespaceURI !== ADDITIONS_NAMESPACE) {
    throw new SchemaCompileError(`The additions file must have the root <additions xmlns="${ADDITIONS_NAMESPACE}">`, undefined);
  }
  return elements(root).map((node) => {
    const id = node.getAttribute('id');
    const source = node.getAttribute('source');
    if (node.localName !== 'addition' || !id || !source?.startsWith('articles/active-directory-b2c/')) {
      throw new SchemaCompileError(`Every child of <additions> is an <addition id="..." source="articles/active-directory-b2c/..."> (found <${node.localName}> ${id ?? ''})`, undefined);
    }
    const targets = elements(node);
    if (!targets.length || targets.some((t) => t.localName !== 'add-to')) throw new SchemaCompileError(`Addition '${id}' must hold one or more <add-to> elements`, undefined);
    return { node, targets };
  });
}

function describeTarget(target: Node): string {
  const owner = target.getAttribute('simpleType') ?? target.getAttribute('complexType') ?? '?';
  const content = elements(target)
    .map((x) => `${x.localName} ${x.getAttribute('name') ?? x.getAttribute('value') ?? ''}`.trim())
    .join(', ');
  return `${content} in ${owner}`;
}

/** Applies the additions to the official XSD text; returns the "current" XSD text. Throws SchemaCompileError. */
export function applyAdditions(officialXsd: string, additionsText: string): string {
  const schema = parse(officialXsd, 'The official schema');
  const additions = parse(additionsText, 'The additions file');
  const root = schema.documentElement!;
  for (const { node, targets } of additionNodes(additions)) {
    const id = node.getAttribute('id')!;
    for (const target of targets) {
      const kind = target.getAttribute('simpleType') !== null ? 'simpleType' : 'complexType';
      const typeName = target.getAttribute(kind);
      let place = elements(root).find((e) => e.namespaceURI === XS_NAMESPACE && e.localName === kind && e.getAttribute('name') === typeName);
      if (!place) throw new SchemaCompileError(`Addition '${id}': the official schema has no top-level xs:${kind} '${typeName}'`, undefined);
      for (const step of (target.getAttribute('path') ?? '').split('/').filter(Boolean)) {
        const m = /^([A-Za-z]+)(?:\[([^\]]+)\])?$/.exec(step);
        const next: Node | undefined = m ? elements(place).find((e) => e.localName === m[1] && (m[2] === undefined || e.getAttribute('name') === m[2])) : undefined;
        if (!next) throw new SchemaCompileError(`Addition '${id}': path step '${step}' not found in xs:${kind} '${typeName}'`, undefined);
        place = next;
      }
      const after = target.getAttribute('after');
      let before: Node | null = null;
      if (after) {
        const sibling = elements(place).find((e) => e.getAttribute('name') === after || e.getAttribute('value') === after);
        if (!sibling) throw new SchemaCompileError(`Addition '${id}': no child named '${after}' to insert after`, undefined);
        before = sibling.nextSibling;
      }
      for (const content of elements(target)) {
        if (content.namespaceURI !== XS_NAMESPACE) throw new SchemaCompileError(`Addition '${id}': only XML Schema elements can be added (found <${content.localName}>)`, undefined);
        place.insertBefore(schema.importNode(content, true), before);
        place.insertBefore(schema.createTextNode('\n'), before);
      }
    }
  }
  return new XMLSerializer().serializeToString(schema as never);
}

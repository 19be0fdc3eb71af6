import type { Span, XmlAttribute, XmlDocument, XmlElement, XmlNode, XmlProblem } from './nodes';
import { isNameChar, isNameStartChar, isXmlSpace } from './chars';
import { AttributeNode, CDataNode, CommentNode, ElementNode, NO_ATTRIBUTES, NO_NODES, ProcessingInstructionNode, TextNode } from './treeNodes';

/**
 * A tolerant XML parser written for editing: it never throws, always returns a tree, and reports what is
 * wrong as problems with exact spans. It keeps going through the states a document passes through while
 * someone types (an unfinished start tag, an open quote, a stray '<', unclosed or mismatched elements).
 *
 * Security: a DOCTYPE is reported and skipped, never processed; only the five predefined entities and
 * numeric character references are decoded; nothing is read from anywhere but the given string.
 */
export function parseXml(text: string, options: ParseOptions = {}): XmlDocument {
  return new Parser(text, options.maxProblems ?? DEFAULT_MAX_PROBLEMS).parse();
}

export interface ParseOptions {
  /**
   * How many problems to keep (default 1000); the rest are counted (`XmlDocument.omittedProblems`) and
   * summed up in one last problem. Keeps memory bounded on a file made of errors: VS Code itself shows
   * at most 1000 diagnostics per file ("Not showing N further errors and warnings", extHostDiagnostics.ts).
   */
  maxProblems?: number;
}

export const DEFAULT_MAX_PROBLEMS = 1000;

/** Up to this many attributes, a repeated name is found by scanning them; beyond, with a set. */
const SCANNED_ATTRIBUTES = 16;

const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Every step is linear in what it reads, and nothing is read more than a constant number of times:
 * lookups that could scan far (the '>' of an unfinished end tag, the closing quote after a '<' in a value)
 * stop at the next '<' or line break; once an end tag has not matched the innermost element, a count of
 * open elements per name says whether searching the stack can succeed; repeated attribute names are found
 * with a set once a start tag has many attributes. (The count and the set cost time on every element, so
 * well-formed documents, the usual case, never build them.)
 */
class Parser {
  private pos = 0;
  private readonly problems: XmlProblem[] = [];
  private omittedProblems = 0;
  private firstOmittedSpan: Span | undefined;
  private readonly topLevel: XmlNode[] = [];
  /** Open elements, innermost last. */
  private readonly stack: ElementNode[] = [];
  /**
   * The children of the open elements, in one list: those of `stack[k]` start at `childrenFrom[k]`. An
   * element gets its own array, exactly as long as needed, when it closes.
   */
  private readonly openChildren: XmlNode[] = [];
  /** How many of `openChildren` are in use (the rest are stale entries, overwritten as it grows again). */
  private openChildCount = 0;
  private readonly childrenFrom: number[] = [];
  /** The attributes of the start tag being read: the first `tagAttributeCount` of this list. */
  private readonly tagAttributes: XmlAttribute[] = [];
  private tagAttributeCount = 0;
  /**
   * One string per distinct name or white-space run in the document (the tree keeps no copies), by length,
   * first and last character: a name is compared in place in the text, and sliced only the first time.
   */
  private readonly strings = new Map<number, string[]>();
  /** How many elements of each name are on the stack; kept from the first end tag that does not match the innermost element. */
  private openNameCounts: Map<string, number> | undefined;
  /** The attribute names of the current start tag, once it has more than SCANNED_ATTRIBUTES of them. */
  private readonly manyAttributeNames = new Set<string>();
  private root: XmlElement | undefined;

  constructor(
    private readonly text: string,
    private readonly maxProblems: number,
  ) {}

  parse(): XmlDocument {
    const text = this.text;
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    let sawDeclarationSlot = true; // an XML declaration is only allowed at the very start
    while (this.pos < text.length) {
      const lt = text.indexOf('<', this.pos);
      if (lt < 0) {
        this.addText(this.pos, text.length);
        break;
      }
      if (lt > this.pos) this.addText(this.pos, lt);
      this.pos = lt;
      const next = text.charCodeAt(lt + 1);
      if (next === 0x3f /* ? */) this.parseProcessingInstruction(sawDeclarationSlot && lt <= 1);
      else if (next === 0x21 /* ! */) {
        if (text.startsWith('<!--', lt)) this.parseComment();
        else if (text.startsWith('<![CDATA[', lt)) this.parseCData();
        else if (text.startsWith('<!DOCTYPE', lt)) this.parseDoctype();
        else this.parseUnknownDeclaration();
      } else if (next === 0x2f /* / */) this.parseEndTag();
      else if (lt + 1 < text.length && isNameStartChar(text.charCodeAt(lt + 1))) this.parseStartTag();
      else {
        this.problem({ start: lt, end: lt + 1 }, "Unescaped '<': write &lt; in text, or start a tag name right after '<'.");
        this.addText(lt, lt + 1);
        this.pos = lt + 1;
      }
      sawDeclarationSlot = false;
    }
    while (this.stack.length) {
      const open = this.popOpen();
      this.problem(open.nameSpan, `Element <${open.name}> is not closed: add </${open.name}>.`);
      open.end = text.length;
    }
    if (!this.root) this.problem({ start: 0, end: Math.min(text.length, 1) }, 'The document has no root element.');
    if (this.omittedProblems > 0) {
      this.problems.push({
        code: 'xml-syntax',
        message: `${this.omittedProblems} more XML problems from here on are not listed (only the first ${this.problems.length} are). Fix the first ones: most of the rest usually follow from them.`,
        span: this.firstOmittedSpan!,
      });
    }
    return { text, children: this.topLevel, root: this.root, problems: this.problems, omittedProblems: this.omittedProblems };
  }

  private problem(span: Span, message: string, code: XmlProblem['code'] = 'xml-syntax'): void {
    if (this.problems.length < this.maxProblems) {
      this.problems.push({ code, message, span });
      return;
    }
    if (this.omittedProblems === 0) this.firstOmittedSpan = span;
    this.omittedProblems++;
  }

  private pushOpen(element: ElementNode): void {
    this.stack.push(element);
    this.childrenFrom.push(this.openChildCount);
    if (this.openNameCounts) this.openNameCounts.set(element.name, (this.openNameCounts.get(element.name) ?? 0) + 1);
  }

  /** Closes the innermost open element, handing it its children. */
  private popOpen(): ElementNode {
    const element = this.stack.pop()!;
    const from = this.childrenFrom.pop()!;
    if (from < this.openChildCount) {
      element.children = this.openChildren.slice(from, this.openChildCount);
      this.openChildCount = from;
    }
    if (this.openNameCounts) this.openNameCounts.set(element.name, this.openNameCounts.get(element.name)! - 1);
    return element;
  }

  /** The document's one copy of the text from `start` to `end` (a name, or white space). */
  private shared(start: number, end: number): string {
    const text = this.text;
    const length = end - start;
    if (length === 0) return '';
    const key = length * 0x1000000 + (text.charCodeAt(start) & 0xfff) * 0x1000 + (text.charCodeAt(end - 1) & 0xfff);
    let known = this.strings.get(key);
    if (known) {
      for (const candidate of known) if (text.startsWith(candidate, start)) return candidate;
    } else this.strings.set(key, (known = []));
    const value = text.slice(start, end);
    if (known.length < 8) known.push(value);
    return value;
  }

  /** Whether an open element has this name: the innermost is checked first, the counts (built once) after. */
  private isOpen(name: string): boolean {
    if (this.current?.name === name) return true;
    if (!this.openNameCounts) {
      this.openNameCounts = new Map();
      for (const open of this.stack) this.openNameCounts.set(open.name, (this.openNameCounts.get(open.name) ?? 0) + 1);
    }
    return (this.openNameCounts.get(name) ?? 0) > 0;
  }

  private get current(): ElementNode | undefined {
    return this.stack[this.stack.length - 1];
  }

  private append(node: XmlNode): void {
    const parent = this.current;
    node.parent = parent;
    if (parent) this.openChildren[this.openChildCount++] = node;
    else this.topLevel.push(node);
  }

  private addText(start: number, end: number): void {
    const parent = this.current;
    if (!parent) {
      let s = start;
      let e = end;
      while (s < e && isXmlSpace(this.text.charCodeAt(s))) s++;
      while (e > s && isXmlSpace(this.text.charCodeAt(e - 1))) e--;
      if (s < e) this.problem({ start: s, end: e }, this.root ? 'Text after the root element is not allowed.' : 'Text before the root element is not allowed.');
      return;
    }
    // Indentation (white space without CR, which decoding would normalise) is shared; other text decoded.
    const value = isIndentation(this.text, start, end) ? this.shared(start, end) : this.decode(this.text.slice(start, end), start, false);
    const last = this.openChildCount > this.childrenFrom[this.childrenFrom.length - 1] ? this.openChildren[this.openChildCount - 1] : undefined;
    if (last instanceof TextNode && last.end === start) {
      // A stray '<' splits text in two; keep it as one text node.
      last.end = end;
      last.value += value;
      return;
    }
    this.append(new TextNode(start, end, value, parent));
  }

  private parseProcessingInstruction(declarationAllowed: boolean): void {
    const start = this.pos;
    const close = this.text.indexOf('?>', start + 2);
    const end = close < 0 ? this.text.length : close + 2;
    let targetEnd = start + 2;
    const targetLimit = Math.min(end, start + 200);
    while (targetEnd < targetLimit && this.text.charCodeAt(targetEnd) !== 0x3f /* ? */ && !isXmlSpace(this.text.charCodeAt(targetEnd))) targetEnd++;
    const target = this.text.slice(start + 2, targetEnd);
    if (close < 0) this.problem({ start, end: start + 2 + target.length }, "Processing instruction is not closed: add '?>'.");
    if (target.toLowerCase() === 'xml' && !declarationAllowed) {
      this.problem({ start, end: start + 5 }, 'The XML declaration must come first in the document.');
    } else if (target === '' || !isNameStartChar(target.charCodeAt(0))) {
      this.problem({ start, end: start + 2 }, 'Processing instruction without a target name.');
    }
    this.pos = end;
    this.append(new ProcessingInstructionNode(target, start, end));
  }

  private parseComment(): void {
    const start = this.pos;
    const close = this.text.indexOf('-->', start + 4);
    const end = close < 0 ? this.text.length : close + 3;
    const value = this.text.slice(start + 4, close < 0 ? end : close);
    if (close < 0) this.problem({ start, end: start + 4 }, "Comment is not closed: add '-->'.");
    else {
      const dashes = value.indexOf('--');
      if (dashes >= 0) this.problem({ start: start + 4 + dashes, end: start + 6 + dashes }, "'--' is not allowed inside a comment.");
    }
    this.pos = end;
    this.append(new CommentNode(start, end, value));
  }

  private parseCData(): void {
    const start = this.pos;
    const close = this.text.indexOf(']]>', start + 9);
    const end = close < 0 ? this.text.length : close + 3;
    if (close < 0) this.problem({ start, end: start + 9 }, "CDATA section is not closed: add ']]>'.");
    if (!this.current) this.problem({ start, end: start + 9 }, 'CDATA is only allowed inside an element.');
    const value = this.text.slice(start + 9, close < 0 ? end : close).replace(/\r\n?/g, '\n');
    this.pos = end;
    if (this.current) this.append(new CDataNode(start, end, value));
  }

  /** Skips a DOCTYPE, internal subset included, without interpreting any of it. */
  private parseDoctype(): void {
    const start = this.pos;
    const text = this.text;
    let i = start + 9;
    let depth = 0;
    let quote = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x5b) depth++;
      else if (c === 0x5d) depth = Math.max(0, depth - 1);
      else if (c === 0x3e && depth === 0) break;
    }
    const end = Math.min(text.length, i + 1);
    this.problem(
      { start, end },
      'DOCTYPE is not allowed in a policy: it is not processed (no entities are expanded) and the service rejects it. Remove it.',
      'doctype-not-allowed',
    );
    this.pos = end;
  }

  private parseUnknownDeclaration(): void {
    const start = this.pos;
    const close = this.text.indexOf('>', start);
    const end = close < 0 ? this.text.length : close + 1;
    this.problem({ start, end: Math.min(end, start + 2) }, "Unknown markup declaration '<!': only comments (<!-- -->) and CDATA sections are allowed here.");
    this.pos = end;
  }

  private readName(from: number): number {
    let i = from;
    while (i < this.text.length && isNameChar(this.text.charCodeAt(i))) i++;
    return i;
  }

  private skipSpace(from: number): number {
    let i = from;
    while (i < this.text.length && isXmlSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  private parseEndTag(): void {
    const text = this.text;
    const start = this.pos;
    const nameStart = start + 2;
    const nameEnd = this.readName(nameStart);
    const name = this.shared(nameStart, nameEnd);
    const i = this.skipSpace(nameEnd);
    let end: number;
    if (text.charCodeAt(i) === 0x3e) {
      end = i + 1;
    } else {
      // Unfinished end tag ("</Foo" followed by something else): its '>' counts only before the next '<'.
      // Looking no further than that '<' keeps a run of unfinished end tags linear.
      let k = i;
      while (k < text.length && text.charCodeAt(k) !== 0x3c && text.charCodeAt(k) !== 0x3e) k++;
      if (k < text.length && text.charCodeAt(k) === 0x3e) {
        this.problem({ start: i, end: k }, `Unexpected characters in end tag </${name}>.`);
        end = k + 1;
      } else {
        end = i;
        this.problem({ start, end: Math.max(nameEnd, start + 2) }, `End tag </${name}> is not closed: add '>'.`);
      }
    }
    this.pos = end;
    const nameSpan = { start: nameStart, end: nameEnd };
    if (name === '') {
      this.problem({ start, end: start + 2 }, 'End tag without a name.');
      return;
    }
    // Find the innermost open element with this name (only searched when one is open: then every element
    // passed on the way is closed below, so the search costs what the pops cost).
    let match = -1;
    if (this.isOpen(name)) {
      for (let k = this.stack.length - 1; k >= 0; k--) {
        if (this.stack[k].name === name) {
          match = k;
          break;
        }
      }
    }
    if (match < 0) {
      const top = this.current;
      if (!top) {
        this.problem(nameSpan, `Unexpected end tag </${name}>: no element is open.`);
        return;
      }
      // A mismatched end tag: most often a start tag or end tag was renamed. Let it close the innermost
      // element so that the rest of the tree keeps its shape.
      this.problem(nameSpan, `End tag </${name}> does not match the start tag <${top.name}>.`);
      this.problem(top.nameSpan, `Start tag <${top.name}> is closed by </${name}>.`);
      this.popOpen();
      top.endTagStart = start;
      top.endTagName = name;
      top.end = end;
      return;
    }
    while (this.stack.length - 1 > match) {
      const unclosed = this.popOpen();
      this.problem(unclosed.nameSpan, `Element <${unclosed.name}> is not closed before </${name}>: add </${unclosed.name}>.`);
      unclosed.end = start;
    }
    const element = this.popOpen();
    element.endTagStart = start;
    element.end = end;
  }

  private parseStartTag(): void {
    const text = this.text;
    const start = this.pos;
    const nameStart = start + 1;
    const nameEnd = this.readName(nameStart);
    const name = this.shared(nameStart, nameEnd);
    const colon = name.indexOf(':');
    const element = new ElementNode(name, colon >= 0 ? this.shared(nameStart + colon + 1, nameEnd) : name, start, NO_ATTRIBUTES, NO_NODES);
    if (!this.current) {
      if (this.root) this.problem(element.nameSpan, `Only one root element is allowed; <${name}> follows <${this.root.name}>.`);
      else this.root = element;
    }
    this.append(element);

    this.tagAttributeCount = 0;
    let i = nameEnd;
    for (;;) {
      const afterSpace = this.skipSpace(i);
      const hadSpace = afterSpace > i;
      i = afterSpace;
      if (i >= text.length) break;
      const c = text.charCodeAt(i);
      if (c === 0x3e) {
        element.startTagClosed = true;
        i++;
        break;
      }
      if (c === 0x2f && text.charCodeAt(i + 1) === 0x3e) {
        element.startTagClosed = true;
        element.selfClosing = true;
        i += 2;
        break;
      }
      if (c === 0x3c) break; // a new tag starts: this start tag is unfinished
      if (isNameStartChar(c)) {
        if (!hadSpace) this.problem({ start: i, end: i + 1 }, `Attributes must be separated by white space in <${name}>.`);
        i = this.parseAttribute(element, i);
        continue;
      }
      this.problem({ start: i, end: i + 1 }, `Unexpected character '${text[i]}' in start tag <${name}>.`);
      i++;
    }
    if (this.tagAttributeCount) element.attributes = this.tagAttributes.slice(0, this.tagAttributeCount);
    element.startTagEnd = i;
    element.end = i;
    this.pos = i;
    if (!element.startTagClosed) {
      this.problem(element.nameSpan, `Start tag <${name}> is not finished: add '>' or '/>'.`);
      // An unfinished start tag takes no children: the following markup belongs to its parent.
      return;
    }
    if (!element.selfClosing) this.pushOpen(element);
  }

  private parseAttribute(element: XmlElement, from: number): number {
    const text = this.text;
    const nameEnd = this.readName(from);
    const name = this.shared(from, nameEnd);
    const attribute = new AttributeNode(name, from);
    if (this.isRepeatedAttribute(name)) {
      this.problem(attribute.nameSpan, `Attribute '${name}' appears twice in <${element.name}>.`);
    }
    this.tagAttributes[this.tagAttributeCount++] = attribute;
    let i = this.skipSpace(nameEnd);
    if (text.charCodeAt(i) !== 0x3d /* = */) {
      this.problem(attribute.nameSpan, `Attribute '${name}' has no value: write ${name}="...".`);
      return nameEnd;
    }
    i = this.skipSpace(i + 1);
    const quote = text.charCodeAt(i);
    if (quote !== 0x22 && quote !== 0x27) {
      this.problem({ start: from, end: Math.max(i, nameEnd) }, `The value of '${name}' must be in quotes.`);
      attribute.end = i;
      // Take an unquoted word as the value so that the user still sees something sensible.
      let j = i;
      while (j < text.length && !isXmlSpace(text.charCodeAt(j)) && text[j] !== '>' && text[j] !== '<' && !(text[j] === '/' && text[j + 1] === '>')) j++;
      if (j > i) {
        attribute.setValueSpan(i, j);
        attribute.value = text.slice(i, j);
        attribute.end = j;
      }
      return j;
    }
    const valueStart = i + 1;
    let j = valueStart;
    let lineBreak = -1;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === quote || c === 0x3c /* < */) break;
      if (lineBreak < 0 && (c === 0x0a || c === 0x0d)) lineBreak = j;
      j++;
    }
    if (lineBreak < 0 && text.charCodeAt(j) === 0x3c) {
      // A '<' on the line of the opening quote: when the value closes further on that line and a start tag
      // could go on after the quote, the '<' is a character of the value (libxml2 and xmldom reject it:
      // "Unescaped '<' not allowed in attributes values"), not the start of a new tag.
      const close = this.closingQuoteOnLine(j + 1, quote);
      if (close >= 0) {
        for (let k = j; k < close; k++) {
          if (text.charCodeAt(k) === 0x3c) this.problem({ start: k, end: k + 1 }, "'<' is not allowed in an attribute value; write &lt;.");
        }
        j = close;
      }
    }
    if (j < text.length && text.charCodeAt(j) === quote) {
      attribute.setValueSpan(valueStart, j);
      attribute.valueClosed = true;
      attribute.value = this.decode(text.slice(valueStart, j), valueStart, true);
      attribute.end = j + 1;
      return j + 1;
    }
    // An open quote: the value runs until a '<' (never legal in a value) or the end of the text, and stops
    // at the first line break.
    const valueEnd = lineBreak >= 0 ? lineBreak : j;
    attribute.setValueSpan(valueStart, valueEnd);
    attribute.value = this.decode(text.slice(valueStart, valueEnd), valueStart, true);
    attribute.end = valueEnd;
    this.problem({ start: i, end: valueEnd }, `The value of '${name}' is missing its closing quote.`);
    return valueEnd;
  }

  /** Whether `name` is among `attributes` (those of the current start tag, before the new one is added). */
  private isRepeatedAttribute(name: string): boolean {
    const count = this.tagAttributeCount;
    const attributes = this.tagAttributes;
    if (count < SCANNED_ATTRIBUTES) {
      for (let k = 0; k < count; k++) if (attributes[k].name === name) return true;
      return false;
    }
    const names = this.manyAttributeNames;
    if (count === SCANNED_ATTRIBUTES) {
      names.clear();
      for (let k = 0; k < count; k++) names.add(attributes[k].name);
    }
    const repeated = names.has(name);
    names.add(name);
    return repeated;
  }

  /**
   * The offset of `quote` at or after `from` and before the next line break, when what follows it can go on
   * a start tag (white space, '>', '/', the end of the text); -1 otherwise.
   */
  private closingQuoteOnLine(from: number, quote: number): number {
    const text = this.text;
    for (let k = from; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x0a || c === 0x0d) return -1;
      if (c === quote) {
        const next = text.charCodeAt(k + 1);
        return k + 1 >= text.length || isXmlSpace(next) || next === 0x3e /* > */ || next === 0x2f /* / */ ? k : -1;
      }
    }
    return -1;
  }

  /** Resolves character references; reports unknown entities without expanding anything. */
  private decode(raw: string, offset: number, attribute: boolean): string {
    let s = raw;
    if (s.indexOf('&') >= 0) {
      s = s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*)?(;?)/g, (whole, ref: string | undefined, semi: string, at: number) => {
        const span = { start: offset + at, end: offset + at + whole.length };
        if (!ref || !semi) {
          this.problem({ start: offset + at, end: offset + at + 1 }, "Unescaped '&': write &amp;.");
          return whole;
        }
        if (ref[0] === '#') {
          const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
          if (!isFinite(code) || code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
            this.problem(span, `Character reference ${whole} is not a valid character.`);
            return whole;
          }
          return String.fromCodePoint(code);
        }
        const predefined = PREDEFINED_ENTITIES[ref];
        if (predefined !== undefined) return predefined;
        this.problem(span, `Unknown entity &${ref};: only &lt; &gt; &amp; &quot; &apos; and character references are allowed (entities are never expanded).`);
        return whole;
      });
    }
    if (attribute) {
      // Attribute-value normalisation (XML 1.0 section 3.3.3) is done on the literal white space only,
      // before references are resolved; references to white space survive. Approximate this by
      // normalising the raw text and decoding references afterwards.
      return normaliseAttributeWhitespace(raw, s);
    }
    return s.indexOf('\r') >= 0 ? s.replace(/\r\n?/g, '\n') : s;
  }
}

/** Whether text from `start` to `end` is spaces, tabs and line feeds only (the indentation between elements). */
function isIndentation(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09) return false;
  }
  return true;
}

function normaliseAttributeWhitespace(raw: string, decoded: string): string {
  if (!/[\t\n\r]/.test(raw)) return decoded;
  if (raw.indexOf('&#') < 0) return decoded.replace(/\r\n/g, ' ').replace(/[\t\n\r]/g, ' ');
  // Rare: literal white space and numeric references to white space in the same value.
  const literal = raw.replace(/\r\n/g, ' ').replace(/[\t\n\r]/g, ' ');
  return literal.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (w, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED_ENTITIES[ref];
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code >= 1 && code <= 0x10ffff ? String.fromCodePoint(code) : w;
  });
}

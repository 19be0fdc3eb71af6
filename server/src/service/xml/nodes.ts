/**
 * The tree built by the tolerant XML parser. Every span is a pair of offsets into the parsed string
 * (UTF-16 code units, `end` exclusive), so features can map any node back to an exact range.
 */
export interface Span {
  start: number;
  end: number;
}

export interface XmlAttribute {
  name: string;
  nameSpan: Span;
  /** The value with character references decoded and white space normalised; undefined when missing. */
  value: string | undefined;
  /** The value's content between the quotes (empty span right after the opening quote when empty). */
  valueSpan: Span | undefined;
  /** True when the closing quote was found. */
  valueClosed: boolean;
  /** From the first character of the name to the closing quote (or as far as the attribute got). */
  span: Span;
}

export interface XmlEndTag {
  name: string;
  span: Span;
  nameSpan: Span;
}

export interface XmlElement {
  type: 'element';
  name: string;
  /** Local name (after the prefix, if any). */
  localName: string;
  nameSpan: Span;
  parent: XmlElement | undefined;
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** Offset of the '<' that opens the start tag. */
  start: number;
  /** Offset just after the start tag's '>' (or as far as an unfinished start tag got). */
  startTagEnd: number;
  /** False while the start tag is unfinished (no '>' yet). */
  startTagClosed: boolean;
  selfClosing: boolean;
  endTag: XmlEndTag | undefined;
  /** Offset just after the element (its end tag, or where it was implicitly closed). */
  end: number;
}

export interface XmlText {
  type: 'text';
  span: Span;
  /** Decoded text (character references resolved, line ends normalised). */
  value: string;
  parent: XmlElement | undefined;
}

export interface XmlCData {
  type: 'cdata';
  span: Span;
  value: string;
  parent: XmlElement | undefined;
}

export interface XmlComment {
  type: 'comment';
  span: Span;
  value: string;
  parent: XmlElement | undefined;
}

export interface XmlProcessingInstruction {
  type: 'pi';
  target: string;
  span: Span;
  parent: XmlElement | undefined;
}

export type XmlNode = XmlElement | XmlText | XmlCData | XmlComment | XmlProcessingInstruction;

export type XmlProblemCode = 'xml-syntax' | 'doctype-not-allowed';

export interface XmlProblem {
  code: XmlProblemCode;
  message: string;
  span: Span;
}

export interface XmlDocument {
  text: string;
  /** Top-level nodes (the root element, comments, processing instructions, stray text). */
  children: XmlNode[];
  /** The first top-level element. */
  root: XmlElement | undefined;
  /**
   * At most `maxProblems` (see parseXml) and then one more that sums up the rest; `omittedProblems` is how
   * many were left out (0 in all but pathological files).
   */
  problems: XmlProblem[];
  omittedProblems: number;
}

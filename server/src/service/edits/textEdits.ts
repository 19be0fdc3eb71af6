import type { TextEdit } from 'vscode-languageserver-types';
import type { PolicyFile } from '../policy/model';
import { LineIndex } from '../xml/lines';
import type { XmlElement } from '../xml/nodes';
import { childElements } from '../xml/query';

/** An edit in offsets of one text (end exclusive). */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies LSP text edits to a text (for tests and the CLI). Edits must not overlap; inserts at the same
 * position are applied in array order, as LSP specifies.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return applyOffsetEdits(
    text,
    edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })),
  );
}

/** Applies offset edits (non-overlapping; same-position inserts in array order). */
export function applyOffsetEdits(text: string, edits: OffsetEdit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Collects edits for one file; inserts at the same offset are merged in the order they were added. */
export class FileEdits {
  private readonly edits: OffsetEdit[] = [];

  constructor(readonly file: PolicyFile) {}

  get isEmpty(): boolean {
    return this.edits.length === 0;
  }

  replace(start: number, end: number, text: string): void {
    if (start === end) return this.insert(start, text);
    if (this.file.text.slice(start, end) === text) return;
    this.edits.push({ start, end, text });
  }

  insert(offset: number, text: string): void {
    const same = this.edits.find((e) => e.start === offset && e.end === offset);
    if (same) same.text += text;
    else this.edits.push({ start: offset, end: offset, text });
  }

  toTextEdits(): TextEdit[] {
    return [...this.edits]
      .sort((a, b) => a.start - b.start || a.end - b.end)
      .map((e) => ({ range: this.file.lines.rangeOf(e), newText: e.text }));
  }

  /** The offset edits (for composing copied text). */
  offsetEdits(): OffsetEdit[] {
    return [...this.edits];
  }
}

/** Line ending and indentation conventions of a file. */
export interface TextStyle {
  eol: string;
  /** One level of indentation: a tab or N spaces. */
  unit: string;
}

export function detectEol(text: string): string {
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      if (i > 0 && text.charCodeAt(i - 1) === 0x0d) crlf++;
      else lf++;
    }
  }
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * The indentation unit of a file: the most common (leading white space / element depth) over elements
 * that start a line. Tabs win when most indented lines use them. Defaults to two spaces.
 */
export function detectIndentUnit(file: PolicyFile): string {
  const root = file.xml.root;
  if (!root) return '  ';
  let tabs = 0;
  let spaces = 0;
  const widths = new Map<number, number>();
  const visit = (element: XmlElement, depth: number) => {
    for (const child of childElements(element)) {
      const ws = leadingWhitespace(file.text, child.start);
      if (ws !== undefined && ws.length > 0) {
        if (ws.includes('\t')) tabs++;
        else {
          spaces++;
          if (ws.length % (depth + 1) === 0) {
            const w = ws.length / (depth + 1);
            widths.set(w, (widths.get(w) ?? 0) + 1);
          }
        }
      }
      if (depth < 4) visit(child, depth + 1);
    }
  };
  visit(root, 0);
  if (tabs > spaces) return '\t';
  let best = 2;
  let bestCount = 0;
  for (const [w, n] of widths) if (n > bestCount || (n === bestCount && w < best)) [best, bestCount] = [w, n];
  return ' '.repeat(Math.max(1, Math.min(8, best)));
}

export function styleOf(file: PolicyFile): TextStyle {
  return { eol: detectEol(file.text), unit: detectIndentUnit(file) };
}

/** The white space between the start of the line and `offset`, or undefined when other text precedes it. */
export function leadingWhitespace(text: string, offset: number): string | undefined {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  if (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') return undefined;
  return text.slice(i, offset);
}

/** The indentation of the line an offset is on (its leading white space). */
export function lineIndent(text: string, offset: number): string {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  let j = i;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
  return text.slice(i, j);
}

function unitsOf(ws: string, unit: string): number {
  const unitWidth = unit === '\t' ? 4 : unit.length;
  let width = 0;
  for (const c of ws) width += c === '\t' ? 4 : 1;
  return width / unitWidth;
}

/**
 * Re-indents a block copied from another place. The block's first line starts at the element (no leading
 * white space); later lines keep their depth relative to `fromIndent`, converted from `from` units to `to`
 * units and placed under `toIndent`. Line ends become `eol`; white-space-only lines become empty.
 */
export function reindent(block: string, fromIndent: string, fromUnit: string, toIndent: string, toUnit: string, eol: string): string {
  const lines = block.split(/\r\n|\r|\n/);
  const base = unitsOf(fromIndent, fromUnit);
  const toUnitWidth = toUnit === '\t' ? 4 : toUnit.length;
  return lines
    .map((line, i) => {
      if (i === 0) return line;
      const m = /^[ \t]*/.exec(line)![0];
      const rest = line.slice(m.length);
      if (!rest) return '';
      const rel = unitsOf(m, fromUnit) - base;
      if (rel <= 0) return toIndent + rest;
      const whole = Math.floor(rel + 1e-9);
      const extra = Math.round((rel - whole) * toUnitWidth);
      return toIndent + toUnit.repeat(whole) + ' '.repeat(extra) + rest;
    })
    .join(eol);
}

export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** Lines as [depth, text]; rendered with `indent` + depth units, joined with `eol` (no trailing eol). */
export type Lines = Array<[number, string]>;

export function renderLines(lines: Lines, indent: string, unit: string, eol: string): string {
  return lines.map(([depth, text]) => indent + unit.repeat(depth) + text).join(eol);
}

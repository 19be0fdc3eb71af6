/**
 * From a source file to its resolved copy and back. The resolved text is the source with a list of edits
 * applied (tokens replaced by values, policy ids prefixed, development settings removed); the position map
 * records, segment by segment, which source text each resolved offset came from, so that a finding in a
 * resolved policy (a value that is invalid once resolved, a tenant name with capitals) is reported where the
 * user can fix it: in the source, on the token that produced it.
 */
import type { Span } from '../xml/nodes';

/** Replace source[start, end) by newText. Edits of one list are sorted and do not overlap. */
export interface SourceEdit {
  start: number;
  end: number;
  newText: string;
}

export interface MapSegment {
  sourceStart: number;
  sourceEnd: number;
  resolvedStart: number;
  resolvedEnd: number;
  /** False: copied unchanged (offsets map one to one); true: produced by an edit (maps to the edit's span). */
  replaced: boolean;
}

export interface PositionMap {
  segments: MapSegment[];
  sourceLength: number;
  resolvedLength: number;
}

export function sortEdits(edits: SourceEdit[]): SourceEdit[] {
  return [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Applies sorted, non-overlapping edits and returns the new text with its map back to the source. */
export function applySourceEdits(source: string, edits: SourceEdit[]): { text: string; map: PositionMap } {
  const sorted = sortEdits(edits);
  const segments: MapSegment[] = [];
  let text = '';
  let cursor = 0;
  const copy = (until: number) => {
    if (until <= cursor) return;
    segments.push({ sourceStart: cursor, sourceEnd: until, resolvedStart: text.length, resolvedEnd: text.length + (until - cursor), replaced: false });
    text += source.slice(cursor, until);
    cursor = until;
  };
  for (const edit of sorted) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > source.length) {
      throw new Error(`overlapping or invalid edit [${edit.start}, ${edit.end}) after offset ${cursor}`);
    }
    copy(edit.start);
    segments.push({ sourceStart: edit.start, sourceEnd: edit.end, resolvedStart: text.length, resolvedEnd: text.length + edit.newText.length, replaced: true });
    text += edit.newText;
    cursor = edit.end;
  }
  copy(source.length);
  return { text, map: { segments, sourceLength: source.length, resolvedLength: text.length } };
}

/** The identity map of a text left as it is. */
export function identityMap(length: number): PositionMap {
  return { segments: length ? [{ sourceStart: 0, sourceEnd: length, resolvedStart: 0, resolvedEnd: length, replaced: false }] : [], sourceLength: length, resolvedLength: length };
}

/**
 * The source offset of a resolved offset. `side` says which way to lean where the offset is inside text an
 * edit produced: 'start' maps to the start of the edit's source span, 'end' to its end, so a span inside a
 * replaced value maps to the whole token.
 */
export function mapResolvedOffset(map: PositionMap, offset: number, side: 'start' | 'end'): number {
  const o = Math.max(0, Math.min(offset, map.resolvedLength));
  const segments = map.segments;
  // The segment holding o: for 'start' the one with resolvedStart <= o < resolvedEnd, for 'end' resolvedStart < o <= resolvedEnd.
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const s = segments[mid];
    const before = side === 'start' ? o < s.resolvedStart : o <= s.resolvedStart;
    const after = side === 'start' ? o >= s.resolvedEnd : o > s.resolvedEnd;
    if (before) high = mid - 1;
    else if (after) low = mid + 1;
    else {
      found = mid;
      break;
    }
  }
  // The segments tile the resolved text, so only the two ends fall outside: before the first character for
  // 'end', after the last for 'start'.
  if (found < 0) return o <= 0 ? 0 : map.sourceLength;
  const s = segments[found];
  if (!s.replaced) return s.sourceStart + (o - s.resolvedStart);
  return side === 'start' ? s.sourceStart : s.sourceEnd;
}

/**
 * Maps a span of the resolved text back to the source: exact where the text was copied; a span touching a
 * replaced value grows to the whole source text of that edit (the token, or the attribute value a prefix
 * went into).
 */
export function mapResolvedSpanToSource(map: PositionMap, span: Span): Span {
  const start = mapResolvedOffset(map, span.start, 'start');
  if (span.end <= span.start) {
    // An empty span inside a replaced value points at the whole token.
    const end = mapResolvedOffset(map, span.start, 'end');
    const inside = map.segments.some((s) => s.replaced && s.resolvedStart < span.start && span.start < s.resolvedEnd);
    return inside ? { start, end: Math.max(start, end) } : { start, end: start };
  }
  const end = mapResolvedOffset(map, span.end, 'end');
  return { start, end: Math.max(start, end) };
}

/**
 * Folds edits of a resolved text (computed on `resolved`, the source with `firstEdits` applied, whose map is
 * `map`) into one list of source edits, so the final text has one map straight to the source.
 *
 * An edit that touches only copied text becomes a source edit at the mapped offsets. An edit that reaches into
 * text a first edit produced (a prefix inserted inside a value that came from a token) takes that first edit
 * over: the merged edit covers the first edit's source span and its new text is the resolved text of that
 * stretch with the second edit applied. The result applied to the source equals the second edits applied to
 * `resolved` (tests check this).
 */
export function composeEdits(firstEdits: SourceEdit[], map: PositionMap, resolved: string, secondEdits: SourceEdit[]): SourceEdit[] {
  const second = sortEdits(secondEdits);
  // Widen each second edit to whole produced segments, in resolved offsets.
  const strictlyInsideProduced = (o: number) => map.segments.find((s) => s.replaced && s.resolvedStart < o && o < s.resolvedEnd);
  const groups: Array<{ from: number; to: number; edits: SourceEdit[] }> = [];
  for (const edit of second) {
    const from = strictlyInsideProduced(edit.start)?.resolvedStart ?? edit.start;
    const to = strictlyInsideProduced(edit.end)?.resolvedEnd ?? edit.end;
    const last = groups[groups.length - 1];
    if (last && (from < last.to || (from === last.from && to === last.to && from !== to))) {
      last.to = Math.max(last.to, to);
      last.edits.push(edit);
    } else groups.push({ from, to, edits: [edit] });
  }
  const merged: SourceEdit[] = [];
  for (const group of groups) {
    const sourceStart = mapResolvedOffset(map, group.from, 'start');
    const sourceEnd = group.to === group.from ? sourceStart : mapResolvedOffset(map, group.to, 'end');
    let newText = '';
    let cursor = group.from;
    for (const edit of group.edits) {
      newText += resolved.slice(cursor, edit.start) + edit.newText;
      cursor = edit.end;
    }
    newText += resolved.slice(cursor, group.to);
    merged.push({ start: sourceStart, end: sourceEnd, newText });
  }
  // First edits swallowed by a merged edit (inside its source span) are dropped; the rest stay.
  const kept = firstEdits.filter((f) => !merged.some((m) => m.start < m.end && m.start <= f.start && f.end <= m.end && !(f.start === f.end && (f.start === m.start || f.end === m.end))));
  return sortEdits([...kept, ...merged]);
}

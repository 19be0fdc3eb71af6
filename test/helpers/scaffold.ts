/** Helpers of the scaffolding tests (unit and conformance): counting, and that edits only insert or replace values. */
import * as assert from 'node:assert/strict';
import type { TextEdit } from 'vscode-languageserver-types';
import { applyEdits } from '../../server/src/service/features/scaffold';
import { LineIndex } from '../../server/src/service/xml/lines';

export function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Text outside the edits is byte-identical: removing the inserted text gives back the original. */
export function assertOnlyInsertionsAndValueEdits(original: string, edits: TextEdit[]): void {
  const lines = new LineIndex(original);
  const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => a.start - b.start);
  const edited = applyEdits(original, edits);
  let at = 0;
  let delta = 0;
  for (const s of spans) {
    assert.equal(edited.slice(at + delta, s.start + delta), original.slice(at, s.start), 'text between edits unchanged');
    assert.equal(edited.slice(s.start + delta, s.start + delta + s.text.length), s.text);
    delta += s.text.length - (s.end - s.start);
    at = s.end;
  }
  assert.equal(edited.slice(at + delta), original.slice(at));
}

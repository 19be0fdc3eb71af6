/**
 * Hostile inputs, generated at a size where quadratic parsing would take minutes (200,000 repetitions):
 * the parser must give the same, exact outcome it gives on small inputs (problem counts, spans of the
 * first and last problem, the shape of the tree). How fast it is goes into `npm run bench` (section 4),
 * not into these tests.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseXml, DEFAULT_MAX_PROBLEMS, type XmlDocument, type XmlElement, type XmlProblem, childElements } from '../../server/src/service/xml';

const N = 200_000;
const ALL = { maxProblems: Infinity };

const slice = (text: string, p: XmlProblem) => text.slice(p.span.start, p.span.end);
const first = (doc: XmlDocument) => doc.problems[0];
const last = (doc: XmlDocument) => doc.problems[doc.problems.length - 1];

/** The number of problems, and where the first and the last one are ([start, end] offsets). */
function assertProblems(doc: XmlDocument, count: number, firstSpan: [number, number], lastSpan: [number, number]): void {
  assert.equal(doc.problems.length, count);
  assert.deepEqual(first(doc).span, { start: firstSpan[0], end: firstSpan[1] }, 'first problem');
  assert.deepEqual(last(doc).span, { start: lastSpan[0], end: lastSpan[1] }, 'last problem');
}

test('200,000 attributes on one element: no problem, every attribute kept in order, a late duplicate found', () => {
  const parts = ['<r'];
  for (let i = 0; i < N; i++) parts.push(` a${i}="${i}"`);
  parts.push(' a0="again"></r>');
  const text = parts.join('');
  const doc = parseXml(text, ALL);
  assert.equal(doc.problems.length, 1);
  assert.match(first(doc).message, /Attribute 'a0' appears twice in <r>/);
  assert.deepEqual(first(doc).span, { start: text.lastIndexOf(' a0=') + 1, end: text.lastIndexOf(' a0=') + 3 });
  const attributes = doc.root!.attributes;
  assert.equal(attributes.length, N + 1);
  assert.equal(attributes[N - 1].name, `a${N - 1}`);
  assert.equal(attributes[N - 1].value, String(N - 1));
  assert.equal(attributes[N].value, 'again');
  assert.equal(doc.root!.endTag?.name, 'r');
});

test('200,000 copies of one attribute: every copy after the first is a duplicate', () => {
  const text = '<r' + ' a=""'.repeat(N) + '/>';
  const doc = parseXml(text, ALL);
  assertProblems(doc, N - 1, [8, 9], [text.length - 6, text.length - 5]);
  assert.equal(doc.root!.attributes.length, N);
  assert.equal(doc.root!.selfClosing, true);
});

test('200,000 mismatched end tags: each closes the innermost element, the tree keeps its depth', () => {
  const text = '<r>' + '<a>'.repeat(N) + '</b>'.repeat(N) + '</r>';
  const doc = parseXml(text, ALL);
  assert.equal(doc.problems.length, 2 * N);
  const firstB = 3 + 3 * N;
  assert.deepEqual(first(doc).span, { start: firstB + 2, end: firstB + 3 });
  assert.match(first(doc).message, /End tag <\/b> does not match the start tag <a>/);
  assert.deepEqual(doc.problems[1].span, { start: 3 + 3 * (N - 1) + 1, end: 3 + 3 * (N - 1) + 2 }, 'the innermost <a>');
  assert.deepEqual(last(doc).span, { start: 4, end: 5 }, 'the outermost <a>, closed last');
  assert.equal(doc.root!.endTag?.name, 'r');
  let depth = 0;
  for (let e: XmlElement | undefined = childElements(doc.root!)[0]; e; e = childElements(e)[0]) {
    assert.equal(e.endTag?.name, 'b');
    depth++;
  }
  assert.equal(depth, N);
});

test('200,000 nested elements closed in order: well-formed, no problem, full depth', () => {
  const text = '<a>'.repeat(N) + '</a>'.repeat(N);
  const doc = parseXml(text, ALL);
  assert.deepEqual(doc.problems, []);
  let depth = 0;
  let innermost: XmlElement | undefined;
  for (let e: XmlElement | undefined = doc.root; e; e = childElements(e)[0]) {
    depth++;
    innermost = e;
  }
  assert.equal(depth, N);
  assert.deepEqual(innermost!.endTag!.span, { start: 3 * N, end: 3 * N + 4 });
  assert.equal(doc.root!.end, text.length);
});

test('200,000 unfinished end tags "</a" and one finished at the end', () => {
  const text = '<r>' + '</a'.repeat(N) + '>';
  const doc = parseXml(text, ALL);
  // The first closes <r> (3 problems), the middle ones have nothing to close (2 each), the last one has
  // its '>' (1).
  assert.equal(doc.problems.length, 3 + 2 * (N - 2) + 1);
  assert.deepEqual(first(doc).span, { start: 3, end: 6 });
  assert.match(first(doc).message, /End tag <\/a> is not closed/);
  assert.deepEqual(last(doc).span, { start: text.length - 2, end: text.length - 1 });
  assert.match(last(doc).message, /Unexpected end tag <\/a>: no element is open/);
  assert.equal(doc.root!.endTag?.name, 'a');
  assert.deepEqual(doc.root!.endTag?.span, { start: 3, end: 6 });
});

test('200,000 elements never closed: each reported on its name, innermost first', () => {
  const text = '<a>'.repeat(N);
  const doc = parseXml(text, ALL);
  assertProblems(doc, N, [text.length - 2, text.length - 1], [1, 2]);
  assert.equal(doc.root!.end, text.length);
});

test('200,000 unfinished start tags inside one element: siblings, each reported', () => {
  const text = '<r>' + '<a '.repeat(N) + '</r>';
  const doc = parseXml(text, ALL);
  assertProblems(doc, N, [4, 5], [text.length - 6, text.length - 5]);
  assert.equal(childElements(doc.root!).length, N);
  assert.equal(doc.root!.endTag?.name, 'r');
});

test('200,000 stray < in text: one text node, every < reported', () => {
  const text = '<r>' + 'x < '.repeat(N) + '</r>';
  const doc = parseXml(text, ALL);
  assertProblems(doc, N, [5, 6], [text.length - 6, text.length - 5]);
  assert.equal(doc.root!.children.length, 1);
  const t = doc.root!.children[0];
  assert.equal(t.type === 'text' && t.value, 'x < '.repeat(N));
});

test("200,000 '<' in attribute values: one problem each, every element parsed", () => {
  const text = '<r>' + '<i k="a<b"/>'.repeat(N) + '</r>';
  const doc = parseXml(text, ALL);
  assertProblems(doc, N, [10, 11], [text.length - 9, text.length - 8]);
  const items = childElements(doc.root!);
  assert.equal(items.length, N);
  assert.equal(items[N - 1].attributes[0].value, 'a<b');
  assert.equal(items[N - 1].selfClosing, true);
});

test('200,000 open quotes, one per line: each value stops at its line end', () => {
  const text = '<r>' + '<i k="\n'.repeat(N) + '</r>';
  const doc = parseXml(text, ALL);
  assert.equal(doc.problems.length, 2 * N);
  assert.deepEqual(first(doc).span, { start: 8, end: 9 });
  assert.match(first(doc).message, /missing its closing quote/);
  assert.match(last(doc).message, /Start tag <i> is not finished/);
  const items = childElements(doc.root!);
  assert.equal(items.length, N);
  assert.equal(items[N - 1].attributes[0].value, '');
  assert.equal(doc.root!.endTag?.name, 'r');
});

test('200,000 unescaped &: one problem each, the text is kept literally', () => {
  const text = '<r>' + 'a & '.repeat(N) + '</r>';
  const doc = parseXml(text, ALL);
  assert.equal(doc.problems.length, N);
  assert.deepEqual(last(doc).span, { start: text.length - 6, end: text.length - 5 });
  const t = doc.root!.children[0];
  assert.equal(t.type === 'text' && t.value.length, 4 * N);
});

test(`by default the first ${DEFAULT_MAX_PROBLEMS} problems are kept and the rest are counted in one last problem`, () => {
  const text = '<r>' + '</a'.repeat(N) + '>';
  const all = parseXml(text, ALL);
  const doc = parseXml(text);
  assert.equal(doc.problems.length, DEFAULT_MAX_PROBLEMS + 1);
  assert.deepEqual(doc.problems.slice(0, DEFAULT_MAX_PROBLEMS), all.problems.slice(0, DEFAULT_MAX_PROBLEMS));
  assert.equal(doc.omittedProblems, all.problems.length - DEFAULT_MAX_PROBLEMS);
  assert.equal(all.omittedProblems, 0);
  const summary = last(doc);
  assert.equal(summary.code, 'xml-syntax');
  assert.deepEqual(summary.span, all.problems[DEFAULT_MAX_PROBLEMS].span, 'points at the first problem not listed');
  assert.match(summary.message, new RegExp(`^${doc.omittedProblems} more XML problems`));
  assert.equal(slice(text, summary), 'a');
  // The tree does not depend on how many problems are kept.
  assert.deepEqual(doc.root!.endTag, all.root!.endTag);
});

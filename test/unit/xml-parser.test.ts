import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseXml, type XmlDocument, type XmlElement, childElements, walkElements, nodeAt } from '../../server/src/service/xml';

function element(doc: XmlDocument, name: string): XmlElement {
  for (const e of walkElements(doc.root)) if (e.name === name) return e;
  throw new Error(`no <${name}>`);
}
const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

test('spans of start tag, name, attribute name and value, text and end tag', () => {
  const text = '<Root a="1"><Child Id=\'x&amp;y\'>hello &lt;world&gt;</Child><!-- note --></Root>';
  const doc = parseXml(text);
  assert.deepEqual(doc.problems, []);
  const child = element(doc, 'Child');
  assert.equal(slice(text, child.nameSpan), 'Child');
  assert.equal(text.slice(child.start, child.startTagEnd), "<Child Id='x&amp;y'>");
  const id = child.attributes[0];
  assert.equal(slice(text, id.nameSpan), 'Id');
  assert.equal(slice(text, id.valueSpan!), 'x&amp;y');
  assert.equal(id.value, 'x&y');
  assert.equal(slice(text, child.endTag!.span), '</Child>');
  assert.equal(slice(text, child.endTag!.nameSpan), 'Child');
  assert.equal(text.slice(child.start, child.end), "<Child Id='x&amp;y'>hello &lt;world&gt;</Child>");
  const t = child.children[0];
  assert.equal(t.type, 'text');
  assert.equal(t.type === 'text' && t.value, 'hello <world>');
  const comment = doc.root!.children[1];
  assert.equal(comment.type, 'comment');
  assert.equal(slice(text, comment.span), '<!-- note -->');
});

test('byte-order mark, XML declaration, CDATA, processing instruction and character references', () => {
  const text = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n<?hint x?><R><![CDATA[a<b]]>&#65;&#x42;&quot;</R>';
  const doc = parseXml(text);
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.root!.name, 'R');
  assert.deepEqual(doc.children.filter((c) => c.type === 'pi').map((c) => c.type === 'pi' && c.target), ['xml', 'hint']);
  assert.equal(doc.root!.children.map((c) => (c.type === 'text' || c.type === 'cdata' ? c.value : '')).join(''), 'a<bAB"');
});

test('no XML declaration is fine; a declaration after content is an error', () => {
  assert.deepEqual(parseXml('<R/>').problems, []);
  const doc = parseXml('<!-- c --><?xml version="1.0"?><R/>');
  assert.equal(doc.problems.length, 1);
  assert.match(doc.problems[0].message, /declaration must come first/);
});

test('mid-typing: an attribute value with an open quote', () => {
  const text = '<OutputClaims>\n  <OutputClaim ClaimTypeReferenceId="\n  <OutputClaim ClaimTypeReferenceId="email" />\n</OutputClaims>';
  const doc = parseXml(text);
  const claims = childElements(doc.root!);
  assert.equal(claims.length, 2, 'both OutputClaim elements are in the tree, as siblings');
  const first = claims[0];
  assert.equal(first.startTagClosed, false);
  assert.equal(first.attributes[0].value, '');
  assert.equal(first.attributes[0].valueClosed, false);
  assert.equal(claims[1].attributes[0].value, 'email');
  assert.equal(doc.root!.endTag?.name, 'OutputClaims', 'the parent is still closed by its own end tag');
  const codes = doc.problems.map((p) => [p.code, slice(text, p.span)]);
  assert.deepEqual(codes, [
    ['xml-syntax', '"'],
    ['xml-syntax', 'OutputClaim'],
  ]);
  assert.match(doc.problems[0].message, /closing quote/);
  assert.match(doc.problems[1].message, /not finished/);
});

test('mid-typing: an unclosed element is reported on its name, and the rest still parses', () => {
  const text = '<A>\n  <B>\n  <C/>\n</A>';
  const doc = parseXml(text);
  const b = element(doc, 'B');
  assert.equal(doc.problems.length, 1);
  assert.equal(slice(text, doc.problems[0].span), 'B');
  assert.match(doc.problems[0].message, /<B> is not closed/);
  assert.equal(childElements(b)[0].name, 'C');
  assert.equal(doc.root!.endTag?.name, 'A');
  assert.equal(b.end, text.indexOf('</A>'));
});

test('mid-typing: a stray < is reported and the tree continues', () => {
  const text = '<A>x < y<B/></A>';
  const doc = parseXml(text);
  assert.equal(doc.problems.length, 1);
  assert.deepEqual(doc.problems[0].span, { start: 5, end: 6 });
  assert.deepEqual(childElements(doc.root!).map((e) => e.name), ['B']);
  const t = doc.root!.children[0];
  assert.equal(t.type === 'text' && t.value, 'x < y');
});

test('mid-typing: a tag name just started at the end of the text', () => {
  const text = '<A>\n  <Tech';
  const doc = parseXml(text);
  const tech = element(doc, 'Tech');
  assert.equal(tech.startTagClosed, false);
  assert.equal(tech.parent?.name, 'A');
  assert.deepEqual(doc.problems.map((p) => slice(text, p.span)), ['Tech', 'A']);
  assert.equal(nodeAt(doc, text.length), tech);
});

test('mismatched end tag: both names reported, the tree keeps its shape', () => {
  const text = '<A><B></C><D/></A>';
  const doc = parseXml(text);
  assert.deepEqual(doc.problems.map((p) => slice(text, p.span)), ['C', 'B']);
  assert.match(doc.problems[0].message, /<\/C> does not match the start tag <B>/);
  assert.deepEqual(childElements(doc.root!).map((e) => e.name), ['B', 'D']);
});

test('an end tag that closes an outer element reports the inner ones as not closed', () => {
  const text = '<A><B><C></A>';
  const doc = parseXml(text);
  assert.deepEqual(doc.problems.map((p) => slice(text, p.span)), ['C', 'B']);
  assert.equal(doc.root!.endTag?.name, 'A');
});

test('DOCTYPE is reported and never processed: no entity expansion', () => {
  const text = '<!DOCTYPE r [ <!ENTITY x SYSTEM "file:///etc/passwd"> <!ENTITY y "boom"> ]>\n<r>&x;&y;</r>';
  const doc = parseXml(text);
  const codes = doc.problems.map((p) => p.code);
  assert.deepEqual(codes, ['doctype-not-allowed', 'xml-syntax', 'xml-syntax']);
  assert.equal(doc.problems[0].span.start, 0);
  assert.equal(doc.problems[0].span.end, text.indexOf('\n'));
  const t = doc.root!.children[0];
  assert.equal(t.type === 'text' && t.value, '&x;&y;', 'entities stay literal');
  assert.match(doc.problems[1].message, /Unknown entity &x;/);
});

test('syntax problems: unescaped &, duplicate attribute, missing value, unquoted value, text outside root', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['<R>a & b</R>', '&', /Unescaped '&'/],
    ['<R a="1" a="2"/>', 'a', /appears twice/],
    ['<R a/>', 'a', /has no value/],
    ['<R a=1/>', 'a=', /must be in quotes/],
    ['<R/>junk', 'junk', /after the root/],
    ['<R/><S/>', 'S', /one root element/],
    ['<R><!-- open', '<!--', /Comment is not closed/],
    ['', '', /no root element/],
  ];
  for (const [text, spanText, message] of cases) {
    const doc = parseXml(text);
    assert.ok(doc.problems.length >= 1, text);
    assert.equal(slice(text, doc.problems[0].span), spanText, text);
    assert.match(doc.problems[0].message, message, text);
  }
});

test('repeated attribute names are found however many attributes come before them', () => {
  for (const count of [1, 15, 16, 17, 40]) {
    const names = Array.from({ length: count }, (_, i) => `n${i}`);
    const text = `<R ${names.map((n) => `${n}="1"`).join(' ')} n0="2" n${count - 1}="3" z="4"/>`;
    const doc = parseXml(text);
    assert.deepEqual(
      doc.problems.map((p) => [slice(text, p.span), p.span.start]),
      [
        ['n0', text.indexOf(' n0="2"') + 1],
        [`n${count - 1}`, text.indexOf(` n${count - 1}="3"`) + 1],
      ],
      `${count} attributes`,
    );
    assert.equal(doc.root!.attributes.length, count + 3);
  }
});

test('after a mismatched end tag, later end tags still find their element deeper in the stack', () => {
  const text = '<R><A><B></X><C></A><D></D></R>';
  const doc = parseXml(text);
  assert.deepEqual(doc.problems.map((p) => slice(text, p.span)), ['X', 'B', 'C']);
  assert.match(doc.problems[2].message, /<C> is not closed before <\/A>/);
  assert.deepEqual(childElements(doc.root!).map((e) => [e.name, e.endTag?.name]), [
    ['A', 'A'],
    ['D', 'D'],
  ]);
  assert.equal(doc.root!.endTag?.name, 'R');
});

test("a '<' inside an attribute value is one problem on the '<', and the rest of the tree is intact", () => {
  const text = '<Items><Item Key="a<b">x</Item><Item Key="c">y</Item></Items>';
  const doc = parseXml(text);
  assert.equal(doc.problems.length, 1);
  assert.deepEqual(doc.problems[0].span, { start: text.indexOf('a<b') + 1, end: text.indexOf('a<b') + 2 });
  assert.match(doc.problems[0].message, /'<' is not allowed in an attribute value; write &lt;/);
  const items = childElements(doc.root!);
  assert.deepEqual(items.map((e) => [e.attributes[0].value, e.attributes[0].valueClosed, e.endTag?.name]), [
    ['a<b', true, 'Item'],
    ['c', true, 'Item'],
  ]);
  assert.deepEqual(items.map((e) => e.children.map((c) => c.type === 'text' && c.value)), [['x'], ['y']]);
  assert.equal(doc.root!.endTag?.name, 'Items');
});

test("several '<' in one value: one problem each; the next attribute is read normally", () => {
  const text = '<A x="a<b<c" y="2"/>';
  const doc = parseXml(text);
  assert.deepEqual(doc.problems.map((p) => p.span.start), [7, 9]);
  assert.deepEqual(doc.root!.attributes.map((a) => [a.name, a.value]), [
    ['x', 'a<b<c'],
    ['y', '2'],
  ]);
  assert.equal(doc.root!.selfClosing, true);
});

test("mid-typing: an open quote before a tag on the same line still reads the tag as a tag", () => {
  // The quote that follows is not one that could close the value (a '1' comes after it), so the '<' starts
  // <B>, as before.
  const text = '<R><A x="<B y="1"/></R>';
  const doc = parseXml(text);
  assert.deepEqual(childElements(doc.root!).map((e) => e.name), ['A', 'B']);
  const [a, b] = childElements(doc.root!);
  assert.equal(a.startTagClosed, false);
  assert.equal(a.attributes[0].valueClosed, false);
  assert.equal(b.attributes[0].value, '1');
  assert.deepEqual(doc.problems.map((p) => slice(text, p.span)), ['"', 'A']);
  assert.equal(doc.root!.endTag?.name, 'R');
});

test('names follow XML 1.0 (fifth edition): an arrow ends a name, a CJK letter or a character beyond the BMP continues it', () => {
  const arrow = parseXml('<a\u2192b/>');
  assert.equal(arrow.root!.name, 'a');
  assert.match(arrow.problems[0].message, /Unexpected character '\u2192'/);
  const cjk = parseXml('<\u540d\u524d\ud800\udc00 \u5c5e="1"/>');
  assert.deepEqual(cjk.problems, []);
  assert.equal(cjk.root!.name, '\u540d\u524d\ud800\udc00');
  assert.equal(cjk.root!.attributes[0].name, '\u5c5e');
});

test('text outside the root: only XML white space is allowed (a no-break space is text)', () => {
  assert.deepEqual(parseXml('\r\n\t <R/> \n').problems, []);
  const doc = parseXml('<R/>\u00a0');
  assert.equal(doc.problems.length, 1);
  assert.match(doc.problems[0].message, /Text after the root element/);
});

test('a processing instruction needs a target name', () => {
  assert.deepEqual(parseXml('<R><?target data?></R>').problems, []);
  for (const text of ['<R><? x?></R>', '<R><?"x"?></R>', '<R><??></R>']) {
    const doc = parseXml(text);
    assert.deepEqual(doc.problems.map((p) => [p.message, p.span]), [['Processing instruction without a target name.', { start: 3, end: 5 }]], text);
  }
});

/** Spans inside the text and ordered; every element where its parent says. */
function assertConsistent(doc: XmlDocument, label: string): void {
  const n = doc.text.length;
  const inside = (s: { start: number; end: number }, what: string) => assert.ok(0 <= s.start && s.start <= s.end && s.end <= n, `${label}: ${what} ${JSON.stringify(s)}`);
  for (const p of doc.problems) inside(p.span, 'problem');
  for (const e of walkElements(doc.root)) {
    inside(e.nameSpan, 'name');
    assert.ok(e.start < e.nameSpan.start && e.nameSpan.end <= e.startTagEnd && e.startTagEnd <= e.end && e.end <= n, `${label}: element <${e.name}>`);
    for (const a of e.attributes) {
      inside(a.span, 'attribute');
      if (a.valueSpan) inside(a.valueSpan, 'value');
    }
    for (const c of e.children) assert.equal(c.parent, e, `${label}: parent of a child of <${e.name}>`);
  }
}

test('never throws on arbitrary fragments of a policy, and every span stays inside the text', () => {
  const text =
    '\ufeff<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e "x">]><TrustFrameworkPolicy xmlns="x" PolicyId="B2C_1A_x" Note="a<b" Open=\'v>' +
    '<BasePolicy><PolicyId>B2C_1A_base</PolicyId></BasePolicy><![CDATA[ ]]><!-- c --><?pi d?></Mismatch></a x>&amp;&#x41;&e; &#0;' +
    '<Item Key="k" Key="d"/></TrustFrameworkPolicy>';
  for (let i = 0; i <= text.length; i++) {
    for (const part of [text.slice(0, i), text.slice(i)]) {
      const doc = parseXml(part);
      assertConsistent(doc, JSON.stringify(part));
      const few = parseXml(part, { maxProblems: 2 });
      assert.deepEqual(few.problems.slice(0, 2), doc.problems.slice(0, 2));
      assert.equal(few.problems.length, Math.min(doc.problems.length, 3));
    }
  }
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseXml, XmlDocument, XmlElement, childElements, walkElements, nodeAt } from '../../server/src/service/xml';

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

test('never throws on arbitrary fragments of a policy', () => {
  const text = '<?xml version="1.0"?><TrustFrameworkPolicy xmlns="x" PolicyId="B2C_1A_x"><BasePolicy><PolicyId>B2C_1A_base</PolicyId></BasePolicy><![CDATA[ ]]><!-- c --></TrustFrameworkPolicy>';
  for (let i = 0; i <= text.length; i++) {
    const doc = parseXml(text.slice(0, i));
    assert.ok(Array.isArray(doc.problems));
    const doc2 = parseXml(text.slice(i));
    assert.ok(Array.isArray(doc2.problems));
  }
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { DOMParser } from '@xmldom/xmldom';
import { parseXml, type XmlElement } from '../../server/src/service/xml';
import { corpusFiles, needsCorpus, readText, CORPUS_DIR } from '../helpers/corpus';

interface Shape {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: Shape[];
}

function fromOurs(element: XmlElement): Shape {
  const attributes: Record<string, string> = {};
  for (const a of element.attributes) attributes[a.name] = a.value ?? '';
  let text = '';
  const children: Shape[] = [];
  for (const c of element.children) {
    if (c.type === 'element') children.push(fromOurs(c));
    else if (c.type === 'text' || c.type === 'cdata') text += c.value;
  }
  return { name: element.name, attributes, text, children };
}

// xmldom's DOM node types, used structurally.
interface DomNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<DomNode>;
  attributes?: ArrayLike<{ name: string; value: string }>;
}

function fromDom(element: DomNode): Shape {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < (element.attributes?.length ?? 0); i++) {
    const a = element.attributes![i];
    attributes[a.name] = a.value;
  }
  let text = '';
  const children: Shape[] = [];
  for (let i = 0; i < element.childNodes.length; i++) {
    const c = element.childNodes[i];
    if (c.nodeType === 1) children.push(fromDom(c));
    else if (c.nodeType === 3 || c.nodeType === 4) text += c.nodeValue ?? '';
  }
  return { name: element.nodeName, attributes, text, children };
}

const files = corpusFiles();

test('differential: the element tree equals what @xmldom/xmldom builds, on every starter-pack file', { skip: needsCorpus }, () => {
  assert.ok(files.length >= 50, `expected the whole corpus, found ${files.length} files`);
  for (const file of files) {
    const text = readText(file);
    const ours = parseXml(text);
    const name = path.relative(CORPUS_DIR, file);
    assert.deepEqual(ours.problems, [], `${name}: a well-formed file gets no problems`);
    const dom = new DOMParser().parseFromString(text, 'text/xml') as unknown as { documentElement: DomNode };
    assert.ok(ours.root, `${name}: root`);
    assert.deepEqual(fromOurs(ours.root), fromDom(dom.documentElement), `${name}: tree differs from xmldom`);
  }
});

test('differential: the same holds with the byte-order mark left in and CRLF line ends', { skip: needsCorpus }, () => {
  for (const file of files.slice(0, 8)) {
    const text = '\ufeff' + readText(file).replace(/\r?\n/g, '\r\n');
    const ours = parseXml(text);
    assert.deepEqual(ours.problems, [], file);
    // xmldom itself does not accept a BOM: give it the same text without one.
    const dom = new DOMParser().parseFromString(text.slice(1), 'text/xml') as unknown as { documentElement: DomNode };
    assert.deepEqual(fromOurs(ours.root!), fromDom(dom.documentElement), file);
  }
});

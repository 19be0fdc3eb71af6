/**
 * Differential test of the schema validator against libxml2 (libxml2-wasm) as the oracle: hundreds of
 * mutations of the starter pack, generated at test time, must get the same verdict (valid/invalid) and the
 * same first error element from both. Runs with Microsoft's repaired XSD, and also with the project's own
 * schema (schemas/TrustFrameworkPolicy_0.3.0.0.xsd) when that file exists. Reads ../shared (skips visibly without it).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { compileSchema, type CompiledSchema, type ElementDecl, validateDocument } from '../../server/src/service/schema';
import type { Finding } from '../../server/src/service/findings';
import { LineIndex, nodeAt, parseXml, type XmlDocument, type XmlElement } from '../../server/src/service/xml';
import { corpusFiles, needsCorpus, needsReference, readText, CORPUS_DIR, PROJECT_DIR, REFERENCE_DIR } from '../helpers/corpus';
import { seededRandom as random } from '../helpers/random';

const REPAIRED_XSD = path.join(REFERENCE_DIR, 'TrustFrameworkPolicy_0.3.0.0.repaired.xsd');
const PROJECT_XSD = path.join(PROJECT_DIR, 'schemas', 'TrustFrameworkPolicy_0.3.0.0.xsd');

// libxml2-wasm is an ES module; a CommonJS test loads it with a real dynamic import.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

interface Verdict {
  valid: boolean;
  /** 1-based line of the first error (libxml2: the line where the offending element's start tag ends). */
  line?: number;
  message?: string;
}

interface Oracle {
  validate(text: string): Verdict;
  dispose(): void;
}

async function libxml2Oracle(xsdText: string): Promise<Oracle> {
  const lx = await importEsm('libxml2-wasm');
  const xsdDoc = lx.XmlDocument.fromString(xsdText);
  const validator = lx.XsdValidator.fromDoc(xsdDoc);
  return {
    validate(text: string): Verdict {
      const doc = lx.XmlDocument.fromString(text);
      try {
        validator.validate(doc);
        return { valid: true };
      } catch (error) {
        if (!(error instanceof lx.XmlValidateError)) throw error;
        const detail = (error as { details: { line: number; message: string }[] }).details[0];
        return { valid: false, line: detail?.line, message: detail?.message.trim() };
      } finally {
        doc.dispose();
      }
    },
    dispose() {
      validator.dispose();
      xsdDoc.dispose();
    },
  };
}

/** Our verdict, with the element libxml2 would name first (it validates in a single pass, in document order). */
function ourVerdict(schema: CompiledSchema, text: string): Verdict & { findings: Finding[] } {
  const doc = parseXml(text);
  assert.deepEqual(doc.problems, [], 'mutations keep the document well-formed');
  const findings = validateDocument(schema, doc, { templateTokens: [], claimResolvers: false, throwInternalErrors: true });
  if (findings.length === 0) return { valid: true, findings };
  let best: { time: number; element: XmlElement; finding: Finding } | undefined;
  for (const finding of findings) {
    const event = eventOf(doc, finding);
    if (!best || event.time < best.time) best = { ...event, finding };
  }
  const lines = new LineIndex(text);
  return { valid: false, line: lines.positionAt(best!.element.startTagEnd - 1).line + 1, message: best!.finding.message, findings };
}

function elementAt(doc: XmlDocument, offset: number): XmlElement {
  const node = nodeAt(doc, offset)!;
  return node.type === 'element' ? node : node.parent!;
}

/**
 * When libxml2 would report a finding, and on which element: attribute errors and unexpected children when
 * the element starts, text errors when the text comes, value errors, missing children and keys at the end.
 */
function eventOf(doc: XmlDocument, finding: Finding): { time: number; element: XmlElement } {
  const data = finding.data ?? {};
  const element = elementAt(doc, finding.span.start);
  switch (finding.code) {
    case 'schema-unexpected-element':
      // Children of a simple-typed or empty element: libxml2 names the parent.
      return data.parentContent ? { time: element.start, element: element.parent! } : { time: element.start, element };
    case 'schema-missing-element':
      if (typeof data.insertAt === 'number' && data.before) return { time: data.insertAt as number, element: elementAt(doc, data.insertAt as number) };
      return { time: element.end, element };
    case 'schema-invalid-value':
      return data.attribute ? { time: element.start, element } : { time: element.end, element };
    case 'schema-text-not-allowed':
      return { time: finding.span.start, element };
    case 'schema-duplicate-key':
      return { time: element.end, element };
    default:
      return { time: element.start, element };
  }
}

// ---- mutations ------------------------------------------------------------------------------------------

interface Mutation {
  file: string;
  kind: string;
  note: string;
  text: string;
}

function splice(text: string, edits: { start: number; end: number; insert: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.insert + out.slice(e.end);
  return out;
}

interface Located {
  element: XmlElement;
  decl: ElementDecl;
}

function declaredElements(schema: CompiledSchema, doc: XmlDocument): Located[] {
  const out: Located[] = [];
  const visit = (element: XmlElement, decl: ElementDecl) => {
    out.push({ element, decl });
    for (const c of element.children) {
      if (c.type !== 'element') continue;
      const d = schema.childDeclIn(decl, element, c);
      if (d) visit(c, d);
    }
  };
  const rootDecl = doc.root && schema.rootDecl(doc.root.localName);
  if (doc.root && rootDecl) visit(doc.root, rootDecl);
  return out;
}

function childElements(e: XmlElement): XmlElement[] {
  return e.children.filter((c): c is XmlElement => c.type === 'element');
}

function mutationsOf(file: string, text: string, schema: CompiledSchema, perKind: number, seed: number): Mutation[] {
  const rnd = random(seed);
  const pick = <T>(items: T[]): T | undefined => (items.length ? items[Math.floor(rnd() * items.length)] : undefined);
  const doc = parseXml(text);
  const located = declaredElements(schema, doc);
  const nonRoot = located.filter((l) => l.element.parent);
  const out: Mutation[] = [];
  const add = (kind: string, note: string, edits: { start: number; end: number; insert: string }[]) => out.push({ file, kind, note, text: splice(text, edits) });
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;

  for (let n = 0; n < perKind; n++) {
    // 1. remove a required attribute
    const required = located.flatMap((l) =>
      l.element.attributes.filter((a) => schema.attribute(l.decl, a.name)?.required).map((a) => ({ l, a })),
    );
    const r = pick(required);
    if (r) {
      let start = r.a.span.start;
      while (/\s/.test(text[start - 1])) start--;
      add('remove-required-attribute', `${r.a.name} of <${r.l.element.name}> line ${lineOf(r.a.span.start)}`, [{ start, end: r.a.span.end, insert: '' }]);
    }

    // 2. rename an element (to an invented name, or to a name declared elsewhere in the schema)
    const renamable = nonRoot.filter((l) => l.element.endTag || l.element.selfClosing);
    const rn = pick(renamable);
    if (rn) {
      const siblingsModel = schema.childDecls(schema.elementDeclFor(rn.element.parent!)!).map((d) => d.name);
      const other = pick(located.map((l) => l.element.localName).filter((name) => name !== rn.element.localName));
      const name = rnd() < 0.5 || !other ? rn.element.localName + 'X' : rnd() < 0.5 ? (pick(siblingsModel.filter((s) => s !== rn.element.localName)) ?? other) : other;
      const edits = [{ start: rn.element.nameSpan.start, end: rn.element.nameSpan.end, insert: name }];
      if (rn.element.endTag) edits.push({ start: rn.element.endTag.nameSpan.start, end: rn.element.endTag.nameSpan.end, insert: name });
      add('rename-element', `<${rn.element.name}> -> <${name}> line ${lineOf(rn.element.start)}`, edits);
    }

    // 3. move an element out of order (swap two adjacent siblings with different names)
    const pairs = located.flatMap((l) => {
      const kids = childElements(l.element);
      const result: [XmlElement, XmlElement][] = [];
      for (let i = 0; i + 1 < kids.length; i++) if (kids[i].localName !== kids[i + 1].localName) result.push([kids[i], kids[i + 1]]);
      return result;
    });
    const pair = pick(pairs);
    if (pair) {
      const [a, b] = pair;
      add('swap-siblings', `<${a.name}> <-> <${b.name}> line ${lineOf(a.start)}`, [
        { start: a.start, end: a.end, insert: text.slice(b.start, b.end) },
        { start: b.start, end: b.end, insert: text.slice(a.start, a.end) },
      ]);
    }

    // 4. an invalid enumeration value (attribute or element text)
    const enumAttributes = located.flatMap((l) =>
      l.element.attributes.filter((a) => a.valueSpan && schema.attribute(l.decl, a.name)?.type.enumeration).map((a) => ({ l, a })),
    );
    const enumTexts = located.filter((l) => schema.valueType(l.decl)?.enumeration && l.element.endTag && childElements(l.element).length === 0);
    if (rnd() < 0.5 && enumAttributes.length) {
      const { l, a } = pick(enumAttributes)!;
      const value = rnd() < 0.5 ? a.value!.toUpperCase() + 'Z' : a.value! + 'x';
      add('invalid-enumeration', `${a.name}="${value}" on <${l.element.name}> line ${lineOf(a.span.start)}`, [{ ...a.valueSpan!, insert: value }]);
    } else if (enumTexts.length) {
      const l = pick(enumTexts)!;
      const start = l.element.startTagEnd;
      const end = l.element.endTag!.span.start;
      add('invalid-enumeration', `<${l.element.name}> text line ${lineOf(start)}`, [{ start, end, insert: 'Bogus' + text.slice(start, end).trim() }]);
    }

    // 5. duplicate a keyed Id
    const keyed = located.flatMap((l) =>
      l.decl.keys.flatMap((key) => {
        const field = key.fields[0];
        if (!('attribute' in field) || key.fields.length !== 1) return [];
        return key.selector.map((alt) => ({ l, alt, attribute: field.attribute, key: key.name }));
      }),
    );
    const k = pick(keyed);
    if (k) {
      let targets: XmlElement[] = [k.l.element];
      for (const step of k.alt.steps) targets = targets.flatMap((t) => childElements(t).filter((c) => step === '*' || c.localName === step));
      const withValue = targets.filter((t) => t.attributes.some((a) => a.name === k.attribute && a.valueSpan));
      if (withValue.length >= 2 && rnd() < 0.7) {
        const i = Math.floor(rnd() * (withValue.length - 1));
        const first = withValue[i].attributes.find((a) => a.name === k.attribute)!;
        const second = withValue[i + 1 + Math.floor(rnd() * (withValue.length - i - 1))].attributes.find((a) => a.name === k.attribute)!;
        add('duplicate-key', `${k.key}: ${k.attribute}="${first.value}" line ${lineOf(second.span.start)}`, [{ ...second.valueSpan!, insert: text.slice(first.valueSpan!.start, first.valueSpan!.end) }]);
      } else if (withValue.length >= 1) {
        const t = pick(withValue)!;
        add('duplicate-key', `${k.key}: copy of <${t.name}> line ${lineOf(t.start)}`, [{ start: t.end, end: t.end, insert: '\n' + text.slice(t.start, t.end) }]);
      }
    }

    // 6. insert an unknown element
    const open = located.filter((l) => l.element.endTag);
    const host = pick(open);
    if (host) {
      const kids = childElements(host.element);
      const at = pick([host.element.startTagEnd, ...kids.map((c) => c.end)])!;
      add('insert-unknown-element', `<Bogus/> in <${host.element.name}> line ${lineOf(at)}`, [{ start: at, end: at, insert: '<Bogus Id="x"/>' }]);
    }

    // 7. remove an element (a required one makes the document invalid)
    // Mostly elements whose particle is required: the rest of the parent then misses it (or ends early).
    const requiredOnes = nonRoot.filter((l) => l.decl.minOccurs >= 1);
    const removable = rnd() < 0.7 ? pick(requiredOnes) ?? pick(nonRoot) : pick(nonRoot);
    if (removable) {
      add('remove-element', `<${removable.element.name}> line ${lineOf(removable.element.start)}`, [{ start: removable.element.start, end: removable.element.end, insert: '' }]);
    }

    // 8. an unknown attribute
    const target = pick(located.filter((l) => l.element.startTagClosed));
    if (target) {
      const at = target.element.nameSpan.end;
      add('unknown-attribute', `on <${target.element.name}> line ${lineOf(at)}`, [{ start: at, end: at, insert: ' Bogus="1"' }]);
    }

    // 9. text where only elements (or nothing) may be, or an invalid typed value
    const textHost = pick(located.filter((l) => l.element.endTag && l.decl.type.kind !== 'simple'));
    if (textHost && rnd() < 0.5) {
      const at = textHost.element.startTagEnd;
      add('insert-text', `in <${textHost.element.name}> line ${lineOf(at)}`, [{ start: at, end: at, insert: 'oops' }]);
    } else {
      const typed = located.flatMap((l) =>
        l.element.attributes
          .filter((a) => {
            const t = schema.attribute(l.decl, a.name)?.type;
            return a.valueSpan && t && (t.patterns.length || t.builtin !== 'string' || t.minLength);
          })
          .map((a) => ({ l, a })),
      );
      const tv = pick(typed);
      if (tv) {
        const value = pick(['', 'not valid!', 'yes', '12x', ' ']);
        add('invalid-value', `${tv.a.name}="${value}" on <${tv.l.element.name}> line ${lineOf(tv.a.span.start)}`, [{ ...tv.a.valueSpan!, insert: value! }]);
      }
    }
  }
  return out;
}

function allMutations(schema: CompiledSchema, perKind: number): Mutation[] {
  const out: Mutation[] = [];
  corpusFiles().forEach((file, i) => out.push(...mutationsOf(path.relative(CORPUS_DIR, file), readText(file), schema, perKind, 1000 + i)));
  return out;
}

interface Agreement {
  total: number;
  invalid: number;
  verdictMismatches: string[];
  firstErrorMismatches: string[];
}

function compare(schema: CompiledSchema, oracle: Oracle, mutations: Mutation[]): Agreement {
  const result: Agreement = { total: 0, invalid: 0, verdictMismatches: [], firstErrorMismatches: [] };
  for (const m of mutations) {
    const theirs = oracle.validate(m.text);
    const ours = ourVerdict(schema, m.text);
    result.total++;
    if (!theirs.valid) result.invalid++;
    const where = `${m.file} ${m.kind} (${m.note})`;
    if (theirs.valid !== ours.valid) {
      result.verdictMismatches.push(`${where}: libxml2 ${theirs.valid ? 'valid' : `invalid at line ${theirs.line}: ${theirs.message}`}; ours ${ours.valid ? 'valid' : `invalid: ${ours.findings.map((f) => f.message).join(' | ')}`}`);
    } else if (!theirs.valid && theirs.line !== ours.line) {
      result.firstErrorMismatches.push(`${where}: libxml2 line ${theirs.line}: ${theirs.message}; ours line ${ours.line}: ${ours.message}`);
    }
  }
  return result;
}

function assertAgreement(label: string, agreement: Agreement, minimum: number): void {
  const { total, invalid, verdictMismatches, firstErrorMismatches } = agreement;
  console.log(`${label}: ${total} mutations, ${invalid} invalid per libxml2; verdict mismatches ${verdictMismatches.length}, first-error mismatches ${firstErrorMismatches.length}`);
  assert.ok(total >= minimum, `expected at least ${minimum} mutations, generated ${total}`);
  assert.ok(invalid >= total / 2, `most mutations should break the document (${invalid} of ${total} did)`);
  assert.deepEqual(verdictMismatches.slice(0, 10), [], `${verdictMismatches.length} verdicts differ from libxml2`);
  assert.deepEqual(firstErrorMismatches.slice(0, 10), [], `${firstErrorMismatches.length} first errors differ from libxml2`);
}

const skipReference = needsCorpus || needsReference;

test('libxml2 oracle: the corpus is valid for both (repaired official XSD)', { skip: skipReference }, async () => {
  const xsd = fs.readFileSync(REPAIRED_XSD, 'utf8');
  const schema = compileSchema(xsd);
  const oracle = await libxml2Oracle(xsd);
  try {
    for (const file of corpusFiles()) {
      const text = readText(file);
      assert.equal(oracle.validate(text).valid, true, `libxml2: ${file}`);
      assert.equal(ourVerdict(schema, text).valid, true, `ours: ${file}`);
    }
  } finally {
    oracle.dispose();
  }
});

test('libxml2 oracle: same verdict and first error on >= 500 mutations (repaired official XSD)', { skip: skipReference }, async () => {
  const xsd = fs.readFileSync(REPAIRED_XSD, 'utf8');
  const schema = compileSchema(xsd);
  const oracle = await libxml2Oracle(xsd);
  try {
    assertAgreement('repaired official XSD', compare(schema, oracle, allMutations(schema, 2)), 500);
  } finally {
    oracle.dispose();
  }
});

const skipProjectSchema = skipReference || (fs.existsSync(PROJECT_XSD) ? false : `the project's schema ${path.relative(PROJECT_DIR, PROJECT_XSD)} does not exist yet`);

test("libxml2 oracle: same verdict and first error with the project's own schema", { skip: skipProjectSchema }, async () => {
  const xsd = fs.readFileSync(PROJECT_XSD, 'utf8');
  const schema = compileSchema(xsd);
  const oracle = await libxml2Oracle(xsd);
  // Mutations are generated with the official schema's knowledge (required attributes, enumerations, keys).
  const official = compileSchema(fs.readFileSync(REPAIRED_XSD, 'utf8'));
  try {
    assertAgreement("project's schema", compare(schema, oracle, allMutations(official, 2)), 500);
  } finally {
    oracle.dispose();
  }
});

test('two errors in one parent: we report both, libxml2 stops at the first', { skip: skipReference }, async () => {
  const xsd = fs.readFileSync(REPAIRED_XSD, 'utf8');
  const schema = compileSchema(xsd);
  const base = corpusFiles().find((f) => f.endsWith(path.join('LocalAccounts', 'TrustFrameworkBase.xml')))!;
  const text = readText(base).replace('<DataType>string</DataType>', '<Foo/><DataType>string</DataType><Bar/>');
  const lx = await importEsm('libxml2-wasm');
  const xsdDoc = lx.XmlDocument.fromString(xsd);
  const validator = lx.XsdValidator.fromDoc(xsdDoc);
  const doc = lx.XmlDocument.fromString(text);
  try {
    assert.throws(() => validator.validate(doc), (error: { details: { message: string }[] }) => error.details.length === 1 && /Foo/.test(error.details[0].message));
  } finally {
    doc.dispose();
    validator.dispose();
    xsdDoc.dispose();
  }
  const ours = ourVerdict(schema, text).findings;
  assert.deepEqual(ours.map((f) => [f.code, text.slice(f.span.start, f.span.end)]), [
    ['schema-unexpected-element', 'Foo'],
    ['schema-unexpected-element', 'Bar'],
  ]);
});

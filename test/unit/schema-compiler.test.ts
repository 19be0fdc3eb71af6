import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { compileSchema, compileXsdPattern, SchemaCompileError } from '../../server/src/service/schema';
import { parseXml, type XmlElement } from '../../server/src/service/xml';
import { PROJECT_DIR } from '../helpers/corpus';

/** The project's own schema (the official grammar, our documentation): unit tests never need ../shared. */
const PROJECT_XSD = path.join(PROJECT_DIR, 'schemas', 'TrustFrameworkPolicy_0.3.0.0.xsd');
const NS = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';

function xsd(body: string): string {
  return `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:t" xmlns:t="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
${body}
</xs:schema>`;
}

function findElement(root: XmlElement, name: string): XmlElement {
  const stack = [root];
  while (stack.length) {
    const e = stack.pop()!;
    if (e.localName === name) return e;
    for (const c of e.children) if (c.type === 'element') stack.push(c);
  }
  throw new Error(`no <${name}>`);
}

test("compiles the project's XSD into content models, attributes, simple types and keys", () => {
  const schema = compileSchema(fs.readFileSync(PROJECT_XSD, 'utf8'));
  assert.equal(schema.targetNamespace, NS);
  assert.deepEqual([...schema.globalElements.keys()], ['TrustFrameworkPolicy']);
  const root = schema.rootDecl('TrustFrameworkPolicy')!;
  assert.match(root.documentation ?? '', /^Root of every custom policy file\./);
  const attributes = schema.attributes(root);
  assert.deepEqual(
    attributes.filter((a) => a.required).map((a) => a.name),
    ['PolicySchemaVersion', 'TenantId', 'PolicyId', 'PublicPolicyUri'],
  );
  const deploymentMode = attributes.find((a) => a.name === 'DeploymentMode')!;
  assert.deepEqual(
    deploymentMode.type.enumeration?.map((e) => e.value),
    ['Development', 'Production', 'Debugging'],
  );
  assert.deepEqual(
    schema.allowedChildren(root, []).map((d) => d.name),
    ['BasePolicy', 'PolicyConstraints', 'Contacts', 'DocumentReferences', 'BuildingBlocks', 'ClaimsProviders', 'UserJourneys', 'SubJourneys', 'RelyingParty'],
  );
  assert.deepEqual(
    schema.allowedChildren(root, ['BasePolicy', 'BuildingBlocks']).map((d) => d.name),
    ['ClaimsProviders', 'UserJourneys', 'SubJourneys', 'RelyingParty'],
  );
  // Keys: ClaimsSchema keeps ClaimType Ids unique.
  const buildingBlocks = schema.childDecl(root, [], 'BuildingBlocks')!;
  const claimsSchema = schema.childDecl(buildingBlocks, [], 'ClaimsSchema')!;
  assert.deepEqual(claimsSchema.keys.map((k) => [k.name, k.selectorText]), [['UniqueClaimTypeId', 'tfp:ClaimType']]);
  // simpleContent extension: metadata Item holds text and a required Key.
  const dataType = schema.simpleTypes.get('DataType')!;
  assert.ok(dataType.enumeration!.some((e) => e.value === 'stringCollection'));
  // The only wildcard (Extensions) and an untyped element (ContentDefinition/LoadUri, xs:anyType) compile.
  const contentDefinition = schema.complexTypes.get('ContentDefinition')!;
  const loadUri = contentDefinition.content!.automaton.allDecls().find((d) => d.name === 'LoadUri')!;
  assert.equal(loadUri.type.name, 'xs:anyType');
});

test('completion and hover API: declarations resolved from an element of a parsed policy', () => {
  const schema = compileSchema(fs.readFileSync(PROJECT_XSD, 'utf8'));
  const doc = parseXml(`<TrustFrameworkPolicy xmlns="${NS}"><BuildingBlocks><ClaimsSchema><ClaimType Id="a"><DisplayName>A</DisplayName><UserHelpText/></ClaimType></ClaimsSchema></BuildingBlocks></TrustFrameworkPolicy>`);
  const claimType = findElement(doc.root!, 'ClaimType');
  const decl = schema.elementDeclFor(claimType)!;
  assert.equal(decl.typeName, 'ClaimType');
  assert.match(schema.documentation(decl) ?? '', /claim/i, 'ClaimType has documentation (from its named type)');
  assert.deepEqual(schema.attributes(decl).map((a) => [a.name, a.required]), [['Id', true], ['StatementType', false]]);
  // After DisplayName: everything that may follow, in content-model order.
  assert.deepEqual(schema.allowedChildren(decl, ['DisplayName']).slice(0, 3).map((d) => d.name), ['DataType', 'DefaultPartnerClaimTypes', 'Mask']);
  const dataType = schema.childDecl(decl, ['DisplayName'], 'DataType')!;
  assert.ok(schema.valueType(dataType)?.enumeration?.some((e) => e.value === 'string'));
  assert.equal(schema.elementDeclFor(findElement(doc.root!, 'UserHelpText'))?.name, 'UserHelpText');
});

test('with anchoredPatterns, an outer ^...$ is an anchor pair and \\/ means /, as the service reads them', () => {
  // The shape of the official XSD's urn pattern (its line 3689), which standard XSD engines refuse.
  const text = xsd(`<xs:simpleType name="U"><xs:restriction base="xs:string"><xs:pattern value="^urn:[a-z0-9][a-z0-9-]{0,31}:[a-z0-9()+,\\/\\-.:=@;$_!*'%\\/?#]+$"/></xs:restriction></xs:simpleType>`);
  const schema = compileSchema(text, { anchoredPatterns: true });
  const [pattern] = schema.simpleTypes.get('U')!.patterns[0];
  assert.equal(pattern.test('urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:2.1.5'), true);
  assert.equal(pattern.test('urn:a:b/c'), true, '\\/ reads as /');
  assert.equal(pattern.test('^urn:a:b$'), false, 'the anchors are not literal characters');
  assert.equal(pattern.source, "^urn:[a-z0-9][a-z0-9-]{0,31}:[a-z0-9()+,\\/\\-.:=@;$_!*'%\\/?#]+$", 'messages show the pattern as written');
  // Without the option, `\\/` is no legal XSD escape: the compiler says where.
  assert.throws(
    () => compileSchema(text),
    (error: unknown) => error instanceof SchemaCompileError && error.line === 3 && /'\\\/' is not a legal escape/.test(error.message),
  );
});

test('throws a clear error naming the unsupported construct and its line', () => {
  const cases: [string, RegExp][] = [
    [`<xs:group name="g"><xs:sequence/></xs:group>`, /line 3: unsupported XSD construct <xs:group>/],
    [`<xs:complexType name="T"><xs:all><xs:element name="a" type="xs:string"/></xs:all></xs:complexType>`, /line 3: unsupported XSD construct <xs:all> in complexType 'T'/],
    [`<xs:complexType name="T"><xs:attributeGroup ref="t:g"/></xs:complexType>`, /unsupported XSD construct <xs:attributeGroup>/],
    [`<xs:complexType name="T"><xs:complexContent><xs:extension base="t:U"/></xs:complexContent></xs:complexType>`, /unsupported XSD construct <xs:complexContent>/],
    [`<xs:simpleType name="L"><xs:list itemType="xs:string"/></xs:simpleType>`, /unsupported XSD construct <xs:list>/],
    [`<xs:element name="e" type="xs:dateTime"/>`, /unsupported built-in type xs:dateTime/],
    [`<xs:element name="e"><xs:complexType><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType><xs:keyref name="r" refer="t:k"><xs:selector xpath="t:a"/><xs:field xpath="@x"/></xs:keyref></xs:element>`, /unsupported XSD construct <xs:keyref>/],
    [`<xs:element name="e"><xs:complexType/><xs:key name="k"><xs:selector xpath="ancestor::t:a"/><xs:field xpath="@x"/></xs:key></xs:element>`, /unsupported selector XPath 'ancestor::t:a'/],
    [`<xs:import namespace="urn:other"/>`, /unsupported XSD construct <xs:import>/],
  ];
  for (const [body, expected] of cases) {
    assert.throws(() => compileSchema(xsd(body)), (error: unknown) => error instanceof SchemaCompileError && expected.test(error.message), body);
  }
  assert.throws(() => compileSchema('<not-a-schema/>'), /Not an XML schema/);
  assert.throws(() => compileSchema('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'), /not well-formed/);
});

test('XSD regular expressions translate to JavaScript with XSD semantics', () => {
  const full = (pattern: string, value: string) => compileXsdPattern(pattern).test(value);
  assert.equal(full('[a-z]{1,3}(-[a-zA-Z0-9]{2,4}){0,2}', 'en-US'), true);
  assert.equal(full('[a-z]{1,3}(-[a-zA-Z0-9]{2,4}){0,2}', 'en-US-ab-cd'), false, 'implicitly anchored');
  assert.equal(full('[0-9][.][0-9]', 'v1.2'), false, 'implicitly anchored at the start too');
  assert.equal(full('\\w+', 'çé9'), true, '\\w is Unicode letters, marks, numbers, symbols');
  assert.equal(full('\\w+', 'a-b'), false);
  assert.equal(full('\\w', '_'), false, '_ is punctuation (Pc): not in XSD \\w');
  assert.equal(full('\\d+', '١٢'), true, '\\d is any decimal digit');
  assert.equal(full('\\i\\c*', 'xs:Name-1'), true);
  assert.equal(full('\\i\\c*', '1abc'), false);
  assert.equal(full('[a-z-[aeiou]]+', 'bcd'), true, 'character class subtraction');
  assert.equal(full('[a-z-[aeiou]]+', 'bad'), false);
  assert.equal(full('a^b$', 'a^b$'), true, '^ and $ are ordinary characters');
  assert.equal(full('.', '\n'), false);
  assert.equal(full('[\\w.,@?^=%&:~+#\\-_$!’();]+', 'a.b,c@d?e^f=g%h&i:j~k+l#m-n_o$p!q’r(s)t;u'), true);
  assert.equal(compileXsdPattern('^a\\/b$', { anchored: true }).test('a/b'), true);
  assert.throws(() => compileXsdPattern('a\\/b'), /not a legal escape/);
  assert.throws(() => compileXsdPattern('\\p{IsBasicLatin}'), /unsupported character property/);
});

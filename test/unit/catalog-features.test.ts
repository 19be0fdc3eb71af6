import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionItem, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { CLAIMS_TRANSFORMATION_METHODS } from '../../server/src/service/catalogs/claimsTransformations';
import { getCompletions } from '../../server/src/service/features/completion';
import { getHover } from '../../server/src/service/features/hover';
import { LineIndex } from '../../server/src/service/xml';
import { SchemaCache } from '../../server/src/schemaFile';
import { withCursor } from '../helpers/corpus';
import { compactPolicy as policy } from '../helpers/policies';

const schema = new SchemaCache().load();

const BASE_URI = 'file:///w/TrustFrameworkBase.xml';
const EXT_URI = 'file:///w/TrustFrameworkExtensions.xml';

/** A base with an OAuth2 profile (Facebook-OAUTH), a self-asserted one, and a sign-in page (unifiedssp 2.1.5) with its resources. */
const BASE = policy(
  'B2C_1A_Base',
  `  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="email"><DisplayName>Email</DisplayName><DataType>string</DataType></ClaimType>
    </ClaimsSchema>
    <ContentDefinitions>
      <ContentDefinition Id="api.signuporsignin">
        <LoadUri>~/tenant/templates/AzureBlue/unified.cshtml</LoadUri>
        <DataUri>urn:com:microsoft:aad:b2c:elements:contract:unifiedssp:2.1.5</DataUri>
        <LocalizedResourcesReferences>
          <LocalizedResourcesReference Language="en" LocalizedResourcesReferenceId="api.signuporsignin.en" />
        </LocalizedResourcesReferences>
      </ContentDefinition>
    </ContentDefinitions>
  </BuildingBlocks>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Facebook</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="Facebook-OAUTH">
          <DisplayName>Facebook</DisplayName>
          <Protocol Name="OAuth2" />
          <Metadata>
            <Item Key="client_id">facebook_clientid</Item>
            <Item Key="authorization_endpoint">https://www.facebook.com/dialog/oauth</Item>
          </Metadata>
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>`,
);

function extensions(body: string): string {
  return policy('B2C_1A_Ext', body, 'B2C_1A_Base');
}

function analysisWith(text: string): Analysis {
  const analysis = new Analysis({ schema });
  analysis.index.setOpenDocument(BASE_URI, BASE);
  analysis.index.setOpenDocument(EXT_URI, text);
  return analysis;
}

function complete(marked: string): { items: CompletionItem[]; text: string } {
  const { text, offset } = withCursor(marked);
  return { items: getCompletions(analysisWith(text), schema, EXT_URI, offset), text };
}

function hover(marked: string): { hover: Hover | undefined; covered: string; text: string } {
  const { text, offset } = withCursor(marked);
  const h = getHover(analysisWith(text), schema, EXT_URI, offset);
  const lines = new LineIndex(text);
  const covered = h?.range ? text.slice(lines.offsetAt(h.range.start), lines.offsetAt(h.range.end)) : '';
  return { hover: h, covered, text };
}

const value = (h: Hover | undefined) => (h?.contents as MarkupContent | undefined)?.value ?? '';
const doc = (i: CompletionItem) => (i.documentation as MarkupContent | undefined)?.value ?? '';
/** Labels in the order the editor shows them (sortText, then label). */
const ordered = (items: CompletionItem[]) => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);

function apply(text: string, item: CompletionItem | undefined): string {
  assert.ok(item, 'an item');
  const edit = item.textEdit as TextEdit;
  const lines = new LineIndex(text);
  return text.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + text.slice(lines.offsetAt(edit.range.end));
}

function find(items: CompletionItem[], label: string): CompletionItem {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `'${label}' in ${items.map((i) => i.label).join(', ')}`);
  return item;
}

const transformation = (method: string, content: string) =>
  extensions(`  <BuildingBlocks><ClaimsTransformations>
      <ClaimsTransformation Id="T" TransformationMethod="${method}">
${content}
      </ClaimsTransformation>
  </ClaimsTransformations></BuildingBlocks>`);

const profile = (protocol: string, metadata: string, id = 'P') =>
  extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="${id}">
          <DisplayName>P</DisplayName>
          ${protocol}
          <Metadata>
${metadata}
          </Metadata>
        </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`);

test('TransformationMethod="|": every documented method, with its signature as detail; the value is replaced whole', () => {
  const { items, text } = complete(transformation('|', '        <OutputClaims><OutputClaim ClaimTypeReferenceId="email" /></OutputClaims>'));
  assert.equal(items.length, CLAIMS_TRANSFORMATION_METHODS.length);
  const random = find(items, 'CreateRandomString');
  assert.equal(random.detail, 'CreateRandomString(randomGeneratorType: string, stringFormat?: string, base64?: boolean, maximumNumber?: int, seed?: int) -> outputClaim: string');
  assert.match(doc(random), /Generates a random GUID or integer/);
  assert.match(doc(random), /\(https:\/\/learn\.microsoft\.com\/azure\/active-directory-b2c\/string-transformations#createrandomstring\)/);
  assert.match(apply(text, random), /TransformationMethod="CreateRandomString">/);

  const partial = complete(transformation('Create|Rand', ''));
  assert.match(apply(partial.text, find(partial.items, 'CreateStringClaim')), /TransformationMethod="CreateStringClaim">/);
});

test('InputParameter Id: the method\'s parameters, required and unused first; DataType: the expected type first; Value: the documented values', () => {
  const { items, text } = complete(
    transformation(
      'CreateRandomString',
      `        <InputParameters>
          <InputParameter Id="stringFormat" DataType="string" Value="{0}" />
          <InputParameter Id="|" DataType="string" Value="" />
        </InputParameters>`,
    ),
  );
  assert.deepEqual(ordered(items), ['randomGeneratorType', 'base64', 'maximumNumber', 'seed', 'stringFormat']);
  assert.equal(find(items, 'randomGeneratorType').detail, 'required input parameter: string');
  assert.equal(find(items, 'stringFormat').detail, 'optional input parameter: string (already declared)');
  assert.match(doc(find(items, 'randomGeneratorType')), /^Required · data type `string` · one of `GUID`, `INTEGER`/);
  assert.match(apply(text, find(items, 'randomGeneratorType')), /<InputParameter Id="randomGeneratorType" DataType="string" Value="" \/>/);

  const types = complete(transformation('CreateRandomString', '        <InputParameters><InputParameter Id="base64" DataType="|" Value="true" /></InputParameters>'));
  assert.equal(ordered(types.items)[0], 'boolean');
  assert.equal(find(types.items, 'boolean').detail, 'expected by CreateRandomString for base64');
  assert.ok(types.items.some((i) => i.label === 'string') && find(types.items, 'string').detail === undefined);

  const values = complete(transformation('CreateRandomString', '        <InputParameters><InputParameter Id="randomGeneratorType" DataType="string" Value="|" /></InputParameters>'));
  assert.deepEqual(ordered(values.items), ['GUID', 'INTEGER']);
});

test('TransformationClaimType: the method\'s input or output names, unused ones first', () => {
  const inputs = complete(
    transformation(
      'CompareClaims',
      `        <InputClaims>
          <InputClaim ClaimTypeReferenceId="email" TransformationClaimType="inputClaim1" />
          <InputClaim ClaimTypeReferenceId="email" TransformationClaimType="|" />
        </InputClaims>`,
    ),
  );
  assert.deepEqual(ordered(inputs.items), ['inputClaim2', 'inputClaim1']);
  assert.equal(find(inputs.items, 'inputClaim2').detail, 'required input claim: string');
  const outputs = complete(transformation('CompareClaims', '        <OutputClaims><OutputClaim ClaimTypeReferenceId="email" TransformationClaimType="|" /></OutputClaims>'));
  assert.deepEqual(ordered(outputs.items), ['outputClaim']);
  // An unknown method: nothing from the catalog (and no crash).
  assert.deepEqual(complete(transformation('NoSuchMethod', '        <OutputClaims><OutputClaim ClaimTypeReferenceId="email" TransformationClaimType="|" /></OutputClaims>')).items, []);
});

test('metadata Key: the keys of the merged profile\'s type (protocol from the base), without the keys this Metadata has; those a base sets last', () => {
  // An Extensions declaration of Facebook-OAUTH: its protocol (OAuth2) comes from the base.
  const { items, text } = complete(
    extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="Facebook-OAUTH">
          <Metadata>
            <Item Key="AccessTokenEndpoint">https://graph.facebook.com/oauth/access_token</Item>
            <Item Key="|"></Item>
          </Metadata>
        </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`),
  );
  const labels = ordered(items);
  assert.ok(!labels.includes('AccessTokenEndpoint'), 'a key of this Metadata is not offered again');
  assert.equal(labels[0], 'ClaimsEndpoint', 'the required key nobody sets comes first');
  assert.deepEqual(labels.slice(-2), ['authorization_endpoint', 'client_id'], 'keys the base sets come last');
  const claims = find(items, 'ClaimsEndpoint');
  assert.equal(claims.detail, 'OAuth2 identity provider · url · required');
  assert.match(doc(claims), /^\*\*Metadata\*\* `ClaimsEndpoint` · OAuth2 identity provider technical profile\n\n.*Required\./);
  assert.equal(find(items, 'client_id').detail, 'OAuth2 identity provider · string · required · set in TrustFrameworkBase.xml');
  assert.match(apply(text, claims), /<Item Key="ClaimsEndpoint"><\/Item>/);

  // A handler (Proprietary): the self-asserted keys.
  const selfAsserted = complete(profile('<Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.SelfAssertedAttributeProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" />', '            <Item Key="|" />'));
  assert.equal(ordered(selfAsserted.items)[0], 'ContentDefinitionReferenceId');
  // No protocol yet: no catalog, so no keys.
  assert.deepEqual(complete(profile('', '            <Item Key="|" />')).items, []);
});

test('LocalizedString StringId: the page\'s ids for UxElement (unifiedssp 2.1.5 has no createaccount_link), fixed ids for ClaimType', () => {
  const resources = (strings: string) =>
    extensions(`  <BuildingBlocks><Localization><SupportedLanguages DefaultLanguage="en"><SupportedLanguage>en</SupportedLanguage></SupportedLanguages>
    <LocalizedResources Id="api.signuporsignin.en">
      <LocalizedStrings>
${strings}
      </LocalizedStrings>
    </LocalizedResources>
  </Localization></BuildingBlocks>`);
  const ux = complete(resources('        <LocalizedString ElementType="UxElement" StringId="|">x</LocalizedString>'));
  const labels = ux.items.map((i) => i.label);
  assert.ok(labels.includes('createaccount_one_link') && labels.includes('heading'), labels.join());
  assert.ok(!labels.includes('createaccount_link'), 'createaccount_link exists only before 2.0.0');
  assert.match(doc(find(ux.items, 'heading')), /These resources serve unifiedssp:2\.1\.5, which has this string/);

  const claim = complete(
    resources(`        <LocalizedString ElementType="ClaimType" ElementId="email" StringId="DisplayName">Email</LocalizedString>
        <LocalizedString ElementType="ClaimType" ElementId="email" StringId="|">x</LocalizedString>`),
  );
  assert.deepEqual(ordered(claim.items), ['AdminHelpText', 'PatternHelpText', 'UserHelpText', 'DisplayName']);
  assert.equal(find(claim.items, 'DisplayName').detail, 'ClaimType string (already localized here)');
});

test('hover: a method\'s signature, a parameter\'s slot, a name the method does not take', () => {
  const method = hover(transformation('CreateRandom|String', ''));
  assert.equal(method.covered, 'CreateRandomString');
  assert.match(value(method.hover), /^\*\*TransformationMethod\*\* `CreateRandomString`\n\n```\nCreateRandomString\(randomGeneratorType: string, .*\) -> outputClaim: string\n```\n\nGenerates a random GUID/);

  const parameter = hover(transformation('CreateRandomString', '        <InputParameters><InputParameter Id="random|GeneratorType" DataType="string" Value="GUID" /></InputParameters>'));
  assert.equal(parameter.covered, 'randomGeneratorType');
  assert.match(value(parameter.hover), /^\*\*Input parameter\*\* `randomGeneratorType` of `CreateRandomString`\n\nRequired · data type `string` · one of `GUID`, `INTEGER`/);

  const wrong = hover(transformation('CompareClaims', '        <InputClaims><InputClaim ClaimTypeReferenceId="email" TransformationClaimType="input|Claim" /></InputClaims>'));
  assert.equal(value(wrong.hover), '`inputClaim` is not an input claim of `CompareClaims`, which takes `inputClaim1`, `inputClaim2`.');
  // An unknown method: no catalog hover (the diagnostic speaks).
  assert.equal(hover(transformation('NoSuch|Method', '')).hover, undefined);
});

test('hover: a metadata key\'s documentation for the profile\'s type; a key the type does not read says so', () => {
  const key = hover(profile('<Protocol Name="OAuth2" />', '            <Item Key="Claims|Endpoint">https://graph.facebook.com/me</Item>'));
  assert.equal(key.covered, 'ClaimsEndpoint');
  assert.match(value(key.hover), /^\*\*Metadata\*\* `ClaimsEndpoint` · OAuth2 identity provider technical profile\n\n.+ Value: url\. Required\.\n\n\(oauth2-technical-profile\.md\)$/);

  const unknown = hover(profile('<Protocol Name="OAuth2" />', '            <Item Key="Claims|Endpiont">x</Item>'));
  assert.match(value(unknown.hover), /Not a metadata item that OAuth2 identity provider technical profiles read \(oauth2-technical-profile\.md\)\.$/);
});

test('hover: a StringId says what it names and whether the linked page has it', () => {
  const text = (ux: string, claim: string) =>
    extensions(`  <BuildingBlocks><Localization><SupportedLanguages DefaultLanguage="en"><SupportedLanguage>en</SupportedLanguage></SupportedLanguages>
    <LocalizedResources Id="api.signuporsignin.en"><LocalizedStrings>
        <LocalizedString ElementType="UxElement" StringId="${ux}">Sign up now</LocalizedString>
        <LocalizedString ElementType="ClaimType" ElementId="email" StringId="${claim}">x</LocalizedString>
    </LocalizedStrings></LocalizedResources>
  </Localization></BuildingBlocks>`);
  const ux = hover(text('createaccount_|link', 'PatternHelpText'));
  assert.equal(ux.covered, 'createaccount_link');
  assert.match(value(ux.hover), /^\*\*StringId\*\* `createaccount_link` · ElementType UxElement\n\n/);
  assert.match(value(ux.hover), /Listed for the page unifiedssp \(layout before 2\.0\.0\)/);
  assert.match(value(ux.hover), /These resources serve unifiedssp:2\.1\.5, which does not have this string\.$/);
  const claim = hover(text('createaccount_link', 'Pattern|HelpText'));
  assert.equal(claim.covered, 'PatternHelpText');
  assert.match(value(claim.hover), /The message shown when the value does not match the claim's Restriction pattern\.$/);
});

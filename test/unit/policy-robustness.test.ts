// Exact spans of element text whatever the line ends and references, and a policy that names itself as its base.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { parsePolicyFile, trimmedTextSpan } from '../../server/src/service/policy/model';
import { parseXml } from '../../server/src/service/xml/parser';
import type { XmlElement } from '../../server/src/service/xml/nodes';
import { compactPolicy } from '../helpers/policies';
import { memoryWorkspace } from '../helpers/workspace';

function valueElement(text: string): XmlElement {
  const root = parseXml(text).root!;
  assert.equal(root.localName, 'Value');
  return root;
}

const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

test('trimmed text span: CRLF line ends around a multi-line value (the parser reads them as LF)', () => {
  const text = '<Value>\r\n    Email\r\n  </Value>';
  const { value, span } = trimmedTextSpan(valueElement(text), text);
  assert.equal(value, 'Email');
  assert.equal(slice(text, span), 'Email');
  // Without the source the parser's normalised text cannot be mapped back: the whole text span, as before.
  assert.equal(slice(text, trimmedTextSpan(valueElement(text)).span), '\r\n    Email\r\n  ');
});

test('trimmed text span: references inside the value, white space written as references, lone CR', () => {
  const cases: Array<[string, string, string]> = [
    ['<Value>\r\n  a&amp;b\r\n</Value>', 'a&b', 'a&amp;b'],
    ['<Value>&#32;&#x9;Email&#10;</Value>', 'Email', 'Email'],
    ['<Value>\r  x&lt;y \r</Value>', 'x<y', 'x&lt;y'],
    ['<Value>\n  plain\n</Value>', 'plain', 'plain'],
    ['<Value>  two words  </Value>', 'two words', 'two words'],
  ];
  for (const [text, value, source] of cases) {
    const t = trimmedTextSpan(valueElement(text), text);
    assert.equal(t.value, value, text);
    assert.equal(slice(text, t.span), source, text);
  }
});

test('trimmed text span: text split by a comment trims the first and last parts; only white space gives an empty span', () => {
  const split = '<Value>\r\n  a<!-- note -->b\r\n</Value>';
  const t = trimmedTextSpan(valueElement(split), split);
  assert.equal(t.value, 'ab');
  assert.equal(slice(split, t.span), 'a<!-- note -->b');
  const blank = '<Value>   </Value>';
  const b = trimmedTextSpan(valueElement(blank), blank);
  assert.equal(b.value, '');
  assert.ok(b.span.start <= b.span.end, 'never an inverted span');
  assert.equal(slice(blank, b.span), '');
});

test('references in element text get exact spans in CRLF files (Precondition value, metadata ContentDefinitionReferenceId, BasePolicy)', () => {
  const text = compactPolicy(
    'B2C_1A_RP',
    '<ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles><TechnicalProfile Id="T"><Metadata>\n<Item Key="ContentDefinitionReferenceId">\n  api.selfasserted\n</Item></Metadata></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>' +
      '<UserJourneys><UserJourney Id="J"><OrchestrationSteps><OrchestrationStep Order="1" Type="ClaimsExchange"><Preconditions><Precondition Type="ClaimsExist" ExecuteActionsIf="true"><Value>\n      Email\n    </Value><Action>SkipThisOrchestrationStep</Action></Precondition></Preconditions></OrchestrationStep></OrchestrationSteps></UserJourney></UserJourneys>',
    'B2C_1A_Base',
  ).replace('<PolicyId>B2C_1A_Base</PolicyId>', '<PolicyId>\n    B2C_1A_Base\n  </PolicyId>').replace(/\n/g, '\r\n');
  const file = parsePolicyFile('file:///ws/RP.xml', text);
  const spans = file.references.filter((r) => r.attribute === undefined).map((r) => [r.kind, slice(text, r.span)]);
  assert.deepEqual(spans, [['contentDefinition', 'api.selfasserted'], ['claimType', 'Email']]);
  assert.equal(file.base?.policyId, 'B2C_1A_Base');
  assert.equal(slice(text, file.base!.span), 'B2C_1A_Base');
});

test('a policy that names itself as its base is a base-policy-cycle, not a base missing from the workspace', () => {
  const analysis = new Analysis();
  const self = 'file:///ws/dev/Self.xml';
  analysis.index.setDiskFile(self, compactPolicy('B2C_1A_Self', '<BuildingBlocks />', 'b2c_1a_self'));
  // The same PolicyId in another environment is no base either: the file names itself.
  analysis.index.setDiskFile('file:///ws/prod/Self.xml', compactPolicy('B2C_1A_Self', '<BuildingBlocks />'));
  const findings = analysis.findings(self).filter((f) => f.code.includes('base-policy'));
  assert.deepEqual(findings.map((f) => [f.code, f.message]), [['base-policy-cycle', 'BasePolicy makes a cycle: B2C_1A_Self -> B2C_1A_Self.']]);
  const text = analysis.index.get(self)!.text;
  assert.equal(slice(text, findings[0].span), 'b2c_1a_self');
  assert.equal(analysis.index.effective(analysis.index.get(self)!).complete, false);
  assert.deepEqual(analysis.index.descendants(self), [], 'not its own descendant');
});

test('incremental = fresh: a base whose profile its Extensions completes is judged again when the Extensions stops building on it', () => {
  // Found by the fuzzer: the base's findings were cached while a descendant changed.
  const profile = (items: string) => `<ClaimsProviders><ClaimsProvider><DisplayName>Local</DisplayName><TechnicalProfiles><TechnicalProfile Id="login-NonInteractive"><DisplayName>Local</DisplayName><Protocol Name="OpenIdConnect" /><Metadata><Item Key="UsePolicyInRedirectUri">false</Item>${items}</Metadata></TechnicalProfile></TechnicalProfiles></ClaimsProvider></ClaimsProviders>`;
  const base = compactPolicy('B2C_1A_Base', profile(''));
  const ext = compactPolicy('B2C_1A_Ext', profile('<Item Key="client_id">00000000-0000-0000-0000-000000000001</Item><Item Key="METADATA">https://login.example/.well-known/openid-configuration</Item>'), 'B2C_1A_Base');
  const files = { 'Base.xml': base, 'Ext.xml': ext };
  const { service, uri } = memoryWorkspace(files);
  const missing = (s: typeof service) => s.diagnostics(uri('Base.xml')).filter((d) => d.code === 'missing-metadata').map((d) => (d.data as { key: string }).key);
  assert.deepEqual(missing(service), [], 'completed by the Extensions');
  service.openDocument(uri('Ext.xml'), ext.replace('PolicyId="B2C_1A_Ext"', 'PolicyId="B2C_1A_Ext" ').replace('<PolicyId>B2C_1A_Base</PolicyId>', '<PolicyId>B2C_1A_Other</PolicyId>'));
  const fresh = memoryWorkspace({ ...files, 'Ext.xml': service.text(uri('Ext.xml'))! });
  assert.deepEqual(missing(fresh.service), ['client_id', 'METADATA']);
  assert.deepEqual(service.diagnostics(uri('Base.xml')), fresh.service.diagnostics(fresh.uri('Base.xml')));
});

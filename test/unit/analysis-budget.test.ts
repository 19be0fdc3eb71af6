// Fail closed: a check that throws is a finding, never silence; a file's findings are capped with one summary
// that keeps the true count and the worst severity; a chain too large for the rules gets one clear finding.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { appendFindings, applyFindingBudget, MAX_CHAIN_ELEMENTS, MAX_FINDINGS_PER_FILE } from '../../server/src/service/analysis/budget';
import type { Finding, Severity } from '../../server/src/service/findings';
import { SchemaCache } from '../../server/src/schemaFile';
import type { CompiledSchema } from '../../server/src/service/schema';
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { compactPolicy } from '../helpers/policies';

const URI = 'file:///ws/Base.xml';
const schema = new SchemaCache().load();

function finding(start: number, severity: Severity, code: Finding['code'] = 'schema-unexpected-element'): Finding {
  return { code, severity, message: `m${start}`, span: { start, end: start + 1 } };
}

test('appendFindings takes 200,000 findings (spreading them into push overflows the stack)', () => {
  const many = Array.from({ length: 200_000 }, (_, i) => finding(i, 'error'));
  assert.throws(() => [].push(...(many as never[])), RangeError, 'the defect this guards against');
  const target: Finding[] = [finding(-1, 'hint')];
  appendFindings(target, many);
  assert.equal(target.length, 200_001);
  assert.equal(target[200_000], many[199_999]);
});

test('3,000 schema errors through the analysis: 1,000 findings, the first says how many in all, severity error', () => {
  // (130,000 go through the CLI in test/cli/robustness.test.ts.)
  const analysis = new Analysis({ schema, log: (m) => assert.fail(m) });
  analysis.index.setDiskFile(URI, compactPolicy('B2C_1A_Many', `<BuildingBlocks>${'<X/>'.repeat(3000)}</BuildingBlocks>`));
  const findings = analysis.findings(URI);
  assert.equal(findings.length, MAX_FINDINGS_PER_FILE);
  const [summary, ...rest] = findings;
  assert.equal(summary.code, 'file-not-checked');
  assert.equal(summary.severity, 'error');
  assert.deepEqual(summary.data, { total: 3000, omitted: 2001, omittedBySeverity: { error: 2001, warning: 0, information: 0, hint: 0 } });
  assert.match(summary.message, /^Too many findings to list: 3,000 in all \(3,000 errors\); the first 999 are listed and 2,001 more are not \(2,001 errors\)\./);
  assert.ok(rest.every((f) => f.code === 'schema-unexpected-element'));
  assert.ok(rest.every((f, i) => i === 0 || rest[i - 1].span.start <= f.span.start), 'in document order');
  assert.equal(rest[0].span.start, analysis.index.get(URI)!.text.indexOf('<X/>') + 1, 'the first ones are listed');
});

test('the budget keeps errors before warnings and hints, internal errors always, and its severity is the worst left out', () => {
  const findings: Finding[] = [];
  for (let i = 0; i < 1500; i++) findings.push(finding(i, i % 3 === 0 ? 'error' : i % 3 === 1 ? 'warning' : 'hint'));
  findings.push({ ...finding(1600, 'error', 'internal-error'), data: { check: 'x' } });
  const kept = applyFindingBudget(findings, 1000);
  assert.equal(kept.length, 1000);
  const listed = kept.slice(1);
  assert.equal(listed.filter((f) => f.severity === 'error').length, 501, 'all 500 errors and the internal error');
  assert.equal(listed.filter((f) => f.severity === 'warning').length, 498);
  assert.equal(listed.filter((f) => f.severity === 'hint').length, 0);
  assert.ok(listed.some((f) => f.code === 'internal-error'));
  assert.deepEqual(kept[0].data, { total: 1501, omitted: 502, omittedBySeverity: { error: 0, warning: 2, information: 0, hint: 500 } });
  assert.equal(kept[0].severity, 'warning', 'no error was left out: the summary is not an error');
  assert.match(kept[0].message, /1,501 in all \(501 errors, 500 warnings, 500 hints\); the first 999 are listed and 502 more are not \(2 warnings, 500 hints\)/);
  const within = findings.slice(0, 1000);
  assert.equal(applyFindingBudget(within, 1000), within, 'within the budget: returned as is');
});

test('a schema validator that fails is an internal-error finding on the file (the rules still report)', () => {
  const logged: string[] = [];
  const broken = {} as CompiledSchema; // a damaged compiled schema (say, a corrupt cache entry)
  const analysis = new Analysis({ schema: broken, log: (m) => logged.push(m) });
  analysis.index.setDiskFile(URI, compactPolicy('B2C_1A_Base', '<RelyingParty><DefaultUserJourney ReferenceId="Nope" /></RelyingParty>'));
  const findings = analysis.findings(URI);
  const internal = findings.filter((f) => f.code === 'internal-error');
  assert.equal(internal.length, 1);
  assert.equal(internal[0].severity, 'error');
  assert.deepEqual(internal[0].data, { check: 'schema' });
  assert.match(internal[0].message, /^Internal error in the 'schema' check \(TypeError\): this file was not fully checked\./);
  assert.ok(findings.some((f) => f.code === 'unresolved-reference'), 'the rules ran');
  assert.match(logged.join('\n'), /schema validation failed on file:\/\/\/ws\/Base\.xml: TypeError/);
});

test('a rule that throws is an internal-error finding naming the rule, in the editor diagnostics too; the other rules report', () => {
  const logged: string[] = [];
  const service = new PolicyLanguageService({ schema, log: (m) => logged.push(m) });
  // The journey rules read the chain's journey model: make building it fail, as a bug in it would.
  const analysis = (service as unknown as { analysis: Analysis }).analysis;
  analysis.chainModel = () => {
    throw new TypeError('journey model bug');
  };
  service.setDiskFile(URI, compactPolicy('B2C_1A_Base', '<RelyingParty><DefaultUserJourney ReferenceId="Nope" /></RelyingParty>'));
  const diagnostics = service.diagnostics(URI);
  const internal = diagnostics.filter((d) => d.code === 'internal-error');
  assert.ok(internal.length >= 1);
  for (const d of internal) {
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'b2c-policy');
    assert.ok(!d.message.includes('journey model bug'), 'the exception text is logged, not shown');
  }
  const checks = internal.map((d) => (d.data as { check: string }).check).sort();
  assert.ok(checks.includes('claimsFlow') && checks.includes('journeyStructure'), checks.join());
  assert.ok(diagnostics.some((d) => d.code === 'unresolved-reference'), 'the other rules still report');
  assert.match(logged.join('\n'), /rule claimsFlow failed on file:\/\/\/ws\/Base\.xml: TypeError: journey model bug/);
});

test('a chain over the element budget: XML and schema are checked, the rules are not, and one error says so', () => {
  const analysis = new Analysis({ schema, log: (m) => assert.fail(m) });
  const claims = Array.from({ length: MAX_CHAIN_ELEMENTS / 2 }, (_, i) => `<ClaimType Id="c${i}"><DataType>string</DataType></ClaimType>`).join('');
  analysis.index.setDiskFile(URI, compactPolicy('B2C_1A_Big', `<BuildingBlocks><ClaimsSchema>${claims}<Bogus/></ClaimsSchema></BuildingBlocks><RelyingParty><DefaultUserJourney ReferenceId="Nope" /></RelyingParty>`));
  const codes = analysis.findings(URI).map((f) => f.code);
  assert.deepEqual(codes, ['file-not-checked', 'schema-unexpected-element'], 'the <Bogus/> is still reported, the unresolved journey not');
  const [budget] = analysis.findings(URI);
  assert.equal(budget.severity, 'error');
  assert.match(budget.message, /^Too large to check fully: this policy and its bases have over 50,000 elements/);
  // Within the budget, the same file's unresolved reference is reported.
  analysis.index.setDiskFile(URI, compactPolicy('B2C_1A_Big', '<RelyingParty><DefaultUserJourney ReferenceId="Nope" /></RelyingParty>'));
  assert.ok(analysis.findings(URI).some((f) => f.code === 'unresolved-reference'));
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DiagnosticCodes } from '../../server/src/protocol';
import { SchemaCache } from '../../server/src/schemaFile';
import { claimsTransformationMethod } from '../../server/src/service/catalogs/claimsTransformations';
import type { Finding } from '../../server/src/service/findings';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { checkClaimsTransformations, claimDataType } from '../../server/src/service/rules/claimsTransformations';
import { childElements, getAttribute } from '../../server/src/service/xml/query';
import { CORPUS_DIR, corpusPacks, needsCorpus, readText } from '../helpers/corpus';
import { runRule } from '../helpers/rules';
import { serviceForFiles } from '../helpers/service';

/**
 * The claims-transformation catalog and rule against Microsoft's starter packs (deployed by Microsoft, so
 * the reference for what the service accepts): every transformation uses a known method and binds claims of
 * accepted types, the rule finds nothing, and single realistic mistakes give exactly the expected finding.
 */


/** This rule's codes: once the service runs the rule itself, its findings are compared separately. */
const RULE_CODES = new Set<string>([
  DiagnosticCodes.unknownTransformationMethod,
  DiagnosticCodes.transformationSignatureMismatch,
  DiagnosticCodes.transformationClaimTypeMismatch,
  DiagnosticCodes.transformationParameterInvalidValue,
]);

const packFiles = (pack: string) =>
  fs.readdirSync(path.join(CORPUS_DIR, pack)).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(CORPUS_DIR, pack, f));

/**
 * Workspaces whose chains are complete: the eight packs, the self-contained phone scenario, and the two add-on
 * scenarios (which build on a TrustFrameworkBase they do not ship) with the SocialAndLocalAccounts base.
 */
function workspaces(): Array<{ name: string; files: string[] }> {
  const mainPacks = corpusPacks().filter((p) => !p.startsWith('scenario-'));
  assert.equal(mainPacks.length, 8, 'the eight starter packs');
  const socialAndLocalBase = path.join(CORPUS_DIR, 'SocialAndLocalAccounts', 'TrustFrameworkBase.xml');
  return [
    ...mainPacks.map((pack) => ({ name: pack, files: packFiles(pack) })),
    { name: 'scenario-phone-number-passwordless', files: packFiles('scenario-phone-number-passwordless') },
    ...['scenario-linkedin-identity-provider', 'scenario-password-change'].map((s) => ({ name: s, files: [...packFiles(s), socialAndLocalBase] })),
  ];
}

test('every starter-pack transformation uses a documented method and binds claims that resolve in its chain', { skip: needsCorpus }, (t) => {
  let transformations = 0;
  let boundClaims = 0;
  const methods = new Set<string>();
  const seenFiles = new Set<string>();
  for (const workspace of workspaces()) {
    const { service, uris } = serviceForFiles(workspace.files, false);
    for (const uri of uris) {
      const file = service.index.get(uri)!;
      // A file shared by two workspaces (the SocialAndLocalAccounts base) counts once.
      const counted = !seenFiles.has(uri);
      seenFiles.add(uri);
      const effective = service.index.effective(file);
      assert.ok(effective.complete, `${workspace.name}/${path.basename(uri)}: complete chain`);
      for (const definition of file.definitions.filter((d) => d.kind === 'claimsTransformation')) {
        const name = getAttribute(definition.element, 'TransformationMethod')?.value ?? '';
        const method = claimsTransformationMethod(name);
        assert.ok(method?.signature, `${workspace.name}/${path.basename(uri)} ${definition.id}: documented method '${name}'`);
        let resolved = true;
        for (const section of ['InputClaims', 'OutputClaims']) {
          for (const list of childElements(definition.element, section)) {
            for (const entry of childElements(list)) {
              const claim = getAttribute(entry, 'ClaimTypeReferenceId')?.value ?? '';
              const dataType = claimDataType(effective, claim);
              if (dataType === undefined) resolved = false;
              if (counted) boundClaims++;
            }
          }
        }
        assert.ok(resolved, `${workspace.name}/${path.basename(uri)} ${definition.id}: every bound claim has a DataType in the chain`);
        if (!counted) continue;
        transformations++;
        methods.add(name);
      }
    }
  }
  t.diagnostic(`${transformations} transformations (${methods.size} methods, ${boundClaims} bound claims) checked in ${seenFiles.size} files`);
  // Measured on the corpus: 59 transformations of 13 methods.
  assert.equal(transformations, 59);
  assert.equal(methods.size, 13);
});

test('the rule finds nothing in the starter packs and scenarios', { skip: needsCorpus }, () => {
  for (const workspace of workspaces()) {
    const { service, uris } = serviceForFiles(workspace.files, false);
    for (const uri of uris) {
      const findings = runRule(service, uri, checkClaimsTransformations);
      assert.deepEqual(findings.map((f) => `${f.code}: ${f.message}`), [], `${workspace.name}/${path.basename(uri)}`);
    }
  }
});

/**
 * SocialAndLocalAccounts with one edit in its base: the rule's findings over all files, and every error or
 * warning of the checks the service runs today (schema included), which must stay empty.
 */
function mutateSocialAndLocalBase(edit: (text: string) => string): { baseUri: string; baseText: string; ruleFindings: Array<{ uri: string; finding: Finding }>; others: string[] } {
  const service = new Analysis({ schema: new SchemaCache().load(), log: (m) => { throw new Error(m); } });
  const uris: string[] = [];
  let baseUri = '';
  let baseText = '';
  for (const file of packFiles('SocialAndLocalAccounts')) {
    const uri = pathToFileURL(file).href;
    let text = readText(file);
    if (path.basename(file) === 'TrustFrameworkBase.xml') {
      const edited = edit(text);
      assert.notEqual(edited, text, 'the mutation applies');
      text = edited;
      baseUri = uri;
      baseText = text;
    }
    service.index.setDiskFile(uri, text);
    uris.push(uri);
  }
  assert.ok(baseUri, 'the pack has a TrustFrameworkBase.xml');
  const ruleFindings = uris.flatMap((uri) => runRule(service, uri, checkClaimsTransformations).map((finding) => ({ uri, finding })));
  const others = uris.flatMap((uri) =>
    service
      .findings(uri)
      .filter((f) => (f.severity === 'error' || f.severity === 'warning') && !RULE_CODES.has(f.code))
      .map((f) => `${path.basename(uri)} ${f.code}`),
  );
  return { baseUri, baseText, ruleFindings, others };
}

/** The offset of `needle` inside the block that starts at the first occurrence of `block`. */
function offsetAfter(text: string, block: string, needle: string): number {
  const start = text.indexOf(block);
  assert.ok(start >= 0, `'${block}' in the base`);
  const at = text.indexOf(needle, start);
  assert.ok(at >= 0, `'${needle}' after '${block}'`);
  return at;
}

test('mutation: item -> itemX in CreateOtherMailsFromEmail gives exactly one transformation-signature-mismatch', { skip: needsCorpus }, () => {
  const block = '<ClaimsTransformation Id="CreateOtherMailsFromEmail"';
  const needle = 'TransformationClaimType="item"';
  const result = mutateSocialAndLocalBase((text) => {
    const at = offsetAfter(text, block, needle) + needle.length - 1;
    return text.slice(0, at) + 'X' + text.slice(at);
  });
  const start = offsetAfter(result.baseText, block, 'TransformationClaimType="itemX"') + 'TransformationClaimType="'.length;
  assert.deepEqual(
    result.ruleFindings.map(({ uri, finding }) => ({ uri, code: finding.code, span: finding.span, unexpected: finding.data?.unexpected, missing: finding.data?.missing })),
    [{ uri: result.baseUri, code: 'transformation-signature-mismatch', span: { start, end: start + 'itemX'.length }, unexpected: ['itemX'], missing: ['item'] }],
  );
  assert.ok(result.ruleFindings[0].finding.message.includes('Declared but not expected: [String]itemX. Expected but not declared: [String]item.'));
  assert.deepEqual(result.others, []);
});

test('mutation: CreateRandomString -> CreateRandomStrings gives exactly one unknown-transformation-method', { skip: needsCorpus }, () => {
  const needle = 'TransformationMethod="CreateRandomString"';
  const result = mutateSocialAndLocalBase((text) => {
    const at = text.indexOf(needle) + needle.length - 1;
    return text.slice(0, at) + 's' + text.slice(at);
  });
  const start = result.baseText.indexOf('TransformationMethod="CreateRandomStrings"') + 'TransformationMethod="'.length;
  assert.deepEqual(
    result.ruleFindings.map(({ uri, finding }) => ({ uri, code: finding.code, span: finding.span, suggestions: finding.data?.suggestions })),
    [{ uri: result.baseUri, code: 'unknown-transformation-method', span: { start, end: start + 'CreateRandomStrings'.length }, suggestions: ['CreateRandomString'] }],
  );
  assert.deepEqual(result.others, []);
});

test('mutation: refreshTokensValidFromDateTime declared dateTime gives exactly the service-errors #15 mismatch on rightOperand', { skip: needsCorpus }, () => {
  const block = '<ClaimType Id="refreshTokensValidFromDateTime">';
  const result = mutateSocialAndLocalBase((text) => {
    const at = offsetAfter(text, block, '<DataType>string</DataType>');
    return text.slice(0, at) + '<DataType>dateTime</DataType>' + text.slice(at + '<DataType>string</DataType>'.length);
  });
  const bound = 'ClaimTypeReferenceId="refreshTokensValidFromDateTime" TransformationClaimType="rightOperand"';
  const start = result.baseText.indexOf(bound) + 'ClaimTypeReferenceId="'.length;
  assert.deepEqual(
    result.ruleFindings.map(({ uri, finding }) => ({ uri, code: finding.code, span: finding.span, transformationId: finding.data?.transformationId, name: finding.data?.name })),
    [
      {
        uri: result.baseUri,
        code: 'transformation-claim-type-mismatch',
        span: { start, end: start + 'refreshTokensValidFromDateTime'.length },
        transformationId: 'AssertRefreshTokenIssuedLaterThanValidFromDate',
        name: 'rightOperand',
      },
    ],
  );
  assert.match(result.ruleFindings[0].finding.message, /\[DateTime\]rightOperand .*Expected: \[String\]rightOperand\./);
  assert.deepEqual(result.others, []);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/service/edits/textEdits';
import { compactPolicy } from '../helpers/policies';
import { memoryWorkspace } from '../helpers/workspace';

const BODY = `  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="nonce"><DisplayName>n</DisplayName><DataType>string</DataType></ClaimType>
    </ClaimsSchema>
    <ClaimsTransformations>
      <ClaimsTransformation Id="CreateNonce" TransformationMethod="CreateRandomStrings">
        <InputParameters><InputParameter Id="randomGeneratorType" DataType="string" Value="GUID" /></InputParameters>
        <OutputClaims><OutputClaim ClaimTypeReferenceId="nonce" TransformationClaimType="outputClaim" /></OutputClaims>
      </ClaimsTransformation>
    </ClaimsTransformations>
  </BuildingBlocks>`;

test('unknown-transformation-method: the quick fix changes the method to the closest known one, and the finding goes away', () => {
  const { service, uri } = memoryWorkspace({ 'Base.xml': compactPolicy('B2C_1A_Base', BODY) });
  const diagnostics = service.diagnostics(uri('Base.xml'));
  const finding = diagnostics.find((d) => d.code === 'unknown-transformation-method');
  assert.ok(finding, JSON.stringify(diagnostics));
  const actions = service.codeActions(uri('Base.xml'), [finding]);
  assert.deepEqual(actions.map((a) => a.title), ["Change to 'CreateRandomString'"]);
  const fixed = applyEdits(service.text(uri('Base.xml'))!, actions[0].edit!.changes![uri('Base.xml')]);
  assert.ok(fixed.includes('TransformationMethod="CreateRandomString"'));
  service.openDocument(uri('Base.xml'), fixed);
  assert.deepEqual(service.diagnostics(uri('Base.xml')).filter((d) => d.severity === 1), []);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { LineIndex } from '../../server/src/service/xml/lines';
import { withCursor } from '../helpers/corpus';
import { compactPolicy } from '../helpers/policies';
import { memoryWorkspace } from '../helpers/workspace';

const CT = 'Handler="Web.TPEngine.Providers.ClaimsTransformationProtocolProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null"';
const body = (readerInput: string, stepTag = '<OrchestrationStep') => `  <BuildingBlocks><ClaimsSchema>
    <ClaimType Id="userId"><DisplayName>u</DisplayName><DataType>string</DataType></ClaimType>
    <ClaimType Id="name"><DisplayName>n</DisplayName><DataType>string</DataType></ClaimType>
    <ClaimType Id="zeta"><DisplayName>z</DisplayName><DataType>string</DataType></ClaimType>
  </ClaimsSchema></BuildingBlocks>
  <ClaimsProviders><ClaimsProvider><DisplayName>P</DisplayName><TechnicalProfiles>
    <TechnicalProfile Id="Producer"><DisplayName>p</DisplayName><Protocol Name="Proprietary" ${CT} /><OutputClaims><OutputClaim ClaimTypeReferenceId="zeta" /></OutputClaims></TechnicalProfile>
    <TechnicalProfile Id="Reader"><DisplayName>r</DisplayName><Protocol Name="Proprietary" ${CT} /><InputClaims>${readerInput}</InputClaims><OutputClaims><OutputClaim ClaimTypeReferenceId="name" /></OutputClaims></TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>
  <UserJourneys><UserJourney Id="J"><OrchestrationSteps>
    <OrchestrationStep Order="1" Type="ClaimsExchange"><ClaimsExchanges><ClaimsExchange Id="P" TechnicalProfileReferenceId="Producer" /></ClaimsExchanges></OrchestrationStep>
    ${stepTag} Order="2" Type="ClaimsExchange"><ClaimsExchanges><ClaimsExchange Id="R" TechnicalProfileReferenceId="Reader" /></ClaimsExchanges></OrchestrationStep>
    <OrchestrationStep Order="3" Type="SendClaims" />
  </OrchestrationSteps></UserJourney></UserJourneys>`;

function at(text: string, offset: number) {
  const { service, uri } = memoryWorkspace({ 'Base.xml': text });
  return { service, uri: uri('Base.xml'), position: new LineIndex(text).positionAt(offset) };
}

test('hover on an OrchestrationStep: the claims available before it and those it adds', () => {
  const { text, offset } = withCursor(compactPolicy('B2C_1A_Base', body('<InputClaim ClaimTypeReferenceId="zeta" />', '<Orchestration|Step')));
  const { service, uri, position } = at(text, offset);
  const value = (service.hover(uri, position)!.contents as MarkupContent).value;
  assert.match(value, /Step 2 of J/);
  assert.match(value, /Claims available before it: `zeta`/);
  assert.match(value, /Claims it can add: `name`/);
});

test('hover on an input claim of a profile: which earlier step produces it, or that none does', () => {
  const produced = withCursor(compactPolicy('B2C_1A_Base', body('<InputClaim ClaimTypeReferenceId="ze|ta" />')));
  let h = at(produced.text, produced.offset);
  assert.match((h.service.hover(h.uri, h.position)!.contents as MarkupContent).value, /J step 2: produced by step 1 \(Producer\)/);
  const missing = withCursor(compactPolicy('B2C_1A_Base', body('<InputClaim ClaimTypeReferenceId="user|Id" />')));
  h = at(missing.text, missing.offset);
  assert.match((h.service.hover(h.uri, h.position)!.contents as MarkupContent).value, /J step 2: \*\*no earlier step produces it\*\*/);
});

test('completion of an input claim of a profile ranks the claims available where it runs first', () => {
  const { text, offset } = withCursor(compactPolicy('B2C_1A_Base', body('<InputClaim ClaimTypeReferenceId="|" />')));
  const { service, uri, position } = at(text, offset);
  const items = service.completion(uri, position).filter((i) => ['name', 'userId', 'zeta'].includes(String(i.label)));
  const ordered = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((i) => i.label);
  assert.deepEqual(ordered, ['zeta', 'name', 'userId']);
  assert.match(String(items.find((i) => i.label === 'zeta')!.detail), /available here/);
  assert.doesNotMatch(String(items.find((i) => i.label === 'name')!.detail), /available here/);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { getHover } from '../../server/src/service/features/hover';
import { LineIndex } from '../../server/src/service/xml';
import { SchemaCache } from '../../server/src/schemaFile';
import { withCursor } from '../helpers/corpus';
import { compactPolicy as policy } from '../helpers/policies';

const schema = new SchemaCache().load();

const BASE = policy(
  'B2C_1A_Base',
  `  <BuildingBlocks>
    <ClaimsSchema>
      <ClaimType Id="email"><DisplayName>Email Address</DisplayName><DataType>string</DataType></ClaimType>
    </ClaimsSchema>
  </BuildingBlocks>
  <ClaimsProviders>
    <ClaimsProvider>
      <DisplayName>Azure Active Directory</DisplayName>
      <TechnicalProfiles>
        <TechnicalProfile Id="AAD-Common">
          <DisplayName>Azure Active Directory</DisplayName>
          <Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.AzureActiveDirectoryProvider, Web.TPEngine" />
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
  <UserJourneys>
    <UserJourney Id="SignUp">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="CombinedSignInAndSignUp">
          <ClaimsExchanges><ClaimsExchange Id="LocalSignIn" TechnicalProfileReferenceId="AAD-Common" /></ClaimsExchanges>
        </OrchestrationStep>
        <OrchestrationStep Order="2" Type="ClaimsExchange">
          <ClaimsExchanges><ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="AAD-Common" /></ClaimsExchanges>
        </OrchestrationStep>
      </OrchestrationSteps>
    </UserJourney>
  </UserJourneys>`,
);
const BASE_URI = 'file:///w/TrustFrameworkBase.xml';
const EXT_URI = 'file:///w/TrustFrameworkExtensions.xml';

const EXT = policy(
  'B2C_1A_Ext',
  `  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="Ext-Profile">
          <DisplayName>Ext</DisplayName>
          <Protocol Name="OpenIdConnect" />
          <OutputClaims><OutputClaim ClaimTypeReferenceId="email" /></OutputClaims>
          <IncludeTechnicalProfile ReferenceId="AAD-Common" />
        </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>
  <UserJourneys><UserJourney Id="SignUp"><OrchestrationSteps>
    <OrchestrationStep Order="1" Type="CombinedSignInAndSignUp">
      <ClaimsProviderSelections><ClaimsProviderSelection TargetClaimsExchangeId="FacebookExchange" /></ClaimsProviderSelections>
      <ClaimsExchanges><ClaimsExchange Id="LocalSignIn" TechnicalProfileReferenceId="Ext-Profile" /></ClaimsExchanges>
    </OrchestrationStep>
  </OrchestrationSteps></UserJourney></UserJourneys>`,
  'B2C_1A_Base',
);

function service(): Analysis {
  const s = new Analysis({ schema });
  s.index.setOpenDocument(BASE_URI, BASE);
  s.index.setOpenDocument(EXT_URI, EXT);
  return s;
}

/** Hover at the offset of `needle` in the Extensions text plus `delta`. */
function hoverAt(needle: string, delta = 0, nth = 0): { hover: Hover | undefined; covered: string } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = EXT.indexOf(needle, at + 1);
  assert.ok(at >= 0, `'${needle}' in the test policy`);
  const h = getHover(service(), schema, EXT_URI, at + delta);
  let covered = '';
  if (h?.range) {
    const lines = new LineIndex(EXT);
    covered = EXT.slice(lines.offsetAt(h.range.start), lines.offsetAt(h.range.end));
  }
  return { hover: h, covered };
}

const value = (h: Hover | undefined) => (h?.contents as MarkupContent).value;

test('hover on an element name (start and end tag): the schema documentation', () => {
  const start = hoverAt('<Protocol Name="OpenIdConnect"', 3);
  assert.equal(start.covered, 'Protocol');
  assert.match(value(start.hover), /^\*\*Protocol\*\*\n\nWhich protocol the profile speaks/);

  const end = hoverAt('</TechnicalProfile>', 5);
  assert.equal(end.covered, 'TechnicalProfile');
  assert.match(value(end.hover), /^\*\*TechnicalProfile\*\*\n\n\S/);
});

test('hover on an attribute name: documentation, required, enumeration summary', () => {
  const { hover, covered } = hoverAt('Name="OpenIdConnect"', 1);
  assert.equal(covered, 'Name');
  const text = value(hover);
  assert.match(text, /^\*\*Name\*\* \(required\) · one of .*`OAuth2`.*`OpenIdConnect`/);
  assert.match(text, /Protocol name/);

  const optional = hoverAt('Type="CombinedSignInAndSignUp"', 0);
  assert.equal(optional.covered, 'Type');
  assert.match(value(optional.hover), /^\*\*Type\*\* \(required\)/);
});

test('hover on a reference value: kind, id, defining file and line, summary', () => {
  const profile = hoverAt('IncludeTechnicalProfile ReferenceId="AAD-Common"', 'IncludeTechnicalProfile ReferenceId="'.length + 2);
  assert.equal(profile.covered, 'AAD-Common');
  const line = BASE.slice(0, BASE.indexOf('Id="AAD-Common"')).split('\n').length;
  assert.equal(
    value(profile.hover),
    `**TechnicalProfile** \`AAD-Common\`\n\nDefined in [\`TrustFrameworkBase.xml\` line ${line}](${BASE_URI}#L${line})\n\nDisplayName: Azure Active Directory · Protocol: Proprietary`,
  );

  const claim = hoverAt('ClaimTypeReferenceId="email"', 'ClaimTypeReferenceId="'.length);
  assert.equal(claim.covered, 'email');
  assert.match(value(claim.hover), /^\*\*ClaimType\*\* `email`\n\nDefined in \[`TrustFrameworkBase.xml` line (\d+)\]\(file:\/\/\/w\/TrustFrameworkBase\.xml#L\1\)\n\nDisplayName: Email Address · DataType: string$/);

  const local = hoverAt('TechnicalProfileReferenceId="Ext-Profile"', 'TechnicalProfileReferenceId="'.length + 1);
  assert.equal(local.covered, 'Ext-Profile');
  assert.match(value(local.hover), /Defined in \[`TrustFrameworkExtensions.xml` line 4\]\(file:\/\/\/w\/TrustFrameworkExtensions\.xml#L4\)\n\nDisplayName: Ext · Protocol: OpenIdConnect/);

  const exchange = hoverAt('TargetClaimsExchangeId="FacebookExchange"', 'TargetClaimsExchangeId="'.length);
  assert.equal(exchange.covered, 'FacebookExchange');
  assert.match(value(exchange.hover), /^\*\*ClaimsExchange\*\* `FacebookExchange`\n\nOrchestration step 2 of journey `SignUp`, defined in \[`TrustFrameworkBase.xml` line (\d+)\]\(file:\/\/\/w\/TrustFrameworkBase\.xml#L\1\)/);
});

test('no hover on white space or text without meaning', () => {
  const { text, offset } = withCursor(EXT.replace('<DisplayName>Ext', '<DisplayName>E|xt'));
  const s = new Analysis({ schema });
  s.index.setOpenDocument(EXT_URI, text);
  assert.equal(getHover(s, schema, EXT_URI, offset), undefined);
});

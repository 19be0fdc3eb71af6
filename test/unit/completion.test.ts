import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { getCompletions } from '../../server/src/service/features/completion';
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
      <ClaimType Id="objectId"><DisplayName>User's Object ID</DisplayName><DataType>string</DataType></ClaimType>
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
        <TechnicalProfile Id="SelfAsserted-Input">
          <DisplayName>Sign up</DisplayName>
          <Protocol Name="Proprietary" />
        </TechnicalProfile>
      </TechnicalProfiles>
    </ClaimsProvider>
  </ClaimsProviders>
  <UserJourneys>
    <UserJourney Id="SignUp">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="CombinedSignInAndSignUp">
          <ClaimsExchanges><ClaimsExchange Id="LocalSignIn" TechnicalProfileReferenceId="SelfAsserted-Input" /></ClaimsExchanges>
        </OrchestrationStep>
        <OrchestrationStep Order="2" Type="ClaimsExchange">
          <ClaimsExchanges>
            <ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="AAD-Common" />
            <ClaimsExchange Id="SignUpWithLogonEmailExchange" TechnicalProfileReferenceId="SelfAsserted-Input" />
          </ClaimsExchanges>
        </OrchestrationStep>
        <OrchestrationStep Order="3" Type="ClaimsExchange">
          <ClaimsExchanges><ClaimsExchange Id="AADUserReadWithObjectId" TechnicalProfileReferenceId="AAD-Common" /></ClaimsExchanges>
        </OrchestrationStep>
      </OrchestrationSteps>
    </UserJourney>
  </UserJourneys>`,
);

const BASE_URI = 'file:///w/TrustFrameworkBase.xml';
const EXT_URI = 'file:///w/TrustFrameworkExtensions.xml';

function extensions(body: string): string {
  return policy('B2C_1A_Ext', body, 'B2C_1A_Base');
}

/** A service with the base and an Extensions file whose text has a `|` cursor marker. */
function complete(marked: string, uri = EXT_URI): { items: CompletionItem[]; text: string; offset: number } {
  const { text, offset } = withCursor(marked);
  const service = new Analysis({ schema });
  service.index.setOpenDocument(BASE_URI, BASE);
  service.index.setOpenDocument(uri, text);
  return { items: getCompletions(service, schema, uri, offset), text, offset };
}

function apply(text: string, edit: TextEdit | undefined): string {
  assert.ok(edit, 'item has a textEdit');
  const lines = new LineIndex(text);
  const start = lines.offsetAt(edit.range.start);
  const end = lines.offsetAt(edit.range.end);
  return text.slice(0, start) + edit.newText + text.slice(end);
}

/** Snippet tab stops removed: the text the user sees before typing into the placeholders. */
const plain = (s: string) => s.replace(/\$\{\d+(:[^}]*)?\}|\$\d+/g, '');

function item(items: CompletionItem[], label: string): CompletionItem {
  const found = items.find((i) => i.label === label);
  assert.ok(found, `no item '${label}' in ${items.map((i) => i.label).join(', ')}`);
  return found;
}

function editOf(i: CompletionItem): TextEdit {
  return i.textEdit as TextEdit;
}

test('child elements of TechnicalProfile after DisplayName: in content-model order, with documentation', () => {
  const marked = extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="T">
          <DisplayName>T</DisplayName>
          |
        </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`);
  const { items, text } = complete(marked);
  const labels = items.map((i) => i.label);
  assert.ok(!labels.includes('DisplayName'), 'DisplayName is not offered again');
  assert.ok(!labels.includes('Domain'), 'Domain precedes DisplayName in the model');
  assert.ok(labels.includes('Description') && labels.includes('Protocol') && labels.includes('Metadata'));
  assert.ok(labels.indexOf('Description') < labels.indexOf('Protocol'));
  assert.ok(labels.indexOf('Protocol') < labels.indexOf('Metadata'));
  const sorted = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
  assert.deepEqual(sorted, labels);
  const protocol = item(items, 'Protocol');
  assert.equal(protocol.insertTextFormat, 2);
  assert.match((protocol.documentation as { value: string }).value, /protocol/i);
  const after = plain(apply(text, editOf(protocol)));
  assert.match(after, /<DisplayName>T<\/DisplayName>\n {10}<Protocol Name="" \/>\n {8}<\/TechnicalProfile>/);
  const metadata = plain(apply(text, editOf(item(items, 'Metadata'))));
  assert.match(metadata, /<DisplayName>T<\/DisplayName>\n {10}<Metadata><\/Metadata>\n/);
});

test('after "<" and in an unfinished tag: element names replacing the typed partial name', () => {
  const bare = complete(extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="T">
          <DisplayName>T</DisplayName>
          <|
        </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`));
  const description = item(bare.items, 'Description');
  assert.equal(plain(editOf(description).newText), 'Description></Description>');
  assert.match(plain(apply(bare.text, editOf(description))), /\n {10}<Description><\/Description>\n {8}<\/TechnicalProfile>/);

  const partial = complete(extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <Tech|
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`));
  assert.deepEqual(partial.items.map((i) => i.label), ['TechnicalProfile']);
  const after = plain(apply(partial.text, editOf(partial.items[0])));
  assert.match(after, /<TechnicalProfiles>\n {8}<TechnicalProfile Id=""><\/TechnicalProfile>\n {2}<\/TechnicalProfiles>/);

  // Renaming the name of a finished start tag inserts the name only.
  const rename = complete(extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><Tech|nicalProfiles>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`));
  const tps = item(rename.items, 'TechnicalProfiles');
  assert.equal(editOf(tps).newText, 'TechnicalProfiles');
  assert.match(apply(rename.text, editOf(tps)), /<\/DisplayName><TechnicalProfiles>\n/);
});

test('attribute names: those not yet present, required first, inserted as Name="$1"', () => {
  const { items, text } = complete(extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="T"><DisplayName>T</DisplayName><Protocol Handler="h" |/></TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`));
  assert.deepEqual(items.map((i) => i.label), ['Name']);
  assert.equal(editOf(items[0]).newText, 'Name="$1"');
  assert.equal(items[0].insertTextFormat, 2);
  assert.match(plain(apply(text, editOf(items[0]))), /<Protocol Handler="h" Name=""\/>/);

  const tp = complete(extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile |>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`));
  assert.equal(tp.items[0].label, 'Id');
  assert.equal(tp.items[0].detail, 'required');
});

test('enumeration values of Protocol/@Name', () => {
  const { items, text } = complete(extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="T"><DisplayName>T</DisplayName><Protocol Name="|" /></TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`));
  const labels = items.map((i) => i.label);
  for (const value of ['OAuth2', 'OpenIdConnect', 'Proprietary', 'SAML2', 'None']) assert.ok(labels.includes(value), `${value} in ${labels}`);
  assert.match(apply(text, editOf(item(items, 'OpenIdConnect'))), /<Protocol Name="OpenIdConnect" \/>/);

  // A partial value is replaced whole, up to the closing quote.
  const partial = complete(extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="T"><DisplayName>T</DisplayName><Protocol Name="Open|Id" /></TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`));
  assert.match(apply(partial.text, editOf(item(partial.items, 'OpenIdConnect'))), /<Protocol Name="OpenIdConnect" \/>/);
});

test('element text enumeration: <DataType>', () => {
  const { items, text } = complete(extensions(`  <BuildingBlocks><ClaimsSchema>
      <ClaimType Id="x"><DisplayName>x</DisplayName><DataType>str|</DataType></ClaimType>
  </ClaimsSchema></BuildingBlocks>`));
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('string') && labels.includes('boolean') && labels.includes('stringCollection'), labels.join(','));
  assert.match(apply(text, editOf(item(items, 'stringCollection'))), /<DataType>stringCollection<\/DataType>/);
});

test('TechnicalProfileReferenceId: technical profiles of the whole chain, with the defining file', () => {
  const { items, text } = complete(extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="Ext-Profile"><DisplayName>E</DisplayName><Protocol Name="Proprietary" /></TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>
  <UserJourneys><UserJourney Id="J"><OrchestrationSteps>
    <OrchestrationStep Order="1" Type="ClaimsExchange"><ClaimsExchanges><ClaimsExchange Id="E" TechnicalProfileReferenceId="|" /></ClaimsExchanges></OrchestrationStep>
  </OrchestrationSteps></UserJourney></UserJourneys>`));
  assert.deepEqual(items.map((i) => i.label).sort(), ['AAD-Common', 'Ext-Profile', 'SelfAsserted-Input']);
  assert.equal(item(items, 'AAD-Common').detail, 'TechnicalProfile (TrustFrameworkBase.xml)');
  assert.equal(item(items, 'Ext-Profile').detail, 'TechnicalProfile (TrustFrameworkExtensions.xml)');
  assert.match((item(items, 'AAD-Common').documentation as { value: string }).value, /Azure Active Directory.*Proprietary/);
  assert.match(apply(text, editOf(item(items, 'AAD-Common'))), /<ClaimsExchange Id="E" TechnicalProfileReferenceId="AAD-Common" \/>/);
});

test('TargetClaimsExchangeId: only the exchanges of the next step of the effective journey', () => {
  // Extensions overrides step 1; step 2 comes from the base.
  const { items, text } = complete(extensions(`  <UserJourneys><UserJourney Id="SignUp"><OrchestrationSteps>
    <OrchestrationStep Order="1" Type="CombinedSignInAndSignUp">
      <ClaimsProviderSelections>
        <ClaimsProviderSelection TargetClaimsExchangeId="|" />
        <ClaimsProviderSelection ValidationClaimsExchangeId="" />
      </ClaimsProviderSelections>
      <ClaimsExchanges><ClaimsExchange Id="LocalSignIn2" TechnicalProfileReferenceId="SelfAsserted-Input" /></ClaimsExchanges>
    </OrchestrationStep>
  </OrchestrationSteps></UserJourney></UserJourneys>`));
  assert.deepEqual(items.map((i) => i.label), ['FacebookExchange', 'SignUpWithLogonEmailExchange']);
  assert.match(items[0].detail!, /step 2 \(TrustFrameworkBase\.xml\)/);
  assert.match(apply(text, editOf(items[1])), /<ClaimsProviderSelection TargetClaimsExchangeId="SignUpWithLogonEmailExchange" \/>/);

  const same = complete(extensions(`  <UserJourneys><UserJourney Id="SignUp"><OrchestrationSteps>
    <OrchestrationStep Order="1" Type="CombinedSignInAndSignUp">
      <ClaimsProviderSelections><ClaimsProviderSelection ValidationClaimsExchangeId="|" /></ClaimsProviderSelections>
      <ClaimsExchanges><ClaimsExchange Id="LocalSignIn2" TechnicalProfileReferenceId="SelfAsserted-Input" /></ClaimsExchanges>
    </OrchestrationStep>
  </OrchestrationSteps></UserJourney></UserJourneys>`));
  assert.deepEqual(same.items.map((i) => i.label), ['LocalSignIn2']);
});

test('mid-typing: an open quote at the end of a line, more elements below', () => {
  const { items, text } = complete(extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="T"><DisplayName>T</DisplayName><Protocol Name="Proprietary" />
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="|
            <OutputClaim ClaimTypeReferenceId="objectId" />
          </OutputClaims>
        </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`));
  assert.deepEqual(items.map((i) => i.label), ['email', 'objectId']);
  assert.equal(item(items, 'email').detail, 'ClaimType (TrustFrameworkBase.xml)');
  const after = apply(text, editOf(item(items, 'email')));
  assert.match(after, /<OutputClaim ClaimTypeReferenceId="email"\n {12}<OutputClaim ClaimTypeReferenceId="objectId" \/>/);

  // Partial value with an open quote: the typed part is replaced, the closing quote added.
  const partial = complete(extensions(`  <ClaimsProviders><ClaimsProvider><DisplayName>x</DisplayName><TechnicalProfiles>
        <TechnicalProfile Id="T"><DisplayName>T</DisplayName><Protocol Name="Proprietary" />
          <OutputClaims>
            <OutputClaim ClaimTypeReferenceId="obj|
          </OutputClaims>
        </TechnicalProfile>
  </TechnicalProfiles></ClaimsProvider></ClaimsProviders>`));
  assert.match(apply(partial.text, editOf(item(partial.items, 'objectId'))), /<OutputClaim ClaimTypeReferenceId="objectId"\n {10}<\/OutputClaims>/);
});

test('no completions inside a comment', () => {
  const { items } = complete(extensions(`  <!-- <Tech| -->`));
  assert.deepEqual(items, []);
});

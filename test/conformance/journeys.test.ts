import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Analysis } from '../../server/src/service/analysis/analysis';
import type { Finding } from '../../server/src/service/findings';
import { CORPUS_DIR, corpusPacks, needsCorpus, readText } from '../helpers/corpus';

const JOURNEY_CODES = new Set(['input-claim-not-produced', 'output-claim-not-produced', 'journey-without-send-claims', 'exchanges-without-selection', 'step-order-gap', 'step-override-type-change']);

function pack(name: string): Map<string, string> {
  const dir = path.join(CORPUS_DIR, name);
  return new Map(fs.readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().map((f) => [`file:///pack/${name}/${f}`, readText(path.join(dir, f))]));
}

function journeyFindings(texts: Map<string, string>): Array<{ file: string; finding: Finding }> {
  const analysis = new Analysis({ log: (m) => { throw new Error(m); } });
  for (const [uri, text] of texts) analysis.index.setDiskFile(uri, text);
  return [...texts.keys()].flatMap((uri) => analysis.findings(uri).filter((f) => JOURNEY_CODES.has(f.code)).map((finding) => ({ file: path.basename(uri), finding })));
}

function edit(texts: Map<string, string>, file: string, from: string, to: string, count = 1): Map<string, string> {
  const uri = [...texts.keys()].find((u) => u.endsWith(`/${file}`))!;
  const text = texts.get(uri)!;
  assert.equal(text.split(from).length - 1, count, `${file}: '${from}' occurs ${count} time(s)`);
  return new Map(texts).set(uri, text.split(from).join(to));
}

test('the starter packs and scenarios give no finding of the journey checks', { skip: needsCorpus }, () => {
  const packs = corpusPacks();
  assert.equal(packs.length, 11);
  for (const name of packs) assert.deepEqual(journeyFindings(pack(name)).map((f) => `${f.file}: ${f.finding.message}`), [], name);
});

test('removing the Facebook button and exchange from SignUpOrSignIn: the service\'s own findings (alternativeSecurityId at steps 3 and 6, the relying party\'s identityProvider)', { skip: needsCorpus }, () => {
  let texts = pack('SocialAndLocalAccounts');
  const journey = (text: string) => text.slice(text.indexOf('<UserJourney Id="SignUpOrSignIn">'), text.indexOf('</UserJourney>', text.indexOf('<UserJourney Id="SignUpOrSignIn">')));
  const base = [...texts].find(([u]) => u.endsWith('/TrustFrameworkBase.xml'))!;
  const original = journey(base[1]);
  const edited = original
    .replace('            <ClaimsProviderSelection TargetClaimsExchangeId="FacebookExchange" />\n', '')
    .replace('            <ClaimsExchange Id="FacebookExchange" TechnicalProfileReferenceId="Facebook-OAUTH" />\n', '');
  assert.notEqual(edited, original);
  texts = edit(texts, 'TrustFrameworkBase.xml', original, edited);
  const findings = journeyFindings(texts);
  assert.deepEqual(findings.map(({ file, finding }) => `${file} ${finding.code} ${finding.data?.claim} ${finding.data?.profile ?? ''} ${finding.data?.step ?? ''}`.trim()).sort(), [
    'SignUpOrSignin.xml output-claim-not-produced identityProvider',
    'TrustFrameworkBase.xml input-claim-not-produced alternativeSecurityId AAD-UserReadUsingAlternativeSecurityId-NoError 3',
    'TrustFrameworkBase.xml input-claim-not-produced alternativeSecurityId AAD-UserWriteUsingAlternativeSecurityId 6',
  ]);
  const step3 = findings.find((f) => f.finding.data?.step === 3)!.finding;
  // The service's message #8, with its facts: the claim, the profile, the step and the journey.
  assert.match(step3.message, /^Claim type "alternativeSecurityId" is the input claim of technical profile "AAD-UserReadUsingAlternativeSecurityId-NoError" in step "3" of user journey "SignUpOrSignIn", but it is not an output claim in any of the previous steps\. It is produced by Facebook-OAUTH \(TrustFrameworkBase\.xml\)/);
  const rp = findings.find((f) => f.finding.code === 'output-claim-not-produced')!.finding;
  assert.match(rp.message, /^Claim type "identityProvider" is the output claim of the relying party's technical profile, but it is not an output claim in any of the steps of user journey "SignUpOrSignIn"\./);
});

test('a journey without its SendClaims step (service message #11), in every main pack', { skip: needsCorpus }, () => {
  for (const name of ['LocalAccounts', 'SocialAccounts', 'SocialAndLocalAccounts', 'SocialAndLocalAccountsWithMfa']) {
    let texts = pack(name);
    const base = [...texts].find(([u]) => u.endsWith('/TrustFrameworkBase.xml'))![1];
    // The first user journey of the base, without its SendClaims step.
    const start = base.indexOf('<UserJourney Id="');
    const id = /<UserJourney Id="([^"]+)"/.exec(base.slice(start))![1];
    const journey = base.slice(start, base.indexOf('</UserJourney>', start));
    const send = /\s*<OrchestrationStep Order="\d+" Type="SendClaims" CpimIssuerTechnicalProfileReferenceId="JwtIssuer" \/>/.exec(journey)![0];
    texts = edit(texts, 'TrustFrameworkBase.xml', journey, journey.replace(send, ''));
    assert.deepEqual(journeyFindings(texts).map(({ file, finding }) => `${file} ${finding.code} ${finding.data?.journeyId}`), [`TrustFrameworkBase.xml journey-without-send-claims ${id}`], name);
  }
});

test('an Extensions journey that reuses the base journey\'s Id and replaces its selection step: several exchanges without a selection (#10), with the merge note', { skip: needsCorpus }, () => {
  let texts = pack('SocialAndLocalAccounts');
  const override = `<UserJourneys>
    <UserJourney Id="SignUpOrSignIn">
      <OrchestrationSteps>
        <OrchestrationStep Order="1" Type="ClaimsExchange">
          <ClaimsExchanges>
            <ClaimsExchange Id="LocalAccountSigninEmailExchange" TechnicalProfileReferenceId="SelfAsserted-LocalAccountSignin-Email" />
          </ClaimsExchanges>
        </OrchestrationStep>
      </OrchestrationSteps>
    </UserJourney>
  </UserJourneys>
</TrustFrameworkPolicy>`;
  texts = edit(texts, 'TrustFrameworkExtensions.xml', '</TrustFrameworkPolicy>', override);
  const findings = journeyFindings(texts).filter((f) => f.finding.code === 'exchanges-without-selection');
  assert.deepEqual(findings.map((f) => `${f.file} ${f.finding.data?.journeyId} ${f.finding.data?.order}`), ['TrustFrameworkExtensions.xml SignUpOrSignIn 2']);
  assert.match(findings[0].finding.message, /has step 2 with 2 claims exchanges\. It must be preceded by a claims provider selection/);
  assert.match(findings[0].finding.message, /the journey Id is declared in TrustFrameworkBase\.xml and TrustFrameworkExtensions\.xml, so their steps merge by Order/);
});

test('an Extensions step that replaces the base\'s SendClaims step with an exchange: the override warning and no SendClaims', { skip: needsCorpus }, () => {
  let texts = pack('SocialAndLocalAccounts');
  const override = `<UserJourneys>
    <UserJourney Id="SignUpOrSignIn">
      <OrchestrationSteps>
        <OrchestrationStep Order="7" Type="ClaimsExchange">
          <ClaimsExchanges>
            <ClaimsExchange Id="ReadAgain" TechnicalProfileReferenceId="AAD-UserReadUsingObjectId" />
          </ClaimsExchanges>
        </OrchestrationStep>
      </OrchestrationSteps>
    </UserJourney>
  </UserJourneys>
</TrustFrameworkPolicy>`;
  texts = edit(texts, 'TrustFrameworkExtensions.xml', '</TrustFrameworkPolicy>', override);
  const findings = journeyFindings(texts);
  assert.deepEqual(findings.map((f) => `${f.file} ${f.finding.code} ${f.finding.severity}`).sort(), [
    'TrustFrameworkExtensions.xml journey-without-send-claims error',
    'TrustFrameworkExtensions.xml step-override-type-change warning',
  ]);
  assert.match(findings.find((f) => f.finding.code === 'step-override-type-change')!.finding.message, /^Step 7 of SignUpOrSignIn \(SendClaims in TrustFrameworkBase\.xml\) is replaced by a ClaimsExchange step/);
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MAX_GRAPH_NODES, type GraphNode, type JourneyGraph } from '../../server/src/graph/model';
import { BASE_XML, EXT_XML, positionOf, rangeOf, RP_XML } from '../helpers/journeyPolicies';
import { compactPolicy } from '../helpers/policies';
import { memoryWorkspace } from '../helpers/workspace';

function chain(files: Record<string, string> = {}) {
  return memoryWorkspace({ 'Base.xml': BASE_XML, 'Ext.xml': EXT_XML, 'RP.xml': RP_XML, ...files });
}

function graphOf(result: JourneyGraph | { error: string }): JourneyGraph {
  if ('error' in result) assert.fail(result.error);
  return result;
}

const node = (g: JourneyGraph, id: string): GraphNode => {
  const n = g.nodes.find((x) => x.id === id);
  assert.ok(n, `node ${id}; nodes: ${g.nodes.map((x) => x.id).join(', ')}`);
  return n;
};
const edges = (g: JourneyGraph, kind: string) => g.edges.filter((e) => e.kind === kind).map((e) => [e.from, e.to, e.label ?? '']);

test('the relying party\'s journey: steps in Order with the file each comes from, the override marked, preconditions on the sequence edges', () => {
  const { service, uri } = chain();
  const g = graphOf(service.journeyGraph(uri('RP.xml'), { line: 0, character: 0 }));
  assert.equal(g.version, 1);
  assert.deepEqual(g.journey.id, 'SignIn');
  assert.deepEqual(g.chain.map((c) => c.policyId), ['B2C_1A_RP', 'B2C_1A_Ext', 'B2C_1A_Base']);
  assert.deepEqual(g.relyingParty, { uri: uri('RP.xml'), policyId: 'B2C_1A_RP', defaultUserJourney: 'SignIn' });
  const steps = g.nodes.filter((n) => n.kind === 'step');
  assert.deepEqual(
    steps.map((s) => [s.id, s.label, s.step!.uri]),
    [
      ['step:1', '1 CombinedSignInAndSignUp', uri('Base.xml')],
      ['step:2', '2 ClaimsExchange', uri('Base.xml')],
      ['step:3', '3 ClaimsExchange', uri('Ext.xml')],
      ['step:4', '4 SendClaims', uri('Base.xml')],
    ],
  );
  assert.deepEqual(node(g, 'step:3').step!.replaced, { location: { uri: uri('Base.xml'), range: rangeOf(BASE_XML, 'Order="3"', '3') }, type: 'ClaimsExchange' });
  assert.equal(node(g, 'step:2').step!.replaced, undefined);
  // The step opens at its Order in the file whose version is in effect.
  assert.deepEqual(node(g, 'step:3').location, { uri: uri('Ext.xml'), range: rangeOf(EXT_XML, 'Order="3"', '3') });
  assert.deepEqual(node(g, 'step:3/exchange:ReadAgainExchange').parent, 'step:3');
  assert.ok(!g.nodes.some((n) => n.id === 'step:3/exchange:ReadExchange'), 'the replaced step\'s exchange is not drawn');
  assert.deepEqual(edges(g, 'sequence'), [
    ['journey', 'step:1', ''],
    ['step:1', 'step:2', 'skipped if objectId exists'],
    ['step:2', 'step:3', ''],
    ['step:3', 'step:4', ''],
  ]);
  assert.deepEqual(node(g, 'step:2').step!.preconditions, ['skipped if objectId exists']);
});

test('selections: a branch from the selecting step to the exchange of the next step, labelled with the profile\'s display name; the validation exchange is marked', () => {
  const { service, uri } = chain();
  const g = graphOf(service.journeyGraph(uri('RP.xml'), { line: 0, character: 0 }));
  assert.deepEqual(edges(g, 'selection'), [['step:1', 'step:2/exchange:SocialExchange', 'Contoso Social']]);
  assert.equal(node(g, 'step:2/exchange:SocialExchange').exchange!.selectedBy, 'button');
  assert.equal(node(g, 'step:1/exchange:LocalExchange').exchange!.selectedBy, 'validation');
  assert.equal(node(g, 'step:3/exchange:ReadAgainExchange').exchange!.selectedBy, undefined);
  assert.deepEqual(node(g, 'step:2/exchange:SocialExchange').exchange!.location, { uri: uri('Base.xml'), range: rangeOf(BASE_XML, 'ClaimsExchange Id="SocialExchange"', 'SocialExchange') });
});

test('exchanges with their technical profiles (protocol, handler, type, every declaration), validation profiles and the issuer; a click opens the root-most declaration at its Id', () => {
  const { service, uri } = chain();
  const g = graphOf(service.journeyGraph(uri('RP.xml'), { line: 0, character: 0 }));
  const local = node(g, 'step:1/exchange:LocalExchange');
  assert.equal(local.label, 'LocalExchange');
  assert.deepEqual(local.profile, {
    id: 'SelfAsserted-Signin',
    found: true,
    displayName: 'Local sign-in',
    protocol: 'Proprietary',
    handler: 'SelfAssertedAttributeProvider',
    type: 'self-asserted',
    declarations: [{ uri: uri('Base.xml'), range: rangeOf(BASE_XML, 'Id="SelfAsserted-Signin"', 'SelfAsserted-Signin') }],
  });
  const social = node(g, 'step:2/exchange:SocialExchange');
  assert.deepEqual(
    social.profile!.declarations.map((d) => d.uri),
    [uri('Ext.xml'), uri('Base.xml')],
  );
  assert.deepEqual(social.location, { uri: uri('Base.xml'), range: rangeOf(BASE_XML, 'Id="Social-IdP"', 'Social-IdP') });
  assert.equal(social.profile!.type, 'oauth2');
  const validation = node(g, 'step:1/exchange:LocalExchange/validation:Login');
  assert.equal(validation.parent, 'step:1');
  assert.equal(validation.profile!.protocol, 'OpenIdConnect');
  assert.deepEqual(edges(g, 'validation'), [['step:1/exchange:LocalExchange', 'step:1/exchange:LocalExchange/validation:Login', '']]);
  const issuer = node(g, 'step:4/issuer');
  assert.equal(issuer.parent, 'step:4');
  assert.equal(issuer.label, 'JwtIssuer');
  assert.equal(issuer.profile!.type, 'jwt-issuer');
  assert.deepEqual(issuer.location, { uri: uri('Base.xml'), range: rangeOf(BASE_XML, 'Id="JwtIssuer"', 'JwtIssuer') });
});

test('claims: each step lists what it adds that was not there before; the index names the nodes that produce and read a claim', () => {
  const { service, uri } = chain();
  const g = graphOf(service.journeyGraph(uri('RP.xml'), { line: 0, character: 0 }));
  assert.deepEqual(node(g, 'step:1').claims, { added: ['email', 'objectId'], used: [] });
  assert.deepEqual(node(g, 'step:2').claims, { added: [], used: ['objectId'] }, 'email again is nothing new; the precondition reads objectId');
  assert.deepEqual(node(g, 'step:3').claims.added, ['displayName']);
  // The exchange's own products, without what its validation profile adds (a node of its own).
  assert.deepEqual(node(g, 'step:1/exchange:LocalExchange').claims, { added: ['email'], used: [] });
  assert.deepEqual(node(g, 'step:1/exchange:LocalExchange/validation:Login').claims, { added: ['objectId'], used: ['email'] });
  // The issuer reads what the relying party's token carries.
  assert.deepEqual(node(g, 'step:4/issuer').claims.used, ['displayName', 'objectId']);
  assert.deepEqual(g.claims.find((c) => c.id === 'objectId'), {
    id: 'objectId',
    producedBy: ['step:1', 'step:1/exchange:LocalExchange/validation:Login'],
    usedBy: ['step:2', 'step:3/exchange:ReadAgainExchange', 'step:4/issuer'],
  });
});

test('sub-journeys: a node inside the invoking step that holds the sub-journey\'s steps; an invocation of itself is cut and marked', () => {
  const { service, uri } = chain();
  const g = graphOf(service.journeyGraph(uri('RP.xml'), { journeyId: 'WithSub' }));
  const sub = node(g, 'step:1/subJourney:Sub');
  assert.equal(sub.parent, 'step:1');
  assert.deepEqual(sub.subJourney, { id: 'Sub', type: 'Call', found: true, cycle: undefined });
  assert.deepEqual(sub.location, { uri: uri('Base.xml'), range: rangeOf(BASE_XML, 'SubJourney Id="Sub"', 'Sub') });
  assert.equal(node(g, 'step:1/subJourney:Sub/step:1').parent, sub.id);
  assert.equal(node(g, 'step:1/subJourney:Sub/step:1/exchange:SubLocalExchange').profile!.id, 'SelfAsserted-Signin');
  assert.deepEqual(sub.claims.added, ['email', 'objectId']);
  assert.deepEqual(edges(g, 'sequence'), [['journey', 'step:1', ''], ['step:1', 'step:2', '']], 'the sub-journey\'s first step has no edge from outside');

  const loop = graphOf(service.journeyGraph(uri('Base.xml'), { journeyId: 'Loop' }));
  assert.equal(loop.journey.kind, 'subJourney');
  assert.deepEqual(node(loop, 'step:1/subJourney:Loop').subJourney, { id: 'Loop', type: 'Call', found: true, cycle: true });
  assert.ok(!loop.nodes.some((n) => n.parent === 'step:1/subJourney:Loop'), 'nothing inside the cut invocation');
});

test('findings sit on the innermost node: an unresolved profile on its exchange (profile not found), not on the step or the journey', () => {
  const broken = EXT_XML.replace('TechnicalProfileReferenceId="Reader"', 'TechnicalProfileReferenceId="Nope"');
  const { service, uri } = chain({ 'Ext.xml': broken });
  const g = graphOf(service.journeyGraph(uri('RP.xml'), { line: 0, character: 0 }));
  const exchange = node(g, 'step:3/exchange:ReadAgainExchange');
  assert.deepEqual(exchange.profile, { id: 'Nope', found: false, declarations: [] });
  assert.deepEqual(exchange.location, { uri: uri('Ext.xml'), range: rangeOf(broken, 'Id="ReadAgainExchange"', 'ReadAgainExchange') }, 'without a profile the exchange opens at itself');
  const unresolved = exchange.findings.filter((f) => f.code === 'unresolved-reference');
  assert.equal(unresolved.length, 1);
  assert.equal(unresolved[0].severity, 'error');
  assert.deepEqual(unresolved[0].location, { uri: uri('Ext.xml'), range: rangeOf(broken, 'TechnicalProfileReferenceId="Nope"', 'Nope') });
  for (const id of ['step:3', 'journey', 'step:2']) assert.ok(!node(g, id).findings.some((f) => f.code === 'unresolved-reference'), `${id} has no unresolved-reference`);
  // The untouched chain has no error anywhere in the picture.
  const clean = graphOf(chain().service.journeyGraph(uri('RP.xml'), { line: 0, character: 0 }));
  assert.deepEqual(clean.nodes.flatMap((n) => n.findings.filter((f) => f.severity === 'error').map((f) => `${n.id}: ${f.message}`)), []);
});

test('which journey: the UserJourney or SubJourney around the cursor, the relying party\'s default, or one named; an unknown name lists the chain\'s journeys', () => {
  const { service, uri } = chain();
  const at = (file: string, text: string, needle: string) => graphOf(service.journeyGraph(uri(file), positionOf(text, needle))).journey;
  assert.deepEqual(at('Base.xml', BASE_XML, 'Candidate SubJourneyReferenceId="Sub"'), { id: 'WithSub', kind: 'userJourney', location: { uri: uri('Base.xml'), range: rangeOf(BASE_XML, 'Id="WithSub"', 'WithSub') } });
  assert.equal(at('Base.xml', BASE_XML, 'SubLocalExchange').id, 'Sub');
  assert.equal(at('Base.xml', BASE_XML, 'SubLocalExchange').kind, 'subJourney');
  assert.equal(at('Base.xml', BASE_XML, '<ClaimsProviders>').id, 'SignIn', 'outside any journey: the first journey the file declares');
  assert.equal(at('RP.xml', RP_XML, 'PolicyProfile').id, 'SignIn');
  // Asked from the base, the base's own chain: step 3 is the base's.
  const fromBase = graphOf(service.journeyGraph(uri('Base.xml'), positionOf(BASE_XML, 'ReadExchange')));
  assert.deepEqual(fromBase.chain.map((c) => c.policyId), ['B2C_1A_Base']);
  assert.ok(fromBase.nodes.some((n) => n.id === 'step:3/exchange:ReadExchange'));
  assert.deepEqual(service.journeyGraph(uri('RP.xml'), { journeyId: 'Nope' }), { error: "No user journey or sub-journey 'Nope' in the chain of RP.xml; the chain has Loop, SignIn, Sub, WithSub." });
  const other = memoryWorkspace({ 'x.xml': '<root/>' });
  assert.deepEqual(other.service.journeyGraph(other.uri('x.xml'), { line: 0, character: 0 }), { error: 'Not a policy file (its root element is not TrustFrameworkPolicy).' });
  const empty = memoryWorkspace({ 'P.xml': RP_XML.replace('<DefaultUserJourney ReferenceId="SignIn" />', '') });
  assert.deepEqual(empty.service.journeyGraph(empty.uri('P.xml'), { line: 0, character: 0 }), {
    error: 'No journey at the cursor in P.xml (place it in a UserJourney, a SubJourney or a RelyingParty); the chain has no journeys.',
  });
});

test('sub-journeys that each invoke the next twice multiply: past MAX_GRAPH_NODES nodes their steps are omitted, not listed', () => {
  const levels = 14; // 2^14 invocations of the innermost sub-journey without the limit
  const invoke = (order: number, id: string) => `<OrchestrationStep Order="${order}" Type="InvokeSubJourney"><JourneyList><Candidate SubJourneyReferenceId="${id}" /></JourneyList></OrchestrationStep>`;
  const subs = Array.from({ length: levels + 1 }, (_, i) =>
    `<SubJourney Id="S${i}" Type="Call"><OrchestrationSteps>${i < levels ? invoke(1, `S${i + 1}`) + invoke(2, `S${i + 1}`) : '<OrchestrationStep Order="1" Type="ClaimsExchange"><ClaimsExchanges><ClaimsExchange Id="E" TechnicalProfileReferenceId="T" /></ClaimsExchanges></OrchestrationStep>'}</OrchestrationSteps></SubJourney>`,
  ).join('');
  const text = compactPolicy('B2C_1A_Nest', `<UserJourneys><UserJourney Id="J"><OrchestrationSteps>${invoke(1, 'S0')}</OrchestrationSteps></UserJourney></UserJourneys><SubJourneys>${subs}</SubJourneys>`);
  const { service, uri } = memoryWorkspace({ 'Nest.xml': text });
  const g = graphOf(service.journeyGraph(uri('Nest.xml'), { journeyId: 'J' }));
  // Past the limit, the invocations still open finish their own steps (a few nodes per level), nothing deeper.
  assert.ok(g.nodes.length >= MAX_GRAPH_NODES && g.nodes.length < MAX_GRAPH_NODES + 4 * levels, `${g.nodes.length} nodes`);
  const omitted = g.nodes.filter((n) => n.subJourney?.omitted);
  assert.ok(omitted.length > 0);
  for (const n of omitted) assert.ok(!g.nodes.some((x) => x.parent === n.id), `${n.id} lists no steps`);
});

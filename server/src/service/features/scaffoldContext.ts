import type { ScaffoldContext } from '../../protocol';
import type { Analysis } from '../analysis/analysis';
import { attributeValue, firstChild } from '../xml/query';

/** What the client needs to ask the user before inserting a claims provider into `uri`'s policy. */
export function getScaffoldContext(analysis: Analysis, uri: string, technicalProfileId = 'Amazon-OAuth2', exchangeId = 'AmazonExchange'): ScaffoldContext {
  const policies = analysis.index.policies().map((f) => ({
    uri: f.uri,
    policyId: f.policyId ?? '',
    isExtensions: /extensions/i.test(f.policyId ?? '') || /extensions/i.test(f.uri),
  }));
  const file = analysis.index.get(uri);
  if (!file || !file.isPolicy) return { policies, journeys: [], relyingParties: [], alreadyPresent: false };
  const effective = analysis.index.effective(file);
  const journeys = effective.journeys().filter((j) => j.kind === 'userJourney').map((j) => j.id).sort();
  const relyingParties = analysis.index
    .descendants(uri)
    .filter((d) => d.xml.root && firstChild(d.xml.root, 'RelyingParty'))
    .map((d) => {
      const rp = firstChild(d.xml.root!, 'RelyingParty')!;
      const journey = firstChild(rp, 'DefaultUserJourney');
      return { uri: d.uri, policyId: d.policyId ?? '', defaultJourney: journey ? attributeValue(journey, 'ReferenceId') : undefined };
    });
  const tp = effective.lookup('technicalProfile', technicalProfileId);
  const alreadyPresent =
    tp.exact.length + tp.caseOnly.length > 0 || effective.journeys().some((j) => j.steps.some((s) => s.step.exchanges.some((e) => e.id.toLowerCase() === exchangeId.toLowerCase())));
  return { policies, journeys, relyingParties, alreadyPresent };
}

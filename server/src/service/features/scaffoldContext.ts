import type { ScaffoldContext } from '../../protocol';
import type { Analysis } from '../analysis/analysis';
import { attributeValue, firstChild } from '../xml/query';
import { canTakeProviderButton, SOURCE_JOURNEY_ID } from './scaffold/insertClaimsProvider';

/**
 * What the client needs to ask the user before inserting a claims provider into `uri`'s policy. Only journeys
 * that can take a provider button are offered (a CombinedSignInAndSignUp or ClaimsProviderSelection step with a
 * step after it: the insert fails on the others). Only the relying parties now on `journey` (default: the
 * journey a new one is copied from) are pre-selected: pointing a PasswordReset or ProfileEdit relying party at
 * a sign-in journey changes what that policy does.
 */
export function getScaffoldContext(analysis: Analysis, uri: string, journey?: string, technicalProfileId = 'Amazon-OAuth2', exchangeId = 'AmazonExchange'): ScaffoldContext {
  const policies = analysis.index.policies().map((f) => ({
    uri: f.uri,
    policyId: f.policyId ?? '',
    isExtensions: /extensions/i.test(f.policyId ?? '') || /extensions/i.test(f.uri),
  }));
  const file = analysis.index.get(uri);
  if (!file || !file.isPolicy) return { policies, journeys: [], copySource: undefined, relyingParties: [], alreadyPresent: false };
  const effective = analysis.index.effective(file);
  const journeys = effective.journeys().filter((j) => j.kind === 'userJourney' && canTakeProviderButton(j)).map((j) => j.id).sort();
  const source = effective.journey('userJourney', SOURCE_JOURNEY_ID);
  const copySource = source && canTakeProviderButton(source) ? source.id : undefined;
  const chosen = (journey || copySource)?.toLowerCase();
  const relyingParties = analysis.index
    .descendants(uri)
    .filter((d) => d.xml.root && firstChild(d.xml.root, 'RelyingParty'))
    .map((d) => {
      const rp = firstChild(d.xml.root!, 'RelyingParty')!;
      const reference = firstChild(rp, 'DefaultUserJourney');
      const defaultJourney = reference ? attributeValue(reference, 'ReferenceId') : undefined;
      return { uri: d.uri, policyId: d.policyId ?? '', defaultJourney, preselect: !!chosen && defaultJourney?.toLowerCase() === chosen };
    });
  const tp = effective.lookup('technicalProfile', technicalProfileId);
  const alreadyPresent =
    tp.exact.length + tp.caseOnly.length > 0 || effective.journeys().some((j) => j.steps.some((s) => s.step.exchanges.some((e) => e.id.toLowerCase() === exchangeId.toLowerCase())));
  return { policies, journeys, copySource, relyingParties, alreadyPresent };
}

import { checkBasePolicy } from './basePolicy';
import { checkClaimsFlow } from './claimsFlow';
import { checkClaimsTransformations } from './claimsTransformations';
import { checkClaimTypeRedeclared } from './claimTypeRedeclared';
import { checkJourneyStructure } from './journeyStructure';
import { checkLocalizationStrings } from './localizationStrings';
import { checkTechnicalProfileMetadata } from './technicalProfileMetadata';
import { checkTechnicalProfileOverrides } from './technicalProfileOverrides';
import type { Rule } from './context';
import { checkClaimsExchangeTargets } from './journeys';
import { checkLocalizedElements } from './localization';
import { checkPolicyKeys } from './policyKeys';
import { checkReferences } from './references';
import { checkSecrets } from './secrets';
import { checkServiceLimits } from './serviceLimits';
import { checkTenantNames } from './tenantNames';

/**
 * Every rule the analysis runs on a policy file, by name (the name is logged when a rule fails and appears
 * in an `internal-error` finding). Add a rule: write `rules/<family>.ts` exporting a `Rule`, add it here,
 * add its codes to `protocol.ts` and the README table.
 */
export const RULES: ReadonlyArray<readonly [string, Rule]> = [
  ['basePolicy', checkBasePolicy],
  ['references', checkReferences],
  ['claimsExchanges', checkClaimsExchangeTargets],
  ['policyKeys', checkPolicyKeys],
  ['tenantNames', checkTenantNames],
  ['secrets', checkSecrets],
  ['localization', checkLocalizedElements],
  ['claimsTransformations', checkClaimsTransformations],
  ['claimsFlow', checkClaimsFlow],
  ['journeyStructure', checkJourneyStructure],
  ['technicalProfileMetadata', checkTechnicalProfileMetadata],
  ['technicalProfileOverrides', checkTechnicalProfileOverrides],
  ['localizationStrings', checkLocalizationStrings],
  ['claimTypeRedeclared', checkClaimTypeRedeclared],
  ['serviceLimits', checkServiceLimits],
];

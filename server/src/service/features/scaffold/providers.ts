/**
 * Identity providers that "Insert claims provider" can add, described as data. A template names the
 * ClaimsProvider, its technical profile and the ClaimsExchange Id the journey uses; values that come from the
 * user are `{ answer: ... }` placeholders filled from the questions. Adding another OAuth2 or OpenID Connect
 * provider is adding an entry here (no code).
 */

/** The answers a template can ask for. */
export type AnswerId = 'clientId' | 'policyKey';

/** A literal value, or the (normalised) answer to one of the template's questions. */
export type TemplateValue = string | { answer: AnswerId };

export interface ProviderQuestion {
  id: AnswerId;
  prompt: string;
  placeHolder?: string;
  required: boolean;
  /** Used when the user gives no answer. */
  defaultValue?: string;
  /** For policy keys: the `B2C_1A_` prefix is added when the answer lacks it. */
  kind: 'text' | 'policyKey';
}

export interface OutputClaimTemplate {
  claimTypeReferenceId: string;
  partnerClaimType?: string;
  defaultValue?: string;
  alwaysUseDefaultValue?: boolean;
}

export interface TechnicalProfileTemplate {
  id: string;
  displayName: string;
  /** Protocol@Name: OAuth1, OAuth2, OpenIdConnect, SAML2, ... */
  protocol: string;
  /** Metadata items in document order. */
  metadata: Array<{ key: string; value: TemplateValue }>;
  /** CryptographicKeys/Key elements: Id and StorageReferenceId (a policy key name, never a secret). */
  cryptographicKeys: Array<{ id: string; storageReferenceId: TemplateValue }>;
  outputClaims: OutputClaimTemplate[];
  outputClaimsTransformations: string[];
  /** UseTechnicalProfileForSessionManagement@ReferenceId. */
  sessionManagement?: string;
}

export interface ClaimsProviderTemplate {
  /** The id the command passes (`insertClaimsProvider(..., 'amazon', ...)`). */
  id: string;
  /** Shown in pickers. */
  label: string;
  domain: string;
  displayName: string;
  technicalProfile: TechnicalProfileTemplate;
  /** ClaimsExchange@Id in the journey (and ClaimsProviderSelection@TargetClaimsExchangeId). */
  exchangeId: string;
  questions: ProviderQuestion[];
}

export { POLICY_KEY_PREFIX } from '../../rules/policyKeys';
import { POLICY_KEY_PREFIX } from '../../rules/policyKeys';

export const AMAZON: ClaimsProviderTemplate = {
  id: 'amazon',
  label: 'Amazon',
  domain: 'amazon.com',
  displayName: 'Amazon',
  exchangeId: 'AmazonExchange',
  technicalProfile: {
    id: 'Amazon-OAuth2',
    displayName: 'Amazon',
    protocol: 'OAuth2',
    metadata: [
      { key: 'ProviderName', value: 'amazon' },
      { key: 'authorization_endpoint', value: 'https://www.amazon.com/ap/oa' },
      { key: 'AccessTokenEndpoint', value: 'https://api.amazon.com/auth/o2/token' },
      { key: 'ClaimsEndpoint', value: 'https://api.amazon.com/user/profile' },
      { key: 'scope', value: 'profile' },
      { key: 'HttpBinding', value: 'POST' },
      { key: 'UsePolicyInRedirectUri', value: 'false' },
      { key: 'client_id', value: { answer: 'clientId' } },
    ],
    cryptographicKeys: [{ id: 'client_secret', storageReferenceId: { answer: 'policyKey' } }],
    outputClaims: [
      { claimTypeReferenceId: 'issuerUserId', partnerClaimType: 'user_id' },
      { claimTypeReferenceId: 'email', partnerClaimType: 'email' },
      { claimTypeReferenceId: 'displayName', partnerClaimType: 'name' },
      { claimTypeReferenceId: 'identityProvider', defaultValue: 'amazon.com' },
      { claimTypeReferenceId: 'authenticationSource', defaultValue: 'socialIdpAuthentication' },
    ],
    outputClaimsTransformations: ['CreateRandomUPNUserName', 'CreateUserPrincipalName', 'CreateAlternativeSecurityId'],
    sessionManagement: 'SM-SocialLogin',
  },
  questions: [
    {
      id: 'clientId',
      prompt: 'Client ID of the Amazon application (Login with Amazon security profile)',
      placeHolder: 'amzn1.application-oa2-client.…',
      required: true,
      kind: 'text',
    },
    {
      id: 'policyKey',
      prompt: 'Name of the policy key that holds the Amazon client secret (created in the portal, never in a file)',
      placeHolder: 'B2C_1A_AmazonSecret',
      required: false,
      defaultValue: 'B2C_1A_AmazonSecret',
      kind: 'policyKey',
    },
  ],
};

export const CLAIMS_PROVIDER_TEMPLATES: readonly ClaimsProviderTemplate[] = [AMAZON];

export function findProviderTemplate(id: string): ClaimsProviderTemplate | undefined {
  const lower = id.toLowerCase();
  return CLAIMS_PROVIDER_TEMPLATES.find((t) => t.id === lower);
}

/** Adds the `B2C_1A_` prefix the portal adds to every policy key (case-insensitive check). */
export function withPolicyKeyPrefix(name: string): string {
  const trimmed = name.trim();
  return trimmed.toUpperCase().startsWith(POLICY_KEY_PREFIX) ? trimmed : POLICY_KEY_PREFIX + trimmed;
}

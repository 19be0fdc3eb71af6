/**
 * Names shared by the client, the server and the CLI: declared once here.
 */
export const DIAGNOSTIC_SOURCE = 'b2c-policy';

/** Stable diagnostic codes (DESIGN.md section 5). Add new ones; never rename. */
export const DiagnosticCodes = {
  xmlSyntax: 'xml-syntax',
  doctypeNotAllowed: 'doctype-not-allowed',
  schemaUnexpectedElement: 'schema-unexpected-element',
  schemaMissingElement: 'schema-missing-element',
  schemaMissingAttribute: 'schema-missing-attribute',
  schemaUnknownAttribute: 'schema-unknown-attribute',
  schemaInvalidValue: 'schema-invalid-value',
  schemaDuplicateKey: 'schema-duplicate-key',
  schemaTextNotAllowed: 'schema-text-not-allowed',
  unresolvedReference: 'unresolved-reference',
  unresolvedBasePolicy: 'unresolved-base-policy',
  unverifiedReferences: 'unverified-references',
  basePolicyCycle: 'base-policy-cycle',
  duplicatePolicyId: 'duplicate-policy-id',
  idCaseMismatch: 'id-case-mismatch',
  policyKeyPrefix: 'policy-key-prefix',
  unknownPolicyKey: 'unknown-policy-key',
  tenantNameCase: 'tenant-name-case',
  secretInPolicy: 'secret-in-policy',
  unresolvedLocalizedElement: 'unresolved-localized-element',
  /** Deploy: the service rejected the upload (one per service message; data.serviceMessage). */
  deployRejected: 'deploy-rejected',
  /** Deploy: the request failed without a verdict on the policy (network, sign-in, throttling, 5xx). */
  deployRequestFailed: 'deploy-request-failed',
  /** Deploy refusals, before anything is uploaded. */
  deployUnreplacedToken: 'deploy-unreplaced-token',
  deployTenantMismatch: 'deploy-tenant-mismatch',
  deployInvalidPolicyId: 'deploy-invalid-policy-id',
  deployMissingBase: 'deploy-missing-base',
  deployTooLarge: 'deploy-too-large',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

/** Kinds of references (data.kind of unresolved-reference). */
export type ReferenceKind =
  | 'technicalProfile'
  | 'claimType'
  | 'claimsTransformation'
  | 'contentDefinition'
  | 'userJourney'
  | 'subJourney'
  | 'claimsExchange'
  | 'displayControl'
  | 'predicate'
  | 'predicateValidation'
  | 'localizedResources'
  | 'clientDefinition';

export const ConfigurationSection = 'b2cPolicy';

/** Command ids contributed by the client. */
export const Commands = {
  insertAmazonClaimsProvider: 'b2cPolicy.insertAmazonClaimsProvider',
  deployPolicies: 'b2cPolicy.deployPolicies',
} as const;

/** Custom requests from the client to the server. */
export const Requests = {
  /** Params: ScaffoldContextParams; result: ScaffoldContext. */
  scaffoldContext: 'b2cPolicy/scaffoldContext',
  /** Params: InsertClaimsProviderParams; result: the edit and what to tell the user, or { error }. */
  insertClaimsProvider: 'b2cPolicy/insertClaimsProvider',
} as const;

export interface ScaffoldContextParams {
  uri: string;
}

export interface ScaffoldContext {
  /** The policy files of the workspace, for picking a target. */
  policies: Array<{ uri: string; policyId: string; isExtensions: boolean }>;
  /** Effective user journeys of the target's chain. */
  journeys: string[];
  /** Relying parties whose chain includes the target. */
  relyingParties: Array<{ uri: string; policyId: string; defaultJourney: string | undefined }>;
  /** Whether the Amazon technical profile or exchange is already in the chain. */
  alreadyPresent: boolean;
}

export interface InsertClaimsProviderParams {
  uri: string;
  provider: string;
  answers: { clientId: string; policyKey?: string; journey?: string; newJourney?: string; relyingParties?: string[] };
}

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

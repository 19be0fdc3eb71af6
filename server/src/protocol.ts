/**
 * What the client, the server and the CLI share: diagnostic codes, settings, command ids and the custom
 * requests with their parameter and result types. Declared once here; the client imports this file.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';
import type { JourneyGraph } from './graph/model';

export const DIAGNOSTIC_SOURCE = 'b2c-policy';

/** Stable diagnostic codes (DESIGN.md section 5). Add new ones; never rename. */
export const DiagnosticCodes = {
  /** A file that was found but could not be checked (too large, undecodable, too complex). */
  fileNotChecked: 'file-not-checked',
  /** A check failed inside the tool: the file was not fully checked (the CLI fails closed on it). */
  internalError: 'internal-error',
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
  inputClaimNotProduced: 'input-claim-not-produced',
  outputClaimNotProduced: 'output-claim-not-produced',
  journeyWithoutSendClaims: 'journey-without-send-claims',
  exchangesWithoutSelection: 'exchanges-without-selection',
  stepOrderGap: 'step-order-gap',
  stepOverrideTypeChange: 'step-override-type-change',
  unknownTransformationMethod: 'unknown-transformation-method',
  transformationSignatureMismatch: 'transformation-signature-mismatch',
  transformationClaimTypeMismatch: 'transformation-claim-type-mismatch',
  transformationParameterInvalidValue: 'transformation-parameter-invalid-value',
  // Environments and build (appsettings.json, `{Settings:Key}` tokens, per-environment output).
  appsettingsSyntax: 'appsettings-syntax',
  appsettingsInvalid: 'appsettings-invalid',
  appsettingsNonStandardJson: 'appsettings-nonstandard-json',
  undefinedSetting: 'undefined-setting',
  developmentSettingInProduction: 'development-setting-in-production',
  policyIdCollision: 'policy-id-collision',
  unknownProtocolHandler: 'unknown-protocol-handler',
  unknownMetadataKey: 'unknown-metadata-key',
  missingMetadata: 'missing-metadata',
  invalidMetadataValue: 'invalid-metadata-value',
  duplicateMetadataKey: 'duplicate-metadata-key',
  missingCryptographicKey: 'missing-cryptographic-key',
  unknownCryptographicKey: 'unknown-cryptographic-key',
  incompleteTechnicalProfile: 'incomplete-technical-profile',
  unknownStringId: 'unknown-string-id',
  unknownPageContract: 'unknown-page-contract',
  claimTypeRedeclared: 'claim-type-redeclared',
  /** Service limits (rules/serviceLimits.ts). */
  policyFileTooLarge: 'policy-file-too-large',
  chainTooDeep: 'chain-too-deep',
  basePolicyIsUserFlow: 'base-policy-is-user-flow',
  placeholderTenant: 'placeholder-tenant',
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

// ---------------------------------------------------------------------------------------------------------
// Settings

export const ConfigurationSection = 'b2cPolicy';

/** The `b2cPolicy.*` settings the server reads (package.json `contributes.configuration` declares the same keys). */
export interface ClientSettings {
  validateWorkspace: boolean;
  policyKeys: string[];
  /** `current`, `official`, or the path of an XSD file. */
  schema: string;
  /** Deprecated: the path of an XSD file (used when `schema` is left at its default). */
  schemaPath: string;
  templateTokens: string[];
  codeLens: boolean;
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
  validateWorkspace: true,
  policyKeys: [],
  schema: 'current',
  schemaPath: '',
  // `[^{}]*`, not `[^}]*`: a value of many unclosed `{Settings:` would make the latter quadratic.
  templateTokens: ['\\{Settings:[^{}]*\\}', '\\{\\{[^{}]*\\}\\}', '#\\{[^{}]*\\}#'],
  codeLens: true,
};

/**
 * Settings only the client reads (keys below `b2cPolicy.`, with their defaults). The deploy settings are read
 * from user settings only where a workspace could redirect a token (graphEndpoint, authenticationProvider).
 */
export const CLIENT_ONLY_SETTINGS = {
  'deploy.tenant': '',
  'deploy.cloud': 'global',
  'deploy.clientId': '',
  'deploy.graphEndpoint': '',
  'deploy.authenticationProvider': '',
  'deploy.concurrency': 4,
  /** Build the environments of a policy root when one of its policy files or its appsettings.json is saved. */
  buildOnSave: false,
  /** The environment the status bar shows and deploy offers first (a Name from appsettings.json). */
  activeEnvironment: '',
} as const;

// ---------------------------------------------------------------------------------------------------------
// Commands (contributed by the client)

export const Commands = {
  insertAmazonClaimsProvider: 'b2cPolicy.insertAmazonClaimsProvider',
  /** Opens the references view for a code lens: arguments (uri, position, locations). */
  showReferences: 'b2cPolicy.showReferences',
  deployPolicies: 'b2cPolicy.deployPolicies',
  buildPolicies: 'b2cPolicy.buildPolicies',
  selectEnvironment: 'b2cPolicy.selectEnvironment',
  /** Opens the journey view for the journey at the cursor (or the relying party's); argument: a file Uri. */
  showJourney: 'b2cPolicy.showJourney',
  refreshPolicySets: 'b2cPolicy.refreshPolicySets',
} as const;

// ---------------------------------------------------------------------------------------------------------
// Custom requests

export interface ScaffoldContextParams {
  uri: string;
  /**
   * The journey the provider will be added to: its relying parties are pre-selected. Omitted: a new journey
   * copied from `copySource`, so the relying parties now on `copySource` are.
   */
  journey?: string;
}

export interface ScaffoldContext {
  /** The policy files of the workspace, for picking a target. */
  policies: Array<{ uri: string; policyId: string; isExtensions: boolean }>;
  /** Effective user journeys of the target's chain that can take a provider button. */
  journeys: string[];
  /** The journey a new journey is copied from (SignUpOrSignIn), or undefined when the chain has none to copy. */
  copySource: string | undefined;
  /** Relying parties whose chain includes the target; `preselect` when the command should change them by default. */
  relyingParties: Array<{ uri: string; policyId: string; defaultJourney: string | undefined; preselect: boolean }>;
  /** Whether the Amazon technical profile or exchange is already in the chain. */
  alreadyPresent: boolean;
}

export interface InsertClaimsProviderAnswers {
  clientId: string;
  /** Policy key name holding the client secret; `B2C_1A_` is added when missing. */
  policyKey?: string;
  /** An existing effective user journey to add the provider to. */
  journey?: string;
  /** Copy the effective SignUpOrSignIn journey into Extensions with this Id and add the provider there. */
  newJourney?: string;
  /** Relying-party policy uris whose DefaultUserJourney should point at the journey. */
  relyingParties?: string[];
}

export interface InsertClaimsProviderParams {
  uri: string;
  provider: string;
  answers: InsertClaimsProviderAnswers;
}

export interface ConsoleInfo {
  /** The tenant name, lowercase (`yourtenant`). */
  tenant: string;
  /** Allowed origin to register at the identity provider: `https://<tenant>.b2clogin.com`. */
  allowedOrigin: string;
  /** Redirect (return) URL: `https://<tenant>.b2clogin.com/<tenant>.onmicrosoft.com/oauth2/authresp`. */
  returnUrl: string;
  /** The policy key the technical profile reads the client secret from (create it in the portal). */
  policyKey: string;
}

export interface InsertClaimsProviderResult {
  edit: { changes: Record<string, TextEdit[]> };
  /** The provider's technical profile or exchange was already in the effective chain: the edit updates it. */
  alreadyPresent: boolean;
  /** The journey the provider was added to. */
  journeyId: string;
  info: ConsoleInfo;
  /** Things the user should know (a relying party without RelyingParty, ...). */
  notes: string[];
}

/** What the client passes in `initializationOptions`. */
export interface InitializationOptions {
  /** The extension's global storage folder (compiled user schemas are cached below it). */
  storagePath?: string;
}

/** A request that fails for a reason the user should read returns `{ error }` instead of a result. */
export type OrError<T> = T | { error: string };

export const ScaffoldContextRequest = new RequestType<ScaffoldContextParams, ScaffoldContext | null, void>('b2cPolicy/scaffoldContext');
export const InsertClaimsProviderRequest = new RequestType<InsertClaimsProviderParams, OrError<InsertClaimsProviderResult>, void>('b2cPolicy/insertClaimsProvider');

// ---------------------------------------------------------------------------------------------------------
// Environments and build

/** A policy root (the folder of an appsettings.json with environments) as the client shows it. */
export interface EnvironmentsRoot {
  rootUri: string;
  settingsUri: string;
  /** Relative to the root, `/` between folders. */
  environmentsFolder: string;
  /** Names, production flags and tenants only: setting values may be secrets and stay in the server. */
  environments: Array<{ name: string; production: boolean; tenant: string | undefined }>;
  /** appsettings.json has an error: nothing is built from it. */
  hasErrors: boolean;
}

export interface EnvironmentsResult {
  roots: EnvironmentsRoot[];
}

export interface BuildParams {
  /** The root to build (a root URI from EnvironmentsResult); every root when absent. */
  rootUri?: string;
  /** Environment names (any case); every environment when absent or empty. Roots without them are skipped. */
  environments?: string[];
  /** Remove development-only settings from production environments instead of refusing them. */
  stripDevelopmentSettings?: boolean;
}

export interface BuildProblemInfo {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: 'error' | 'warning' | 'information';
  code: string;
  message: string;
  environment?: string;
}

export interface RootBuildResult {
  rootUri: string;
  /** Environments written: name, output folder URI, number of files. */
  built: Array<{ environment: string; folderUri: string; files: number }>;
  /** Environments not written because they have errors (their folder is left as it was). */
  failed: Array<{ environment: string; errors: number }>;
  unknownEnvironments: string[];
  problems: BuildProblemInfo[];
  /** The build could not run (appsettings.json unreadable, an I/O error): one line. */
  error?: string;
}

export interface BuildResult {
  roots: RootBuildResult[];
}

export const EnvironmentsRequest = new RequestType<Record<string, never>, EnvironmentsResult, void>('b2cPolicy/environments');
export const BuildRequest = new RequestType<BuildParams, OrError<BuildResult>, void>('b2cPolicy/build');
/** Server -> client: the roots or their environments changed (an appsettings.json was added, edited, removed). */
export const EnvironmentsChangedNotification = new NotificationType<EnvironmentsResult>('b2cPolicy/environmentsChanged');
// The journey view and the policy sets view

/** The journey at `position` in `uri` (or its relying party's DefaultUserJourney), or the one named `journeyId`. */
export interface JourneyGraphParams {
  uri: string;
  position?: Position;
  journeyId?: string;
}

export const JourneyGraphRequest = new RequestType<JourneyGraphParams, OrError<JourneyGraph>, void>('b2cPolicy/journeyGraph');

/** One file of a chain in the policy sets view. */
export interface PolicySetFile {
  uri: string;
  policyId?: string;
  errors: number;
  warnings: number;
}

/** A relying party and its chain, itself first, then its bases as the service resolves them. */
export interface PolicySetChain {
  relyingParty: PolicySetFile & { defaultUserJourney?: string };
  chain: PolicySetFile[];
  /** The chain stops here: `file`'s base `policyId` is not in the workspace (or found in several folders at the same distance). */
  missingBase?: { file: string; policyId: string; ambiguous: string[] };
  /** The chain comes back to `target` from `file`. */
  cycle?: { file: string; target: string };
}

/** The policies of one folder: its relying parties' chains, and the policy files no relying party here builds on. */
export interface PolicySetFolder {
  folder: string;
  relyingParties: PolicySetChain[];
  others: PolicySetFile[];
}

export interface PolicySets {
  folders: PolicySetFolder[];
}

export const PolicySetsRequest = new RequestType<Record<string, never>, PolicySets, void>('b2cPolicy/policySets');

/** What a policy file defines that the policy sets view lists under it (until the outline lands: from its definitions). */
export interface PolicyFileOutlineItem {
  kind: 'userJourney' | 'subJourney' | 'technicalProfile' | 'claimType';
  id: string;
  /** The Id attribute's value. */
  range: Range;
}

export const PolicyFileOutlineRequest = new RequestType<{ uri: string }, PolicyFileOutlineItem[], void>('b2cPolicy/policyFileOutline');

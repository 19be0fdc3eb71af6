/**
 * Page contracts (ContentDefinition DataUri) and the localization string ids each page and element type accepts.
 *
 * Facts from the public reference documentation (MicrosoftDocs/azure-docs, `articles/active-directory-b2c/`):
 * contentdefinitions.md (page identifiers, the two DataUri forms), page-layout.md (versions per page),
 * localization.md (element types) and localization-string-ids.md (string ids per page). Where Microsoft's
 * starter pack uses an id the pages do not list, the pack wins and the entry says so.
 */

export type PageType = 'globalexception' | 'providerselection' | 'unifiedssp' | 'unifiedssd' | 'multifactor' | 'selfasserted' | 'claimsconsent';

export interface PageSpec {
  page: PageType;
  description: string;
  /** Names the old (non-contract) DataUri form also accepts for this page. */
  aliases: readonly string[];
  /** Versions of the contract form `urn:com:microsoft:aad:b2c:elements:contract:<page>:<version>` (page-layout.md). */
  contractVersions: readonly string[];
  /** Versions listed for the old form `urn:com:microsoft:aad:b2c:elements:<page>:<version>` (contentdefinitions.md). */
  legacyVersions: readonly string[];
  /**
   * UxElement string ids of the page, with the page layout versions that have them; undefined when the
   * reference does not list the page's ids (they are then not judged).
   */
  uxElements?: readonly UxElementSpec[];
}

export interface UxElementSpec {
  id: string;
  /** First page layout version that has the id (inclusive). */
  since?: string;
  /** First page layout version that no longer has it (exclusive bound). */
  before?: string;
  source?: string;
}

function run(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${prefix}.${i}`);
  return out;
}

function ids(list: string, extra: Partial<UxElementSpec> = {}): UxElementSpec[] {
  return list
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => ({ id, ...extra }));
}

/** Sign-up or sign-in page (localization-string-ids.md, "Sign-up or sign-in page elements"). */
const UNIFIED_SSP_UX: UxElementSpec[] = [
  ...ids('forgotpassword_link createaccount_intro button_signin social_intro remember_me unknown_error divider_title'),
  ...ids(
    'local_intro_email logonIdentifier_email requiredField_email invalid_email email_pattern local_intro_username logonIdentifier_username ' +
      'requiredField_username password createaccount_link cancel_message invalid_password',
    { before: '2.0.0' },
  ),
  // Marked "< 2.0.0" in the table, but the page's own sign-in example (with 2.1.1 ids) and every starter pack
  // (unifiedssp 2.1.5) use it: the packs win, it is accepted at every version.
  { id: 'requiredField_password', source: 'localization-string-ids.md example; starter pack' },
  ...ids('createaccount_one_link createaccount_two_links createaccount_three_links', { since: '2.0.0' }),
  ...ids('local_intro_generic requiredField_generic', { since: '2.1.0' }),
  ...ids('invalid_generic heading', { since: '2.1.1' }),
];

/** Sign-up and self-asserted pages (localization-string-ids.md), with the disclaimer links and display-control strings. */
const SELF_ASSERTED_UX: UxElementSpec[] = [
  ...ids(
    'ver_sent ver_but_default cancel_message preloader_alt ver_but_send alert_yes error_fieldIncorrect year verifying_blurb button_cancel ' +
      'ver_fail_no_retry month ver_success_msg months ver_fail_server error_requiredFieldMissing heading initial_intro ver_but_resend ' +
      'button_continue error_passwordEntryMismatch ver_incorrect_format ver_but_edit ver_but_verify alert_no ver_info_msg day ' +
      'ver_fail_throttled helplink_text ver_fail_retry alert_title required_field alert_message ver_intro_msg ver_input required_field_descriptive',
  ),
  // In the page's own sign-up example and in the starter pack's localization files.
  { id: 'ver_fail_code_expired', source: 'localization-string-ids.md example; starter pack' },
  ...ids('disclaimer_msg_intro disclaimer_link_1_text disclaimer_link_1_url disclaimer_link_2_text disclaimer_link_2_url'),
  // The verification display control of page layout 2.0.0 used UxElement ids (deprecated since 2.1.0, kept as accepted).
  ...ids(
    'verification_control_but_change_claims verification_control_fail_send_code verification_control_fail_verify_code ' +
      'verification_control_but_send_code verification_control_but_send_new_code verification_control_but_verify_code verification_control_code_sent',
  ),
];

/** Phone factor page (localization-string-ids.md, "Phone factor authentication page user interface elements"). */
const MULTIFACTOR_UX: UxElementSpec[] = [
  ...ids(
    'button_verify country_code_label cancel_message text_button_send_second_code code_pattern intro_mixed intro_mixed_p button_verify_code ' +
      'requiredField_code invalid_code button_cancel local_number_input_placeholder_text button_retry alternative_text intro_phone_p intro_phone ' +
      'enter_code_text_intro intro_entry_phone intro_entry_sms button_send_code invalid_number intro_sms intro_entry_mixed number_pattern intro_sms_p ' +
      'requiredField_countryCode requiredField_number country_code_input_placeholder_text number_label error_tryagain error_incorrect_code countryList ' +
      'error_448 error_449 verification_code_input_placeholder_text',
  ),
  ...ids('error_sms_throttled error_phone_throttled error_throttled', { since: '1.2.3' }),
];

export const PAGE_CONTRACTS: readonly PageSpec[] = [
  {
    page: 'globalexception',
    description: 'Error page shown when an exception or error occurs.',
    aliases: [],
    contractVersions: ['1.0.0', '1.1.0', ...run('1.2', 0, 5)],
    legacyVersions: ['1.0.0', '1.1.0'],
  },
  {
    page: 'providerselection',
    description: 'List of identity providers to choose from.',
    aliases: ['idpselection'],
    contractVersions: ['1.0.0', ...run('1.2', 0, 4)],
    legacyVersions: ['1.0.0'],
  },
  {
    page: 'unifiedssp',
    description: 'Local-account sign-in form with sign-up link, keep-me-signed-in and forgot-password link.',
    aliases: [],
    // page-layout.md lists 1.0.0 to 1.2.0 and 2.1.0 to 2.1.14; localization-string-ids.md marks ids ">= 2.0.0",
    // so 2.0.0 is accepted too.
    contractVersions: ['1.0.0', '1.1.0', '1.2.0', '2.0.0', ...run('2.1', 0, 14)],
    legacyVersions: ['1.0.0', '1.1.0'],
    uxElements: UNIFIED_SSP_UX,
  },
  {
    page: 'unifiedssd',
    description: 'Local-account sign-in form.',
    aliases: [],
    contractVersions: ['1.0.0', ...run('1.2', 0, 4)],
    legacyVersions: ['1.0.0'],
  },
  {
    page: 'multifactor',
    description: 'Phone number verification by text or voice.',
    aliases: [],
    contractVersions: ['1.0.0', '1.1.0', ...run('1.2', 0, 12)],
    legacyVersions: ['1.0.0', '1.1.0'],
    uxElements: MULTIFACTOR_UX,
  },
  {
    page: 'selfasserted',
    description: 'Form that collects data from the user (sign-up, profile edit, ...).',
    aliases: [],
    // page-layout.md names 2.1.0-2.1.10 and 2.1.14-2.1.26 in its change log and ">= 2.1.11" in its jQuery table:
    // the whole run 2.1.0-2.1.26 is accepted.
    contractVersions: ['1.0.0', '1.1.0', '1.2.0', '2.0.0', ...run('2.1', 0, 26)],
    legacyVersions: ['1.0.0', '1.1.0'],
    uxElements: SELF_ASSERTED_UX,
  },
  {
    page: 'claimsconsent',
    description: 'Consent page.',
    aliases: [],
    contractVersions: ['1.0.0', ...run('1.2', 0, 4)],
    legacyVersions: ['1.0.0'],
  },
];

export const DATA_URI_PREFIX = 'urn:com:microsoft:aad:b2c:elements:';

export interface ParsedDataUri {
  contract: boolean;
  /** The page name as written. */
  pageName: string;
  version: string;
  /** Offsets of the page name and version inside the DataUri value. */
  pageOffset: number;
  versionOffset: number;
}

/** Splits a DataUri of either form; undefined when the value is not an `urn:com:microsoft:aad:b2c:elements:` URN. */
export function parseDataUri(value: string): ParsedDataUri | undefined {
  if (!value.toLowerCase().startsWith(DATA_URI_PREFIX)) return undefined;
  let rest = value.slice(DATA_URI_PREFIX.length);
  let offset = DATA_URI_PREFIX.length;
  const contract = rest.toLowerCase().startsWith('contract:');
  if (contract) {
    rest = rest.slice('contract:'.length);
    offset += 'contract:'.length;
  }
  const colon = rest.indexOf(':');
  if (colon < 0) return { contract, pageName: rest, version: '', pageOffset: offset, versionOffset: offset + rest.length };
  return { contract, pageName: rest.slice(0, colon), version: rest.slice(colon + 1), pageOffset: offset, versionOffset: offset + colon + 1 };
}

export function pageSpec(pageName: string, contract: boolean): PageSpec | undefined {
  const name = pageName.toLowerCase();
  return PAGE_CONTRACTS.find((p) => p.page === name || (!contract && p.aliases.includes(name)));
}

export type DataUriVerdict =
  | { kind: 'known'; page: PageSpec; version: string }
  | { kind: 'unknown-page'; parsed: ParsedDataUri }
  | { kind: 'unknown-version'; parsed: ParsedDataUri; page: PageSpec; versions: readonly string[] }
  | { kind: 'not-a-contract' };

/** Judges a DataUri against the known pages and versions. */
export function judgeDataUri(value: string): DataUriVerdict {
  const parsed = parseDataUri(value.trim());
  if (!parsed) return { kind: 'not-a-contract' };
  const page = pageSpec(parsed.pageName, parsed.contract);
  if (!page) return { kind: 'unknown-page', parsed };
  // contentdefinitions.md gives the old form with the versions of its migration table, and localization.md uses it
  // with a current layout version (selfasserted:2.1.0): the old form accepts both lists.
  const versions = parsed.contract ? page.contractVersions : [...new Set([...page.legacyVersions, ...page.contractVersions])];
  if (!versions.includes(parsed.version)) return { kind: 'unknown-version', parsed, page, versions };
  return { kind: 'known', page, version: parsed.version };
}

/** Compares dotted versions numerically. */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const y = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** UxElement ids of a page at a layout version; undefined when the page's ids are not listed by the reference. */
export function uxElementIds(page: PageSpec, version?: string): string[] | undefined {
  if (!page.uxElements) return undefined;
  return page.uxElements
    .filter((e) => !version || ((!e.since || compareVersions(version, e.since) >= 0) && (!e.before || compareVersions(version, e.before) < 0)))
    .map((e) => e.id);
}

/** Every UxElement id any listed page has at any version. */
export function allUxElementIds(): string[] {
  return [...new Set(PAGE_CONTRACTS.flatMap((p) => uxElementIds(p) ?? []))];
}

/** Error messages (ElementType ErrorMessage) of localization-string-ids.md, by the section that lists them. */
export const ERROR_MESSAGE_IDS: Readonly<Record<string, readonly string[]>> = {
  'sign-up or sign-in': [
    'UserMessageIfInvalidPassword',
    'UserMessageIfPasswordExpired',
    'UserMessageIfClaimsPrincipalDoesNotExist',
    'UserMessageIfOldPasswordUsed',
    'DefaultMessage',
    'UserMessageIfUserAccountDisabled',
    'UserMessageIfUserAccountLocked',
    'AADRequestsThrottled',
  ],
  'self-asserted': [
    'UserMessageIfClaimsPrincipalAlreadyExists',
    'UserMessageIfClaimNotVerified',
    'UserMessageIfIncorrectPattern',
    'UserMessageIfMissingRequiredElement',
    'UserMessageIfValidationError',
    'UserMessageIfInvalidInput',
    'ServiceThrottled',
  ],
  'verification display control': ['UserMessageIfVerificationControlClaimsNotVerified'],
  restful: ['DefaultUserMessageIfRequestFailed', 'UserMessageIfCircuitOpen', 'UserMessageIfDnsResolutionFailed', 'UserMessageIfRequestTimeout'],
  mfa: [
    'UserMessageIfCouldntSendSms',
    'UserMessageIfInvalidFormat',
    'UserMessageIfMaxAllowedCodeRetryReached',
    'UserMessageIfServerError',
    'UserMessageIfThrottled',
    'UserMessageIfWrongCodeEntered',
  ],
  sspr: [
    'UserMessageIfChallengeExpired',
    'UserMessageIfInternalError',
    'UserMessageIfThrottled',
    'UserMessageIfVerificationFailedNoRetry',
    'UserMessageIfVerificationFailedRetryAllowed',
  ],
  'one-time password': [
    'UserMessageIfSessionDoesNotExist',
    'UserMessageIfMaxRetryAttempted',
    'UserMessageIfMaxNumberOfCodeGenerated',
    'UserMessageIfInvalidCode',
    'UserMessageIfVerificationFailedRetryAllowed',
    'UserMessageIfSessionConflict',
  ],
  'claims transformations': ['UserMessageIfClaimsTransformationBooleanValueIsNotEqual', 'DateTimeGreaterThan', 'UserMessageIfClaimsTransformationStringsAreNotEqual'],
  // Used by the starter pack's localization files (sign-in pages); not in the reference.
  'starter pack': ['ResourceOwnerFlowInvalidCredentials'],
};

/** Display control string ids (ElementType DisplayControl, ElementId names the display control). */
export const DISPLAY_CONTROL_STRING_IDS: Readonly<Record<string, readonly string[]>> = {
  // Verification display control, page layout 2.1.0 and later.
  verification: [
    'intro_msg',
    'success_send_code_msg',
    'failure_send_code_msg',
    'success_verify_code_msg',
    'failure_verify_code_msg',
    'but_send_code',
    'but_verify_code',
    'but_send_new_code',
    'but_change_claims',
  ],
  // TOTP display controls, page layout 2.1.9 and later.
  totp: ['title_text', 'DN', 'info_msg', 'link_text', 'account_name', 'display_prefix', 'collapse_text'],
  // The starter pack's phoneVerificationControl (scenario-phone-number-passwordless) localizes its disclaimer.
  'starter pack': ['disclaimer_msg_intro', 'disclaimer_link_1_text', 'disclaimer_link_1_url', 'disclaimer_link_2_text', 'disclaimer_link_2_url'],
};

/** What ElementId names for an element type. */
export type ElementIdKind = 'none' | 'claimType' | 'predicate' | 'predicateValidation' | 'displayControl';

/** What StringId holds for an element type: a fixed set of ids, or an id the policy defines. */
export type StringIdKind =
  | { kind: 'fixed'; ids: readonly string[]; pattern?: RegExp }
  | { kind: 'perPage' }
  | { kind: 'names'; what: 'claimsExchange' | 'predicateGroup' | 'stringFormatId' | 'transformationClaimType' };

export interface ElementTypeSpec {
  elementType: string;
  elementId: ElementIdKind;
  stringId: StringIdKind;
  doc: string;
}

const CLAIM_TYPE_STRING_IDS = ['DisplayName', 'UserHelpText', 'PatternHelpText', 'AdminHelpText'];

/** The ElementTypes of LocalizedString (localization.md). */
export const LOCALIZED_ELEMENT_TYPES: readonly ElementTypeSpec[] = [
  { elementType: 'UxElement', elementId: 'none', stringId: { kind: 'perPage' }, doc: 'A user interface string of the page; the ids depend on the page contract and version.' },
  {
    elementType: 'ErrorMessage',
    elementId: 'none',
    stringId: { kind: 'fixed', ids: [...new Set(Object.values(ERROR_MESSAGE_IDS).flat())], pattern: /^UserMessageIf[A-Za-z0-9]+$/ },
    doc: 'An error message; the id is the name of the metadata item that carries the message.',
  },
  { elementType: 'ClaimType', elementId: 'claimType', stringId: { kind: 'fixed', ids: CLAIM_TYPE_STRING_IDS }, doc: 'An attribute of the claim named by ElementId.' },
  { elementType: 'Predicate', elementId: 'predicate', stringId: { kind: 'fixed', ids: ['HelpText'] }, doc: 'The help text of the predicate named by ElementId.' },
  {
    elementType: 'PredicateValidation',
    elementId: 'predicateValidation',
    stringId: { kind: 'names', what: 'predicateGroup' },
    doc: 'The help text of a predicate group (StringId) of the predicate validation named by ElementId.',
  },
  {
    elementType: 'InputValidation',
    elementId: 'predicateValidation',
    stringId: { kind: 'names', what: 'predicateGroup' },
    doc: 'Earlier name of PredicateValidation in some versions of localization.md.',
  },
  { elementType: 'ClaimsProvider', elementId: 'none', stringId: { kind: 'names', what: 'claimsExchange' }, doc: 'The name of an identity provider button; StringId is the Id of its ClaimsExchange.' },
  {
    elementType: 'FormatLocalizedStringTransformationClaimType',
    elementId: 'none',
    stringId: { kind: 'names', what: 'stringFormatId' },
    doc: 'A format string for FormatLocalizedString; StringId is the transformation\'s stringFormatId.',
  },
  {
    elementType: 'GetLocalizedStringsTransformationClaimType',
    elementId: 'none',
    stringId: { kind: 'names', what: 'transformationClaimType' },
    doc: 'A string GetLocalizedStringsTransformation copies into a claim; StringId is its TransformationClaimType.',
  },
  {
    elementType: 'DisplayControl',
    elementId: 'displayControl',
    stringId: { kind: 'fixed', ids: [...new Set(Object.values(DISPLAY_CONTROL_STRING_IDS).flat())] },
    doc: 'A user interface string of the display control named by ElementId.',
  },
];

export function elementTypeSpec(elementType: string): ElementTypeSpec | undefined {
  return LOCALIZED_ELEMENT_TYPES.find((e) => e.elementType === elementType);
}

/** For completion: the StringIds of an element type (UxElement: of a page at a version, or of every page). */
export function stringIdsFor(elementType: string, page?: PageSpec, version?: string): string[] {
  const spec = elementTypeSpec(elementType);
  if (!spec) return [];
  if (spec.stringId.kind === 'fixed') return [...spec.stringId.ids];
  if (spec.stringId.kind === 'perPage') return (page ? uxElementIds(page, version) : undefined) ?? allUxElementIds();
  return [];
}

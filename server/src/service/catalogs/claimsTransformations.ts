/**
 * The claims-transformation methods of Azure AD B2C: what each takes and produces, as typed data written by
 * this project from the public reference documentation (MicrosoftDocs/azure-docs, folder
 * `articles/active-directory-b2c/`, the pages listed in CLAIMS_TRANSFORMATION_PAGES; versions of
 * 2022-02-16, JSON page 2023-02-14). Facts (names, data types, required or not, allowed values) come from
 * those pages; descriptions are our own words.
 *
 * How the facts were read:
 * - A slot is required unless its page marks it "[Optional]", names a default for it, or explains when it may
 *   be left out. The service checks declared names against expected ones both ways: "The following InputClaims
 *   were expected by the TransformMethod but were not declared in the Policy" (service-errors.md #15).
 * - Where the reference table disagrees with its own examples, with Microsoft's starter packs, or with the
 *   live-demo policies that the reference pages link to (azure-ad-b2c/unit-tests, policies uploaded to a
 *   tenant), the working policy wins and a comment beside the entry says so.
 * - Allowed values of parameters compare ignoring case: the pages' own examples write `ordinalIgnoreCase`
 *   for `OrdinalIgnoreCase` and `not equal` for `NOT EQUAL`.
 * - Method names compare case-sensitively: no public evidence shows the service accepting another casing.
 */

/** The DataType enumeration of the framework schema (ClaimType/DataType and InputParameter@DataType). */
export const CLAIM_DATA_TYPES = [
  'boolean',
  'date',
  'dateTime',
  'duration',
  'int',
  'long',
  'string',
  'stringCollection',
  'alternativeSecurityIdCollection',
  'userIdentityCollection',
  'userIdentity',
  'phoneNumber',
  'objectIdentityCollection',
  'objectIdentity',
] as const;

export type ClaimDataType = (typeof CLAIM_DATA_TYPES)[number];

/** One named input claim, input parameter or output claim of a method. */
export interface TransformationSlot {
  /** The TransformationClaimType (claims) or the InputParameter Id (parameters). */
  name: string;
  /** Data types accepted (for claims: the DataType of the bound ClaimType). */
  dataTypes: readonly ClaimDataType[];
  required: boolean;
  /** Allowed values (parameters only), compared ignoring case. */
  values?: readonly string[];
}

/** Entries a method accepts under names of the policy's choosing (JSON paths, localized string ids, ...). */
export interface OpenTransformationSlots {
  /** What the names stand for, in our words (for hover and completion). */
  names: string;
  dataTypes: readonly ClaimDataType[];
  /** True when entries may leave the name (TransformationClaimType) out. */
  nameOptional: boolean;
}

export interface ClaimsTransformationSignature {
  inputClaims: readonly TransformationSlot[];
  inputParameters: readonly TransformationSlot[];
  outputClaims: readonly TransformationSlot[];
  openInputClaims?: OpenTransformationSlots;
  openInputParameters?: OpenTransformationSlots;
  openOutputClaims?: OpenTransformationSlots;
}

export interface ClaimsTransformationMethod {
  /** The TransformationMethod value, with the service's casing. */
  name: string;
  /** The reference page (file name in `articles/active-directory-b2c/`). */
  page: ClaimsTransformationPage;
  /** One line, our words. */
  description: string;
  /** Undefined when the documentation names the method without its signature: only the name is checked. */
  signature: ClaimsTransformationSignature | undefined;
  /** For a method no reference page documents: the public evidence that the service runs it. */
  evidence?: string;
}

/** The reference pages, one per family of methods (the overview `claimstransformations.md` links them). */
export const CLAIMS_TRANSFORMATION_PAGES = [
  'boolean-transformations.md',
  'date-transformations.md',
  'integer-transformations.md',
  'json-transformations.md',
  'general-transformations.md',
  'phone-number-claims-transformations.md',
  'social-transformations.md',
  'string-transformations.md',
  'stringcollection-transformations.md',
  // An early overview that names GetAgeGroupAndConsentProvided, which no later page documents.
  'active-directory-b2c-claimstransformations-custom.md',
  // Not a page: methods no page documents that Microsoft's published samples run (each entry has `evidence`).
  'undocumented',
] as const;

export type ClaimsTransformationPage = (typeof CLAIMS_TRANSFORMATION_PAGES)[number];

const ANY_TYPE: readonly ClaimDataType[] = CLAIM_DATA_TYPES;
const TRUE_FALSE = ['true', 'false'] as const;
const STRING_COMPARISONS = ['Ordinal', 'OrdinalIgnoreCase'] as const;
const EQUAL_OPERATORS = ['EQUAL', 'NOT EQUAL'] as const;

function required(name: string, ...dataTypes: ClaimDataType[]): TransformationSlot {
  return { name, dataTypes, required: true };
}

function optional(name: string, ...dataTypes: ClaimDataType[]): TransformationSlot {
  return { name, dataTypes, required: false };
}

function oneOf(slot: TransformationSlot, values: readonly string[]): TransformationSlot {
  return { ...slot, values };
}

interface SignatureParts {
  in?: TransformationSlot[];
  params?: TransformationSlot[];
  out?: TransformationSlot[];
  openIn?: OpenTransformationSlots;
  openParams?: OpenTransformationSlots;
  openOut?: OpenTransformationSlots;
}

function method(name: string, page: ClaimsTransformationPage, description: string, parts: SignatureParts | undefined): ClaimsTransformationMethod {
  const signature: ClaimsTransformationSignature | undefined = parts && {
    inputClaims: parts.in ?? [],
    inputParameters: parts.params ?? [],
    outputClaims: parts.out ?? [],
    openInputClaims: parts.openIn,
    openInputParameters: parts.openParams,
    openOutputClaims: parts.openOut,
  };
  return { name, page, description, signature };
}

const BOOLEAN = 'boolean-transformations.md';
const DATE = 'date-transformations.md';
const INTEGER = 'integer-transformations.md';
const JSON_PAGE = 'json-transformations.md';
const GENERAL = 'general-transformations.md';
const PHONE = 'phone-number-claims-transformations.md';
const SOCIAL = 'social-transformations.md';
const STRING = 'string-transformations.md';
const STRING_COLLECTION = 'stringcollection-transformations.md';

/** The outputs of GetClaimsFromJsonArray(V2): claims named after the JSON keys, no TransformationClaimType. */
const JSON_ARRAY_OUTPUTS: OpenTransformationSlots = {
  names: 'claims whose ClaimTypeReferenceId equals a key of the JSON array',
  dataTypes: ['string', 'int', 'boolean', 'dateTime'],
  nameOptional: true,
};

/** The four parameters shared by GetClaimsFromJsonArray and GetClaimsFromJsonArrayV2. */
const JSON_ARRAY_PARAMETERS: TransformationSlot[] = [
  oneOf(required('errorOnMissingClaims', 'boolean'), TRUE_FALSE),
  // The table says string; the page's example and the live-demo policies declare boolean.
  oneOf(required('includeEmptyClaims', 'string', 'boolean'), TRUE_FALSE),
  required('jsonSourceKeyName', 'string'),
  required('jsonSourceValueName', 'string'),
];

/** MicrosoftDocs/azure-docs#52874: a Microsoft engineer's description of the userIdentity(Collection) methods. */
const ISSUE_USER_IDENTITY_METHODS = 'https://github.com/MicrosoftDocs/azure-docs/issues/52874';

function undocumented(name: string, description: string, evidence: string): ClaimsTransformationMethod {
  return { ...method(name, 'undocumented', description, undefined), evidence };
}

/** Every documented method, grouped by page, in page order; then the undocumented ones the service runs. */
export const CLAIMS_TRANSFORMATION_METHODS: readonly ClaimsTransformationMethod[] = [
  // boolean-transformations.md
  method('AndClaims', BOOLEAN, 'Sets the output to true only when both boolean inputs are true.', {
    in: [required('inputClaim1', 'boolean'), required('inputClaim2', 'boolean')],
    out: [required('outputClaim', 'boolean')],
  }),
  method('AssertBooleanClaimIsEqualToValue', BOOLEAN, 'Fails the validation (with a configurable message) unless a boolean claim holds the given value.', {
    in: [required('inputClaim', 'boolean')],
    params: [oneOf(required('valueToCompareTo', 'boolean'), TRUE_FALSE)],
  }),
  method('CompareBooleanClaimToValue', BOOLEAN, 'Outputs whether a boolean claim holds the given value.', {
    in: [required('inputClaim', 'boolean')],
    params: [oneOf(required('valueToCompareTo', 'boolean'), TRUE_FALSE)],
    out: [required('compareResult', 'boolean')],
  }),
  method('NotClaims', BOOLEAN, 'Outputs the negation of a boolean claim.', {
    in: [required('inputClaim', 'boolean')],
    out: [required('outputClaim', 'boolean')],
  }),
  method('OrClaims', BOOLEAN, 'Sets the output to true when at least one of two boolean inputs is true.', {
    in: [required('inputClaim1', 'boolean'), required('inputClaim2', 'boolean')],
    out: [required('outputClaim', 'boolean')],
  }),

  // date-transformations.md
  // The operands are strings: the service rejects a dateTime claim here ("expected [String]rightOperand",
  // service-errors.md #15), and the starter packs bind string claims.
  method('AssertDateTimeIsGreaterThan', DATE, 'Fails the validation when the right date is later than the left one (optionally also when equal).', {
    in: [required('leftOperand', 'string'), required('rightOperand', 'string')],
    params: [
      // "Possible values: true (default), or false."
      oneOf(optional('AssertIfEqualTo', 'boolean'), TRUE_FALSE),
      oneOf(required('AssertIfRightOperandIsNotPresent', 'boolean'), TRUE_FALSE),
      required('TreatAsEqualIfWithinMillseconds', 'int'),
    ],
  }),
  method('ConvertDateTimeToDateClaim', DATE, 'Drops the time part of a dateTime claim into a date claim.', {
    in: [required('inputClaim', 'dateTime')],
    out: [required('outputClaim', 'date')],
  }),
  method('ConvertDateToDateTimeClaim', DATE, 'Turns a date claim into a dateTime claim at midnight.', {
    in: [required('inputClaim', 'date')],
    out: [required('outputClaim', 'dateTime')],
  }),
  method('DateTimeComparison', DATE, 'Outputs whether the first date plus a number of seconds is the same as, later or earlier than the second.', {
    in: [required('firstDateTime', 'dateTime'), required('secondDateTime', 'dateTime')],
    params: [required('timeSpanInSeconds', 'int'), oneOf(required('operator', 'string'), ['same', 'later than', 'earlier than'])],
    out: [required('result', 'boolean')],
  }),
  method('IsTermsOfUseConsentRequired', DATE, 'Outputs whether a consent date is missing or older than the date the terms of use last changed.', {
    in: [required('termsOfUseConsentDateTime', 'dateTime')],
    params: [required('termsOfUseTextUpdateDateTime', 'dateTime')],
    out: [required('result', 'boolean')],
  }),
  method('GetCurrentDateTime', DATE, 'Puts the current UTC date and time into a claim.', {
    out: [required('currentDateTime', 'dateTime')],
  }),

  // integer-transformations.md
  method('AdjustNumber', INTEGER, 'Adds or subtracts one from a number claim (an empty claim counts as 0).', {
    in: [required('inputClaim', 'int')],
    // "Possible values: INCREMENT (default), or DECREMENT."
    params: [oneOf(optional('Operator', 'string'), ['INCREMENT', 'DECREMENT'])],
    out: [required('outputClaim', 'int')],
  }),
  method('AssertNumber', INTEGER, 'Compares a number claim with a constant; fails the validation on a match, or outputs the result when throwError is false.', {
    in: [required('inputClaim', 'int')],
    params: [
      required('CompareToValue', 'int'),
      oneOf(required('Operator', 'string'), ['LessThan', 'GreaterThan', 'GreaterThanOrEqual', 'LessThanOrEqual', 'Equal', 'NotEqual']),
      // "Possible values: true (default), or false."
      oneOf(optional('throwError', 'boolean'), TRUE_FALSE),
    ],
    // Only meaningful (and only documented as set) when throwError is false.
    out: [optional('outputClaim', 'boolean')],
  }),
  method('ConvertNumberToStringClaim', INTEGER, 'Writes a long number claim as a string claim.', {
    in: [required('inputClaim', 'long')],
    out: [required('outputClaim', 'string')],
  }),

  // json-transformations.md
  method('CreateJsonArray', JSON_PAGE, 'Wraps a claim value into a JSON array of one element.', {
    in: [required('inputClaim', 'string')],
    out: [required('outputClaim', 'string')],
  }),
  method('GenerateJson', JSON_PAGE, 'Builds a JSON string from claims and constants placed at dot-notation paths.', {
    out: [required('outputClaim', 'string')],
    // The table says string; the live-demo policy binds boolean, dateTime, int, long and string claims.
    openIn: { names: 'dot-notation JSON paths where the claim value is placed', dataTypes: ['string', 'boolean', 'dateTime', 'int', 'long'], nameOptional: false },
    // The table says string; the page's example declares a long constant. JSON also takes int and boolean.
    openParams: { names: 'dot-notation JSON paths where the constant is placed', dataTypes: ['string', 'long', 'int', 'boolean'], nameOptional: false },
  }),
  method('GetClaimFromJson', JSON_PAGE, 'Reads one named element of a JSON string into a claim.', {
    in: [required('inputJson', 'string')],
    params: [required('claimToExtract', 'string')],
    out: [required('extractedClaim', 'string')],
  }),
  // The table names the input jsonSourceClaim; the page's example and the live-demo policies use jsonSource.
  method('GetClaimsFromJsonArray', JSON_PAGE, 'Reads several claims from a JSON array of key/value objects, matching keys to claim names.', {
    in: [required('jsonSource', 'string')],
    params: JSON_ARRAY_PARAMETERS,
    openOut: JSON_ARRAY_OUTPUTS,
  }),
  method('GetClaimsFromJsonArrayV2', JSON_PAGE, 'Like GetClaimsFromJsonArray, reading the key/value objects from a string collection.', {
    in: [required('jsonSource', 'stringCollection')],
    params: JSON_ARRAY_PARAMETERS,
    openOut: JSON_ARRAY_OUTPUTS,
  }),
  method('GetNumericClaimFromJson', JSON_PAGE, 'Reads one named numeric element of a JSON string into a long claim.', {
    in: [required('inputJson', 'string')],
    params: [required('claimToExtract', 'string')],
    out: [required('extractedClaim', 'long')],
  }),
  method('GetSingleItemFromJson', JSON_PAGE, 'Splits the first property of a JSON object into its key and its value.', {
    in: [required('inputJson', 'string')],
    out: [required('key', 'string'), required('value', 'string')],
  }),
  method('GetSingleValueFromJsonArray', JSON_PAGE, 'Reads the first element of a JSON array into a claim.', {
    in: [required('inputJsonClaim', 'string')],
    out: [required('extractedClaim', 'string')],
  }),
  method('XmlStringToJsonString', JSON_PAGE, 'Converts an XML string claim into its JSON form.', {
    in: [required('xml', 'string')],
    out: [required('json', 'string')],
  }),

  // general-transformations.md
  method('CopyClaim', GENERAL, 'Copies a string or number claim into another claim of the same type.', {
    in: [required('inputClaim', 'string', 'int')],
    out: [required('outputClaim', 'string', 'int')],
  }),
  method('DoesClaimExist', GENERAL, 'Outputs whether a claim of any type has a value.', {
    in: [required('inputClaim', ...ANY_TYPE)],
    out: [required('outputClaim', 'boolean')],
  }),
  method('Hash', GENERAL, 'Hashes a text claim with SHA-256, salted by a claim and keyed by a policy key.', {
    in: [required('plaintext', 'string'), required('salt', 'string')],
    params: [required('randomizerSecret', 'string')],
    out: [required('hash', 'string')],
  }),

  // phone-number-claims-transformations.md
  method('ConvertPhoneNumberClaimToString', PHONE, 'Writes a phoneNumber claim as a string claim.', {
    in: [required('phoneNumber', 'phoneNumber')],
    out: [required('phoneNumberString', 'string')],
  }),
  method('ConvertStringToPhoneNumberClaim', PHONE, 'Checks a phone number string (optionally national, with a country code claim) and outputs it in the standard phoneNumber form.', {
    in: [required('phoneNumberString', 'string'), optional('country', 'string')],
    out: [required('outputClaim', 'phoneNumber')],
  }),
  method('GetNationalNumberAndCountryCodeFromPhoneNumberString', PHONE, 'Splits an international phone number into its national number and its country code.', {
    in: [required('phoneNumber', 'string')],
    params: [oneOf(optional('throwExceptionOnFailure', 'boolean'), TRUE_FALSE), oneOf(optional('countryCodeType', 'string'), ['CallingCode', 'ISO3166'])],
    out: [required('nationalNumber', 'string'), required('countryCode', 'string')],
  }),

  // social-transformations.md
  // The table's "Element" is a translation slip for item (the page's example, the Azure China copy of the page).
  method('AddItemToAlternativeSecurityIdCollection', SOCIAL, 'Appends an alternativeSecurityId to an alternativeSecurityIdCollection claim.', {
    // The collection is used "if available in the policy".
    in: [required('item', 'string'), optional('collection', 'alternativeSecurityIdCollection')],
    out: [required('collection', 'alternativeSecurityIdCollection')],
  }),
  method('CreateAlternativeSecurityId', SOCIAL, 'Builds the JSON alternativeSecurityId of a social account from its user id and identity provider.', {
    in: [required('key', 'string'), required('identityProvider', 'string')],
    out: [required('alternativeSecurityId', 'string')],
  }),
  method('GetIdentityProvidersFromAlternativeSecurityIdCollectionTransformation', SOCIAL, 'Lists the identity providers (issuers) of an alternativeSecurityIdCollection claim.', {
    in: [required('alternativeSecurityIdCollection', 'alternativeSecurityIdCollection')],
    out: [required('identityProvidersCollection', 'stringCollection')],
  }),
  method('RemoveAlternativeSecurityIdByIdentityProvider', SOCIAL, 'Removes the entry of one identity provider from an alternativeSecurityIdCollection claim.', {
    in: [required('identityProvider', 'string'), required('collection', 'alternativeSecurityIdCollection')],
    out: [required('collection', 'alternativeSecurityIdCollection')],
  }),

  // string-transformations.md
  method('AssertStringClaimsAreEqual', STRING, 'Fails the validation (with a configurable message) unless two string claims are equal.', {
    in: [required('inputClaim1', 'string'), required('inputClaim2', 'string')],
    params: [oneOf(required('stringComparison', 'string'), STRING_COMPARISONS)],
  }),
  method('BuildUri', STRING, 'Builds a TOTP enrolment URI from a user identifier and a secret key.', {
    in: [required('path', 'string'), required('query.secret', 'string')],
    params: [required('scheme', 'string'), required('host', 'string'), required('query.issuer', 'string')],
    out: [required('outputClaim', 'string')],
  }),
  method('ChangeCase', STRING, 'Converts a string claim to lower or upper case.', {
    in: [required('inputClaim1', 'string')],
    params: [oneOf(required('toCase', 'string'), ['LOWER', 'UPPER'])],
    out: [required('outputClaim', 'string')],
  }),
  method('CompareClaims', STRING, 'Outputs whether two string claims are equal (or not equal), optionally ignoring case.', {
    in: [required('inputClaim1', 'string'), required('inputClaim2', 'string')],
    params: [
      oneOf(required('operator', 'string'), EQUAL_OPERATORS),
      // Typed boolean in the 2018 table, string since; the overview page's example leaves it out.
      oneOf(optional('ignoreCase', 'string', 'boolean'), TRUE_FALSE),
    ],
    out: [required('outputClaim', 'boolean')],
  }),
  method('CompareClaimToValue', STRING, 'Outputs whether a string claim equals (or does not equal) a constant, optionally ignoring case.', {
    in: [required('inputClaim1', 'string')],
    // The table lists Ordinal/OrdinalIgnoreCase under compareTo, a slip: the examples compare with V1 and facebook.com.
    params: [required('compareTo', 'string'), oneOf(required('operator', 'string'), EQUAL_OPERATORS), oneOf(required('ignoreCase', 'string', 'boolean'), TRUE_FALSE)],
    out: [required('outputClaim', 'boolean')],
  }),
  method('CopyClaimIfPredicateMatch', STRING, "Copies a claim into another only when the value satisfies the output claim's predicate.", {
    in: [required('inputClaim', 'string')],
    out: [required('outputClaim', 'string')],
  }),
  method('CreateOtpSecret', STRING, 'Generates a TOTP secret key for an authenticator app.', {
    out: [required('outputClaim', 'string')],
  }),
  method('CreateRandomString', STRING, 'Generates a random GUID or integer, optionally formatted and base64-encoded.', {
    params: [
      oneOf(required('randomGeneratorType', 'string'), ['GUID', 'INTEGER']),
      optional('stringFormat', 'string'),
      oneOf(optional('base64', 'boolean'), TRUE_FALSE),
      optional('maximumNumber', 'int'),
      optional('seed', 'int'),
    ],
    out: [required('outputClaim', 'string')],
  }),
  method('CreateStringClaim', STRING, 'Sets a string claim to a constant.', {
    params: [required('value', 'string')],
    out: [required('createdClaim', 'string')],
  }),
  method('FormatLocalizedString', STRING, 'Formats claims into a localized format string chosen by its StringId.', {
    params: [required('stringFormatId', 'string')],
    out: [required('outputClaim', 'string')],
    openIn: { names: 'claims that fill {0}, {1}, ... in order (TransformationClaimType not needed)', dataTypes: ['string'], nameOptional: true },
  }),
  method('FormatStringClaim', STRING, 'Formats one claim into a format string with {0}.', {
    in: [required('inputClaim', 'string')],
    params: [required('stringFormat', 'string')],
    out: [required('outputClaim', 'string')],
  }),
  method('FormatStringMultipleClaims', STRING, 'Formats two claims into a format string with {0} and {1}.', {
    in: [required('inputClaim1', 'string'), required('inputClaim2', 'string')],
    params: [required('stringFormat', 'string')],
    out: [required('outputClaim', 'string')],
  }),
  method('GetLocalizedStringsTransformation', STRING, 'Copies localized strings into claims, each output named by the StringId it takes.', {
    openOut: { names: 'StringIds of GetLocalizedStringsTransformationClaimType localized strings', dataTypes: ['string'], nameOptional: false },
  }),
  method('GetMappedValueFromLocalizedCollection', STRING, "Looks a value up in the output claim's Restriction enumeration (localized when available).", {
    in: [required('mapFromClaim', 'string')],
    out: [required('restrictionValueClaim', 'string')],
  }),
  method('LookupValue', STRING, 'Maps a claim value to the constant of the input parameter whose Id equals it.', {
    in: [required('inputParameterId', 'string')],
    params: [oneOf(required('errorOnFailedLookup', 'boolean'), TRUE_FALSE)],
    out: [required('outputClaim', 'string')],
    openParams: { names: 'lookup keys (the claim values to match), each holding its mapped value', dataTypes: ['string'], nameOptional: false },
  }),
  method('NullClaim', STRING, 'Clears the value of a claim.', {
    out: [required('claim_to_null', 'string')],
  }),
  method('ParseDomain', STRING, 'Outputs the domain part of an email address.', {
    in: [required('emailAddress', 'string')],
    out: [required('domain', 'string')],
  }),
  // The table types claimToMatch as string; the live-demo policy binds a boolean claim.
  method('SetClaimIfBooleansMatch', STRING, 'Sets a string claim to a constant when a boolean claim equals true (or false).', {
    in: [required('claimToMatch', 'string', 'boolean')],
    params: [oneOf(required('matchTo', 'string'), TRUE_FALSE), required('outputClaimIfMatched', 'string')],
    out: [required('outputClaim', 'string')],
  }),
  method('SetClaimsIfRegexMatch', STRING, 'Outputs whether a string claim matches a regular expression, sets a constant on a match, and can extract named groups into claims.', {
    in: [required('claimToMatch', 'string')],
    params: [required('matchTo', 'string'), required('outputClaimIfMatched', 'string'), oneOf(optional('extractGroups', 'boolean'), TRUE_FALSE)],
    out: [required('outputClaim', 'string'), required('regexCompareResultClaim', 'boolean')],
    openOut: { names: 'claims named after the regular expression groups (with extractGroups)', dataTypes: ['string'], nameOptional: true },
  }),
  method('SetClaimsIfStringsAreEqual', STRING, 'Outputs whether a string claim equals a constant and, when it does, sets two claims to constants.', {
    in: [required('inputClaim', 'string')],
    params: [required('matchTo', 'string'), oneOf(required('stringComparison', 'string'), STRING_COMPARISONS), required('stringMatchMsg', 'string'), required('stringMatchMsgCode', 'string')],
    out: [required('outputClaim1', 'string'), required('outputClaim2', 'string'), required('stringCompareResultClaim', 'boolean')],
  }),
  method('SetClaimsIfStringsMatch', STRING, 'Outputs whether a string claim equals a constant and, when it does, sets a claim to a constant.', {
    in: [required('claimToMatch', 'string')],
    params: [required('matchTo', 'string'), oneOf(required('stringComparison', 'string'), STRING_COMPARISONS), required('outputClaimIfMatched', 'string')],
    out: [required('outputClaim', 'string'), required('stringCompareResultClaim', 'boolean')],
  }),
  // The table types outputClaim as string but calls it "a boolean indicator"; the live-demo policy binds boolean.
  method('StringContains', STRING, 'Outputs whether a string claim contains a substring, optionally ignoring case.', {
    in: [required('inputClaim', 'string')],
    params: [required('contains', 'string'), oneOf(required('ignoreCase', 'string'), TRUE_FALSE)],
    out: [required('outputClaim', 'boolean')],
  }),
  method('StringSubstring', STRING, 'Outputs the part of a string claim that starts at an index and has a length.', {
    in: [required('inputClaim', 'string')],
    params: [required('startIndex', 'int'), required('length', 'int')],
    out: [required('outputClaim', 'string')],
  }),
  // The table types outputClaim as boolean but describes a string; the live-demo policy binds string.
  method('StringReplace', STRING, 'Replaces every occurrence of a substring in a string claim.', {
    in: [required('inputClaim', 'string')],
    params: [required('oldValue', 'string'), required('newValue', 'string')],
    out: [required('outputClaim', 'string')],
  }),
  method('StringJoin', STRING, 'Joins the items of a string collection with a delimiter.', {
    in: [required('inputClaim', 'stringCollection')],
    params: [required('delimiter', 'string')],
    out: [required('outputClaim', 'string')],
  }),
  method('StringSplit', STRING, 'Splits a string claim at a delimiter into a string collection.', {
    in: [required('inputClaim', 'string')],
    params: [required('delimiter', 'string')],
    out: [required('outputClaim', 'stringCollection')],
  }),

  // stringcollection-transformations.md
  // The table's "Element" is a translation slip for item: the page's example, the starter packs and the
  // Azure China copy of the page all use item.
  method('AddItemToStringCollection', STRING_COLLECTION, 'Appends a string claim to a string collection (keeping values unique).', {
    in: [required('item', 'string'), required('collection', 'stringCollection')],
    out: [required('collection', 'stringCollection')],
  }),
  method('AddParameterToStringCollection', STRING_COLLECTION, 'Appends a constant to a string collection (keeping values unique).', {
    in: [required('collection', 'stringCollection')],
    params: [required('item', 'string')],
    out: [required('collection', 'stringCollection')],
  }),
  method('GetSingleItemFromStringCollection', STRING_COLLECTION, 'Outputs the first item of a string collection.', {
    in: [required('collection', 'stringCollection')],
    out: [required('extractedItem', 'string')],
  }),
  method('StringCollectionContains', STRING_COLLECTION, 'Outputs whether a string collection contains a constant, optionally ignoring case.', {
    in: [required('inputClaim', 'stringCollection')],
    params: [required('item', 'string'), oneOf(required('ignoreCase', 'string'), TRUE_FALSE)],
    out: [required('outputClaim', 'boolean')],
  }),
  method('StringCollectionContainsClaim', STRING_COLLECTION, "Outputs whether a string collection contains another claim's value, optionally ignoring case.", {
    in: [required('collection', 'stringCollection'), required('item', 'string')],
    params: [oneOf(required('ignoreCase', 'string'), TRUE_FALSE)],
    out: [required('outputClaim', 'boolean')],
  }),

  // active-directory-b2c-claimstransformations-custom.md (2018): listed in the method table without a
  // signature; kept so that policies using it are not told the method does not exist.
  method('GetAgeGroupAndConsentProvided', 'active-directory-b2c-claimstransformations-custom.md', 'Derives an age group and whether consent is needed from a birth date and a country (signature not documented).', undefined),

  // Undocumented, but run by the service: Microsoft's published samples use them, and Microsoft engineers
  // describe them in public issues. Only the name is checked (a policy using one is not told it does not
  // exist); measured on azure-ad-b2c/samples (account-linkage-unified, age-gating), which checked clean
  // otherwise.
  undocumented('CreateUserIdentity', 'Builds a userIdentity (issuer and issuer user id) for the account-linking collection (signature not documented).', ISSUE_USER_IDENTITY_METHODS),
  undocumented('AddItemToUserIdentityCollection', 'Adds a userIdentity to a userIdentityCollection (signature not documented).', ISSUE_USER_IDENTITY_METHODS),
  undocumented('RemoveUserIdentityFromCollectionByIssuer', 'Removes the userIdentity of one issuer from a userIdentityCollection (signature not documented).', ISSUE_USER_IDENTITY_METHODS),
  undocumented(
    'GetIssuersFromUserIdentityCollectionTransformation',
    'Lists the issuers (identity providers) of a userIdentityCollection as a string collection (signature not documented).',
    ISSUE_USER_IDENTITY_METHODS,
  ),
  undocumented(
    'GetAgeGroupConsentProvidedAndRequiresConsent',
    'Derives an age group, the consent given and whether consent is required from a birth date, a country and a consent claim (signature not documented).',
    'https://github.com/azure-ad-b2c/samples/tree/master/policies/age-gating',
  ),
];

const METHODS_BY_NAME: ReadonlyMap<string, ClaimsTransformationMethod> = new Map(CLAIMS_TRANSFORMATION_METHODS.map((m) => [m.name, m]));

/** The method with exactly this name (case-sensitive), or undefined. */
export function claimsTransformationMethod(name: string): ClaimsTransformationMethod | undefined {
  return METHODS_BY_NAME.get(name);
}

/** Every method name, in catalog order. */
export function claimsTransformationMethodNames(): string[] {
  return CLAIMS_TRANSFORMATION_METHODS.map((m) => m.name);
}

/** The public page of a method's reference (learn.microsoft.com), with the method's anchor. */
export function claimsTransformationReferenceUrl(m: ClaimsTransformationMethod): string {
  if (m.evidence) return m.evidence;
  return `https://learn.microsoft.com/azure/active-directory-b2c/${m.page.replace(/\.md$/, '')}#${m.name.toLowerCase()}`;
}

function slotText(slot: TransformationSlot): string {
  return `${slot.name}${slot.required ? '' : '?'}: ${slot.dataTypes.join(' | ')}`;
}

function openText(open: OpenTransformationSlots | undefined): string[] {
  return open ? [`...${open.names}: ${open.dataTypes.join(' | ')}`] : [];
}

/**
 * One line for completion and hover, e.g.
 * `CreateRandomString(randomGeneratorType: string, stringFormat?: string, base64?: boolean, ...) -> outputClaim: string`.
 * Input claims come first, then, after `;`, input parameters (`?` marks optional ones). Undefined for an
 * unknown method.
 */
export function methodSignature(name: string): string | undefined {
  const m = claimsTransformationMethod(name);
  if (!m) return undefined;
  const s = m.signature;
  if (!s) return `${m.name}(...) (signature not documented)`;
  const claims = [...s.inputClaims.map(slotText), ...openText(s.openInputClaims)];
  const parameters = [...s.inputParameters.map(slotText), ...openText(s.openInputParameters)];
  const inputs = claims.length && parameters.length ? `${claims.join(', ')}; ${parameters.join(', ')}` : [...claims, ...parameters].join(', ');
  const outputs = [...s.outputClaims.map(slotText), ...openText(s.openOutputClaims)];
  return `${m.name}(${inputs})${outputs.length ? ` -> ${outputs.join(', ')}` : ''}`;
}

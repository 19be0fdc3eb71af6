import { DiagnosticCodes } from '../../protocol';
import {
  KNOWN_HANDLERS,
  handlerTypeName,
  metadataKeyMatch,
  technicalProfileTypeOf,
  type MetadataItemSpec,
  type RequirementContext,
  type TechnicalProfileType,
} from '../catalogs/technicalProfiles';
import { closestIds } from '../util/closest';
import type { Finding } from '../findings';
import type { Definition, PolicyFile } from '../policy/model';
import type { XmlElement } from '../xml/nodes';
import { attributeValue, firstChild, getAttribute } from '../xml/query';
import { hasTemplateToken, type RuleContext } from './context';
import {
  claimNames,
  cryptographicKeys,
  includedProfileIds,
  metadataItems,
  type MetadataEntry,
  type TechnicalProfileModel,
} from '../policy/technicalProfiles';

/** B2C claim resolvers ({Culture:LanguageName}, {OIDC:ClientId}, ...) are valid values of any item. */
const CLAIM_RESOLVER = /\{[A-Za-z]+:[^{}]*\}/;

/**
 * Technical profile protocol, handler, metadata and cryptographic keys, judged against the catalog
 * (catalogs/technicalProfiles.ts) on the file's own chain (`context.effective`): the service validates each
 * upload with its bases only, and a profile's Metadata items and keys accumulate along the chain and from
 * the profiles it includes.
 *
 * Where findings go: only on elements of the current file; a requirement is judged on the most derived
 * declaration of the profile in this file.
 *
 * Required items and keys: the service accepts the upload of a base whose profile lacks a required item that
 * its Extensions adds (Microsoft's LocalAccounts base declares login-NonInteractive without client_id and
 * uploads first; the Extensions completes it). So a missing item or key is judged at the most derived
 * declaration of the profile: a file whose descendants (in the workspace) redeclare the profile leaves the
 * judgement to them, and each judges with its own chain. Measured on the corpus: the starter packs (each
 * checked with all its files) and the whole corpus give no finding; a base checked alone reports the items its
 * Extensions adds (client_id of login-NonInteractive; client_id and ClaimsEndpoint of Facebook-OAUTH: 1 to 3
 * per base). A present but empty required item is always an error, in the file that holds it: the service
 * rejects that upload (service message #13, `defines an invalid value "" for the metadata item "client_id."`).
 * Profiles that other profiles include (AAD-Common, SM-AAD, ...) are building blocks, not judged for
 * requirements: the starter pack's AAD-Common has no Operation, which every profile including it sets.
 */
export function checkTechnicalProfileMetadata(context: RuleContext): Finding[] {
  const { file, effective, index, settings } = context;
  const profiles = context.chainModel(file).profiles;
  const findings: Finding[] = [];
  const skip = (value: string) => hasTemplateToken(value, settings.templateTokens) || CLAIM_RESOLVER.test(value);
  let descendants: PolicyFile[] | undefined;
  let included: Set<string> | undefined;
  let stepContent: Set<string> | undefined;

  const declared = file.definitions.filter((d) => d.kind === 'technicalProfile');
  const lastDeclaration = new Map<string, Definition>();
  for (const d of declared) lastDeclaration.set(d.id.toLowerCase(), d);

  for (const definition of declared) {
    const element = definition.element;
    findings.push(...duplicateKeys(element, file));
    findings.push(...handlerFindings(element, skip));
    const profile = profiles.profile(definition.id);
    const type = profile?.type;
    if (!profile || !type) continue;
    findings.push(...itemFindings(element, file, type, skip));
    findings.push(...keyFindings(element, file, type));

    if (lastDeclaration.get(definition.id.toLowerCase()) !== definition) continue;
    if (!effective.complete || !profile.includesResolved) continue;
    descendants ??= index.descendants(file.uri);
    included ??= includedProfileIds([...effective.files, ...descendants]);
    if (included.has(definition.id.toLowerCase())) continue;
    stepContent ??= profilesRunByStepsWithContent([...effective.files, ...descendants]);
    const redeclared = descendants.some((d) => d.definitions.some((x) => x.kind === 'technicalProfile' && x.id.toLowerCase() === definition.id.toLowerCase()));
    findings.push(...requirementFindings(definition, profile, type, file, redeclared, stepContent));
  }

  // The relying party's technical profile (relyingparty.md): its metadata depends on its protocol.
  for (const rp of relyingPartyProfiles(file)) {
    findings.push(...duplicateKeys(rp, file));
    const protocol = firstChild(rp, 'Protocol');
    const type = protocol ? technicalProfileTypeOf({ name: attributeValue(protocol, 'Name'), handler: undefined, outputTokenFormat: undefined }, true) : undefined;
    if (type) findings.push(...itemFindings(rp, file, type, skip));
  }
  return findings;
}

/**
 * Ids (lower case) of the profiles that an orchestration step with its own ContentDefinitionReferenceId runs:
 * the step's content definition is the page's, so the profile needs none in its metadata. Measured on the
 * corpus: scenario-phone-number-passwordless runs SelfAsserted-LocalAccountSigninForProfileEdit-Phone-Only
 * (no ContentDefinitionReferenceId) from a CombinedSignInAndSignUp step with ContentDefinitionReferenceId.
 */
function profilesRunByStepsWithContent(files: PolicyFile[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    for (const journey of file.journeys) {
      for (const step of journey.steps) {
        if (!attributeValue(step.element, 'ContentDefinitionReferenceId')) continue;
        for (const exchange of step.exchanges) {
          const id = attributeValue(exchange.element, 'TechnicalProfileReferenceId');
          if (id) out.add(id.toLowerCase());
        }
      }
    }
  }
  return out;
}

function relyingPartyProfiles(file: PolicyFile): XmlElement[] {
  const root = file.xml.root;
  const rp = root ? firstChild(root, 'RelyingParty') : undefined;
  const tp = rp ? firstChild(rp, 'TechnicalProfile') : undefined;
  return tp ? [tp] : [];
}

/** Service message #21: a Metadata element with the same Item Key twice fails the upload. */
function duplicateKeys(element: XmlElement, file: PolicyFile): Finding[] {
  const findings: Finding[] = [];
  const byMetadata = new Map<XmlElement, Map<string, MetadataEntry>>();
  for (const entry of metadataItems(element, file)) {
    const metadata = entry.item.parent!;
    let seen = byMetadata.get(metadata);
    if (!seen) byMetadata.set(metadata, (seen = new Map()));
    const first = seen.get(entry.key);
    if (!first) {
      seen.set(entry.key, entry);
      continue;
    }
    findings.push({
      code: DiagnosticCodes.duplicateMetadataKey,
      severity: 'error',
      message: `Metadata item "${entry.key}" is already defined in this Metadata element (line ${file.lines.positionAt(first.keySpan.start).line + 1}); the service rejects a duplicate Item Key.`,
      span: entry.keySpan,
      data: { key: entry.key },
    });
  }
  return findings;
}

/** A Proprietary protocol needs the Handler of a provider the service has (technicalprofiles.md, "Protocol"). */
function handlerFindings(element: XmlElement, skip: (value: string) => boolean): Finding[] {
  const protocol = firstChild(element, 'Protocol');
  if (!protocol || attributeValue(protocol, 'Name') !== 'Proprietary') return [];
  const handler = getAttribute(protocol, 'Handler');
  if (!handler || handler.value === undefined) {
    return [
      {
        code: DiagnosticCodes.unknownProtocolHandler,
        severity: 'error',
        message: 'A Proprietary protocol needs a Handler attribute naming the provider, e.g. "Web.TPEngine.Providers.SelfAssertedAttributeProvider, Web.TPEngine, ...".',
        span: protocol.nameSpan,
        data: {},
      },
    ];
  }
  if (skip(handler.value)) return [];
  const typeName = handlerTypeName(handler.value);
  if (KNOWN_HANDLERS.includes(typeName)) return [];
  const closest = closestIds(typeName, [...KNOWN_HANDLERS], 1)[0];
  return [
    {
      code: DiagnosticCodes.unknownProtocolHandler,
      severity: 'error',
      message: `"${typeName}" is not a protocol handler of the service${closest ? `; did you mean "${closest}"?` : '.'}`,
      span: handler.valueSpan ?? handler.nameSpan,
      data: { handler: typeName, closest },
    },
  ];
}

/** Keys the type does not read, and values its type does not accept. */
function itemFindings(element: XmlElement, file: PolicyFile, type: TechnicalProfileType, skip: (value: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const entry of metadataItems(element, file)) {
    if (type.openMetadata || skip(entry.key)) continue;
    const match = metadataKeyMatch(type, entry.key);
    if (match.kind === 'unknown') {
      const closest = closestIds(
        entry.key,
        type.metadata.map((m) => m.key),
        1,
      )[0];
      findings.push({
        code: DiagnosticCodes.unknownMetadataKey,
        severity: 'warning',
        message: `Metadata item "${entry.key}" is not one ${type.title} technical profiles read${closest ? `; did you mean "${closest}"?` : '.'} (${type.page})`,
        span: entry.keySpan,
        data: { key: entry.key, closest, profileType: type.id },
      });
      continue;
    }
    if (match.kind === 'listed' && entry.value !== '' && !skip(entry.value)) {
      const problem = valueProblem(match.spec, entry.value);
      if (problem) {
        findings.push({
          code: DiagnosticCodes.invalidMetadataValue,
          severity: 'warning',
          message: `"${entry.value}" is not a valid value of metadata item "${entry.key}": ${problem}.`,
          span: entry.valueSpan,
          data: { key: entry.key, value: entry.value, values: match.spec.values },
        });
      }
    }
  }
  return findings;
}

/**
 * Why a value does not fit the item's type, or undefined. Booleans also accept 0 and 1: Microsoft's starter
 * pack sets UsePolicyInRedirectUri to 0 on Facebook-OAUTH. Enumerations ignore case: the pack writes
 * AccessTokenResponseFormat `json` for the documented `Json`.
 */
export function valueProblem(spec: MetadataItemSpec, value: string): string | undefined {
  switch (spec.type) {
    case 'boolean':
      return /^(true|false|0|1)$/i.test(value) ? undefined : 'expected true or false';
    case 'int': {
      if (!/^[+-]?\d+$/.test(value)) return 'expected a whole number';
      const n = Number.parseInt(value, 10);
      if (spec.min !== undefined && n < spec.min) return `the smallest value is ${spec.min}`;
      if (spec.max !== undefined && n > spec.max) return `the largest value is ${spec.max}`;
      return undefined;
    }
    case 'enumeration':
      return spec.values && !spec.values.some((v) => v.toLowerCase() === value.toLowerCase()) ? `expected one of ${spec.values.join(', ')}` : undefined;
    case 'url':
      return /^https?:\/\//i.test(value) ? undefined : 'expected an http or https URL';
    default:
      return undefined;
  }
}

/** Cryptographic key Ids the type does not use. */
function keyFindings(element: XmlElement, file: PolicyFile, type: TechnicalProfileType): Finding[] {
  if (type.anyCryptographicKeyId || type.openMetadata) return [];
  const findings: Finding[] = [];
  for (const entry of cryptographicKeys(element, file)) {
    if (type.cryptographicKeys.some((k) => k.id === entry.id)) continue;
    const closest = closestIds(
      entry.id,
      type.cryptographicKeys.map((k) => k.id),
      1,
    )[0];
    const idAttribute = getAttribute(entry.element, 'Id') ?? getAttribute(entry.element, 'ID');
    findings.push({
      code: DiagnosticCodes.unknownCryptographicKey,
      severity: 'warning',
      message: `${type.title} technical profiles do not use a cryptographic key "${entry.id}"${
        type.cryptographicKeys.length ? ` (they use ${type.cryptographicKeys.map((k) => k.id).join(', ')})` : ''
      }${closest ? `; did you mean "${closest}"?` : '.'}`,
      span: idAttribute?.valueSpan ?? entry.element.nameSpan,
      data: { id: entry.id, closest, profileType: type.id },
    });
  }
  return findings;
}

function requirementContext(profile: TechnicalProfileModel): RequirementContext {
  const metadata = new Map<string, string>();
  for (const [key, entry] of profile.metadata) metadata.set(key, entry.value);
  return { metadata, usesExtensionAttributes: claimNames(profile).some((c) => c.toLowerCase().startsWith('extension_')) };
}

function requirementFindings(
  definition: Definition,
  profile: TechnicalProfileModel,
  type: TechnicalProfileType,
  file: PolicyFile,
  redeclaredByDescendant: boolean,
  stepContent: Set<string>,
): Finding[] {
  const findings: Finding[] = [];
  const context = requirementContext(profile);

  for (const spec of type.metadata) {
    const required = spec.required || spec.requiredWhen?.test(context);
    if (!required) continue;
    const why = spec.required ? 'is required' : `is required when ${spec.requiredWhen!.when}`;
    const entry = profile.metadata.get(spec.key);
    if (entry && entry.value !== '') continue;
    if (!entry && spec.key === 'ContentDefinitionReferenceId' && stepContent.has(definition.id.toLowerCase())) continue;
    if (entry) {
      if (entry.file !== file) continue; // reported in the file that holds the empty item
      findings.push({
        code: DiagnosticCodes.missingMetadata,
        severity: 'error',
        // The facts of service message #13.
        message: `TechnicalProfile "${profile.id}" defines an invalid value "" for the metadata item "${spec.key}": the item ${why} for ${type.title} technical profiles and cannot be empty.`,
        span: entry.keySpan,
        data: { id: profile.id, key: spec.key, empty: true, profileType: type.id },
      });
      continue;
    }
    if (redeclaredByDescendant) continue;
    findings.push({
      code: DiagnosticCodes.missingMetadata,
      severity: 'error',
      message: `TechnicalProfile "${profile.id}" has no metadata item "${spec.key}", which ${why} for ${type.title} technical profiles (${type.page}).`,
      span: definition.idSpan,
      data: { id: profile.id, key: spec.key, empty: false, profileType: type.id },
    });
  }

  for (const spec of type.cryptographicKeys) {
    const required = spec.required || spec.requiredWhen?.test(context);
    if (!required || profile.keys.has(spec.id) || redeclaredByDescendant) continue;
    const why = spec.required ? 'is required' : `is required when ${spec.requiredWhen!.when}`;
    findings.push({
      code: DiagnosticCodes.missingCryptographicKey,
      severity: 'error',
      message: `TechnicalProfile "${profile.id}" has no cryptographic key "${spec.id}", which ${why} for ${type.title} technical profiles (${type.page}).`,
      span: definition.idSpan,
      data: { id: profile.id, keyId: spec.id, profileType: type.id },
    });
  }
  return findings;
}


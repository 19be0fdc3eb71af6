import type { TextEdit } from 'vscode-languageserver-types';
import type { PolicyLanguageService } from '../../languageService';
import type { EffectiveJourney, EffectiveStep } from '../../policy/effective';
import { trimmedTextSpan, type PolicyFile } from '../../policy/model';
import type { XmlElement } from '../../xml/nodes';
import { attributeValue, childElements, firstChild, getAttribute } from '../../xml/query';
import { findProviderTemplate, withPolicyKeyPrefix, type AnswerId, type ClaimsProviderTemplate, type TemplateValue } from './providers';
import {
  applyOffsetEdits,
  escapeAttribute,
  escapeText,
  FileEdits,
  leadingWhitespace,
  lineIndent,
  reindent,
  renderLines,
  styleOf,
  type Lines,
  type OffsetEdit,
  type TextStyle,
} from './textEdits';

/**
 * "Insert claims provider": the service-level operation. Pure: reads the workspace index, returns text
 * edits (a WorkspaceEdit's `changes`), never touches disk and never writes a secret.
 *
 * Journey strategy (the simplest correct one for each case):
 * - new journey (`newJourney`, or no journey given and Extensions declares none): the effective
 *   `SignUpOrSignIn` journey is copied as text from the file that declares it (steps overridden further down
 *   the chain are taken from the overriding file), re-indented for Extensions, given the new Id, and the
 *   provider is added to the copy; the copy goes into Extensions' `<UserJourneys>`.
 * - existing journey (`journey`, or a new journey Id that already exists, e.g. on a second run): the
 *   provider's selection is added to the first `CombinedSignInAndSignUp`/`ClaimsProviderSelection` step and its
 *   exchange to the next step. A step declared in Extensions is edited in place; a step declared in a base file
 *   is overridden in Extensions (same journey Id, same Order, the effective step's text plus the addition).
 * Running it again finds the technical profile and exchange and only updates the answers' values.
 */

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

/** Bad input (unknown provider, missing answer, no such journey): the message is meant for the user. */
export class ScaffoldError extends Error {}

export const DEFAULT_NEW_JOURNEY_ID = 'CustomSignUpSignIn';
const SOURCE_JOURNEY_ID = 'SignUpOrSignIn';

/** Child orders from the schema (only the names the scaffolder inserts need be exact). */
const ROOT_ORDER = ['BasePolicy', 'PolicyConstraints', 'Contacts', 'DocumentReferences', 'BuildingBlocks', 'ClaimsProviders', 'UserJourneys', 'SubJourneys', 'RelyingParty'];
const STEP_ORDER = ['Preconditions', 'ClaimsProviderSelections', 'ClaimsExchanges', 'JourneyList'];
const JOURNEY_ORDER = ['AssuranceLevel', 'PreserveOriginalAssertion', 'Authorization', 'OrchestrationSteps', 'ClientDefinition'];
const TECHNICAL_PROFILE_ORDER = [
  'Domain', 'DisplayName', 'Description', 'Protocol', 'InputTokenFormat', 'OutputTokenFormat', 'AssuranceLevelOfOutputClaims',
  'RequiredAssuranceLevelsOfInputClaims', 'SubjectAuthenticationRequirements', 'Metadata', 'CryptographicKeys', 'Suppressions',
  'PreferredBinding', 'IncludeInSso', 'InputTokenSources', 'InputClaimsTransformations', 'InputClaims', 'DisplayClaims',
  'PersistedClaims', 'OutputClaims', 'OutputClaimsTransformations', 'ValidationTechnicalProfiles', 'SubjectNamingInfo',
  'Extensions', 'IncludeClaimsFromTechnicalProfile', 'IncludeTechnicalProfile', 'UseTechnicalProfileForSessionManagement',
  'EnabledForUserJourneys', 'DisplayControlReferences',
];

/** Console URLs for a policy's TenantId (`YourTenant.onmicrosoft.com` -> `yourtenant`), lowercase. */
export function consoleUrls(tenantId: string): { tenant: string; allowedOrigin: string; returnUrl: string } {
  const tenant = tenantId.trim().toLowerCase().split('.')[0];
  const origin = `https://${tenant}.b2clogin.com`;
  return { tenant, allowedOrigin: origin, returnUrl: `${origin}/${tenant}.onmicrosoft.com/oauth2/authresp` };
}

export function insertClaimsProvider(
  service: PolicyLanguageService,
  extensionsUri: string,
  providerId: string,
  answers: InsertClaimsProviderAnswers,
): InsertClaimsProviderResult {
  const template = findProviderTemplate(providerId);
  if (!template) throw new ScaffoldError(`Unknown claims provider '${providerId}'.`);
  const values = resolveAnswers(template, answers);
  const extensions = service.index.get(extensionsUri);
  if (!extensions || !extensions.isPolicy || !extensions.xml.root) throw new ScaffoldError(`${extensionsUri} is not a policy file.`);
  if (extensions.xml.problems.length) throw new ScaffoldError(`${extensionsUri} has XML syntax errors; fix them first.`);
  const effective = service.index.effective(extensions);
  const notes: string[] = [];
  const filesEdits = new Map<string, FileEdits>();
  const editsFor = (file: PolicyFile): FileEdits => {
    let e = filesEdits.get(file.uri);
    if (!e) filesEdits.set(file.uri, (e = new FileEdits(file)));
    return e;
  };
  const extEdits = editsFor(extensions);
  const extStyle = styleOf(extensions);

  const tpLookup = effective.lookup('technicalProfile', template.technicalProfile.id);
  const existingProfile = tpLookup.exact[0] ?? tpLookup.caseOnly[0];
  const exchangePresent = effective.journeys().some((j) => j.steps.some((s) => s.step.exchanges.some((x) => sameId(x.id, template.exchangeId))));
  const alreadyPresent = !!existingProfile || exchangePresent;

  // 1. The claims provider and its technical profile.
  if (existingProfile && existingProfile.uri === extensions.uri) {
    updateTechnicalProfile(extEdits, extStyle, existingProfile.element, template, values);
  } else {
    const lines = existingProfile ? overrideProviderLines(template, values) : providerLines(template, values);
    const render = (indent: string) => renderLines(lines, indent, extStyle.unit, extStyle.eol);
    const container = firstChild(extensions.xml.root, 'ClaimsProviders');
    if (container) insertChild(extEdits, extStyle, container, 'ClaimsProvider', render, { blankLineBefore: true });
    else insertChild(extEdits, extStyle, extensions.xml.root, 'ClaimsProviders', wrap('ClaimsProviders', render, extStyle), { order: ROOT_ORDER });
  }

  // 2. The journey.
  const ownJourney = extensions.journeys.find((j) => j.kind === 'userJourney' && selectionStepIndex(effective.journey('userJourney', j.id)) >= 0);
  let journeyId: string;
  if (answers.newJourney?.trim()) journeyId = answers.newJourney.trim();
  else if (answers.journey?.trim()) {
    journeyId = answers.journey.trim();
    if (!effective.journey('userJourney', journeyId)) throw new ScaffoldError(`No user journey '${journeyId}' in the policy chain of ${extensionsUri}.`);
  } else journeyId = ownJourney ? ownJourney.id : DEFAULT_NEW_JOURNEY_ID;

  const existingJourney = effective.journey('userJourney', journeyId);
  if (existingJourney) {
    journeyId = existingJourney.id;
    addToExistingJourney(extensions, extEdits, extStyle, existingJourney, template);
  } else {
    const source = effective.journey('userJourney', SOURCE_JOURNEY_ID);
    if (!source) throw new ScaffoldError(`No '${SOURCE_JOURNEY_ID}' user journey in the policy chain of ${extensionsUri} to copy.`);
    const render = (indent: string) => indent + copiedJourneyText(source, journeyId, template, extStyle, indent);
    const container = firstChild(extensions.xml.root, 'UserJourneys');
    if (container) insertChild(extEdits, extStyle, container, 'UserJourney', render, { blankLineBefore: true });
    else insertChild(extEdits, extStyle, extensions.xml.root, 'UserJourneys', wrap('UserJourneys', render, extStyle), { order: ROOT_ORDER });
  }

  // 3. Relying parties.
  for (const uri of answers.relyingParties ?? []) {
    const file = service.index.get(uri);
    const relyingParty = file?.isPolicy && file.xml.root ? firstChild(file.xml.root, 'RelyingParty') : undefined;
    if (!file || !relyingParty) {
      notes.push(`${uri} has no RelyingParty; its DefaultUserJourney was not changed.`);
      continue;
    }
    const edits = editsFor(file);
    const defaultJourney = firstChild(relyingParty, 'DefaultUserJourney');
    const reference = defaultJourney && getAttribute(defaultJourney, 'ReferenceId');
    if (reference?.valueSpan) edits.replace(reference.valueSpan.start, reference.valueSpan.end, escapeAttribute(journeyId));
    else if (defaultJourney) edits.insert(defaultJourney.nameSpan.end, ` ReferenceId="${escapeAttribute(journeyId)}"`);
    else insertChild(edits, styleOf(file), relyingParty, 'DefaultUserJourney', (i) => `${i}<DefaultUserJourney ReferenceId="${escapeAttribute(journeyId)}" />`, { atStart: true });
  }

  const changes: Record<string, TextEdit[]> = {};
  for (const [uri, edits] of filesEdits) if (!edits.isEmpty) changes[uri] = edits.toTextEdits();
  const urls = consoleUrls(extensions.tenantId ?? '');
  return { edit: { changes }, alreadyPresent, journeyId, info: { ...urls, policyKey: values.policyKey }, notes };
}

function sameId(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

function resolveAnswers(template: ClaimsProviderTemplate, answers: InsertClaimsProviderAnswers): Record<AnswerId, string> {
  const out = {} as Record<AnswerId, string>;
  for (const q of template.questions) {
    const given = (answers[q.id] ?? '').trim();
    const value = given || q.defaultValue || '';
    if (!value && q.required) throw new ScaffoldError(`${q.prompt}: an answer is required.`);
    out[q.id] = q.kind === 'policyKey' && value ? withPolicyKeyPrefix(value) : value;
  }
  return out;
}

function valueOf(value: TemplateValue, values: Record<AnswerId, string>): string {
  return typeof value === 'string' ? value : values[value.answer];
}

// ---------------------------------------------------------------------------------------------------------
// Generated XML

function providerLines(t: ClaimsProviderTemplate, values: Record<AnswerId, string>): Lines {
  const tp = t.technicalProfile;
  const lines: Lines = [
    [0, '<ClaimsProvider>'],
    [1, `<Domain>${escapeText(t.domain)}</Domain>`],
    [1, `<DisplayName>${escapeText(t.displayName)}</DisplayName>`],
    [1, '<TechnicalProfiles>'],
    [2, `<TechnicalProfile Id="${escapeAttribute(tp.id)}">`],
    [3, `<DisplayName>${escapeText(tp.displayName)}</DisplayName>`],
    [3, `<Protocol Name="${escapeAttribute(tp.protocol)}" />`],
  ];
  if (tp.metadata.length) {
    lines.push([3, '<Metadata>']);
    for (const m of tp.metadata) lines.push([4, `<Item Key="${escapeAttribute(m.key)}">${escapeText(valueOf(m.value, values))}</Item>`]);
    lines.push([3, '</Metadata>']);
  }
  if (tp.cryptographicKeys.length) {
    lines.push([3, '<CryptographicKeys>']);
    for (const k of tp.cryptographicKeys) lines.push([4, keyElement(k.id, valueOf(k.storageReferenceId, values))]);
    lines.push([3, '</CryptographicKeys>']);
  }
  if (tp.outputClaims.length) {
    lines.push([3, '<OutputClaims>']);
    for (const c of tp.outputClaims) {
      let e = `<OutputClaim ClaimTypeReferenceId="${escapeAttribute(c.claimTypeReferenceId)}"`;
      if (c.partnerClaimType) e += ` PartnerClaimType="${escapeAttribute(c.partnerClaimType)}"`;
      if (c.defaultValue !== undefined) e += ` DefaultValue="${escapeAttribute(c.defaultValue)}"`;
      if (c.alwaysUseDefaultValue) e += ' AlwaysUseDefaultValue="true"';
      lines.push([4, e + ' />']);
    }
    lines.push([3, '</OutputClaims>']);
  }
  if (tp.outputClaimsTransformations.length) {
    lines.push([3, '<OutputClaimsTransformations>']);
    for (const r of tp.outputClaimsTransformations) lines.push([4, `<OutputClaimsTransformation ReferenceId="${escapeAttribute(r)}" />`]);
    lines.push([3, '</OutputClaimsTransformations>']);
  }
  if (tp.sessionManagement) lines.push([3, `<UseTechnicalProfileForSessionManagement ReferenceId="${escapeAttribute(tp.sessionManagement)}" />`]);
  lines.push([2, '</TechnicalProfile>'], [1, '</TechnicalProfiles>'], [0, '</ClaimsProvider>']);
  return lines;
}

/** When a base file already declares the technical profile: override only what the answers set. */
function overrideProviderLines(t: ClaimsProviderTemplate, values: Record<AnswerId, string>): Lines {
  const tp = t.technicalProfile;
  const lines: Lines = [
    [0, '<ClaimsProvider>'],
    [1, `<DisplayName>${escapeText(t.displayName)}</DisplayName>`],
    [1, '<TechnicalProfiles>'],
    [2, `<TechnicalProfile Id="${escapeAttribute(tp.id)}">`],
  ];
  const metadata = tp.metadata.filter((m) => typeof m.value !== 'string');
  if (metadata.length) {
    lines.push([3, '<Metadata>']);
    for (const m of metadata) lines.push([4, `<Item Key="${escapeAttribute(m.key)}">${escapeText(valueOf(m.value, values))}</Item>`]);
    lines.push([3, '</Metadata>']);
  }
  const keys = tp.cryptographicKeys.filter((k) => typeof k.storageReferenceId !== 'string');
  if (keys.length) {
    lines.push([3, '<CryptographicKeys>']);
    for (const k of keys) lines.push([4, keyElement(k.id, valueOf(k.storageReferenceId, values))]);
    lines.push([3, '</CryptographicKeys>']);
  }
  lines.push([2, '</TechnicalProfile>'], [1, '</TechnicalProfiles>'], [0, '</ClaimsProvider>']);
  return lines;
}

function keyElement(id: string, storageReferenceId: string): string {
  return `<Key Id="${escapeAttribute(id)}" StorageReferenceId="${escapeAttribute(storageReferenceId)}" />`;
}

/** Wraps a child renderer in a new container element. */
function wrap(name: string, inner: (indent: string) => string, style: TextStyle): (indent: string) => string {
  return (indent) => `${indent}<${name}>${style.eol}${inner(indent + style.unit)}${style.eol}${indent}</${name}>`;
}

// ---------------------------------------------------------------------------------------------------------
// Minimal structural edits

interface InsertChildOptions {
  /** Schema order of the parent's children: the new child goes after the last sibling that precedes it. */
  order?: readonly string[];
  /** Insert as the first child. */
  atStart?: boolean;
  /** Insert after this child element. */
  after?: XmlElement | null;
  blankLineBefore?: boolean;
}

/**
 * Inserts a child element, rendered at the indentation of the parent's existing children (or the parent's
 * plus one unit). Text outside the insertion point is left as it is (a self-closing parent is opened).
 */
function insertChild(edits: FileEdits, style: TextStyle, parent: XmlElement, name: string, render: (indent: string) => string, options: InsertChildOptions = {}): void {
  const text = edits.file.text;
  const children = childElements(parent);
  const parentIndent = lineIndent(text, parent.start);
  const indent = children.map((c) => leadingWhitespace(text, c.start)).find((ws) => ws !== undefined && ws.length > 0) ?? parentIndent + style.unit;
  if (parent.selfClosing || !parent.endTag) {
    // `<X ... />` -> `<X ...>` + child + `</X>`
    const tagText = text.slice(parent.start, parent.startTagEnd);
    const slash = parent.start + tagText.lastIndexOf('/');
    let from = slash;
    while (from > parent.start && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
    edits.replace(from, parent.startTagEnd, `>${style.eol}${render(indent)}${style.eol}${parentIndent}</${parent.name}>`);
    return;
  }
  let previous: XmlElement | undefined;
  if (options.after !== undefined) previous = options.after ?? undefined;
  else if (options.atStart) previous = undefined;
  else if (options.order) {
    const index = options.order.indexOf(name);
    for (const c of children) {
      const i = options.order.indexOf(c.localName);
      if (i >= 0 && i <= index) previous = c;
    }
  } else previous = children[children.length - 1];
  if (previous) {
    edits.insert(previous.end, style.eol + (options.blankLineBefore ? style.eol : '') + render(indent));
  } else {
    let inserted = style.eol + render(indent);
    const between = text.slice(parent.startTagEnd, parent.endTag.span.start);
    if (children.length === 0 && !/[\r\n]/.test(between)) inserted += style.eol + parentIndent;
    edits.insert(parent.startTagEnd, inserted);
  }
}

/** Adds the provider's selection (kind 'selection') or exchange (kind 'exchange') to a step. Returns true when it changed something. */
function addToStep(edits: FileEdits, style: TextStyle, step: XmlElement, kind: 'selection' | 'exchange', template: ClaimsProviderTemplate): boolean {
  const containerName = kind === 'selection' ? 'ClaimsProviderSelections' : 'ClaimsExchanges';
  const childName = kind === 'selection' ? 'ClaimsProviderSelection' : 'ClaimsExchange';
  const attribute = kind === 'selection' ? 'TargetClaimsExchangeId' : 'Id';
  const element =
    kind === 'selection'
      ? `<ClaimsProviderSelection TargetClaimsExchangeId="${escapeAttribute(template.exchangeId)}" />`
      : `<ClaimsExchange Id="${escapeAttribute(template.exchangeId)}" TechnicalProfileReferenceId="${escapeAttribute(template.technicalProfile.id)}" />`;
  const container = firstChild(step, containerName);
  if (container) {
    if (childElements(container, childName).some((c) => sameId(attributeValue(c, attribute), template.exchangeId))) return false;
    // A new button goes after the other buttons (TargetClaimsExchangeId), before any local-account validation entry.
    const after = kind === 'selection' ? childElements(container, childName).filter((c) => getAttribute(c, 'TargetClaimsExchangeId')).pop() : undefined;
    insertChild(edits, style, container, childName, (i) => i + element, after ? { after } : {});
  } else {
    insertChild(edits, style, step, containerName, (i) => `${i}<${containerName}>${style.eol}${i}${style.unit}${element}${style.eol}${i}</${containerName}>`, { order: STEP_ORDER });
  }
  return true;
}

/** Index (in effective.steps) of the first CombinedSignInAndSignUp or ClaimsProviderSelection step, or -1. */
function selectionStepIndex(journey: EffectiveJourney | undefined): number {
  if (!journey) return -1;
  return journey.steps.findIndex((s) => {
    const type = s.step.type?.toLowerCase();
    return type === 'combinedsigninandsignup' || type === 'claimsproviderselection';
  });
}

function selectionSteps(journey: EffectiveJourney): { selection: EffectiveStep; exchange: EffectiveStep } {
  const index = selectionStepIndex(journey);
  if (index < 0) throw new ScaffoldError(`User journey '${journey.id}' has no CombinedSignInAndSignUp or ClaimsProviderSelection step.`);
  const next = journey.steps[index + 1];
  if (!next) throw new ScaffoldError(`User journey '${journey.id}' has no step after its provider selection step.`);
  return { selection: journey.steps[index], exchange: next };
}

/** The text of an effective step with the addition, re-indented to `toIndent` in the target style. */
function stepCopy(step: EffectiveStep, kind: 'selection' | 'exchange', template: ClaimsProviderTemplate, target: TextStyle, toIndent: string): { text: string; changed: boolean } {
  const file = step.file;
  const style = styleOf(file);
  const scratch = new FileEdits(file);
  const changed = addToStep(scratch, style, step.step.element, kind, template);
  const element = step.step.element;
  const raw = sliceWithEdits(file.text, element.start, element.end, scratch.offsetEdits());
  return { text: reindent(raw, lineIndent(file.text, element.start), style.unit, toIndent, target.unit, target.eol), changed };
}

function sliceWithEdits(text: string, from: number, to: number, edits: OffsetEdit[]): string {
  return applyOffsetEdits(
    text.slice(from, to),
    edits.filter((e) => e.start >= from && e.end <= to).map((e) => ({ start: e.start - from, end: e.end - from, text: e.text })),
  );
}

function addToExistingJourney(extensions: PolicyFile, extEdits: FileEdits, extStyle: TextStyle, journey: EffectiveJourney, template: ClaimsProviderTemplate): void {
  const { selection, exchange } = selectionSteps(journey);
  const overrides: Array<{ order: number; render: (indent: string) => string }> = [];
  for (const [step, kind] of [
    [selection, 'selection'],
    [exchange, 'exchange'],
  ] as const) {
    if (step.file.uri === extensions.uri) {
      addToStep(extEdits, extStyle, step.step.element, kind, template);
    } else if (stepCopy(step, kind, template, extStyle, '').changed) {
      overrides.push({ order: step.order, render: (indent) => indent + stepCopy(step, kind, template, extStyle, indent).text });
    }
  }
  if (!overrides.length) return;
  const root = extensions.xml.root!;
  const declaration = extensions.journeys.find((j) => j.kind === 'userJourney' && sameId(j.id, journey.id));
  const stepsElement = declaration && firstChild(declaration.element, 'OrchestrationSteps');
  if (declaration && stepsElement) {
    const existing = childElements(stepsElement, 'OrchestrationStep');
    for (const o of overrides) {
      const after = existing.filter((e) => Number.parseInt(attributeValue(e, 'Order') ?? '', 10) < o.order).pop() ?? null;
      insertChild(extEdits, extStyle, stepsElement, 'OrchestrationStep', o.render, { after });
    }
    return;
  }
  const renderSteps = (indent: string) => overrides.map((o) => o.render(indent)).join(extStyle.eol);
  if (declaration) {
    insertChild(extEdits, extStyle, declaration.element, 'OrchestrationSteps', wrap('OrchestrationSteps', renderSteps, extStyle), { order: JOURNEY_ORDER });
    return;
  }
  const renderJourney = (indent: string) =>
    `${indent}<UserJourney Id="${escapeAttribute(journey.id)}">${extStyle.eol}${wrap('OrchestrationSteps', renderSteps, extStyle)(indent + extStyle.unit)}${extStyle.eol}${indent}</UserJourney>`;
  const container = firstChild(root, 'UserJourneys');
  if (container) insertChild(extEdits, extStyle, container, 'UserJourney', renderJourney, { blankLineBefore: true });
  else insertChild(extEdits, extStyle, root, 'UserJourneys', wrap('UserJourneys', renderJourney, extStyle), { order: ROOT_ORDER });
}

/**
 * The effective journey as text with a new Id and the provider added: the text of the declaration in the
 * file nearest the root of the chain, with steps that files further down override (or add) spliced in from
 * those files. Returned without indentation on its first line; later lines under `toIndent`.
 */
function copiedJourneyText(source: EffectiveJourney, newId: string, template: ClaimsProviderTemplate, target: TextStyle, toIndent: string): string {
  const { selection, exchange } = selectionSteps(source);
  const rootDeclaration = source.declarations[source.declarations.length - 1];
  const file = rootDeclaration.file;
  const style = styleOf(file);
  const element = rootDeclaration.journey.element;
  const rootSteps = rootDeclaration.journey.steps;
  const stepIndent = rootSteps.length ? lineIndent(file.text, rootSteps[0].element.start) : lineIndent(file.text, element.start) + style.unit.repeat(2);
  const patches: OffsetEdit[] = [{ start: rootDeclaration.journey.idSpan.start, end: rootDeclaration.journey.idSpan.end, text: escapeAttribute(newId) }];
  for (const step of source.steps) {
    const kind = step === selection ? 'selection' : step === exchange ? 'exchange' : undefined;
    const own = rootSteps.find((s) => s.element === step.step.element);
    if (own) {
      if (kind) {
        const scratch = new FileEdits(file);
        addToStep(scratch, style, own.element, kind, template);
        patches.push(...scratch.offsetEdits());
      }
      continue;
    }
    // A step from a file further down the chain: its text (plus the addition) in the root file's style.
    const stepFile = step.file;
    const stepStyle = styleOf(stepFile);
    const scratch = new FileEdits(stepFile);
    if (kind) addToStep(scratch, stepStyle, step.step.element, kind, template);
    const raw = sliceWithEdits(stepFile.text, step.step.element.start, step.step.element.end, scratch.offsetEdits());
    const text = reindent(raw, lineIndent(stepFile.text, step.step.element.start), stepStyle.unit, stepIndent, style.unit, style.eol);
    const replaced = rootSteps.find((s) => s.order === step.order);
    if (replaced) patches.push({ start: replaced.element.start, end: replaced.element.end, text });
    else {
      const before = rootSteps.filter((s) => s.order < step.order).pop();
      const stepsElement = firstChild(element, 'OrchestrationSteps');
      const at = before ? before.element.end : stepsElement?.startTagEnd;
      if (at === undefined) throw new ScaffoldError(`User journey '${source.id}' has no OrchestrationSteps to copy.`);
      patches.push({ start: at, end: at, text: style.eol + stepIndent + text });
    }
  }
  const raw = sliceWithEdits(file.text, element.start, element.end, patches);
  return reindent(raw, lineIndent(file.text, element.start), style.unit, toIndent, target.unit, target.eol);
}

function updateTechnicalProfile(edits: FileEdits, style: TextStyle, profile: XmlElement, template: ClaimsProviderTemplate, values: Record<AnswerId, string>): void {
  const tp = template.technicalProfile;
  for (const m of tp.metadata) {
    if (typeof m.value === 'string') continue;
    const value = escapeText(valueOf(m.value, values));
    const line = `<Item Key="${escapeAttribute(m.key)}">${value}</Item>`;
    const metadata = firstChild(profile, 'Metadata');
    const item = metadata && childElements(metadata, 'Item').find((i) => attributeValue(i, 'Key') === m.key);
    if (item && item.endTag && !item.selfClosing) {
      const current = trimmedTextSpan(item);
      if (current.value === valueOf(m.value, values)) continue;
      if (current.value) edits.replace(current.span.start, current.span.end, value);
      else edits.replace(item.startTagEnd, item.endTag.span.start, value);
    } else if (item) edits.replace(item.start, item.end, line);
    else if (metadata) insertChild(edits, style, metadata, 'Item', (i) => i + line);
    else insertChild(edits, style, profile, 'Metadata', (i) => `${i}<Metadata>${style.eol}${i}${style.unit}${line}${style.eol}${i}</Metadata>`, { order: TECHNICAL_PROFILE_ORDER });
  }
  for (const k of tp.cryptographicKeys) {
    if (typeof k.storageReferenceId === 'string') continue;
    const value = valueOf(k.storageReferenceId, values);
    const keys = firstChild(profile, 'CryptographicKeys');
    const key = keys && childElements(keys, 'Key').find((e) => attributeValue(e, 'Id') === k.id);
    const storage = key && getAttribute(key, 'StorageReferenceId');
    if (storage?.valueSpan) edits.replace(storage.valueSpan.start, storage.valueSpan.end, escapeAttribute(value));
    else if (key) edits.insert(key.nameSpan.end, ` StorageReferenceId="${escapeAttribute(value)}"`);
    else if (keys) insertChild(edits, style, keys, 'Key', (i) => i + keyElement(k.id, value));
    else
      insertChild(edits, style, profile, 'CryptographicKeys', (i) => `${i}<CryptographicKeys>${style.eol}${i}${style.unit}${keyElement(k.id, value)}${style.eol}${i}</CryptographicKeys>`, {
        order: TECHNICAL_PROFILE_ORDER,
      });
  }
}



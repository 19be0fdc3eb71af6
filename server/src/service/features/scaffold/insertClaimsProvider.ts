import type { TextEdit } from 'vscode-languageserver-types';
import type { InsertClaimsProviderAnswers, InsertClaimsProviderResult } from '../../../protocol';
import type { Analysis } from '../../analysis/analysis';
import type { EffectiveJourney, EffectiveStep } from '../../policy/effective';
import { trimmedTextSpan, type PolicyFile } from '../../policy/model';
import { baseName } from '../../policy/workspace';
import type { CompiledSchema } from '../../schema';
import type { XmlElement } from '../../xml/nodes';
import { insertChildElement, wrapElement } from '../../edits/xmlEdits';
import { attributeValue, childElements, firstChild, getAttribute } from '../../xml/query';
import { findProviderTemplate, withPolicyKeyPrefix, type AnswerId, type ClaimsProviderTemplate, type TemplateValue } from './providers';
import {
  applyOffsetEdits,
  escapeAttribute,
  escapeText,
  FileEdits,
  lineIndent,
  reindent,
  renderLines,
  styleOf,
  type Lines,
  type OffsetEdit,
  type TextStyle,
} from '../../edits/textEdits';

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

/** Bad input (unknown provider, missing answer, no such journey): the message is meant for the user. */
export class ScaffoldError extends Error {}

export const DEFAULT_NEW_JOURNEY_ID = 'CustomSignUpSignIn';
/** The journey a new journey is copied from. */
export const SOURCE_JOURNEY_ID = 'SignUpOrSignIn';

/** Console URLs for a policy's TenantId (`YourTenant.onmicrosoft.com` -> `yourtenant`), lowercase. */
export function consoleUrls(tenantId: string): { tenant: string; allowedOrigin: string; returnUrl: string } {
  const tenant = tenantId.trim().toLowerCase().split('.')[0];
  const origin = `https://${tenant}.b2clogin.com`;
  return { tenant, allowedOrigin: origin, returnUrl: `${origin}/${tenant}.onmicrosoft.com/oauth2/authresp` };
}

export function insertClaimsProvider(
  analysis: Analysis,
  extensionsUri: string,
  providerId: string,
  answers: InsertClaimsProviderAnswers,
): InsertClaimsProviderResult {
  const template = findProviderTemplate(providerId);
  if (!template) throw new ScaffoldError(`Unknown claims provider '${providerId}'.`);
  const values = resolveAnswers(template, answers);
  const extensions = analysis.index.get(extensionsUri);
  if (!extensions || !extensions.isPolicy || !extensions.xml.root) throw new ScaffoldError(`${baseName(extensionsUri)} is not a policy file.`);
  if (extensions.xml.problems.length) throw new ScaffoldError(`${baseName(extensionsUri)} has XML syntax errors; fix them first.`);
  // A relying party that builds on an Extensions file (its base has a base of its own) is not where providers
  // go: they would exist for that one relying party only. A two-file set (base + relying party) is fine.
  const chainFiles = analysis.index.chain(extensions).files;
  if (firstChild(extensions.xml.root, 'RelyingParty') && chainFiles.length >= 3) {
    throw new ScaffoldError(`${baseName(extensionsUri)} is a relying-party policy; add the provider to the Extensions file it builds on (${baseName(chainFiles[1].uri)}).`);
  }
  const effective = analysis.index.effective(extensions);
  const schema = analysis.schema;
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
    updateTechnicalProfile(schema, extEdits, extStyle, existingProfile.element, template, values);
  } else {
    const lines = existingProfile ? overrideProviderLines(template, values) : providerLines(template, values);
    const render = (indent: string) => renderLines(lines, indent, extStyle.unit, extStyle.eol);
    const container = firstChild(extensions.xml.root, 'ClaimsProviders');
    if (container) insertChildElement(extEdits, extStyle, container, 'ClaimsProvider', render, { blankLineBefore: true });
    else insertChildElement(extEdits, extStyle, extensions.xml.root, 'ClaimsProviders', wrapElement('ClaimsProviders', render, extStyle), { schema });
  }

  // 2. The journey.
  const ownJourney = extensions.journeys.find((j) => j.kind === 'userJourney' && selectionStepIndex(effective.journey('userJourney', j.id)) >= 0);
  let journeyId: string;
  if (answers.newJourney?.trim()) journeyId = answers.newJourney.trim();
  else if (answers.journey?.trim()) {
    journeyId = answers.journey.trim();
    if (!effective.journey('userJourney', journeyId)) throw new ScaffoldError(`No user journey '${journeyId}' in the policy chain of ${baseName(extensionsUri)}.`);
  } else journeyId = ownJourney ? ownJourney.id : DEFAULT_NEW_JOURNEY_ID;

  const existingJourney = effective.journey('userJourney', journeyId);
  if (existingJourney) {
    journeyId = existingJourney.id;
    addToExistingJourney(schema, extensions, extEdits, extStyle, existingJourney, template);
  } else {
    const source = effective.journey('userJourney', SOURCE_JOURNEY_ID);
    if (!source) throw new ScaffoldError(`No '${SOURCE_JOURNEY_ID}' user journey in the policy chain of ${baseName(extensionsUri)} to copy.`);
    const render = (indent: string) => indent + copiedJourneyText(schema, source, journeyId, template, extStyle, indent);
    const container = firstChild(extensions.xml.root, 'UserJourneys');
    if (container) insertChildElement(extEdits, extStyle, container, 'UserJourney', render, { blankLineBefore: true });
    else insertChildElement(extEdits, extStyle, extensions.xml.root, 'UserJourneys', wrapElement('UserJourneys', render, extStyle), { schema });
  }

  // 3. Relying parties.
  for (const uri of answers.relyingParties ?? []) {
    const file = analysis.index.get(uri);
    const relyingParty = file?.isPolicy && file.xml.root ? firstChild(file.xml.root, 'RelyingParty') : undefined;
    if (!file || !relyingParty) {
      notes.push(`${baseName(uri)} has no RelyingParty; its DefaultUserJourney was not changed.`);
      continue;
    }
    const edits = editsFor(file);
    const defaultJourney = firstChild(relyingParty, 'DefaultUserJourney');
    const reference = defaultJourney && getAttribute(defaultJourney, 'ReferenceId');
    if (reference?.valueSpan) edits.replace(reference.valueSpan.start, reference.valueSpan.end, escapeAttribute(journeyId));
    else if (defaultJourney) edits.insert(defaultJourney.nameSpan.end, ` ReferenceId="${escapeAttribute(journeyId)}"`);
    else insertChildElement(edits, styleOf(file), relyingParty, 'DefaultUserJourney', (i) => `${i}<DefaultUserJourney ReferenceId="${escapeAttribute(journeyId)}" />`, { atStart: true });
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

/** Adds the provider's selection (kind 'selection') or exchange (kind 'exchange') to a step. Returns true when it changed something. */
function addToStep(schema: CompiledSchema | undefined, edits: FileEdits, style: TextStyle, step: XmlElement, kind: 'selection' | 'exchange', template: ClaimsProviderTemplate): boolean {
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
    insertChildElement(edits, style, container, childName, (i) => i + element, after ? { after } : {});
  } else {
    insertChildElement(edits, style, step, containerName, (i) => `${i}<${containerName}>${style.eol}${i}${style.unit}${element}${style.eol}${i}</${containerName}>`, { schema });
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

/** Whether a journey can take a provider button: a provider selection step with a step after it for the exchange. */
export function canTakeProviderButton(journey: EffectiveJourney): boolean {
  const index = selectionStepIndex(journey);
  return index >= 0 && index + 1 < journey.steps.length;
}

function selectionSteps(journey: EffectiveJourney): { selection: EffectiveStep; exchange: EffectiveStep } {
  const index = selectionStepIndex(journey);
  if (index < 0) throw new ScaffoldError(`User journey '${journey.id}' has no CombinedSignInAndSignUp or ClaimsProviderSelection step.`);
  const next = journey.steps[index + 1];
  if (!next) throw new ScaffoldError(`User journey '${journey.id}' has no step after its provider selection step.`);
  return { selection: journey.steps[index], exchange: next };
}

/** The text of an effective step with the addition, re-indented to `toIndent` in the target style. */
function stepCopy(schema: CompiledSchema | undefined, step: EffectiveStep, kind: 'selection' | 'exchange', template: ClaimsProviderTemplate, target: TextStyle, toIndent: string): { text: string; changed: boolean } {
  const file = step.file;
  const style = styleOf(file);
  const scratch = new FileEdits(file);
  const changed = addToStep(schema, scratch, style, step.step.element, kind, template);
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

function addToExistingJourney(schema: CompiledSchema | undefined, extensions: PolicyFile, extEdits: FileEdits, extStyle: TextStyle, journey: EffectiveJourney, template: ClaimsProviderTemplate): void {
  const { selection, exchange } = selectionSteps(journey);
  const overrides: Array<{ order: number; render: (indent: string) => string }> = [];
  for (const [step, kind] of [
    [selection, 'selection'],
    [exchange, 'exchange'],
  ] as const) {
    if (step.file.uri === extensions.uri) {
      addToStep(schema, extEdits, extStyle, step.step.element, kind, template);
    } else if (stepCopy(schema, step, kind, template, extStyle, '').changed) {
      overrides.push({ order: step.order, render: (indent) => indent + stepCopy(schema, step, kind, template, extStyle, indent).text });
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
      insertChildElement(extEdits, extStyle, stepsElement, 'OrchestrationStep', o.render, { after });
    }
    return;
  }
  const renderSteps = (indent: string) => overrides.map((o) => o.render(indent)).join(extStyle.eol);
  if (declaration) {
    insertChildElement(extEdits, extStyle, declaration.element, 'OrchestrationSteps', wrapElement('OrchestrationSteps', renderSteps, extStyle), { schema });
    return;
  }
  const renderJourney = (indent: string) =>
    `${indent}<UserJourney Id="${escapeAttribute(journey.id)}">${extStyle.eol}${wrapElement('OrchestrationSteps', renderSteps, extStyle)(indent + extStyle.unit)}${extStyle.eol}${indent}</UserJourney>`;
  const container = firstChild(root, 'UserJourneys');
  if (container) insertChildElement(extEdits, extStyle, container, 'UserJourney', renderJourney, { blankLineBefore: true });
  else insertChildElement(extEdits, extStyle, root, 'UserJourneys', wrapElement('UserJourneys', renderJourney, extStyle), { schema });
}

/**
 * The effective journey as text with a new Id and the provider added: the text of the declaration in the
 * file nearest the root of the chain, with steps that files further down override (or add) spliced in from
 * those files. Returned without indentation on its first line; later lines under `toIndent`.
 */
function copiedJourneyText(schema: CompiledSchema | undefined, source: EffectiveJourney, newId: string, template: ClaimsProviderTemplate, target: TextStyle, toIndent: string): string {
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
        addToStep(schema, scratch, style, own.element, kind, template);
        patches.push(...scratch.offsetEdits());
      }
      continue;
    }
    // A step from a file further down the chain: its text (plus the addition) in the root file's style.
    const stepFile = step.file;
    const stepStyle = styleOf(stepFile);
    const scratch = new FileEdits(stepFile);
    if (kind) addToStep(schema, scratch, stepStyle, step.step.element, kind, template);
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

function updateTechnicalProfile(schema: CompiledSchema | undefined, edits: FileEdits, style: TextStyle, profile: XmlElement, template: ClaimsProviderTemplate, values: Record<AnswerId, string>): void {
  const tp = template.technicalProfile;
  for (const m of tp.metadata) {
    if (typeof m.value === 'string') continue;
    const value = escapeText(valueOf(m.value, values));
    const line = `<Item Key="${escapeAttribute(m.key)}">${value}</Item>`;
    const metadata = firstChild(profile, 'Metadata');
    const item = metadata && childElements(metadata, 'Item').find((i) => attributeValue(i, 'Key') === m.key);
    if (item && item.endTag && !item.selfClosing) {
      const current = trimmedTextSpan(item, edits.file.text);
      if (current.value === valueOf(m.value, values)) continue;
      if (current.value) edits.replace(current.span.start, current.span.end, value);
      else edits.replace(item.startTagEnd, item.endTag.span.start, value);
    } else if (item) edits.replace(item.start, item.end, line);
    else if (metadata) insertChildElement(edits, style, metadata, 'Item', (i) => i + line);
    else insertChildElement(edits, style, profile, 'Metadata', (i) => `${i}<Metadata>${style.eol}${i}${style.unit}${line}${style.eol}${i}</Metadata>`, { schema });
  }
  for (const k of tp.cryptographicKeys) {
    if (typeof k.storageReferenceId === 'string') continue;
    const value = valueOf(k.storageReferenceId, values);
    const keys = firstChild(profile, 'CryptographicKeys');
    const key = keys && childElements(keys, 'Key').find((e) => attributeValue(e, 'Id') === k.id);
    const storage = key && getAttribute(key, 'StorageReferenceId');
    if (storage?.valueSpan) edits.replace(storage.valueSpan.start, storage.valueSpan.end, escapeAttribute(value));
    else if (key) edits.insert(key.nameSpan.end, ` StorageReferenceId="${escapeAttribute(value)}"`);
    else if (keys) insertChildElement(edits, style, keys, 'Key', (i) => i + keyElement(k.id, value));
    else
      insertChildElement(edits, style, profile, 'CryptographicKeys', (i) => `${i}<CryptographicKeys>${style.eol}${i}${style.unit}${keyElement(k.id, value)}${style.eol}${i}</CryptographicKeys>`, {
        schema,
      });
  }
}



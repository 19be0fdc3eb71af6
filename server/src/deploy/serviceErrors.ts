/**
 * The service's rejection of an upload, as findings: one per message, each on the range the message names.
 *
 * A rejection reads `Validation failed: N validation error(s) found in policy "<ID>" of tenant "<t>".` followed
 * by the messages concatenated WITHOUT separators (../shared/reference/service-errors.md, header of the table),
 * so the text is split where a known message starts. The starts below are the service's own texts, numbered as
 * in service-errors.md. A message with an unknown start stays attached to the one before it (nothing is lost).
 */
import { DiagnosticCodes } from '../protocol';
import type { Finding } from '../service/findings';
import { KIND_LABELS, type DefinitionKind, type PolicyFile } from '../service/policy/model';
import type { Span, XmlElement } from '../service/xml/nodes';
import { attributeValue, childElements, getAttribute, nodeAt, walkElements } from '../service/xml/query';
import { oneLine } from './graphClient';

const MESSAGE_STARTS: RegExp[] = [
  /The policy being uploaded is not XML or is not correctly formatted/, // #1
  /Schema validation error found at line \d+ col \d+/, // #2
  /Policy "[^"]*" of tenant "[^"]*" makes a reference to /, // #4
  /The following error occurred in orchestration step /, // #5
  /Policy with 'policyId': /, // #6
  /TenantId in the policy xml /, // #7
  /Claim type "[^"]*" is the (?:input|output) claim /, // #8, #9
  /User journey ["'][^"']*["'] /, // #10, #11
  /Tenant "[^"]*" does not have CryptographicKey /, // #12
  /TechnicalProfile "[^"]*" in policy "/, // #13
  /A required Metadata item with key /, // #14
  /The InputClaims mismatched in ClaimsTransformation /, // #15
  /The required "[^"]*" element is missing from /, // #16
  /The localized string with ElementType: /, // #17
  /settings:[^\s"]* is neither a valid DNS name/i, // #18 (the token, lowercased, without braces)
  /No HTTP resource was found that matches the request URI/, // #19
  /Object reference not set to an instance of an object\./, // #20
];

const HEADER = /^\s*Validation failed: (\d+) validation error\(s\) found in policy "([^"]*)" of tenant "([^"]*)"\.\s*/;
/** The portal's prefix (service-errors.md); harmless to strip when a tool passes it on. */
const PORTAL_PREFIX = /^\s*Unable to upload policy\. Reason\s*:\s*/;

export interface SplitServiceMessage {
  /** The N of the header, when there was one. */
  declaredCount?: number;
  policyId?: string;
  tenant?: string;
  messages: string[];
}

/** Splits a service error text into its individual messages. */
export function splitServiceMessage(text: string): SplitServiceMessage {
  let rest = text.replace(PORTAL_PREFIX, '');
  const result: SplitServiceMessage = { messages: [] };
  const header = HEADER.exec(rest);
  if (header) {
    result.declaredCount = Number(header[1]);
    result.policyId = header[2];
    result.tenant = header[3];
    rest = rest.slice(header[0].length);
  }
  const starts = new Set<number>();
  for (const pattern of MESSAGE_STARTS) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
    for (let m = global.exec(rest); m; m = global.exec(rest)) {
      // A message quoted after "...: " belongs to the one before it (#5 wraps a #4-like text that way).
      if (!/:\s*$/.test(rest.slice(Math.max(0, m.index - 3), m.index))) starts.add(m.index);
    }
  }
  const cuts = [...starts].sort((a, b) => a - b);
  if (cuts[0] !== 0) cuts.unshift(0);
  for (let i = 0; i < cuts.length; i++) {
    const piece = oneLine(rest.slice(cuts[i], cuts[i + 1] ?? rest.length));
    if (piece) result.messages.push(piece);
  }
  return result;
}

/** One finding per message, on the range it names in the uploaded file. */
export function findingsFromServiceMessage(text: string, file: PolicyFile, data: Record<string, unknown> = {}): Finding[] {
  const split = splitServiceMessage(text);
  const messages = split.messages.length ? split.messages : [oneLine(text) || 'the service rejected the policy without a message'];
  return messages.map((message) => ({
    code: DiagnosticCodes.deployRejected,
    severity: 'error' as const,
    message,
    span: locateServiceMessage(message, file),
    data: { ...data, serviceMessage: message },
  }));
}

const LABEL_TO_KIND = new Map<string, DefinitionKind>();
for (const [kind, label] of Object.entries(KIND_LABELS)) if (kind !== 'claimsExchange') LABEL_TO_KIND.set(label.toLowerCase(), kind as DefinitionKind);

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The span a service message is about: a line and column, else the id it names, else the root element. */
export function locateServiceMessage(message: string, file: PolicyFile): Span {
  return locateByLine(message, file) ?? locateById(message, file) ?? rootSpan(file);
}

function rootSpan(file: PolicyFile): Span {
  return file.xml.root?.nameSpan ?? { start: 0, end: 0 };
}

/**
 * #2: `Schema validation error found at line L col C` (1-based). The column points at the element name: the
 * quoted "line 27 col 4" names 'ClaimsProviders', which a two-space indent puts at column 4 (after the '<').
 */
function locateByLine(message: string, file: PolicyFile): Span | undefined {
  const m = /\bat line (\d+) col (\d+)/.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]) - 1;
  const column = Math.max(0, Number(m[2]) - 1);
  if (line < 0 || line >= file.lines.lineCount) return undefined;
  let offset = file.lines.offsetAt({ line, character: column });
  if (file.text[offset] === '<') offset++;
  const node = nodeAt(file.xml, offset);
  if (node?.type === 'element' && offset >= node.nameSpan.start && offset <= node.nameSpan.end) return node.nameSpan;
  const word = /^[\w:.-]+/.exec(file.text.slice(offset, offset + 200));
  return { start: offset, end: offset + (word ? word[0].length : 0) };
}

function locateById(message: string, file: PolicyFile): Span | undefined {
  let m: RegExpExecArray | null;
  // #6: the base is not in the tenant.
  if (/^Policy with 'policyId': /.test(message)) return file.base?.span;
  // #7: the TenantId attribute.
  if (/^TenantId in the policy xml /.test(message)) return file.xml.root ? getAttribute(file.xml.root, 'TenantId')?.valueSpan : undefined;
  // #12: a policy key.
  if ((m = /storageReferenceId "([^"]*)"/.exec(message))) {
    const name = m[1];
    const key = file.policyKeys.find((k) => same(k.name, name));
    if (key) return key.span;
  }
  // #8: an input claim of a technical profile in a journey step.
  if ((m = /^Claim type "([^"]*)" is the input claim of technical profile "([^"]*)" in step "?(\d+)"? of user journey "([^"]*)"/.exec(message))) {
    const [, claim, profile, step, journey] = m;
    return claimReferenceInside(file, definition(file, 'technicalProfile', profile)?.element, claim) ?? stepSpan(file, journey, Number(step)) ?? reference(file, 'claimType', claim);
  }
  // #9: an output claim of the relying party.
  if ((m = /^Claim type "([^"]*)" is the output claim of the relying party's technical profile/.exec(message))) {
    const claim = m[1];
    const rp = file.references.find((r) => r.kind === 'claimType' && same(r.id, claim) && hasAncestor(r.element, 'RelyingParty'));
    return rp?.span ?? relyingPartyProfile(file);
  }
  // #4 and #5: a reference the chain does not define (in #5, inside a journey step).
  if ((m = /makes a reference to (\w+) with id "([^"]*)"/.exec(message))) {
    const kind = LABEL_TO_KIND.get(m[1].toLowerCase());
    const found = file.references.find((r) => (kind === undefined || r.kind === kind) && same(r.id, m![2]));
    if (found) return found.span;
  }
  if ((m = /orchestration step (\d+) in user journey "([^"]*)"/.exec(message))) {
    const span = stepSpan(file, m[2], Number(m[1]));
    if (span) return span;
  }
  // #10, #11: a journey (and step).
  if ((m = /^User journey ["']([^"']*)["'](?:.*? has step (\d+))?/.exec(message))) {
    const span = m[2] ? stepSpan(file, m[1], Number(m[2])) : undefined;
    return span ?? file.journeys.find((j) => same(j.id, m![1]))?.idSpan;
  }
  // #13: a metadata item of a technical profile ("client_id." quotes the key with the sentence's period).
  if ((m = /^TechnicalProfile "([^"]*)" in policy .*? metadata item "([^"]*)"/.exec(message))) {
    const profile = definition(file, 'technicalProfile', m[1]);
    const key = m[2];
    const item = profile && metadataItem(profile.element, key);
    return item ?? profile?.idSpan;
  }
  // #14: a missing metadata item: on the technical profile.
  if ((m = /^A required Metadata item with key "[^"]*" was not found in the TechnicalProfile with id "([^"]*)"/.exec(message))) {
    return definition(file, 'technicalProfile', m[1])?.idSpan;
  }
  // #15: a claims transformation's parameters; the first parameter the method did not expect, else the Id.
  if ((m = /mismatched in ClaimsTransformation with id "([^"]*)"/.exec(message))) {
    const transformation = definition(file, 'claimsTransformation', m[1]);
    if (!transformation) return undefined;
    const unexpected = /declared in the Policy but were not expected by the TransformMethod: \[[^\]]*\](\w+)/.exec(message)?.[1];
    return (unexpected && transformationParameter(transformation.element, unexpected)) || transformation.idSpan;
  }
  // #16: a definition missing a required element.
  if ((m = /^The required "[^"]*" element is missing from (\w+) with id "([^"]*)"/.exec(message))) {
    const kind = LABEL_TO_KIND.get(m[1].toLowerCase());
    if (kind) return definition(file, kind, m[2])?.idSpan;
  }
  // #17: a localized string.
  if ((m = /^The localized string with ElementType: (\S+) and StringId: (\S+) /.exec(message))) {
    return localizedString(file, m[1], m[2]);
  }
  // #18: an unreplaced {Settings:...} token, reported lowercased without braces.
  if ((m = /^(settings:[^\s"]*) is neither a valid DNS name/i.exec(message))) {
    const at = file.text.toLowerCase().indexOf(`{${m[1].toLowerCase()}}`);
    if (at >= 0) return { start: at, end: at + m[1].length + 2 };
  }
  // Any other message naming a definition: `with id "X"` or `<Kind> "X"`.
  for (const g of message.matchAll(/(\w+) (?:with id )?"([^"]+)"/g)) {
    const kind = LABEL_TO_KIND.get(g[1].toLowerCase());
    if (!kind) continue;
    const d = definition(file, kind, g[2]);
    if (d) return d.idSpan;
  }
  return undefined;
}

function definition(file: PolicyFile, kind: DefinitionKind, id: string) {
  return file.definitions.find((d) => d.kind === kind && same(d.id, id));
}

function reference(file: PolicyFile, kind: DefinitionKind, id: string): Span | undefined {
  return file.references.find((r) => r.kind === kind && same(r.id, id))?.span;
}

function claimReferenceInside(file: PolicyFile, element: XmlElement | undefined, claim: string): Span | undefined {
  if (!element) return undefined;
  return file.references.find((r) => r.kind === 'claimType' && same(r.id, claim) && r.element.start >= element.start && r.element.end <= element.end)?.span;
}

function stepSpan(file: PolicyFile, journeyId: string, order: number): Span | undefined {
  const journey = file.journeys.find((j) => same(j.id, journeyId));
  const step = journey?.steps.find((s) => s.order === order);
  return step ? step.orderSpan ?? step.element.nameSpan : undefined;
}

function hasAncestor(element: XmlElement, localName: string): boolean {
  for (let e = element.parent; e; e = e.parent) if (e.localName === localName) return true;
  return false;
}

function relyingPartyProfile(file: PolicyFile): Span | undefined {
  for (const element of walkElements(file.xml.root)) {
    if (element.localName === 'TechnicalProfile' && element.parent?.localName === 'RelyingParty') return getAttribute(element, 'Id')?.valueSpan ?? element.nameSpan;
  }
  return undefined;
}

function metadataItem(profile: XmlElement, key: string): Span | undefined {
  const keys = [key, key.replace(/\.$/, '')];
  for (const metadata of childElements(profile, 'Metadata')) {
    for (const item of childElements(metadata, 'Item')) {
      const k = attributeValue(item, 'Key');
      if (k !== undefined && keys.includes(k)) return getAttribute(item, 'Key')?.valueSpan ?? item.nameSpan;
    }
  }
  return undefined;
}

function transformationParameter(transformation: XmlElement, name: string): Span | undefined {
  for (const element of walkElements(transformation)) {
    for (const attribute of ['TransformationClaimType', 'Id']) {
      const a = getAttribute(element, attribute);
      if (element !== transformation && a?.value === name) return a.valueSpan;
    }
  }
  return undefined;
}

function localizedString(file: PolicyFile, elementType: string, stringId: string): Span | undefined {
  for (const element of walkElements(file.xml.root)) {
    if (element.localName !== 'LocalizedString') continue;
    if (attributeValue(element, 'ElementType') === elementType && attributeValue(element, 'StringId') === stringId) return getAttribute(element, 'StringId')?.valueSpan;
  }
  return undefined;
}

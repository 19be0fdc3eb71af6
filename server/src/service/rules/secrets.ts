import { DiagnosticCodes } from '../../protocol';
import {
  normalizeSecretName,
  SECRET_HINT,
  SECRET_NAMES,
  SECRET_QUERY_PARAMETERS,
  SECRET_SHAPES,
  storageReferenceLooksLikeSecret,
  URL_CREDENTIALS,
  URL_QUERY_PARAMETER,
} from '../catalogs/secrets';
import type { Finding } from '../findings';
import { trimmedTextSpan, type PolicyFile } from '../policy/model';
import { CLAIM_RESOLVER } from '../schema/validator';
import type { Span, XmlElement } from '../xml/nodes';
import { attributeValue, walkElements } from '../xml/query';
import { hasTemplateToken, type RuleContext } from './context';

const OTPAUTH_URI = /\botpauth:\/\/[^\s"'<>]*/gi;

const STORE_AS_KEY = 'Store it as a policy key and reference it from CryptographicKeys';

/** What the rule found in one value: the message (never the value) and the data (never the value). */
interface SecretHit {
  message: string;
  data: Record<string, unknown>;
}

/**
 * secret-in-policy: a credential written into the policy (see catalogs/secrets.ts): a metadata item or a claim
 * DefaultValue named like a secret, credentials or a key in a URL, a well-known token shape in any value or
 * comment, a secret typed into StorageReferenceId. The finding never contains the secret: messages name what
 * was found and where, `data` says which kind (the span locates it).
 */
export function checkSecrets(context: RuleContext): Finding[] {
  const { file, settings } = context;
  const findings: Finding[] = [];
  const isToken = (value: string) => hasTemplateToken(value, settings.templateTokens) || CLAIM_RESOLVER.test(value);
  // A value holding a template token or claim resolver is not a literal: asked only of values with a hit (rare),
  // not of every value (the template patterns cost more than the rule's own pre-filter).
  const report = (span: Span, hit: SecretHit | undefined, value?: string) => {
    if (hit && !(value !== undefined && isToken(value))) findings.push({ code: DiagnosticCodes.secretInPolicy, severity: 'error', message: hit.message, span, data: hit.data });
  };
  for (const element of walkElements(file.xml.root)) {
    const local = element.localName;
    for (const attribute of element.attributes) {
      const value = attribute.value;
      if (!value || !attribute.valueSpan) continue;
      if (attribute.name === 'StorageReferenceId' && local === 'Key') {
        if (storageReferenceLooksLikeSecret(value)) {
          report(
            attribute.valueSpan,
            {
              message: `StorageReferenceId holds what looks like the secret itself (not shown), not the name of a policy key. ${STORE_AS_KEY}: create the key in the portal (Policy keys, Manual) and write its name here (B2C_1A_...).`,
              data: { kind: 'storage-reference' },
            },
            value,
          );
        }
        continue;
      }
      if (attribute.name === 'DefaultValue' && (local === 'InputClaim' || local === 'OutputClaim')) {
        const claim = [attributeValue(element, 'PartnerClaimType'), attributeValue(element, 'ClaimTypeReferenceId')].find((n) => n && SECRET_NAMES.has(normalizeSecretName(n)));
        if (claim && isLiteralSecret(value)) {
          report(
            attribute.valueSpan,
            {
              message: `The DefaultValue of claim '${claim}' is a literal secret (not shown). ${STORE_AS_KEY}, and let the technical profile send it (for a REST API: AuthenticationType with a key).`,
              data: { kind: 'default-value', claim },
            },
            value,
          );
          continue;
        }
      }
      report(attribute.valueSpan, shapeHit(value, `The ${attribute.name} value`), value);
    }
    const text = textOf(element, file);
    if (!text) continue;
    if (local === 'Item' && element.parent?.localName === 'Metadata') {
      const key = attributeValue(element, 'Key');
      if (key && SECRET_NAMES.has(normalizeSecretName(key))) {
        if (isLiteralSecret(text.value)) {
          report(
            text.span,
            {
              message: `Metadata item '${key}' holds a literal secret (not shown). ${STORE_AS_KEY} (<Key Id="${key}" StorageReferenceId="B2C_1A_..." />).`,
              data: { kind: 'metadata', key },
            },
            text.value,
          );
        }
        continue;
      }
      report(text.span, shapeHit(text.value, key ? `Metadata item '${key}'` : 'This metadata item'), text.value);
      continue;
    }
    report(text.span, shapeHit(text.value, `The text of ${local}`), text.value);
  }
  for (const comment of commentsOf(file)) report(comment.span, shapeHit(comment.value, 'This comment'));
  return findings;
}

/** A value that is a secret when its name says so: not empty, not a switch (`true`, `none`). */
function isLiteralSecret(value: string): boolean {
  return value.trim().length >= 4 && !/^(?:true|false|none|null|yes|no)$/i.test(value.trim());
}

/** A credential shape, URL credentials or a key in a URL's query, found in `value`; `where` starts the message. */
function shapeHit(value: string, where: string): SecretHit | undefined {
  if (value.length < 12 || !SECRET_HINT.test(value)) return undefined;
  const credentials = URL_CREDENTIALS.exec(value);
  if (credentials && !/[{}]/.test(credentials[2])) {
    return {
      message: `${where} has a user name and password in a URL (not shown). Remove them from the URL; for a REST API use AuthenticationType Basic with the BasicAuthenticationUsername and BasicAuthenticationPassword keys (${STORE_AS_KEY.toLowerCase()}).`,
      data: { kind: 'url-credentials' },
    };
  }
  // A TOTP key URI (otpauth://totp/...?secret=...&issuer=...) carries a per-user secret that the policy creates at
  // run time (CreateOtpSecret); in a policy it is the documented example of that format
  // (display-control-time-based-one-time-password.md), as in Microsoft's published TOTP sample: not a credential.
  for (const match of value.replace(OTPAUTH_URI, '').matchAll(URL_QUERY_PARAMETER)) {
    const [, name, parameterValue] = match;
    if (!SECRET_QUERY_PARAMETERS.has(normalizeSecretName(name)) || parameterValue.length < 8 || /[{}]/.test(parameterValue)) continue;
    const hint = normalizeSecretName(name) === 'code' ? ' (an Azure Functions key: send it in the x-functions-key header with AuthenticationType ApiKeyHeader)' : '';
    return {
      message: `${where} has a key in the URL's query string, parameter '${name}' (not shown)${hint}. ${STORE_AS_KEY}.`,
      data: { kind: 'url-parameter', parameter: name },
    };
  }
  for (const shape of SECRET_SHAPES) {
    const match = shape.pattern.exec(value);
    if (match && (!shape.confirm || shape.confirm(match))) {
      return { message: `${where} contains ${shape.label} (not shown). Secrets do not belong in a policy file: ${STORE_AS_KEY}.`, data: { kind: 'shape', shape: shape.id } };
    }
  }
  return undefined;
}

/** The element's own text (trimmed, with its source span), when it has any. */
function textOf(element: XmlElement, file: PolicyFile): { value: string; span: Span } | undefined {
  // Most elements hold only the white space between their children: answered without building their text.
  if (!element.children.some((c) => (c.type === 'text' && !isXmlSpace(c.value)) || c.type === 'cdata')) return undefined;
  const text = trimmedTextSpan(element, file.text);
  return text.value ? text : undefined;
}

/** Whether a text is XML white space only (space, tab, line feed, carriage return). */
function isXmlSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

function* commentsOf(file: PolicyFile): Generator<{ value: string; span: Span }> {
  for (const node of file.xml.children) if (node.type === 'comment') yield node;
  for (const element of walkElements(file.xml.root)) for (const node of element.children) if (node.type === 'comment') yield node;
}

const REDACTED = '[secret not shown]';

/**
 * Removes the secrets the rule found from every other finding of the file (a schema message quotes a value it
 * rejects; a rule may echo an id): each secret-in-policy span's text, raw and decoded, and the longest start of
 * it (12 characters or more) that a message quotes cut short. Findings without such text are returned as is.
 */
export function redactSecrets(file: PolicyFile, findings: Finding[]): Finding[] {
  const secrets = new Set<string>();
  for (const f of findings) {
    if (f.code !== DiagnosticCodes.secretInPolicy) continue;
    const raw = file.text.slice(f.span.start, f.span.end);
    for (const s of [raw, decodeReferences(raw), decodeReferences(raw).replace(/\r\n?/g, '\n')]) if (s.trim().length >= 4) secrets.add(s);
  }
  if (secrets.size === 0) return findings;
  const clean = (text: string): string => {
    let out = text;
    for (const secret of secrets) {
      out = out.split(secret).join(REDACTED);
      const start = longestStartIn(out, secret);
      if (start) out = out.split(start).join(REDACTED);
    }
    return out;
  };
  const cleanValue = (value: unknown): unknown => {
    if (typeof value === 'string') return clean(value);
    if (Array.isArray(value)) return value.map(cleanValue);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanValue(v)]));
    return value;
  };
  return findings.map((f) => {
    if (f.code === DiagnosticCodes.secretInPolicy) return f;
    const message = clean(f.message);
    const data = f.data ? (cleanValue(f.data) as Record<string, unknown>) : undefined;
    return message === f.message && JSON.stringify(data) === JSON.stringify(f.data) ? f : { ...f, message, data };
  });
}

/** The longest start of `secret` (at least 12 characters) that occurs in `text`, if any. */
function longestStartIn(text: string, secret: string): string | undefined {
  const minimum = 12;
  if (secret.length < minimum || !text.includes(secret.slice(0, minimum))) return undefined;
  let low = minimum;
  let high = secret.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (text.includes(secret.slice(0, middle))) low = middle;
    else high = middle - 1;
  }
  return secret.slice(0, low);
}

/** The predefined and numeric character references of a raw value, decoded. */
function decodeReferences(raw: string): string {
  return raw.replace(/&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g, (whole, hex: string, dec: string, name: string) => {
    if (name) return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name] ?? whole;
    const code = hex ? parseInt(hex, 16) : parseInt(dec, 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

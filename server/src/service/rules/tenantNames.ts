import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import type { Span } from '../xml/nodes';
import { attributeValue, walkElements } from '../xml/query';
import type { RuleContext } from './context';

/** A tenant name in a b2clogin.com or onmicrosoft.com host name (label before the domain). */
const TENANT_HOST = /(?<![A-Za-z0-9-])([A-Za-z0-9-]+)\.(b2clogin\.com|onmicrosoft\.com)\b/g;

export interface TenantNameOccurrence {
  tenant: string;
  span: Span;
}

/** The B2C redirect URI that identity providers are given: `https://<t>.b2clogin.com/<t>.onmicrosoft.com/oauth2/authresp`. */
const REDIRECT_PATH = '/oauth2/authresp';
/** Metadata items whose value is a redirect (reply) URI. */
const REDIRECT_KEY = /redirect|reply/i;

/** Characters that end a value's word (a URL or a domain name). */
function isWordEnd(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '"' || c === "'" || c === '<' || c === '>';
}

/**
 * Tenant names with capitals, in a raw source slice starting at `offset`. Reported where case matters: host
 * names (`https://Contoso.b2clogin.com`, `//Contoso...`, a bare domain such as a TenantId
 * `Contoso.onmicrosoft.com`), and in the path of a redirect URI given to identity providers (a URL whose path
 * goes on to /oauth2/authresp, or any URL when `redirectUri` is true), which the provider compares exactly
 * with the registered one. A tenant in another URL's path or query (for example
 * `https://login.microsoftonline.com/Contoso.onmicrosoft.com/oauth2/v2.0/token`) is not a host name and
 * resolves ignoring case: not reported. One pass over the slice (linear on hostile input).
 */
export function findUppercaseTenantNames(source: string, offset: number, redirectUri = false): TenantNameOccurrence[] {
  const out: TenantNameOccurrence[] = [];
  // The word being scanned: where it ends, whether the scan is past its host, and where its last redirect path is.
  let scanned = 0;
  let inPath = false;
  let wordEnd = -1;
  let lastRedirect = -1;
  TENANT_HOST.lastIndex = 0;
  for (let m = TENANT_HOST.exec(source); m; m = TENANT_HOST.exec(source)) {
    for (; scanned < m.index; scanned++) {
      const c = source[scanned];
      if (isWordEnd(c)) inPath = false;
      else if (c === '/' && source[scanned + 1] === '/') {
        inPath = false; // a scheme's '//' (or a protocol-relative URL): a host follows
        scanned++;
      } else if (c === '/' || c === '?' || c === '#') inPath = true;
    }
    const tenant = m[1];
    if (tenant === tenant.toLowerCase()) continue;
    if (inPath && !redirectUri) {
      if (m.index >= wordEnd) {
        wordEnd = m.index;
        while (wordEnd < source.length && !isWordEnd(source[wordEnd])) wordEnd++;
        lastRedirect = source.slice(m.index, wordEnd).toLowerCase().lastIndexOf(REDIRECT_PATH);
        if (lastRedirect >= 0) lastRedirect += m.index;
      }
      if (lastRedirect < m.index) continue;
    }
    out.push({ tenant, span: { start: offset + m.index, end: offset + m.index + tenant.length } });
  }
  return out;
}

/**
 * tenant-name-case: tenant names in *.b2clogin.com and *.onmicrosoft.com host names must be lowercase
 * (attribute values anywhere, element text: metadata, TenantId, PublicPolicyUri, BasePolicy), and so must the
 * tenant in a redirect URI given to identity providers (DESIGN.md: `https://yourtenant.b2clogin.com/
 * yourtenant.onmicrosoft.com/oauth2/authresp`, lowercase even when the tenant was created with capitals). A
 * tenant in another URL's path is not reported (see findUppercaseTenantNames).
 */
export function checkTenantNames(context: RuleContext): Finding[] {
  const { text } = context.file;
  const findings: Finding[] = [];
  // Every finding below is also a match in the whole text: without a capital letter in a host label
  // anywhere, there is nothing to find (the usual case, decided without walking the tree).
  if (!mayHaveUppercaseTenant(text)) return findings;
  const add = (occurrences: TenantNameOccurrence[]) => {
    for (const o of occurrences) {
      findings.push({
        code: DiagnosticCodes.tenantNameCase,
        severity: 'warning',
        message: `Tenant name '${o.tenant}' must be lowercase in host names: '${o.tenant.toLowerCase()}'.`,
        span: o.span,
        data: { tenant: o.tenant, fixed: o.tenant.toLowerCase() },
      });
    }
  };
  for (const element of walkElements(context.file.xml.root)) {
    for (const attribute of element.attributes) {
      if (attribute.valueSpan) add(findUppercaseTenantNames(text.slice(attribute.valueSpan.start, attribute.valueSpan.end), attribute.valueSpan.start));
    }
    const redirectUri = element.localName === 'Item' && REDIRECT_KEY.test(attributeValue(element, 'Key') ?? '');
    for (const child of element.children) {
      if (child.type === 'text' || child.type === 'cdata') add(findUppercaseTenantNames(text.slice(child.span.start, child.span.end), child.span.start, redirectUri));
    }
  }
  return findings;
}

/** Whether some `<label>.b2clogin.com` or `<label>.onmicrosoft.com` in the text has a capital in its label. */
function mayHaveUppercaseTenant(text: string): boolean {
  for (const domain of ['.b2clogin.com', '.onmicrosoft.com']) {
    for (let at = text.indexOf(domain); at >= 0; at = text.indexOf(domain, at + 1)) {
      for (let i = at - 1; i >= 0; i--) {
        const c = text.charCodeAt(i);
        if (c >= 0x41 && c <= 0x5a) return true; // A-Z
        if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) break; // not a-z 0-9 -
      }
    }
  }
  return false;
}

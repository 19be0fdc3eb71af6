import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import type { Span } from '../xml/nodes';
import { walkElements } from '../xml/query';
import type { RuleContext } from './context';

/** A tenant name in a b2clogin.com or onmicrosoft.com host name (label before the domain). */
const TENANT_HOST = /(?<![A-Za-z0-9-])([A-Za-z0-9-]+)\.(b2clogin\.com|onmicrosoft\.com)\b/g;

export interface TenantNameOccurrence {
  tenant: string;
  span: Span;
}

/** Tenant names with capitals, in a raw source slice starting at `offset`. */
export function findUppercaseTenantNames(source: string, offset: number): TenantNameOccurrence[] {
  const out: TenantNameOccurrence[] = [];
  TENANT_HOST.lastIndex = 0;
  for (let m = TENANT_HOST.exec(source); m; m = TENANT_HOST.exec(source)) {
    const tenant = m[1];
    if (tenant === tenant.toLowerCase()) continue;
    out.push({ tenant, span: { start: offset + m.index, end: offset + m.index + tenant.length } });
  }
  return out;
}

/**
 * tenant-name-case: tenant names in *.b2clogin.com and *.onmicrosoft.com host names must be lowercase
 * (attribute values anywhere, element text: metadata, TenantId, PublicPolicyUri, BasePolicy).
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
    for (const child of element.children) {
      if (child.type === 'text' || child.type === 'cdata') add(findUppercaseTenantNames(text.slice(child.span.start, child.span.end), child.span.start));
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

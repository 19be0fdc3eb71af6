import { DiagnosticCodes } from '../../protocol';
import { allUxElementIds, elementTypeSpec, judgeDataUri, uxElementIds } from '../catalogs/pageContracts';
import { closestIds } from '../util/closest';
import type { Finding, Severity } from '../findings';
import type { EffectivePolicy } from '../policy/effective';
import { trimmedTextSpan } from '../policy/model';
import type { XmlElement } from '../xml/nodes';
import { attributeValue, childElements, firstChild, getAttribute, walkElements } from '../xml/query';
import { hasTemplateToken, type RuleContext } from './context';

/** The UxElement ids a LocalizedResources may use: a set, or 'open' when a page it serves is not listed. */
export type Allowed = { kind: 'set'; ids: Set<string>; pages: string[] } | { kind: 'open' } | { kind: 'unlinked' };

/**
 * Localization string ids and page contracts (catalogs/pageContracts.ts).
 *
 * - UxElement: the ids of the page contract (and version) of the content definitions that reference the
 *   LocalizedResources. The service rejects an id its page does not have: service message #17, `The localized
 *   string with ElementType: UxElement and StringId: createaccount_link has an invalid StringId` (createaccount_link
 *   exists only before unifiedssp 2.0.0). Pages whose ids the reference does not list (providerselection,
 *   globalexception, unifiedssd, claimsconsent) are not judged. Resources no content definition references are
 *   judged against every listed page, as a warning (the page is unknown).
 * - ClaimType and Predicate: their StringIds are fixed attribute names (localization.md); an unknown one is an
 *   error, as #17 is for UxElement.
 * - ErrorMessage and DisplayControl: documented ids plus, for ErrorMessage, any UserMessageIf... item name;
 *   an unknown id is a warning (no service message shows these rejected).
 * - DataUri: a page or layout version that page-layout.md does not list is a warning.
 */
export function checkLocalizationStrings(context: RuleContext): Finding[] {
  const { file, effective, index, settings } = context;
  const findings: Finding[] = [];
  const skip = (value: string) => hasTemplateToken(value, settings.templateTokens);
  const root = file.xml.root;
  if (!root) return findings;

  let links: Map<string, Allowed> | undefined;
  let descendantLinks: Map<string, Allowed> | undefined;
  const allowedFor = (resourcesId: string): Allowed => {
    links ??= resourceLinks(effective);
    const own = links.get(resourcesId.toLowerCase());
    if (own) return own;
    descendantLinks ??= mergeLinks(index.descendants(file.uri).map((d) => resourceLinks(index.effective(d))));
    return descendantLinks.get(resourcesId.toLowerCase()) ?? { kind: 'unlinked' };
  };

  for (const element of walkElements(root)) {
    if (element.localName === 'DataUri' && element.parent?.localName === 'ContentDefinition') {
      const finding = dataUriFinding(element, skip);
      if (finding) findings.push(finding);
      continue;
    }
    if (element.localName !== 'LocalizedString' || element.parent?.localName !== 'LocalizedStrings') continue;
    const elementType = attributeValue(element, 'ElementType');
    const stringId = getAttribute(element, 'StringId');
    if (!elementType || !stringId?.value || !stringId.valueSpan || skip(stringId.value)) continue;
    const spec = elementTypeSpec(elementType);
    if (!spec) continue;
    const id = stringId.value;
    const report = (severity: Severity, known: string[], where: string) => {
      const closest = closestIds(id, known, 1)[0];
      findings.push({
        code: DiagnosticCodes.unknownStringId,
        severity,
        message: `The localized string with ElementType: ${elementType} and StringId: ${id} has an invalid StringId: ${where}${closest ? `; did you mean "${closest}"?` : '.'}`,
        span: stringId.valueSpan!,
        data: { elementType, stringId: id, closest },
      });
    };
    if (spec.stringId.kind === 'fixed') {
      if (spec.stringId.ids.includes(id) || spec.stringId.pattern?.test(id)) continue;
      const severity: Severity = elementType === 'ClaimType' || elementType === 'Predicate' ? 'error' : 'warning';
      report(severity, [...spec.stringId.ids], `${elementType} strings are ${spec.stringId.ids.length <= 6 ? spec.stringId.ids.join(', ') : 'the ids listed in localization-string-ids.md'}`);
    } else if (spec.stringId.kind === 'perPage') {
      const resources = element.parent.parent;
      const resourcesId = resources?.localName === 'LocalizedResources' ? attributeValue(resources, 'Id') : undefined;
      const allowed = resourcesId ? allowedFor(resourcesId) : ({ kind: 'unlinked' } as Allowed);
      if (allowed.kind === 'open') continue;
      if (allowed.kind === 'set') {
        if (!allowed.ids.has(id)) report('error', [...allowed.ids], `not a string id of page ${allowed.pages.join(', ')}`);
      } else {
        const all = allUxElementIds();
        if (!all.includes(id)) report('warning', all, 'not a string id of any page contract the reference lists (no content definition references these resources)');
      }
    }
  }
  return findings;
}

function dataUriFinding(element: XmlElement, skip: (value: string) => boolean): Finding | undefined {
  const { value, span } = trimmedTextSpan(element);
  if (!value || skip(value)) return undefined;
  const verdict = judgeDataUri(value);
  if (verdict.kind === 'known' || verdict.kind === 'not-a-contract') return undefined;
  if (verdict.kind === 'unknown-page') {
    return {
      code: DiagnosticCodes.unknownPageContract,
      severity: 'warning',
      message: `"${verdict.parsed.pageName}" is not a page identifier of the service (globalexception, providerselection, unifiedssp, unifiedssd, multifactor, selfasserted, claimsconsent).`,
      span: { start: span.start + verdict.parsed.pageOffset, end: span.start + verdict.parsed.pageOffset + verdict.parsed.pageName.length },
      data: { page: verdict.parsed.pageName, version: verdict.parsed.version },
    };
  }
  const latest = verdict.versions[verdict.versions.length - 1];
  // The catalog lags the service: Microsoft's own CAPTCHA how-to uses selfasserted 2.1.27, after the last
  // version page-layout.md listed when the catalog was written. A version newer than every listed one is
  // therefore only a hint; a version inside the listed range that is not listed (or a malformed one) stays a
  // warning, since no such layout was ever published.
  const newer = compareVersions(verdict.parsed.version, latest) > 0;
  return {
    code: DiagnosticCodes.unknownPageContract,
    severity: newer ? 'hint' : 'warning',
    message: newer
      ? `Page layout version "${verdict.parsed.version}" of ${verdict.page.page} is newer than the versions page-layout.md listed when this catalog was written (latest: ${latest}), so the string ids of its localized resources are not checked.`
      : `Page layout version "${verdict.parsed.version}" of ${verdict.page.page} is not one page-layout.md lists (latest: ${latest}).`,
    span: { start: span.start + verdict.parsed.versionOffset, end: span.start + verdict.parsed.versionOffset + verdict.parsed.version.length },
    data: { page: verdict.page.page, version: verdict.parsed.version, latest },
  };
}

/**
 * LocalizedResources Id (lower case) -> the UxElement ids allowed by the content definitions of the chain that
 * reference it. A content definition's DataUri is its most derived declaration's (the starter pack's
 * Localization file redeclares content definitions only to add LocalizedResourcesReferences).
 */
export function resourceLinks(effective: EffectivePolicy): Map<string, Allowed> {
  const out = new Map<string, Allowed>();
  const contentDefinitions = new Map<string, { dataUri: string | undefined; resources: Set<string> }>();
  for (const file of [...effective.files].reverse()) {
    for (const definition of file.definitions) {
      if (definition.kind !== 'contentDefinition') continue;
      const key = definition.id.toLowerCase();
      let entry = contentDefinitions.get(key);
      if (!entry) contentDefinitions.set(key, (entry = { dataUri: undefined, resources: new Set() }));
      const dataUri = firstChild(definition.element, 'DataUri');
      if (dataUri) entry.dataUri = trimmedTextSpan(dataUri).value;
      for (const references of childElements(definition.element, 'LocalizedResourcesReferences')) {
        for (const reference of childElements(references, 'LocalizedResourcesReference')) {
          const id = attributeValue(reference, 'LocalizedResourcesReferenceId');
          if (id) entry.resources.add(id.toLowerCase());
        }
      }
    }
  }
  for (const { dataUri, resources } of contentDefinitions.values()) {
    const verdict = dataUri ? judgeDataUri(dataUri) : undefined;
    const ids = verdict?.kind === 'known' ? uxElementIds(verdict.page, verdict.version) : undefined;
    const page = verdict?.kind === 'known' ? `${verdict.page.page}:${verdict.version}` : '';
    for (const resourcesId of resources) out.set(resourcesId, combine(out.get(resourcesId), ids ? { kind: 'set', ids: new Set(ids), pages: [page] } : { kind: 'open' }));
  }
  return out;
}

function combine(a: Allowed | undefined, b: Allowed): Allowed {
  if (!a || a.kind === 'unlinked') return b;
  if (a.kind === 'open' || b.kind === 'open') return { kind: 'open' };
  if (b.kind === 'unlinked') return a;
  return { kind: 'set', ids: new Set([...a.ids, ...b.ids]), pages: [...new Set([...a.pages, ...b.pages])] };
}

/** Merges the links of several chains (the descendants' chains of a file). */
export function mergeLinks(maps: Array<Map<string, Allowed>>): Map<string, Allowed> {
  const out = new Map<string, Allowed>();
  for (const map of maps) for (const [k, v] of map) out.set(k, combine(out.get(k), v));
  return out;
}


/** Compares dotted version numbers (1.2.10 > 1.2.9); a malformed version sorts before every real one. */
function compareVersions(a: string, b: string): number {
  const parse = (v: string) => (/^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : undefined);
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

import { DiagnosticCodes } from '../../protocol';
import { nearestSettingsRoot } from '../environments/settingsContext';
import type { Finding } from '../findings';
import type { PolicyFile } from '../policy/model';
import type { Span } from '../xml/nodes';
import { getAttribute, nodeAt, walkElements } from '../xml/query';
import { hasTemplateToken, type RuleContext } from './context';

/**
 * The documented service limits (service-errors.md, "Service limits (documented)", from service-limits.md of
 * the reference: "Maximum policy file size 1024 KB", "Levels of inheritance in custom policies 10") and what
 * the service refuses about the tenant and the base (messages #7 and "A BasePolicy cannot be a built-in user
 * flow"). Each upload is judged with its bases only, so each file is judged on its own chain.
 */
export const MAX_POLICY_BYTES = 1024 * 1024;
export const MAX_INHERITANCE_LEVELS = 10;

/** The placeholder tenant of Microsoft's starter packs and reference pages (every starter-pack file uses it). */
export const PLACEHOLDER_TENANT = 'yourtenant';

/**
 * Placeholder tenant labels: the starter packs' `yourtenant`, and the two that Microsoft's published samples
 * (azure-ad-b2c/samples) also use: `your-tenant` (invite, account-linkage) and `tenant-name` (remote-profile).
 * The hyphenated ones also break the schema's TenantId pattern; this names them as what they are.
 */
const PLACEHOLDER_TENANTS: ReadonlySet<string> = new Set([PLACEHOLDER_TENANT, 'your-tenant', 'tenant-name']);

/** Whether a tenant label (before `.onmicrosoft.com`) is a placeholder, ignoring case. */
export function isPlaceholderTenant(label: string): boolean {
  return PLACEHOLDER_TENANTS.has(label.toLowerCase());
}

/**
 * Whether a policy id names a built-in user flow: `B2C_1_...` (custom policies are `B2C_1A_...`); policy names
 * compare ignoring case. Such a base is reported by base-policy-is-user-flow, not as a missing base.
 */
export function isUserFlowId(policyId: string): boolean {
  return /^B2C_1_/i.test(policyId);
}

/**
 * The domain after a tenant label (`yourtenant.onmicrosoft.com`, `yourtenant.b2clogin.com`; the shape
 * tenantNames.ts reads too). Searched for first, the label read backwards from it: a search led by a literal is
 * about 30 times faster than one led by the label's character class (0.2 ms vs 5.7 ms for the starter packs).
 */
const TENANT_DOMAIN = /\.(?:onmicrosoft|b2clogin)\.com\b/g;
const isLabelCharacter = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d;

export function checkServiceLimits(context: RuleContext): Finding[] {
  return [...fileSize(context), ...chainDepth(context), ...userFlowBase(context), ...placeholderTenant(context)];
}

/**
 * policy-file-too-large: the service limit is 1,024 KB per policy file (service-limits.md). Measured as the
 * UTF-8 bytes of the text without a byte-order mark: what deploy uploads (deploy/plan.ts refuses the same).
 */
function fileSize({ file }: RuleContext): Finding[] {
  const root = file.xml.root;
  // Every UTF-16 code unit is at least one UTF-8 byte and at most three.
  if (!root || file.text.length * 3 <= MAX_POLICY_BYTES) return [];
  const bytes = utf8Length(file.text);
  if (bytes <= MAX_POLICY_BYTES) return [];
  return [
    {
      code: DiagnosticCodes.policyFileTooLarge,
      severity: 'error',
      message: `This policy is ${kilobytes(bytes)} KB; the service accepts policy files of at most 1,024 KB. Move some content into a base policy.`,
      span: root.nameSpan,
      data: { bytes, limit: MAX_POLICY_BYTES },
    },
  ];
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function kilobytes(bytes: number): string {
  return Math.ceil(bytes / 1024).toLocaleString('en-US');
}

/**
 * chain-too-deep: at most 10 levels of inheritance (service-limits.md). A level is a policy of the chain: the
 * starter pack's relying party -> Extensions -> Localization -> Base is 4. Reported on every file whose own
 * chain is deeper (each such upload is refused), on its BasePolicy.
 */
function chainDepth({ file, chain }: RuleContext): Finding[] {
  if (!file.base || chain.cycle || chain.files.length <= MAX_INHERITANCE_LEVELS) return [];
  const levels = chain.files.length;
  return [
    {
      code: DiagnosticCodes.chainTooDeep,
      severity: 'error',
      message: `This policy's inheritance chain has ${levels} levels (${chain.files.map((f) => f.policyId ?? '?').join(' -> ')}${chain.missingBase ? ' -> ...' : ''}); the service allows at most ${MAX_INHERITANCE_LEVELS}.`,
      span: file.base.span,
      data: { levels, limit: MAX_INHERITANCE_LEVELS, policyIds: chain.files.map((f) => f.policyId) },
    },
  ];
}

/**
 * base-policy-is-user-flow: a custom policy cannot build on a built-in user flow (`B2C_1_...`;
 * service-errors.md, "A BasePolicy cannot be a built-in user flow"). Suggests the custom policy of the same
 * name (`B2C_1A_...`) when the workspace has one.
 */
function userFlowBase({ file, index }: RuleContext): Finding[] {
  const base = file.base;
  if (!base || !isUserFlowId(base.policyId)) return [];
  const custom = 'B2C_1A_' + base.policyId.slice('B2C_1_'.length);
  const existing = index.filesWithPolicyId(custom)[0]?.policyId;
  return [
    {
      code: DiagnosticCodes.basePolicyIsUserFlow,
      severity: 'error',
      message: `'${base.policyId}' is the name of a built-in user flow (B2C_1_...); a custom policy can only build on another custom policy (B2C_1A_...)${existing ? `: did you mean '${existing}'?` : '.'}`,
      span: base.span,
      data: { policyId: base.policyId, suggestions: existing ? [existing] : [] },
    },
  ];
}

/**
 * placeholder-tenant: the starter packs name the tenant `yourtenant.onmicrosoft.com`, which must be replaced
 * before uploading: the service refuses the upload otherwise (service message #7, `TenantId in the policy xml
 * 'yourtenant.onmicrosoft.com' is not same as the one in login tenant`).
 *
 * Severity information, once per file, on the TenantId (else on the first occurrence): every one of the eight
 * starter packs uses the placeholder in every file (162 occurrences) and must stay free of errors and warnings;
 * the placeholder is a step of the setup, not a mistake in the policy, and `b2c-policy deploy` refuses a tenant
 * mismatch before uploading anyway. Not reported in templated files: a file with a template token in a value
 * or text (the `templateTokens` setting), or below a folder with an appsettings.json (built per environment).
 */
function placeholderTenant({ file, settings }: RuleContext): Finding[] {
  const root = file.xml.root;
  if (!root || nearestSettingsRoot(file.uri, settings.settingsRoots)) return [];
  const occurrences = placeholderOccurrences(file);
  if (occurrences.length === 0 || valuesHaveTemplateToken(file, settings.templateTokens)) return [];
  const tenantId = getAttribute(root, 'TenantId')?.valueSpan;
  const anchor = occurrences.find((o) => tenantId && o.start >= tenantId.start && o.end <= tenantId.end) ?? occurrences[0];
  const label = file.text.slice(anchor.start, anchor.end);
  const whose = label.toLowerCase() === PLACEHOLDER_TENANT ? "the starter pack's placeholder tenant" : 'a placeholder tenant';
  return [
    {
      code: DiagnosticCodes.placeholderTenant,
      severity: 'information',
      message:
        `'${label}' is ${whose} (${occurrences.length} occurrence${occurrences.length === 1 ? '' : 's'} in this file): ` +
        `replace it with your tenant's name before uploading; the service refuses a policy whose TenantId is not the tenant it is uploaded to.`,
      span: anchor,
      data: { placeholder: label, occurrences: occurrences.length },
    },
  ];
}

/**
 * The spans of the placeholder label in attribute values and text (comments are not policy content). The
 * label is searched in the whole text once and each match kept when one value holds it whole: the label's
 * boundaries (no letter, digit or hyphen before, a word boundary after) hold in a value exactly when they hold
 * in the text, since quotes and `<` `>` are not label characters.
 */
export function placeholderOccurrences(file: PolicyFile): Span[] {
  const text = file.text;
  const out: Span[] = [];
  TENANT_DOMAIN.lastIndex = 0;
  for (let m = TENANT_DOMAIN.exec(text); m; m = TENANT_DOMAIN.exec(text)) {
    let start = m.index;
    while (start > 0 && isLabelCharacter(text.charCodeAt(start - 1))) start--;
    if (!isPlaceholderTenant(text.slice(start, m.index))) continue;
    const end = m.index + m[0].length;
    const node = nodeAt(file.xml, start);
    const inValue =
      node?.type === 'element'
        ? node.attributes.some((a) => a.valueSpan && a.valueSpan.start <= start && end <= a.valueSpan.end)
        : (node?.type === 'text' || node?.type === 'cdata') && end <= node.span.end;
    if (inValue) out.push({ start, end: m.index });
  }
  return out;
}

/**
 * Whether an attribute value or text of the policy holds a template token. Template patterns without anchors
 * or lookaround match in a value only if they match in the whole text, so a text without any match answers
 * for all its values at once (the starter packs: one search instead of one per value).
 */
function valuesHaveTemplateToken(file: PolicyFile, tokens: RegExp[]): boolean {
  if (tokens.every((t) => !CONTEXT_SENSITIVE.test(t.source)) && !hasTemplateToken(file.text, tokens)) return false;
  return policyValues(file).some((span) => hasTemplateToken(file.text.slice(span.start, span.end), tokens));
}

/**
 * Regular-expression syntax whose match may depend on what surrounds it: anchors, word boundaries, lookaround
 * (a `^` that negates a class, as in the default `\{Settings:[^{}]*\}`, is not an anchor; anything else that
 * looks like one counts, to be safe).
 */
const CONTEXT_SENSITIVE = /\\[bB]|(?<!\[)\^|\$|\(\?<?[=!]/;

/** The spans of every attribute value and text of a policy. */
function policyValues(file: PolicyFile): Span[] {
  const out: Span[] = [];
  for (const element of walkElements(file.xml.root)) {
    for (const attribute of element.attributes) if (attribute.valueSpan) out.push(attribute.valueSpan);
    for (const child of element.children) if (child.type === 'text' || child.type === 'cdata') out.push(child.span);
  }
  return out;
}

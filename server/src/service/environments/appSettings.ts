/**
 * appsettings.json: the environments of a policy folder, in the format of Microsoft's B2C extension for VS Code
 * and the Azure DevOps build tasks that read the same file:
 *
 *   {"EnvironmentsFolder": "Environments",
 *    "Environments": [{"Name": "Dev", "Production": false, "Tenant": "contoso-dev.onmicrosoft.com",
 *                      "PolicySettings": {"Key": "value"}}]}
 *
 * plus optional fields of ours per environment: `Include`/`Exclude` (globs.ts) and `PolicyIdPrefix`/
 * `PolicyIdSuffix` (policyIds.ts). Other properties are ignored (older files carry `CustomPoliciesFolder`).
 *
 * Parsing is tolerant of comments and trailing commas (ASP.NET's appsettings.json allows them and VS Code users
 * switch such files to "JSON with Comments"), but says so with a warning: Microsoft's extension reads the file
 * with `JSON.parse` (src/PolicyBuild.ts), so a file shared with it must stay strict JSON.
 */
import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import type { Span } from '../xml/nodes';
import { compileGlob, isGlobError, type CompiledGlob } from './globs';
import { builtInSetting } from './tokens';

export const APPSETTINGS_FILE_NAME = 'appsettings.json';
export const DEFAULT_ENVIRONMENTS_FOLDER = 'Environments';
/** Without `Include`, an environment takes every XML file of the policy folder. */
export const DEFAULT_INCLUDE = ['**/*.xml'];

export interface SettingEntry {
  /** The key as written. Keys match tokens case-insensitively (tokens.ts). */
  key: string;
  /** The text a token is replaced with: a string as it is, a number or boolean as JavaScript prints it. */
  value: string;
  keySpan: Span;
  valueSpan: Span;
}

export interface EnvironmentSettings {
  name: string;
  /** The Name value (or the environment object, when Name is missing). */
  nameSpan: Span;
  /** The whole environment object. */
  span: Span;
  production: boolean;
  tenant: string | undefined;
  tenantSpan: Span | undefined;
  /** PolicySettings in file order; a key repeated (in any case) is reported and its first value kept. */
  settings: SettingEntry[];
  include: CompiledGlob[];
  exclude: CompiledGlob[];
  policyIdPrefix: string;
  policyIdSuffix: string;
}

export interface AppSettings {
  /** Relative to the policy root, `/` between folders, no trailing slash. */
  environmentsFolder: string;
  environmentsFolderSpan: Span | undefined;
  environments: EnvironmentSettings[];
}

export interface AppSettingsResult {
  /** As much as could be read, even when there are errors (completion and hover still work while typing). */
  settings: AppSettings;
  /** Findings in offsets of the appsettings.json text. */
  findings: Finding[];
  /** True when a finding is an error: nothing is built from such a file. */
  hasErrors: boolean;
}

/** Why an appsettings-invalid finding was raised (its `data.reason`). */
export type AppSettingsProblemReason =
  | 'not-an-object'
  | 'no-environments'
  | 'wrong-type'
  | 'missing-name'
  | 'unsafe-name'
  | 'duplicate-name'
  | 'duplicate-key'
  | 'unusable-key'
  | 'built-in-key'
  | 'invalid-glob'
  | 'invalid-folder'
  | 'invalid-policy-id-part';

export function parseAppSettings(text: string): AppSettingsResult {
  const findings: Finding[] = [];
  const settings: AppSettings = { environmentsFolder: DEFAULT_ENVIRONMENTS_FOLDER, environmentsFolderSpan: undefined, environments: [] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  for (const e of errors) {
    findings.push({
      code: DiagnosticCodes.appsettingsSyntax,
      severity: 'error',
      message: `appsettings.json is not valid JSON: ${describeParseError(printParseErrorCode(e.error))}.`,
      span: { start: e.offset, end: e.offset + Math.max(e.length, 0) },
      data: { error: printParseErrorCode(e.error) },
    });
  }
  if (errors.length === 0) findings.push(...nonStandardJson(text));
  const invalid = (span: Span, reason: AppSettingsProblemReason, message: string, severity: 'error' | 'warning' = 'error', data: Record<string, unknown> = {}) =>
    findings.push({ code: DiagnosticCodes.appsettingsInvalid, severity, message, span, data: { reason, ...data } });

  if (!root || root.type !== 'object') {
    if (root) invalid(spanOf(root), 'not-an-object', 'appsettings.json must hold one object with an "Environments" array.');
    return finish(settings, findings);
  }

  const folder = property(root, 'EnvironmentsFolder');
  if (folder) {
    if (folder.value.type !== 'string') invalid(spanOf(folder.value), 'wrong-type', '"EnvironmentsFolder" must be a string (a folder relative to appsettings.json).');
    else {
      const normalised = normaliseFolder(String(folder.value.value));
      if (typeof normalised === 'string') {
        settings.environmentsFolder = normalised;
        settings.environmentsFolderSpan = spanOf(folder.value);
      } else invalid(spanOf(folder.value), 'invalid-folder', normalised.problem);
    }
  }

  const environments = property(root, 'Environments');
  if (!environments) {
    invalid(keySpanOfObject(root), 'no-environments', 'appsettings.json has no "Environments" array: add at least one environment.');
    return finish(settings, findings);
  }
  if (environments.value.type !== 'array') {
    invalid(spanOf(environments.value), 'wrong-type', '"Environments" must be an array of environments.');
    return finish(settings, findings);
  }
  const items = environments.value.children ?? [];
  if (items.length === 0) invalid(spanOf(environments.value), 'no-environments', '"Environments" is empty: add at least one environment.');
  const seenNames = new Map<string, EnvironmentSettings>();
  for (const item of items) {
    const environment = readEnvironment(item, invalid);
    if (!environment) continue;
    const lower = environment.name.toLowerCase();
    const earlier = seenNames.get(lower);
    if (earlier && environment.name) {
      invalid(environment.nameSpan, 'duplicate-name', `Environment '${environment.name}' is named twice (names are folder names; case does not tell them apart).`, 'error', { environment: environment.name });
      continue;
    }
    seenNames.set(lower, environment);
    settings.environments.push(environment);
  }
  return finish(settings, findings);
}

function finish(settings: AppSettings, findings: Finding[]): AppSettingsResult {
  findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return { settings, findings, hasErrors: findings.some((f) => f.severity === 'error') };
}

type Invalid = (span: Span, reason: AppSettingsProblemReason, message: string, severity?: 'error' | 'warning', data?: Record<string, unknown>) => void;

function readEnvironment(node: JsonNode, invalid: Invalid): EnvironmentSettings | undefined {
  if (node.type !== 'object') {
    invalid(spanOf(node), 'wrong-type', 'Each environment must be an object with a "Name".');
    return undefined;
  }
  const environment: EnvironmentSettings = {
    name: '',
    nameSpan: { start: node.offset, end: node.offset + 1 },
    span: spanOf(node),
    production: false,
    tenant: undefined,
    tenantSpan: undefined,
    settings: [],
    include: [],
    exclude: [],
    policyIdPrefix: '',
    policyIdSuffix: '',
  };
  let valid = true;

  const name = property(node, 'Name');
  if (!name) {
    invalid(environment.nameSpan, 'missing-name', 'This environment has no "Name" (the name of its output folder).');
    valid = false;
  } else if (name.value.type !== 'string') {
    invalid(spanOf(name.value), 'wrong-type', '"Name" must be a string.');
    valid = false;
  } else {
    environment.name = String(name.value.value);
    environment.nameSpan = spanOf(name.value);
    const problem = folderNameProblem(environment.name);
    if (problem) {
      invalid(environment.nameSpan, 'unsafe-name', `Environment name '${environment.name}' cannot be a folder name: ${problem}`, 'error', { environment: environment.name });
      valid = false;
    }
  }

  const production = property(node, 'Production');
  if (production) {
    if (production.value.type === 'boolean') environment.production = production.value.value === true;
    else invalid(spanOf(production.value), 'wrong-type', '"Production" must be true or false.');
  }

  const tenant = property(node, 'Tenant');
  if (tenant) {
    if (tenant.value.type === 'string') {
      environment.tenant = String(tenant.value.value);
      environment.tenantSpan = spanOf(tenant.value);
    } else invalid(spanOf(tenant.value), 'wrong-type', '"Tenant" must be a string, such as "contoso.onmicrosoft.com".');
  }

  const policySettings = property(node, 'PolicySettings');
  if (policySettings) {
    if (policySettings.value.type !== 'object') invalid(spanOf(policySettings.value), 'wrong-type', '"PolicySettings" must be an object of keys and values.');
    else environment.settings = readSettings(policySettings.value, environment.name, invalid);
  }

  environment.include = readGlobs(node, 'Include', invalid) ?? DEFAULT_INCLUDE.map((p) => compileGlob(p) as CompiledGlob);
  environment.exclude = readGlobs(node, 'Exclude', invalid) ?? [];
  environment.policyIdPrefix = readPolicyIdPart(node, 'PolicyIdPrefix', invalid);
  environment.policyIdSuffix = readPolicyIdPart(node, 'PolicyIdSuffix', invalid);
  return valid ? environment : undefined;
}

function readSettings(node: JsonNode, environmentName: string, invalid: Invalid): SettingEntry[] {
  const entries: SettingEntry[] = [];
  const seen = new Set<string>();
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const keySpan = spanOf(keyNode);
    if (key === '' || /[{}\r\n]/.test(key)) {
      invalid(keySpan, 'unusable-key', `No token can name the key '${key}': keys cannot be empty or contain braces or line breaks.`, 'warning', { key });
      continue;
    }
    if (builtInSetting(key)) {
      invalid(keySpan, 'built-in-key', `'{Settings:${key}}' is the built-in ${builtInSetting(key)} setting; this value is never used.`, 'warning', { key });
      continue;
    }
    if (seen.has(key.toLowerCase())) {
      invalid(keySpan, 'duplicate-key', `Key '${key}' is defined twice in environment '${environmentName}' (keys match tokens in any case).`, 'error', { key, environment: environmentName });
      continue;
    }
    seen.add(key.toLowerCase());
    if (valueNode.type !== 'string' && valueNode.type !== 'number' && valueNode.type !== 'boolean') {
      invalid(spanOf(valueNode), 'wrong-type', `The value of '${key}' must be a string, a number or true/false (found ${valueNode.type}).`, 'error', { key });
      continue;
    }
    entries.push({ key, value: String(valueNode.value), keySpan, valueSpan: spanOf(valueNode) });
  }
  return entries;
}

function readGlobs(node: JsonNode, name: 'Include' | 'Exclude', invalid: Invalid): CompiledGlob[] | undefined {
  const prop = property(node, name);
  if (!prop) return undefined;
  if (prop.value.type !== 'array') {
    invalid(spanOf(prop.value), 'wrong-type', `"${name}" must be an array of glob patterns, such as ["**/*.xml"].`);
    return [];
  }
  const globs: CompiledGlob[] = [];
  for (const item of prop.value.children ?? []) {
    if (item.type !== 'string') {
      invalid(spanOf(item), 'wrong-type', `Each "${name}" pattern must be a string.`);
      continue;
    }
    const compiled = compileGlob(String(item.value));
    if (isGlobError(compiled)) {
      invalid(spanOf(item), 'invalid-glob', `Pattern '${String(item.value)}': ${compiled.message}`, 'error', { pattern: String(item.value), offset: compiled.offset });
      continue;
    }
    globs.push(compiled);
  }
  return globs;
}

/**
 * PolicyIdPrefix and PolicyIdSuffix become part of policy ids, whose characters the framework schema limits to
 * letters, digits, `_`, `-` and `.`, not at the end (type PolicyId: `[A-Za-z0-9_\-\.]*[A-Za-z0-9_\-]+`).
 */
function readPolicyIdPart(node: JsonNode, name: 'PolicyIdPrefix' | 'PolicyIdSuffix', invalid: Invalid): string {
  const prop = property(node, name);
  if (!prop) return '';
  if (prop.value.type !== 'string') {
    invalid(spanOf(prop.value), 'wrong-type', `"${name}" must be a string.`);
    return '';
  }
  const value = String(prop.value.value);
  if (!/^[A-Za-z0-9_.-]*$/.test(value)) {
    invalid(spanOf(prop.value), 'invalid-policy-id-part', `"${name}" may hold only letters, digits, '_', '-' and '.' (the characters of a policy id).`);
    return '';
  }
  if (name === 'PolicyIdSuffix' && value.endsWith('.')) {
    invalid(spanOf(prop.value), 'invalid-policy-id-part', 'A policy id cannot end with a dot, so "PolicyIdSuffix" cannot either.');
    return '';
  }
  return value;
}

/** Why a name cannot be one folder name on Windows, macOS and Linux alike; undefined when it can. */
export function folderNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'it is empty.';
  if (name === '.' || name === '..') return `'${name}' names a folder that already exists.`;
  // eslint-disable-next-line no-control-regex
  const bad = /[<>:"/\\|?*\u0000-\u001f]/.exec(name);
  if (bad) return `it contains '${bad[0] === '\\' ? '\\' : bad[0].charCodeAt(0) < 32 ? `U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')}` : bad[0]}'.`;
  if (/[. ]$/.test(name)) return 'Windows drops a trailing dot or space from folder names.';
  if (/^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i.test(name)) return `'${name}' is a reserved device name on Windows.`;
  return undefined;
}

/** A relative folder (`a/b`, backslashes allowed as separators), normalised; or why it is not one. */
function normaliseFolder(folder: string): string | { problem: string } {
  const parts = folder.replace(/\\/g, '/').split('/').filter((p, i, all) => !(p === '' && (i === 0 || i === all.length - 1)) && p !== '.');
  if (/^([A-Za-z]:|[\\/])/.test(folder)) return { problem: '"EnvironmentsFolder" must be relative to the folder of appsettings.json.' };
  if (parts.length === 0) return { problem: '"EnvironmentsFolder" cannot be the policy folder itself: builds would become inputs.' };
  for (const part of parts) {
    if (part === '..') return { problem: '"EnvironmentsFolder" must stay inside the folder of appsettings.json.' };
    const problem = folderNameProblem(part);
    if (problem) return { problem: `"EnvironmentsFolder" part '${part}' cannot be a folder name: ${problem}` };
  }
  return parts.join('/');
}

function property(object: JsonNode, name: string): { key: JsonNode; value: JsonNode } | undefined {
  // JSON names are case-sensitive, as in Microsoft's extension (`entry.PolicySettings`) and the JSON schema.
  for (const prop of object.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (key && value && key.value === name) return { key, value };
  }
  return undefined;
}

function spanOf(node: JsonNode): Span {
  return { start: node.offset, end: node.offset + node.length };
}

/** The opening brace of an object (where a missing property is reported). */
function keySpanOfObject(node: JsonNode): Span {
  return { start: node.offset, end: node.offset + 1 };
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'a property name is expected',
    ValueExpected: 'a value is expected',
    ColonExpected: "':' is expected",
    CommaExpected: "',' is expected",
    CloseBraceExpected: "'}' is expected",
    CloseBracketExpected: "']' is expected",
    EndOfFileExpected: 'nothing may follow the object',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'unclosed comment',
    UnexpectedEndOfString: 'unclosed string',
    UnexpectedEndOfNumber: 'unfinished number',
    InvalidUnicode: 'invalid \\u escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'control character in a string',
  };
  return words[code] ?? code;
}

/** Comments and trailing commas: accepted here, rejected by `JSON.parse` in Microsoft's extension. */
function nonStandardJson(text: string): Finding[] {
  const findings: Finding[] = [];
  const scanner = createScanner(text, false);
  let pendingComma: Span | undefined;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const span = { start: scanner.getTokenOffset(), end: scanner.getTokenOffset() + scanner.getTokenLength() };
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
      findings.push({
        code: DiagnosticCodes.appsettingsNonStandardJson,
        severity: 'warning',
        message: "Comments are not JSON: Microsoft's B2C extension and build tasks that read this file with a strict parser fail on it.",
        span,
        data: { kind: 'comment' },
      });
      continue;
    }
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) continue;
    if (pendingComma && (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken)) {
      findings.push({
        code: DiagnosticCodes.appsettingsNonStandardJson,
        severity: 'warning',
        message: "A trailing comma is not JSON: Microsoft's B2C extension and build tasks that read this file with a strict parser fail on it.",
        span: pendingComma,
        data: { kind: 'trailing-comma' },
      });
    }
    pendingComma = kind === SyntaxKind.CommaToken ? span : undefined;
  }
  return findings;
}

import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { InsertClaimsProviderParams } from './protocol';
import { applyEdits, insertClaimsProvider } from './service/features/scaffold';
import type { Diagnostic } from 'vscode-languageserver-types';
import { readPolicyText, writeKeepingBom } from './policyFiles';
import { SchemaCache } from './schemaFile';
import { applySafeFixes } from './service/features/codeActions';
import { toDiagnostic } from './service/features/diagnostics';
import { PolicyLanguageService } from './service/languageService';

const ADD_USAGE = `Usage: b2c-policy add-claims-provider amazon --client-id ID [--policy-key NAME] [--journey ID | --new-journey ID] [--relying-party FILE...] EXTENSIONS_FILE

Adds the claims provider, its technical profile, the policy key reference, the journey button and exchange to
EXTENSIONS_FILE (policies in its folder resolve the chain) and points the relying parties at the journey.`;

const USAGE = `Usage: b2c-policy check [paths...] [--format text|json|sarif] [--schema FILE] [--policy-keys k1,k2] [--fix]

Checks Azure AD B2C custom policy files (folders are searched recursively; chains resolve across all
given paths). --fix applies the safe fixes (tenant-name case, B2C_1A_ key prefix, id case) in place,
rewriting only the fixed spans, then reports what remains. Exit code: 0 no error, 1 at least one error-severity finding, 2 usage or I/O error.`;

export class UsageError extends Error {}

export interface CheckOptions {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  schema?: string;
  policyKeys: string[];
  fix: boolean;
}

export function parseCheckArguments(args: string[]): CheckOptions {
  const options: CheckOptions = { paths: [], format: 'text', policyKeys: [], fix: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format '${f}' (text, json or sarif)`);
        options.format = f;
        break;
      }
      case '--fix':
        options.fix = true;
        break;
      case '--schema':
        options.schema = value();
        break;
      case '--policy-keys':
        options.policyKeys = value().split(',').map((k) => k.trim()).filter(Boolean);
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option '${flag}'`);
        options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) options.paths.push('.');
  return options;
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.vscode-test']);

/** XML files under the given paths; each with the path to print (as given, or found below a folder). */
export function collectFiles(paths: string[]): Array<{ display: string; absolute: string }> {
  const out: Array<{ display: string; absolute: string }> = [];
  const seen = new Set<string>();
  const add = (display: string, absolute: string) => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    out.push({ display, absolute });
  };
  const walk = (display: string, absolute: string) => {
    const entries = fs.readdirSync(absolute, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) walk(path.join(display, entry.name), path.join(absolute, entry.name));
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.xml')) add(path.join(display, entry.name), path.join(absolute, entry.name));
    }
  };
  for (const p of paths) {
    const absolute = path.resolve(p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new Error(`cannot read '${p}': no such file or folder`);
    }
    if (stat.isDirectory()) walk(p, absolute);
    else add(p, absolute);
  }
  return out;
}


const SEVERITY_NAMES = ['', 'error', 'warning', 'information', 'hint'] as const;

export interface FileResult {
  path: string;
  absolute: string;
  diagnostics: Diagnostic[];
}

/** Runs the checks: the same language service as the editor, fed from the file system. */
export function runCheck(options: CheckOptions, schemaCache = new SchemaCache()): FileResult[] {
  const files = collectFiles(options.paths);
  const service = new PolicyLanguageService({
    schema: schemaCache.load(options.schema),
    settings: { policyKeys: options.policyKeys },
    log: (m) => process.stderr.write(m + '\n'),
  });
  const uris = new Map<string, { display: string; absolute: string }>();
  for (const f of files) {
    const uri = pathToFileURL(f.absolute).href;
    uris.set(uri, f);
    service.index.setDiskFile(uri, readPolicyText(f.absolute));
  }
  if (options.fix) {
    for (const [uri, f] of uris) {
      const file = service.index.get(uri)!;
      if (!file.isPolicy) continue;
      const fixed = applySafeFixes(file.text, service.diagnose(uri));
      if (fixed.applied === 0) continue;
      writeKeepingBom(f.absolute, fixed.text);
      service.index.setDiskFile(uri, fixed.text);
    }
  }
  const results: FileResult[] = [];
  for (const [uri, f] of uris) {
    const file = service.index.get(uri)!;
    if (!file.isPolicy) continue;
    results.push({ path: f.display, absolute: f.absolute, diagnostics: service.diagnose(uri).map((finding) => toDiagnostic(file.lines, finding)) });
  }
  return results;
}

export function formatText(results: FileResult[]): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let others = 0;
  for (const r of results) {
    for (const d of r.diagnostics) {
      const severity = SEVERITY_NAMES[d.severity ?? 1];
      if (severity === 'error') errors++;
      else if (severity === 'warning') warnings++;
      else others++;
      lines.push(`${r.path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severity} ${d.code}: ${d.message}`);
    }
  }
  lines.push(`${results.length} policy file${results.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${others} other finding${others === 1 ? '' : 's'}.`);
  return lines.join('\n') + '\n';
}

export function formatJson(results: FileResult[]): string {
  return (
    JSON.stringify({
      files: results.map((r) => ({
        path: r.path,
        diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: SEVERITY_NAMES[d.severity ?? 1], message: d.message, range: d.range })),
      })),
    }) + '\n'
  );
}

const SARIF_LEVELS: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(results: FileResult[]): string {
  const rules = new Set<string>();
  for (const r of results) for (const d of r.diagnostics) rules.add(String(d.code));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'b2c-policy', informationUri: 'https://example.invalid/b2c-policy-tools', rules: [...rules].sort().map((id) => ({ id })) } },
        results: results.flatMap((r) =>
          r.diagnostics.map((d) => ({
            ruleId: String(d.code),
            level: SARIF_LEVELS[SEVERITY_NAMES[d.severity ?? 1]],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: r.path.split(path.sep).join('/') },
                  region: { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** `add-claims-provider`: the same edit as the editor command, written to the files. */
export function runAddClaimsProvider(args: string[]): string {
  let provider: string | undefined;
  let extensionsFile: string | undefined;
  const answers: InsertClaimsProviderParams['answers'] = { clientId: '' };
  const relyingParties: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--client-id') answers.clientId = value();
    else if (arg === '--policy-key') answers.policyKey = value();
    else if (arg === '--journey') answers.journey = value();
    else if (arg === '--new-journey') answers.newJourney = value();
    else if (arg === '--relying-party') {
      relyingParties.push(value());
      while (args[i + 1] !== undefined && !args[i + 1].startsWith('--') && i + 2 < args.length) relyingParties.push(args[++i]);
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
    else if (!provider) provider = arg;
    else if (!extensionsFile) extensionsFile = arg;
    else throw new UsageError(`unexpected argument '${arg}'`);
  }
  if (!provider) throw new UsageError('missing provider (amazon)');
  if (!extensionsFile) throw new UsageError('missing EXTENSIONS_FILE');
  if (!answers.clientId) throw new UsageError('--client-id is required');
  if (answers.journey && answers.newJourney) throw new UsageError('give --journey or --new-journey, not both');
  const files = collectFiles([path.dirname(extensionsFile), extensionsFile, ...relyingParties]);
  const service = new PolicyLanguageService();
  const byUri = new Map<string, string>();
  for (const f of files) {
    const uri = pathToFileURL(f.absolute).href;
    byUri.set(uri, f.absolute);
    service.index.setDiskFile(uri, readPolicyText(f.absolute));
  }
  const uriOf = (p: string) => pathToFileURL(path.resolve(p)).href;
  answers.relyingParties = relyingParties.map(uriOf);
  const result = insertClaimsProvider(service, uriOf(extensionsFile), provider, answers);
  for (const [uri, edits] of Object.entries(result.edit.changes)) {
    const file = byUri.get(uri) ?? fileURLToPath(uri);
    writeKeepingBom(file, applyEdits(readPolicyText(file), edits));
  }
  const { info } = result;
  return [
    `${result.alreadyPresent ? 'Updated' : 'Added'} ${provider} in ${extensionsFile} (journey '${result.journeyId}'); ${Object.keys(result.edit.changes).length} file(s) changed.`,
    `Amazon developer console: Allowed Origins ${info.allowedOrigin}`,
    `                          Allowed Return URLs ${info.returnUrl}`,
    `Create the policy key ${info.policyKey} (Manual; the client secret) in the portal, then upload the Extensions file, then the relying party.`,
    ...result.notes,
  ].join('\n') + '\n';
}

export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    out(USAGE + '\n');
    return 0;
  }
  if (command === 'add-claims-provider') {
    if (rest.includes('--help') || rest.includes('-h')) {
      out(ADD_USAGE + '\n');
      return 0;
    }
    try {
      out(runAddClaimsProvider(rest));
      return 0;
    } catch (e) {
      err(`b2c-policy: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`);
      return 2;
    }
  }
  if (command !== 'check') {
    err(`b2c-policy: ${command ? `unknown command '${command}'` : 'missing command'}; try 'b2c-policy check --help'\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(USAGE + '\n');
    return 0;
  }
  try {
    const options = parseCheckArguments(rest);
    const results = runCheck(options);
    const formatted = options.format === 'json' ? formatJson(results) : options.format === 'sarif' ? formatSarif(results) : formatText(results);
    out(formatted);
    return results.some((r) => r.diagnostics.some((d) => d.severity === 1)) ? 1 : 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    err(`b2c-policy: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}

/**
 * `b2c-policy check --env NAME`: checks the policies of a folder as one environment resolves them, and reports
 * every finding at the source position that produced it (the token, or the text a prefix went into).
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { toDiagnostic } from '../service/features/diagnostics';
import { DiagnosticCodes } from '../protocol';
import type { Finding } from '../service/findings';
import { environmentFindingsForFile } from '../service/environments';
import { PolicyLanguageService } from '../service/languageService';
import type { CompiledSchema } from '../service/schema';
import { LineIndex } from '../service/xml/lines';
import { resolveFolderEnvironment } from './build';

export interface EnvironmentCheckOptions {
  /** The policy root: the folder of appsettings.json. */
  root: string;
  environment: string;
  schema?: CompiledSchema;
  policyKeys?: string[];
  stripDevelopmentSettings?: boolean;
}

export interface EnvironmentFileResult {
  /** Relative to the root, `/` between folders. */
  relativePath: string;
  absolute: string;
  /** Findings in offsets of the source file's text (without byte-order mark). */
  findings: Finding[];
  /** Lines of the source text, to turn findings into ranges (features/diagnostics.ts toDiagnostic). */
  lines: LineIndex;
  /** The findings as LSP diagnostics at source positions. */
  diagnostics: Diagnostic[];
}

/** The source files of the environment that are policies (or have build problems), with their findings. */
export function checkEnvironmentFolder(options: EnvironmentCheckOptions): EnvironmentFileResult[] {
  const { resolved } = resolveFolderEnvironment(options.root, options.environment, options.stripDevelopmentSettings);
  const service = new PolicyLanguageService({ schema: options.schema, settings: { policyKeys: options.policyKeys ?? [] } });
  // The resolved files are checked where the build would write them, so chains resolve among them only.
  const uriOf = (relativePath: string) => pathToFileURL(path.join(options.root, ...resolved.outputFolder.split('/'), ...relativePath.split('/'))).href;
  for (const file of resolved.files) service.setDiskFile(uriOf(file.relativePath), file.text);
  const findingsByPath = new Map<string, Finding[]>();
  for (const file of resolved.files) findingsByPath.set(file.relativePath, service.findings(uriOf(file.relativePath)));
  const results: EnvironmentFileResult[] = [];
  for (const file of resolved.files) {
    const undefinedSettings: Finding[] = resolved.problems
      .filter((p) => p.file === file.relativePath && p.code === DiagnosticCodes.undefinedSetting)
      .map((p) => ({ code: p.code, severity: 'error', message: p.message, span: p.span, data: p.data }));
    if (!file.isPolicy && undefinedSettings.length === 0) continue;
    const findings = [...undefinedSettings, ...environmentFindingsForFile(file.relativePath, [], [{ resolved, findingsByPath }])];
    findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    const lines = new LineIndex(file.source.text);
    results.push({ relativePath: file.relativePath, absolute: path.join(options.root, ...file.relativePath.split('/')), findings, lines, diagnostics: findings.map((f) => toDiagnostic(lines, f)) });
  }
  return results;
}

import type { CodeAction, CompletionItem, Diagnostic, Hover, Position } from 'vscode-languageserver-types';
import type { InsertClaimsProviderParams, InsertClaimsProviderResult, OrError, PolicyFileOutlineItem, PolicySets, ScaffoldContext } from '../protocol';
import type { JourneyGraph } from '../graph/model';
import { Analysis, type AnalysisOptions, type ServiceSettings } from './analysis/analysis';
import type { Finding } from './findings';
import { applySafeFixes, getCodeActions } from './features/codeActions';
import { getCompletions } from './features/completion';
import { toDiagnostic } from './features/diagnostics';
import { getHover } from './features/hover';
import { insertClaimsProvider, ScaffoldError } from './features/scaffold';
import { getScaffoldContext } from './features/scaffoldContext';
import { buildJourneyGraph } from './features/journeyGraph';
import { getPolicyFileOutline, getPolicySets } from './features/policySets';
import type { CompiledSchema } from './schema';

export { DEFAULT_SETTINGS, type ServiceSettings } from './analysis/analysis';
export type LanguageServiceOptions = AnalysisOptions;

/**
 * The one door into the service (DESIGN.md section 2): the language server and the CLI call only this.
 * Document changes go in and the uris whose findings may have changed come out; every feature is a method
 * that takes a uri and an LSP position and returns LSP types. Beneath it, the analysis layer (index,
 * schema, settings, cached findings) that the features in `features/` read. Pure: no LSP connection and no
 * file system; the caller reads files and hands over their text.
 */
export class PolicyLanguageService {
  private readonly analysis: Analysis;

  constructor(options: LanguageServiceOptions = {}) {
    this.analysis = new Analysis(options);
  }

  // ---- input ------------------------------------------------------------------------------------------

  /** Sets a file's content as read from disk. Returns the uris whose findings may have changed. */
  setDiskFile(uri: string, text: string): string[] {
    return this.change(uri, () => this.analysis.index.setDiskFile(uri, text));
  }

  /** A file was deleted from disk (an open document of it stays). */
  deleteDiskFile(uri: string): string[] {
    return this.change(uri, () => this.analysis.index.deleteDiskFile(uri));
  }

  /** Opens an editor document or changes its text; it hides the disk content until closed. */
  openDocument(uri: string, text: string): string[] {
    return this.change(uri, () => this.analysis.index.setOpenDocument(uri, text));
  }

  /** Closes an editor document: the disk content (if any was given) is in effect again. */
  closeDocument(uri: string): string[] {
    return this.change(uri, () => this.analysis.index.closeOpenDocument(uri));
  }

  /** New settings (and a new schema when given; null: no schema checks). Every file's findings may change. */
  configure(settings: Partial<ServiceSettings>, schema?: CompiledSchema | null): void {
    this.analysis.configure(settings, schema);
  }

  /** Applies a change and returns the files affected before or after it. */
  private change(uri: string, apply: () => void): string[] {
    const before = this.analysis.index.get(uri) ? this.analysis.affectedBy(uri) : [];
    apply();
    const after = this.analysis.index.get(uri) ? this.analysis.affectedBy(uri) : [];
    return [...new Set([uri, ...before, ...after])];
  }

  // ---- workspace facts --------------------------------------------------------------------------------

  get schema(): CompiledSchema | undefined {
    return this.analysis.schema;
  }

  /** Whether the file at `uri` is a known policy file (root TrustFrameworkPolicy). */
  isPolicy(uri: string): boolean {
    return !!this.analysis.policy(uri);
  }

  isOpen(uri: string): boolean {
    return this.analysis.index.isOpen(uri);
  }

  /** Every policy file known to the service. */
  policyUris(): string[] {
    return this.analysis.index.policies().map((f) => f.uri);
  }

  /** The text the service holds for a file (the open document's, else the disk's). */
  text(uri: string): string | undefined {
    return this.analysis.index.get(uri)?.text;
  }

  // ---- diagnostics ------------------------------------------------------------------------------------

  /** Findings in offsets of the file's text (the CLI's fixer reads these). */
  findings(uri: string): Finding[] {
    return this.analysis.findings(uri);
  }

  /** Findings as LSP diagnostics with `source`, stable `code` and `data`. */
  diagnostics(uri: string): Diagnostic[] {
    const file = this.analysis.policy(uri);
    return file ? this.analysis.findings(uri).map((f) => toDiagnostic(file.lines, f)) : [];
  }

  /** The file's text with the safe fixes applied (tenant-name case, key prefix, id case), or undefined when none applies. */
  safeFixes(uri: string): { text: string; applied: number } | undefined {
    const file = this.analysis.policy(uri);
    if (!file) return undefined;
    const fixed = applySafeFixes(file.text, this.analysis.findings(uri));
    return fixed.applied ? fixed : undefined;
  }

  // ---- editing features -------------------------------------------------------------------------------

  completion(uri: string, position: Position): CompletionItem[] {
    return this.atPosition(uri, position, (offset, schema) => getCompletions(this.analysis, schema, uri, offset)) ?? [];
  }

  hover(uri: string, position: Position): Hover | null {
    return this.atPosition(uri, position, (offset, schema) => getHover(this.analysis, schema, uri, offset)) ?? null;
  }

  codeActions(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
    return getCodeActions(this.analysis, uri, diagnostics);
  }

  scaffoldContext(uri: string): ScaffoldContext {
    return getScaffoldContext(this.analysis, uri);
  }

  /** The edit that inserts a claims provider, or `{ error }` with a message for the user. */
  insertClaimsProvider(params: InsertClaimsProviderParams): OrError<InsertClaimsProviderResult> {
    try {
      return insertClaimsProvider(this.analysis, params.uri, params.provider, params.answers);
    } catch (e) {
      if (e instanceof ScaffoldError) return { error: e.message };
      throw e;
    }
  }

  /** Runs a position feature on a policy file's current text; undefined for other files or without a schema. */
  private atPosition<R>(uri: string, position: Position, feature: (offset: number, schema: CompiledSchema) => R): R | undefined {
    const file = this.analysis.policy(uri);
    const schema = this.analysis.schema;
    if (!file || !schema) return undefined;
    return feature(file.lines.offsetAt(position), schema);
  }

  // ---- journey view and policy sets ---------------------------------------------------------------------

  /**
   * The journey graph (graph/model.ts) of the journey at `position` in `uri` (the UserJourney or SubJourney
   * around it, else the relying party's DefaultUserJourney, else the file's first journey), or of the
   * journey named `journeyId`, in the file's chain; `{ error }` when there is none.
   */
  journeyGraph(uri: string, target: Position | { journeyId: string }): OrError<JourneyGraph> {
    return buildJourneyGraph(this.analysis, uri, 'journeyId' in target ? target : { position: target });
  }

  /** The policy sets view: per folder, each relying party's chain with error counts, missing bases and cycles. */
  policySets(): PolicySets {
    return getPolicySets(this.analysis);
  }

  /** The journeys, technical profiles and claim types a policy file defines (the policy sets view's leaves). */
  policyFileOutline(uri: string): PolicyFileOutlineItem[] {
    return getPolicyFileOutline(this.analysis, uri);
  }
}

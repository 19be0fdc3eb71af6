import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  Diagnostic,
  DocumentHighlight,
  DocumentLink,
  DocumentSymbol,
  Hover,
  Location,
  LocationLink,
  Position,
  Range,
  SymbolInformation,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { EnvironmentsRoot, InsertClaimsProviderParams, InsertClaimsProviderResult, OrError, PolicyFileOutlineItem, PolicySets, ScaffoldContext } from '../protocol';
import type { JourneyGraph } from '../graph/model';
import { Analysis, type AnalysisOptions, type ServiceSettings } from './analysis/analysis';
import { isAppSettingsUri } from './environments';
import type { Finding } from './findings';
import { applySafeFixes, getCodeActions } from './features/codeActions';
import { getCompletions } from './features/completion';
import { toDiagnostic } from './features/diagnostics';
import { getHover } from './features/hover';
import { insertClaimsProvider, ScaffoldError } from './features/scaffold';
import { getScaffoldContext } from './features/scaffoldContext';
import { getCodeLenses } from './features/codeLens';
import { getDefinition } from './features/definition';
import { getDocumentHighlights } from './features/documentHighlight';
import { getDocumentLinks } from './features/documentLinks';
import { getDocumentSymbols } from './features/documentSymbols';
import { getReferences } from './features/references';
import { prepareRename, rename } from './features/rename';
import { getWorkspaceSymbols } from './features/workspaceSymbols';
import { buildJourneyGraph } from './features/journeyGraph';
import { getPolicyFileOutline, getPolicySets } from './features/policySets';
import type { CompiledSchema } from './schema';

export { DEFAULT_SETTINGS, type ServiceSettings } from './analysis/analysis';
/** Applies the text edits the service returns to a text (what the CLI writes back after --fix and scaffolding). */
export { applyEdits } from './edits/textEdits';
export type LanguageServiceOptions = AnalysisOptions & {
  /** Called when the policy roots or their environments change (names, tenants: what the client shows). */
  onEnvironmentsChanged?: (roots: EnvironmentsRoot[]) => void;
};

/**
 * The one door into the service (DESIGN.md section 2): the language server and the CLI call only this.
 * Document changes go in and the uris whose findings may have changed come out; every feature is a method
 * that takes a uri and an LSP position and returns LSP types. Beneath it, the analysis layer (index,
 * schema, settings, cached findings) that the features in `features/` read. Pure: no LSP connection and no
 * file system; the caller reads files and hands over their text.
 */
export class PolicyLanguageService {
  private readonly analysis: Analysis;
  private readonly onEnvironmentsChanged: ((roots: EnvironmentsRoot[]) => void) | undefined;
  private environmentsShown = '[]';

  constructor(options: LanguageServiceOptions = {}) {
    this.analysis = new Analysis(options);
    this.onEnvironmentsChanged = options.onEnvironmentsChanged;
  }

  // ---- input ------------------------------------------------------------------------------------------

  /**
   * Sets a file's content as read from disk. Returns the uris whose findings may have changed. An
   * appsettings.json (any case) is an environments file; files in an environments output folder (built
   * copies) are not taken as sources.
   */
  setDiskFile(uri: string, text: string): string[] {
    if (isAppSettingsUri(uri)) return this.settingsChange(() => this.analysis.environments.setSettingsText(uri, text, 'disk'));
    if (this.analysis.environments.isOutput(uri)) return this.deleteDiskFile(uri);
    return this.change(uri, () => this.analysis.index.setDiskFile(uri, text));
  }

  /**
   * Sets many files' content as read from disk (indexing a workspace). Returns the uris whose findings may have
   * changed. Unlike one `setDiskFile` per file, the chains are resolved once for the whole batch, not once per
   * file (each new PolicyId invalidates the chain maps, so a file-at-a-time load of n files costs O(n^2)).
   */
  setDiskFiles(files: Array<{ uri: string; text: string }>): string[] {
    const affected = new Set<string>();
    for (const { uri } of files) if (this.analysis.index.get(uri)) for (const a of this.analysis.affectedBy(uri)) affected.add(a);
    for (const { uri, text } of files) this.analysis.index.setDiskFile(uri, text);
    for (const { uri } of files) {
      affected.add(uri);
      if (this.analysis.index.get(uri)) for (const a of this.analysis.affectedBy(uri)) affected.add(a);
    }
    return [...affected];
  }

  /** A file was deleted from disk (an open document of it stays). */
  deleteDiskFile(uri: string): string[] {
    if (isAppSettingsUri(uri)) return this.settingsChange(() => this.analysis.environments.setSettingsText(uri, undefined, 'disk'));
    return this.change(uri, () => this.analysis.index.deleteDiskFile(uri));
  }

  /** Opens an editor document or changes its text; it hides the disk content until closed. */
  openDocument(uri: string, text: string): string[] {
    if (isAppSettingsUri(uri)) return this.settingsChange(() => this.analysis.environments.setSettingsText(uri, text, 'open'));
    return this.change(uri, () => this.analysis.index.setOpenDocument(uri, text));
  }

  /** Closes an editor document: the disk content (if any was given) is in effect again. */
  closeDocument(uri: string): string[] {
    if (isAppSettingsUri(uri)) return this.settingsChange(() => this.analysis.environments.setSettingsText(uri, undefined, 'open'));
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
    this.analysis.environments.touch();
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
    return this.analysis.index.isOpen(uri) || this.analysis.environments.isOpenSettingsFile(uri);
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

  /**
   * Findings in offsets of the file's text (the CLI's fixer reads these). Below an appsettings.json, with those
   * of its environments (undefined settings, findings of the resolved copies at source positions).
   */
  findings(uri: string): Finding[] {
    return this.analysis.environments.withEnvironmentFindings(uri, this.analysis.findings(uri));
  }

  /** Findings as LSP diagnostics with `source`, stable `code` and `data` (an appsettings.json's own, too). */
  diagnostics(uri: string): Diagnostic[] {
    const settings = this.analysis.environments.settingsFindings(uri);
    if (settings) return settings.findings.map((f) => toDiagnostic(settings.lines, f));
    const file = this.analysis.policy(uri);
    return file ? this.findings(uri).map((f) => toDiagnostic(file.lines, f)) : [];
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

  /** What the insert command asks about; `journey`: the journey the provider goes into (its relying parties are pre-selected). */
  scaffoldContext(uri: string, journey?: string): ScaffoldContext {
    return getScaffoldContext(this.analysis, uri, journey);
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

  // ---- navigation features ----------------------------------------------------------------------------

  /** Go to definition: the definition(s) the id under the cursor resolves to in the file's chain, nearest first. */
  definition(uri: string, position: Position): LocationLink[] {
    return this.atOffset(uri, position, (offset) => getDefinition(this.analysis, uri, offset)) ?? [];
  }

  /** Every occurrence of the symbol under the cursor in every chain that contains it. */
  references(uri: string, position: Position, includeDeclaration: boolean): Location[] {
    return this.atOffset(uri, position, (offset) => getReferences(this.analysis, uri, offset, includeDeclaration)) ?? [];
  }

  /** The range and text of the id under the cursor; null where no id is; `{ error }` for an id that cannot be renamed. */
  prepareRename(uri: string, position: Position): OrError<{ range: Range; placeholder: string }> | null {
    return this.atOffset(uri, position, (offset) => prepareRename(this.analysis, uri, offset)) ?? null;
  }

  /** The edit that renames the symbol under the cursor everywhere, or `{ error }` with a message for the user. */
  rename(uri: string, position: Position, newName: string): OrError<WorkspaceEdit> {
    return this.atOffset(uri, position, (offset) => rename(this.analysis, uri, offset, newName)) ?? { error: 'Not a policy file.' };
  }

  documentHighlights(uri: string, position: Position): DocumentHighlight[] {
    return this.atOffset(uri, position, (offset) => getDocumentHighlights(this.analysis, uri, offset)) ?? [];
  }

  documentSymbols(uri: string): DocumentSymbol[] {
    return getDocumentSymbols(this.analysis, uri);
  }

  workspaceSymbols(query: string): SymbolInformation[] {
    return getWorkspaceSymbols(this.analysis, query);
  }

  documentLinks(uri: string): DocumentLink[] {
    return getDocumentLinks(this.analysis, uri);
  }

  codeLenses(uri: string): CodeLens[] {
    return getCodeLenses(this.analysis, uri);
  }

  /** Runs a position feature that needs no schema on a policy file's current text. */
  private atOffset<R>(uri: string, position: Position, feature: (offset: number) => R): R | undefined {
    const file = this.analysis.policy(uri);
    return file ? feature(file.lines.offsetAt(position)) : undefined;
  }

  /** Runs a position feature on a policy file's current text; undefined for other files or without a schema. */
  private atPosition<R>(uri: string, position: Position, feature: (offset: number, schema: CompiledSchema) => R): R | undefined {
    const file = this.analysis.policy(uri);
    const schema = this.analysis.schema;
    if (!file || !schema) return undefined;
    return feature(file.lines.offsetAt(position), schema);
  }

  // ---- environments -----------------------------------------------------------------------------------

  /** The appsettings.json files the service holds (their diagnostics are published like a policy's). */
  settingsFileUris(): string[] {
    return this.analysis.environments.settingsFileUris();
  }

  /** The policy roots (folders of an environments appsettings.json) and their environments. */
  environmentRoots(): EnvironmentsRoot[] {
    return this.analysis.environments.roots();
  }

  /** Applies a change of an appsettings.json; tells onEnvironmentsChanged when what the client shows changed. */
  private settingsChange(apply: () => string[]): string[] {
    const affected = apply();
    const roots = this.analysis.environments.roots();
    const shown = JSON.stringify(roots);
    if (shown !== this.environmentsShown) {
      this.environmentsShown = shown;
      try {
        this.onEnvironmentsChanged?.(roots);
      } catch (e) {
        this.analysis.log(`onEnvironmentsChanged failed: ${(e as Error).stack ?? e}`);
      }
    }
    return affected;
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

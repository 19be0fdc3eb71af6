/**
 * Quick fixes for the journey checks (rules/journeyStructure.ts, rules/claimsFlow.ts), read from each
 * finding's code and data. Each is offered only where it is safe: steps are renumbered only when every step of
 * the effective journey is declared in the file being edited (steps merge by Order across files, so a
 * renumbering that spans files would change the merge).
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticCodes } from '../../protocol';
import type { Analysis } from '../analysis/analysis';
import { escapeAttribute, FileEdits, styleOf } from '../edits/textEdits';
import { insertChildElement, removeElement, wrapElement } from '../edits/xmlEdits';
import type { JourneyKind, JourneyModel } from '../journeys/model';
import type { PolicyFile } from '../policy/model';
import { judgeDataUri } from '../catalogs/pageContracts';
import { firstChild, getAttribute } from '../xml/query';

export function journeyFixes(analysis: Analysis, file: PolicyFile, diagnostic: Diagnostic): CodeAction[] {
  const data = (diagnostic.data ?? {}) as Record<string, unknown>;
  const journey = journeyOf(analysis, file, data);
  switch (diagnostic.code) {
    case DiagnosticCodes.stepOrderGap:
      return journey ? renumber(file, journey, diagnostic) : [];
    case DiagnosticCodes.journeyWithoutSendClaims:
      return journey ? addSendClaims(analysis, file, journey, diagnostic) : [];
    case DiagnosticCodes.exchangesWithoutSelection:
      return journey && typeof data.order === 'number' ? addSelection(analysis, file, journey, data.order, diagnostic) : [];
    case DiagnosticCodes.outputClaimNotProduced:
      return relyingPartyOutputFixes(file, diagnostic);
    default:
      return [];
  }
}

function journeyOf(analysis: Analysis, file: PolicyFile, data: Record<string, unknown>): JourneyModel | undefined {
  const kind = data.journeyKind === 'subJourney' ? 'subJourney' : 'userJourney';
  return typeof data.journeyId === 'string' ? analysis.chainModel(file).journey(kind as JourneyKind, data.journeyId) : undefined;
}

function action(title: string, edits: FileEdits, diagnostic: Diagnostic, preferred = false): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred || undefined, edit: { changes: { [edits.file.uri]: edits.toTextEdits() } } };
}

/** Whether every step of the effective journey is declared in `file` (so Orders can change safely). */
function ownsAllSteps(file: PolicyFile, journey: JourneyModel): boolean {
  return journey.steps.every((s) => s.uri === file.uri && s.orderSpan);
}

/** "Renumber steps 1..n": one edit of every Order attribute of the journey. */
function renumber(file: PolicyFile, journey: JourneyModel, diagnostic: Diagnostic): CodeAction[] {
  if (!ownsAllSteps(file, journey)) return [];
  const edits = new FileEdits(file);
  journey.steps.forEach((step, i) => edits.replace(step.orderSpan!.start, step.orderSpan!.end, String(i + 1)));
  return edits.isEmpty ? [] : [action(`Renumber the steps of ${journey.id} 1..${journey.steps.length}`, edits, diagnostic, true)];
}

/** The token issuer the chain's other journeys use (most often), else a JWT issuer profile of the chain. */
function issuerOf(analysis: Analysis, file: PolicyFile): string | undefined {
  const model = analysis.chainModel(file);
  const counts = new Map<string, number>();
  for (const journey of model.journeys()) for (const step of journey.steps) if (step.type === 'SendClaims' && step.issuer) counts.set(step.issuer.id, (counts.get(step.issuer.id) ?? 0) + 1);
  const used = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  if (used) return used;
  return model.effective.definitionsOf('technicalProfile').find((d) => model.profiles.profile(d.id)?.type?.id === 'jwt-issuer')?.id;
}

/** "Add a SendClaims step": a last step in this file's declaration of the journey, with the chain's issuer. */
function addSendClaims(analysis: Analysis, file: PolicyFile, journey: JourneyModel, diagnostic: Diagnostic): CodeAction[] {
  const declaration = journey.declarations.find((d) => d.uri === file.uri);
  if (!declaration) return [];
  const order = Math.max(0, ...journey.steps.map((s) => s.order)) + 1;
  const issuer = issuerOf(analysis, file);
  const step = `<OrchestrationStep Order="${order}" Type="SendClaims"${issuer ? ` CpimIssuerTechnicalProfileReferenceId="${escapeAttribute(issuer)}"` : ''} />`;
  const edits = new FileEdits(file);
  const style = styleOf(file);
  const steps = firstChild(declaration.element, 'OrchestrationSteps');
  if (steps) insertChildElement(edits, style, steps, 'OrchestrationStep', (indent) => indent + step);
  else insertChildElement(edits, style, declaration.element, 'OrchestrationSteps', wrapElement('OrchestrationSteps', (indent) => indent + step, style), { schema: analysis.schema });
  return [action(`Add a SendClaims step (Order ${order}${issuer ? `, issuer ${issuer}` : ''})`, edits, diagnostic, true)];
}

/**
 * "Add a ClaimsProviderSelection step before step N": a selection step whose buttons target the exchanges of
 * step N, inserted at N; step N and the following steps move one Order up. Only when every step is in this file.
 */
function addSelection(analysis: Analysis, file: PolicyFile, journey: JourneyModel, order: number, diagnostic: Diagnostic): CodeAction[] {
  if (!ownsAllSteps(file, journey)) return [];
  const index = journey.steps.findIndex((s) => s.order === order);
  const target = journey.steps[index];
  if (!target) return [];
  const edits = new FileEdits(file);
  const style = styleOf(file);
  journey.steps.slice(index).forEach((s, i) => edits.replace(s.orderSpan!.start, s.orderSpan!.end, String(index + i + 2)));
  const contentDefinition = selectionContentDefinition(analysis, file);
  const inner = (indent: string) =>
    [
      `${indent}<OrchestrationStep Order="${index + 1}" Type="ClaimsProviderSelection"${contentDefinition ? ` ContentDefinitionReferenceId="${escapeAttribute(contentDefinition)}"` : ''}>`,
      `${indent}${style.unit}<ClaimsProviderSelections>`,
      ...target.exchanges.map((e) => `${indent}${style.unit}${style.unit}<ClaimsProviderSelection TargetClaimsExchangeId="${escapeAttribute(e.id)}" />`),
      `${indent}${style.unit}</ClaimsProviderSelections>`,
      `${indent}</OrchestrationStep>`,
    ].join(style.eol);
  const steps = target.element.parent;
  if (!steps) return [];
  const previous = journey.steps[index - 1];
  insertChildElement(edits, style, steps, 'OrchestrationStep', inner, { after: previous ? previous.element : null });
  return [action(`Add a ClaimsProviderSelection step before step ${order} (its buttons: ${target.exchanges.map((e) => e.id).join(', ')})`, edits, diagnostic, true)];
}

/** A content definition of the chain for the provider-selection page (DataUri providerselection / idpselection). */
function selectionContentDefinition(analysis: Analysis, file: PolicyFile): string | undefined {
  for (const d of analysis.effective(file).definitionsOf('contentDefinition')) {
    const dataUri = firstChild(d.element, 'DataUri');
    const text = dataUri ? dataUri.children.map((c) => (c.type === 'text' ? c.value : '')).join('').trim() : '';
    const verdict = judgeDataUri(text);
    if (verdict.kind === 'known' && verdict.page.page === 'providerselection') return d.id;
  }
  return undefined;
}

/** A relying-party output claim no step produces: give it a DefaultValue, or remove it. */
function relyingPartyOutputFixes(file: PolicyFile, diagnostic: Diagnostic): CodeAction[] {
  const offset = file.lines.offsetAt(diagnostic.range.start);
  const output = findOutputClaimAt(file, offset);
  if (!output) return [];
  const remove = new FileEdits(file);
  removeElement(remove, output);
  const withDefault = new FileEdits(file);
  const id = getAttribute(output, 'ClaimTypeReferenceId')!;
  withDefault.insert(id.valueSpan ? id.valueSpan.end + 1 : id.nameSpan.end, ' DefaultValue=""');
  return [action('Remove this output claim from the relying party', remove, diagnostic), action('Add an empty DefaultValue to this output claim (then type the value)', withDefault, diagnostic)];
}

function findOutputClaimAt(file: PolicyFile, offset: number) {
  const root = file.xml.root;
  const relyingParty = root ? firstChild(root, 'RelyingParty') : undefined;
  const profile = relyingParty ? firstChild(relyingParty, 'TechnicalProfile') : undefined;
  const list = profile ? firstChild(profile, 'OutputClaims') : undefined;
  if (!list) return undefined;
  for (const child of list.children) {
    if (child.type !== 'element' || child.localName !== 'OutputClaim') continue;
    const id = getAttribute(child, 'ClaimTypeReferenceId');
    if (id?.valueSpan && offset >= id.valueSpan.start && offset <= id.valueSpan.end) return child;
  }
  return undefined;
}

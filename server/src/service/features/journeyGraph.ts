/**
 * The journey picture's data (issue 13): one effective journey of a file's chain as a documented JSON graph
 * (graph/model.ts, docs/journey-graph.md). Steps in Order with the file each comes from and the base step an
 * override replaced; the exchanges of each step with their technical profiles (protocol, handler, type) and
 * validation profiles; the issuer of SendClaims; invoked sub-journeys with their own steps; sequence edges
 * labelled with the next step's preconditions; claims-provider selections as edges to the exchanges of the
 * next step; the claims each node adds and reads (journeys/claimsFlow.ts); and each node's findings (the
 * findings of its file that fall inside its element, given to the innermost node).
 */
import type { Position } from 'vscode-languageserver-types';
import { JOURNEY_GRAPH_VERSION, MAX_GRAPH_NODES, type GraphEdge, type GraphFinding, type GraphLocation, type GraphNode, type GraphProfile, type JourneyGraph } from '../../graph/model';
import type { Analysis } from '../analysis/analysis';
import { journeyFlow, type JourneyFlow } from '../journeys/claimsFlow';
import type { ChainModel, JourneyKind, JourneyModel, StepModel } from '../journeys/model';
import type { PolicyFile } from '../policy/model';
import { baseName } from '../policy/workspace';
import type { TechnicalProfileModel } from '../policy/technicalProfiles';
import type { Span, XmlElement } from '../xml/nodes';
import { attributeValue, childElements, firstChild, getAttribute, nodeAt } from '../xml/query';

/** Which journey to draw: the one at a position of the file (or its relying party's), or one named. */
export type JourneyTarget = { position: Position } | { journeyId: string };

/** The graph of the journey, or a message for the user when there is none to draw. */
export function buildJourneyGraph(analysis: Analysis, uri: string, target: JourneyTarget): JourneyGraph | { error: string } {
  const file = analysis.policy(uri);
  if (!file) return { error: 'Not a policy file (its root element is not TrustFrameworkPolicy).' };
  const model = analysis.chainModel(file);
  const journey = 'journeyId' in target ? namedJourney(model, target.journeyId) : journeyAt(model, file, file.lines.offsetAt(target.position));
  if (!journey) {
    const known = model
      .journeys()
      .map((j) => j.id)
      .sort();
    const asked = 'journeyId' in target ? `No user journey or sub-journey '${target.journeyId}' in the chain of ${baseName(uri)}` : `No journey at the cursor in ${baseName(uri)} (place it in a UserJourney, a SubJourney or a RelyingParty)`;
    return { error: `${asked}; the chain has ${known.length ? known.join(', ') : 'no journeys'}.` };
  }
  return new GraphBuilder(analysis, model).build(journey);
}

/** A journey of the chain by id: a user journey first, else a sub-journey. */
function namedJourney(model: ChainModel, id: string): JourneyModel | undefined {
  return model.journey('userJourney', id) ?? model.journey('subJourney', id);
}

/**
 * The journey under the cursor: the UserJourney or SubJourney element around it, else the relying party's
 * DefaultUserJourney, else the first journey the file declares.
 */
function journeyAt(model: ChainModel, file: PolicyFile, offset: number): JourneyModel | undefined {
  const node = nodeAt(file.xml, offset);
  for (let e: XmlElement | undefined = node?.type === 'element' ? node : node?.parent; e; e = e.parent) {
    const kind: JourneyKind | undefined = e.localName === 'UserJourney' && e.parent?.localName === 'UserJourneys' ? 'userJourney' : e.localName === 'SubJourney' && e.parent?.localName === 'SubJourneys' ? 'subJourney' : undefined;
    const id = kind ? attributeValue(e, 'Id') : undefined;
    if (kind && id) return model.journey(kind, id);
  }
  const defaultJourney = relyingPartyOf(file)?.defaultUserJourney;
  if (defaultJourney) return model.journey('userJourney', defaultJourney);
  const first = file.journeys[0];
  return first ? model.journey(first.kind, first.id) : undefined;
}

function relyingPartyOf(file: PolicyFile): { element: XmlElement; defaultUserJourney: string | undefined } | undefined {
  const element = file.xml.root ? firstChild(file.xml.root, 'RelyingParty') : undefined;
  if (!element) return undefined;
  const journey = firstChild(element, 'DefaultUserJourney');
  return { element, defaultUserJourney: journey ? attributeValue(journey, 'ReferenceId') : undefined };
}

/** A part of a file that belongs to a node: findings inside it go to the innermost such part. */
interface Region {
  node: GraphNode;
  start: number;
  end: number;
}

class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];
  private readonly regions = new Map<string, Region[]>();
  private readonly claimNames = new Map<string, string>();

  constructor(
    private readonly analysis: Analysis,
    private readonly model: ChainModel,
  ) {
    for (const d of model.effective.definitionsOf('claimType')) this.claimNames.set(d.id.toLowerCase(), d.id);
  }

  build(journey: JourneyModel): JourneyGraph {
    const files = this.model.effective.files;
    const declaration = journey.declarations[0];
    const root: GraphNode = this.add({
      id: 'journey',
      kind: 'journey',
      label: journey.id,
      location: declaration ? this.location(declaration.uri, declaration.idSpan) : undefined,
      journey: { id: journey.id, kind: journey.kind },
    });
    for (const d of journey.declarations) this.region(root, d.uri, d.element);
    const flow = journeyFlow(this.model, journey);
    this.steps(journey, flow, undefined, root.id, new Set([journey.id.toLowerCase()]));
    this.attributeFindings();
    const relyingParty = relyingPartyOf(files[0]);
    return {
      version: JOURNEY_GRAPH_VERSION,
      journey: { id: journey.id, kind: journey.kind, location: root.location },
      chain: files.map((f) => ({ uri: f.uri, policyId: f.policyId })),
      complete: this.model.effective.complete,
      relyingParty: relyingParty ? { uri: files[0].uri, policyId: files[0].policyId, defaultUserJourney: relyingParty.defaultUserJourney } : undefined,
      nodes: this.nodes,
      edges: this.edges,
      claims: this.claimIndex(),
    };
  }

  /**
   * The steps of a journey (or of a sub-journey inside `parent`), chained by sequence edges from `first`
   * (the journey node; none inside a sub-journey, whose node contains its steps).
   */
  private steps(journey: JourneyModel, flow: JourneyFlow, parent: GraphNode | undefined, first: string | undefined, active: Set<string>): void {
    const prefix = parent ? `${parent.id}/` : '';
    let previous = first;
    let previousStep: StepModel | undefined;
    const stepNodes: GraphNode[] = [];
    for (const step of journey.steps) {
      const stepFlow = flow.steps.get(step);
      const added = stepFlow ? [...stepFlow.added].filter((c) => !stepFlow.before.has(c)) : [];
      const preconditions = step.preconditions.map((p) => p.label);
      const node = this.add({
        id: `${prefix}step:${step.order}`,
        kind: 'step',
        parent: parent?.id,
        label: `${step.order} ${step.type ?? '(no type)'}`,
        location: this.location(step.uri, step.orderSpan ?? step.element.nameSpan),
        claims: { added: this.names(added), used: this.names(step.preconditions.filter((p) => p.type === 'ClaimsExist' || p.type === 'ClaimEquals').map((p) => p.values[0]).filter(Boolean)) },
        step: {
          order: step.order,
          type: step.type,
          uri: step.uri,
          replaced: step.replaced ? { location: this.location(step.replaced.uri, orderSpanOf(step.replaced.element)), type: step.replaced.type } : undefined,
          preconditions,
          contentDefinition: step.contentDefinition,
        },
      });
      this.region(node, step.uri, step.element);
      if (previous) this.edge('sequence', previous, node.id, preconditions.join('; ') || undefined);
      this.exchanges(step, node, previousStep, stepNodes[stepNodes.length - 1]);
      if (step.issuer) {
        const issuer = this.profileNode(`${node.id}/issuer`, 'issuer', node, step.issuer.id);
        issuer.claims.used.push(...this.names(this.relyingPartyOutputs()).filter((c) => !issuer.claims.used.includes(c)));
      }
      for (const call of step.subJourneys) this.subJourney(node, call.id, call.span, step, flow, active);
      previous = node.id;
      previousStep = step;
      stepNodes.push(node);
    }
  }

  private exchanges(step: StepModel, stepNode: GraphNode, previousStep: StepModel | undefined, previousNode: GraphNode | undefined): void {
    const targets = new Map<string, 'button' | 'validation'>();
    for (const s of previousStep?.selections ?? []) if (s.target) targets.set(s.target.id.toLowerCase(), 'button');
    for (const s of step.selections) if (s.validation) targets.set(s.validation.id.toLowerCase(), 'validation');
    for (const exchange of step.exchanges) {
      const id = `${stepNode.id}/exchange:${exchange.id}`;
      const node = this.profileNode(id, 'exchange', stepNode, exchange.profileId ?? '', exchange.id);
      node.exchange = { id: exchange.id, location: this.location(stepNode.step!.uri, exchange.span), selectedBy: targets.get(exchange.id.toLowerCase()) };
      if (!node.location) node.location = node.exchange.location;
      this.region(node, stepNode.step!.uri, exchange.element);
      if (previousNode && targets.get(exchange.id.toLowerCase()) === 'button') this.edge('selection', previousNode.id, node.id, node.profile?.displayName ?? exchange.id);
      const profile = exchange.profileId ? this.model.profiles.profile(exchange.profileId) : undefined;
      for (const validation of profile?.validationProfiles ?? []) {
        const v = this.profileNode(`${id}/validation:${validation}`, 'validation', stepNode, validation);
        this.edge('validation', node.id, v.id);
      }
    }
  }

  private subJourney(stepNode: GraphNode, id: string, span: Span, step: StepModel, flow: JourneyFlow, active: Set<string>): void {
    const sub = this.model.journey('subJourney', id);
    const cycle = !!sub && active.has(sub.id.toLowerCase());
    const declaration = sub?.declarations[0];
    const node = this.add({
      id: `${stepNode.id}/subJourney:${id}`,
      kind: 'subJourney',
      parent: stepNode.id,
      label: sub?.id ?? id,
      location: declaration ? this.location(declaration.uri, declaration.idSpan) : this.location(step.uri, span),
      subJourney: { id: sub?.id ?? id, type: sub?.subJourneyType, found: !!sub, cycle: cycle || undefined },
    });
    if (!sub || cycle) return;
    if (this.nodes.length >= MAX_GRAPH_NODES) {
      node.subJourney!.omitted = true;
      return;
    }
    for (const d of sub.declarations) this.region(node, d.uri, d.element);
    const produced = new Set<string>();
    for (const s of sub.steps) for (const c of flow.steps.get(s)?.added ?? []) produced.add(c);
    node.claims.added = this.names([...produced]);
    active.add(sub.id.toLowerCase());
    this.steps(sub, flow, node, undefined, active);
    active.delete(sub.id.toLowerCase());
  }

  /** A node for a technical profile (an exchange's, a validation profile, an issuer). */
  private profileNode(id: string, kind: 'exchange' | 'validation' | 'issuer', parent: GraphNode, profileId: string, label = profileId): GraphNode {
    const profile = profileId ? this.model.profiles.profile(profileId) : undefined;
    const root = profile?.declarations[profile.declarations.length - 1];
    const node = this.add({
      id,
      kind,
      parent: parent.id,
      label,
      location: root ? this.location(root.file.uri, idSpanOf(root.element)) : undefined,
      profile: this.profileInfo(profileId, profile),
    });
    if (profile) {
      for (const d of profile.declarations) this.region(node, d.file.uri, d.element);
      node.claims = { added: this.names([...this.ownProducts(profile)]), used: this.names(profileInputs(profile)) };
    }
    return node;
  }

  private profileInfo(id: string, profile: TechnicalProfileModel | undefined): GraphProfile {
    if (!profile) return { id, found: false, declarations: [] };
    const handler = profile.protocol?.handler;
    return {
      id: profile.id,
      found: true,
      displayName: profile.displayName,
      protocol: profile.protocol?.name,
      handler: handler ? handler.split(',')[0].trim().split('.').pop() : undefined,
      type: profile.type?.id,
      declarations: profile.declarations.map((d) => this.location(d.file.uri, idSpanOf(d.element))),
    };
  }

  /** What a profile itself writes, without what only its validation profiles write (they are nodes of their own). */
  private ownProducts(profile: TechnicalProfileModel): Set<string> {
    const own = new Set<string>();
    const add = (c: string) => own.add(c.toLowerCase());
    for (const c of [...profile.outputClaims, ...profile.displayClaims]) add(c.claim);
    for (const t of [...profile.inputTransformations, ...profile.outputTransformations]) t.outputs.forEach(add);
    const byValidation = new Set<string>();
    for (const v of profile.validationProfiles) for (const c of this.model.profiles.produced(v)) byValidation.add(c);
    for (const c of this.model.profiles.produced(profile.id)) if (!byValidation.has(c)) own.add(c);
    return own;
  }

  /** The relying party's output claims (what the token carries), read by the SendClaims issuer. */
  private relyingPartyOutputs(): string[] {
    const rp = relyingPartyOf(this.model.file);
    const out: string[] = [];
    for (const profile of rp ? childElements(rp.element, 'TechnicalProfile') : []) {
      for (const list of childElements(profile, 'OutputClaims')) {
        for (const e of childElements(list, 'OutputClaim')) {
          const id = attributeValue(e, 'ClaimTypeReferenceId');
          if (id) out.push(id);
        }
      }
    }
    return out;
  }

  private add(node: Omit<GraphNode, 'findings' | 'claims'> & Partial<Pick<GraphNode, 'claims'>>): GraphNode {
    const full: GraphNode = { ...node, findings: [], claims: node.claims ?? { added: [], used: [] } };
    this.nodes.push(full);
    return full;
  }

  private edge(kind: GraphEdge['kind'], from: string, to: string, label?: string): void {
    this.edges.push({ id: `${kind}:${from}->${to}`, kind, from, to, label });
  }

  private region(node: GraphNode, uri: string, element: XmlElement): void {
    const list = this.regions.get(uri) ?? [];
    list.push({ node, start: element.start, end: element.end });
    this.regions.set(uri, list);
  }

  /** Each finding of a file goes to the innermost node regions that contain it (all of them on a tie). */
  private attributeFindings(): void {
    for (const [uri, regions] of this.regions) {
      const file = this.analysis.policy(uri);
      if (!file) continue;
      for (const finding of this.analysis.findings(uri)) {
        let best: Region[] = [];
        for (const r of regions) {
          if (finding.span.start < r.start || finding.span.end > r.end) continue;
          const size = r.end - r.start;
          const bestSize = best.length ? best[0].end - best[0].start : Infinity;
          if (size < bestSize) best = [r];
          else if (size === bestSize) best.push(r);
        }
        const entry: GraphFinding = { severity: finding.severity, code: finding.code, message: finding.message, location: { uri, range: file.lines.rangeOf(finding.span) } };
        for (const r of new Set(best.map((b) => b.node))) if (!r.findings.some((f) => sameFinding(f, entry))) r.findings.push(entry);
      }
    }
  }

  private claimIndex(): JourneyGraph['claims'] {
    const index = new Map<string, { id: string; producedBy: string[]; usedBy: string[] }>();
    const entry = (id: string) => {
      let e = index.get(id.toLowerCase());
      if (!e) index.set(id.toLowerCase(), (e = { id, producedBy: [], usedBy: [] }));
      return e;
    };
    for (const node of this.nodes) {
      for (const c of node.claims.added) entry(c).producedBy.push(node.id);
      for (const c of node.claims.used) entry(c).usedBy.push(node.id);
    }
    return [...index.values()].sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : a.id.toLowerCase() > b.id.toLowerCase() ? 1 : 0));
  }

  /** Claim ids as the chain declares them (lower-case ids in, declared spelling out), sorted, without repeats. */
  private names(ids: Iterable<string>): string[] {
    const out = new Map<string, string>();
    for (const id of ids) out.set(id.toLowerCase(), this.claimNames.get(id.toLowerCase()) ?? id);
    return [...out.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  }

  private location(uri: string, span: Span): GraphLocation {
    const file = this.analysis.policy(uri);
    const range = file ? file.lines.rangeOf(span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { uri, range };
  }
}

function profileInputs(profile: TechnicalProfileModel): string[] {
  const produced = new Set<string>();
  for (const t of profile.inputTransformations) for (const c of t.outputs) produced.add(c.toLowerCase());
  const out = profile.inputClaims.map((c) => c.claim);
  for (const t of profile.inputTransformations) for (const c of t.inputs) if (!produced.has(c.toLowerCase())) out.push(c);
  return out;
}

function idSpanOf(element: XmlElement): Span {
  const id = getAttribute(element, 'Id');
  return id?.valueSpan ?? element.nameSpan;
}

function orderSpanOf(element: XmlElement): Span {
  const order = getAttribute(element, 'Order');
  return order?.valueSpan ?? element.nameSpan;
}

function sameFinding(a: GraphFinding, b: GraphFinding): boolean {
  return a.code === b.code && a.message === b.message && a.location.uri === b.location.uri && JSON.stringify(a.location.range) === JSON.stringify(b.location.range);
}

/**
 * Lays a journey graph out with ELK's layered algorithm (elkjs, chosen on measurements against dagre: see
 * the README's journey view section and the benchmark). Steps are frames that contain their exchanges (one
 * below the other, validation profiles to their right), issuer and sub-journeys; the journey reads top to
 * bottom. Each frame is laid out on its own (ELK's default hierarchy handling): laying the whole hierarchy out
 * at once (INCLUDE_CHILDREN) stretched every frame over the layers of its neighbours (step 2 of
 * SocialAndLocalAccounts 422 px high instead of 250). Selection edges, which cross from a step into the
 * next step's frame, are routed here after the layout. Runs wherever the picture is drawn: in the webview
 * script and in the CLI (no DOM, no Node APIs).
 */
import type ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import { cardOf, textWidth, LINE_HEIGHT, PADDING_Y, type Card } from './cards';
import type { GraphEdge, GraphNode, JourneyGraph } from './model';

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  node: GraphNode;
  card: Card;
  /** Absolute position of the top left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Whether the node contains other visible nodes (drawn as a frame with its card as the header). */
  compound: boolean;
}

export interface PlacedEdge {
  edge: GraphEdge;
  points: Point[];
  label?: { text: string; x: number; y: number; width: number; height: number };
}

export interface PlacedGraph {
  graph: JourneyGraph;
  width: number;
  height: number;
  /** Containers before what they contain (the drawing order). */
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export interface LayoutOptions {
  /** Sub-journey node ids whose steps are shown, or 'all'. Default: none (sub-journeys collapsed). */
  expanded?: ReadonlySet<string> | 'all';
}

export const MARGIN = 12;
/**
 * More boxes than this are not laid out (a clear message instead of a long wait). Measured: 2,701 boxes (300
 * steps of 5 exchanges) take about 2 s; the largest starter-pack journey has 47.
 */
export const MAX_DRAWN_NODES = 5000;
const LABEL_HEIGHT = LINE_HEIGHT;
/** Keep the document order (steps, exchanges) where the layout has a choice. */
const ORDER = { 'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES', 'elk.layered.considerModelOrder.components': 'MODEL_ORDER' };

/** A layout engine to reuse across calls (ELK keeps its compiled code warm). */
export type LayoutEngine = InstanceType<typeof ELK>;

/**
 * ELK is loaded on first use: the webview's bundle holds it, and the CLI (whose bundle leaves it in
 * dist/lazy/elkjs.js) loads its 1.5 MB only for `b2c-policy graph`, not for every `check`.
 */
export function createLayoutEngine(): LayoutEngine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load (see above)
  const Elk = require('elkjs/lib/elk.bundled.js') as typeof ELK;
  return new Elk();
}

/** The nodes that are drawn: every node whose ancestors are not collapsed sub-journeys. */
export function visibleNodes(graph: JourneyGraph, expanded: LayoutOptions['expanded']): GraphNode[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const isOpen = (n: GraphNode) => n.kind !== 'subJourney' || expanded === 'all' || !!expanded?.has(n.id);
  return graph.nodes.filter((n) => {
    for (let p = n.parent ? byId.get(n.parent) : undefined; p; p = p.parent ? byId.get(p.parent) : undefined) if (!isOpen(p)) return false;
    return true;
  });
}

/** Positions for every visible node and a route for every edge between visible nodes. */
export async function layoutJourneyGraph(graph: JourneyGraph, options: LayoutOptions = {}, engine: LayoutEngine = createLayoutEngine()): Promise<PlacedGraph> {
  const nodes = visibleNodes(graph, options.expanded);
  if (nodes.length > MAX_DRAWN_NODES) throw new Error(`the journey has ${nodes.length} boxes to draw, more than ${MAX_DRAWN_NODES}: collapse sub-journeys, or use 'b2c-policy graph --format json'`);
  const visible = new Set(nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => visible.has(e.from) && visible.has(e.to));
  const incoming = new Set(edges.filter((e) => e.kind === 'sequence').map((e) => e.to));
  const children = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    const key = n.parent ?? '';
    children.set(key, [...(children.get(key) ?? []), n]);
  }
  const cards = new Map<string, Card>();
  for (const n of nodes) {
    const expanded = options.expanded === 'all' || !!options.expanded?.has(n.id);
    cards.set(n.id, cardOf(n, graph, { hasIncomingSequence: incoming.has(n.id), expanded }));
  }
  const toElk = (n: GraphNode): ElkNode => {
    const card = cards.get(n.id)!;
    const kids = children.get(n.id) ?? [];
    if (!kids.length) return { id: n.id, width: card.width, height: card.height };
    return {
      id: n.id,
      children: kids.map(toElk),
      layoutOptions: {
        ...ORDER,
        // A step's exchanges one below the other, each with its validation profiles to its right; a
        // sub-journey's steps top to bottom like the journey's.
        'elk.direction': n.kind === 'subJourney' ? 'DOWN' : 'RIGHT',
        'elk.spacing.nodeNode': '12',
        'elk.layered.spacing.nodeNodeBetweenLayers': n.kind === 'subJourney' ? '28' : '20',
        'elk.padding': `[top=${card.height + 10},left=10,bottom=10,right=10]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${card.width},${card.height})`,
      },
    };
  };
  // Selection edges cross from a step into the next step's frame: routed below, after the layout.
  const elkEdges: ElkExtendedEdge[] = edges.filter((e) => e.kind !== 'selection').map((e) => ({
    id: e.id,
    sources: [e.from],
    targets: [e.to],
    labels: e.label ? [{ text: e.label, width: textWidth(e.label) + 8, height: LABEL_HEIGHT }] : [],
  }));
  const root: ElkNode = {
    id: '(root)',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      // Precondition labels to the right of the sequence edges (selection edges run on the left).
      'elk.layered.edgeLabels.sideSelection': 'ALWAYS_UP',
      ...ORDER,
      'elk.layered.spacing.nodeNodeBetweenLayers': '28',
      'elk.spacing.nodeNode': '18',
      'elk.spacing.edgeLabel': '4',
      'elk.padding': `[top=${MARGIN},left=${MARGIN},bottom=${MARGIN},right=${MARGIN}]`,
      // Coordinates of every shape and edge relative to the root: no offsets to add up.
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
    },
    children: (children.get('') ?? []).map(toElk),
    edges: elkEdges,
  };
  const laid = await engine.layout(root);
  const placed: PlacedNode[] = [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const visit = (e: ElkNode) => {
    const node = byId.get(e.id);
    if (node) placed.push({ node, card: cards.get(e.id)!, x: e.x ?? 0, y: e.y ?? 0, width: e.width ?? 0, height: e.height ?? 0, compound: !!e.children?.length });
    for (const c of e.children ?? []) visit(c);
  };
  for (const c of laid.children ?? []) visit(c);
  const edgeById = new Map(edges.map((e) => [e.id, e]));
  const placedEdges: PlacedEdge[] = [];
  for (const e of (laid.edges ?? []) as ElkExtendedEdge[]) {
    const edge = edgeById.get(e.id);
    if (!edge) continue;
    const points: Point[] = [];
    for (const s of e.sections ?? []) points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
    const l = e.labels?.[0];
    placedEdges.push({ edge, points, label: l && edge.label ? { text: edge.label, x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } : undefined });
  }
  const result: PlacedGraph = { graph, width: Math.ceil(laid.width ?? 0), height: Math.ceil(laid.height ?? 0), nodes: placed, edges: placedEdges };
  routeSelections(result, edges.filter((e) => e.kind === 'selection'));
  return result;
}

const LANE_GAP = 10;

/**
 * Routes selection edges: from the bottom of the selecting step down into the gap, left to a lane beside
 * the next step's frame, down to the target exchange, and right into it. Several selections of one step
 * get nested lanes that do not cross (the innermost lane to the topmost exchange); each label sits left of
 * the lanes at the height where its edge enters. Everything moves right if the lanes need room.
 */
function routeSelections(placed: PlacedGraph, selections: GraphEdge[]): void {
  const byId = new Map(placed.nodes.map((p) => [p.node.id, p]));
  const groups = new Map<string, Array<{ edge: GraphEdge; target: PlacedNode }>>();
  for (const edge of selections) {
    const target = byId.get(edge.to);
    if (!target || !byId.has(edge.from) || !target.node.parent || !byId.has(target.node.parent)) continue;
    groups.set(edge.from, [...(groups.get(edge.from) ?? []), { edge, target }]);
  }
  for (const [from, group] of groups) {
    const source = byId.get(from)!;
    group.sort((a, b) => a.target.y - b.target.y);
    const count = group.length;
    group.forEach(({ edge, target }, i) => {
      const frame = byId.get(target.node.parent!)!;
      const left = Math.min(source.x, frame.x);
      const laneX = left - LANE_GAP * (i + 1);
      const startX = source.x + 14 + LANE_GAP * (count - 1 - i);
      const gapTop = source.y + source.height;
      const gapY = Math.min(gapTop + 6 + 5 * (count - 1 - i), Math.max(gapTop + 2, frame.y - 4));
      const entryY = target.y + Math.min(target.height / 2, PADDING_Y + LINE_HEIGHT / 2);
      const points = [
        { x: startX, y: gapTop },
        { x: startX, y: gapY },
        { x: laneX, y: gapY },
        { x: laneX, y: entryY },
        { x: target.x, y: entryY },
      ];
      const text = edge.label;
      const width = text ? textWidth(text) + 8 : 0;
      const label = text ? { text, x: left - LANE_GAP * count - 4 - width, y: entryY - LABEL_HEIGHT / 2, width, height: LABEL_HEIGHT } : undefined;
      placed.edges.push({ edge, points, label });
    });
  }
  const minX = Math.min(MARGIN, ...placed.edges.flatMap((e) => [...e.points.map((p) => p.x), ...(e.label ? [e.label.x] : [])]));
  if (minX < MARGIN) shift(placed, MARGIN - minX);
}

function shift(placed: PlacedGraph, dx: number): void {
  for (const p of placed.nodes) p.x += dx;
  for (const e of placed.edges) {
    for (const point of e.points) point.x += dx;
    if (e.label) e.label.x += dx;
  }
  placed.width = Math.ceil(placed.width + dx);
}

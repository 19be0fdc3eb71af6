/**
 * The journey view's message protocol between the extension (panel.ts) and the webview script
 * (webview/main.ts): one declaration for both sides. The extension sends graphs; the webview lays them out,
 * draws them and asks the extension to open code, save and copy. Incoming messages are checked on both sides
 * (a webview is a separate page: never trust its messages' shape).
 */
import type { JourneyGraph } from '../../../server/src/graph/model';

/** What the webview shows, read back from its DOM (`describe`, and after every drawing). */
export interface PictureSummary {
  /** The graph revision drawn (each graph the extension sends has a higher one). */
  revision: number;
  journeyId: string;
  /** Every drawn node: `data-node` id, kind, classes (`error`, `warning`, `compound`, ...), text rows and tooltip. */
  nodes: Array<{ id: string; kind: string; classes: string[]; text: string[]; tooltip: string }>;
  /** Every drawn edge with its kind and label. */
  edges: Array<{ id: string; kind: string; from: string; to: string; label: string }>;
  /** The message shown instead of (or above) the picture, if any. */
  status: string;
}

/** Extension -> webview. */
export type ToWebview =
  /** A new or updated graph to draw (the webview keeps its expanded sub-journeys and highlighted claim). */
  | { type: 'graph'; revision: number; graph: JourneyGraph }
  /** The journey cannot be drawn now (the file has gone, the journey was renamed): said above the last picture. */
  | { type: 'status'; revision: number; message: string }
  /**
   * Asks the webview to say what it draws (a PictureSummary read from its DOM), answered by `description`
   * with the same `requestId`. Read-only: the extension's tests and anything that needs to know what is on
   * screen use it.
   */
  | { type: 'describe'; requestId: number };

/** Webview -> extension. */
export type FromWebview =
  /** The script has loaded (also after the panel was hidden and shown again): send the current graph. */
  | { type: 'ready' }
  /** A box was clicked: open its defining element (`declaration`: another declaration of its technical profile). */
  | { type: 'open'; nodeId: string; declaration?: number }
  /** "Save as SVG": the picture as drawn, as a standalone SVG document. */
  | { type: 'saveSvg'; svg: string }
  /** "Copy as Mermaid". */
  | { type: 'copyMermaid' }
  /** A graph revision was drawn. */
  | { type: 'rendered'; summary: PictureSummary }
  | { type: 'description'; requestId: number; summary: PictureSummary };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isSummary = (v: unknown): v is PictureSummary => isObject(v) && typeof v.revision === 'number' && Array.isArray(v.nodes) && Array.isArray(v.edges);

/** The message if it has one of the webview's shapes, else undefined. */
export function asFromWebview(value: unknown): FromWebview | undefined {
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case 'ready':
    case 'copyMermaid':
      return { type: value.type };
    case 'open':
      return typeof value.nodeId === 'string' && (value.declaration === undefined || Number.isInteger(value.declaration))
        ? { type: 'open', nodeId: value.nodeId, declaration: value.declaration as number | undefined }
        : undefined;
    case 'saveSvg':
      return typeof value.svg === 'string' ? { type: 'saveSvg', svg: value.svg } : undefined;
    case 'rendered':
      return isSummary(value.summary) ? { type: 'rendered', summary: value.summary } : undefined;
    case 'description':
      return typeof value.requestId === 'number' && isSummary(value.summary) ? { type: 'description', requestId: value.requestId, summary: value.summary } : undefined;
    default:
      return undefined;
  }
}

/** The message if it has one of the extension's shapes, else undefined. */
export function asToWebview(value: unknown): ToWebview | undefined {
  if (!isObject(value)) return undefined;
  if (value.type === 'graph' && typeof value.revision === 'number' && isObject(value.graph) && Array.isArray(value.graph.nodes)) return value as ToWebview;
  if (value.type === 'status' && typeof value.revision === 'number' && typeof value.message === 'string') return value as ToWebview;
  if (value.type === 'describe' && typeof value.requestId === 'number') return value as ToWebview;
  return undefined;
}

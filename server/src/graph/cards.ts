/**
 * What each node of a journey graph shows (its card: rows of text) and how big it is. Shared by the layout
 * (sizes), the SVG renderer (text) and so by the webview and the CLI. Text is set in a monospace font at a
 * fixed size, so widths are known without a DOM: every character is CHAR_WIDTH wide (0.6 em, the advance of
 * the usual monospace fonts, rounded up), East Asian wide characters twice that.
 */
import { MAX_GRAPH_NODES, type GraphNode, type JourneyGraph } from './model';

export const FONT_SIZE = 12;
export const CHAR_WIDTH = 7.3;
export const LINE_HEIGHT = 16;
export const PADDING_X = 10;
export const PADDING_Y = 6;
/** Longer rows are cut with an ellipsis (the full text is in the node's tooltip). */
export const MAX_ROW_CHARS = 60;
const MIN_WIDTH = 110;

export type RowStyle = 'title' | 'detail' | 'profile' | 'claims' | 'condition' | 'problem' | 'action';

export interface CardRow {
  text: string;
  style: RowStyle;
  /** For rows that open another declaration of the node's profile: its index in `profile.declarations`. */
  declaration?: number;
  /** For the expand/collapse row of a sub-journey. */
  toggle?: boolean;
}

export interface Card {
  rows: CardRow[];
  width: number;
  height: number;
  /** The tooltip: every row in full, the claims, the findings. */
  tooltip: string;
}

export interface CardOptions {
  /** Whether the node has an incoming sequence edge (else a step lists its preconditions itself). */
  hasIncomingSequence: boolean;
  /** For sub-journeys: whether their steps are shown. */
  expanded: boolean;
}

/** The width of a text in pixels, in the graph's font. */
export function textWidth(text: string): number {
  let units = 0;
  for (const ch of text) units += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return units * CHAR_WIDTH;
}

/** The text cut to `max` characters with an ellipsis. */
export function cut(text: string, max = MAX_ROW_CHARS): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

export function fileName(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The card of a node. */
export function cardOf(node: GraphNode, graph: JourneyGraph, options: CardOptions): Card {
  const rows: CardRow[] = [];
  const full: string[] = [];
  const row = (text: string, style: RowStyle, extra: Partial<CardRow> = {}) => {
    full.push(text);
    rows.push({ text: cut(text), style, ...extra });
  };
  switch (node.kind) {
    case 'journey': {
      row(`${node.journey?.kind === 'subJourney' ? 'SubJourney' : 'UserJourney'} ${node.label}`, 'title');
      const rp = graph.relyingParty;
      if (rp) row(`relying party ${rp.policyId ?? ''} (${fileName(rp.uri)})`, 'detail');
      else if (node.location) row(fileName(node.location.uri), 'detail');
      break;
    }
    case 'step': {
      const step = node.step!;
      row(`Step ${node.label}`, 'title');
      row(step.replaced ? `${fileName(step.uri)}, replaces ${fileName(step.replaced.location.uri)}'s ${step.replaced.type ?? 'step'}` : fileName(step.uri), 'detail');
      if (!options.hasIncomingSequence) for (const p of step.preconditions) row(p, 'condition');
      if (node.claims.added.length) for (const line of claimLines(node.claims.added)) row(line, 'claims');
      break;
    }
    case 'exchange':
    case 'validation':
    case 'issuer': {
      const profile = node.profile;
      if (node.kind === 'exchange') row(node.label, 'title');
      else row(`${node.kind === 'issuer' ? 'issuer' : 'validation'} ${node.label}`, node.kind === 'issuer' ? 'title' : 'profile');
      if (node.kind === 'exchange' && profile?.id) row(profile.id, 'profile');
      if (!profile?.found) row(profile?.id ? 'technical profile not found' : 'no TechnicalProfileReferenceId', 'problem');
      else {
        const kind = [profile.type, profile.handler ?? profile.protocol].filter(Boolean).join(' · ');
        if (kind) row(kind, 'detail');
        profile.declarations.slice(0, -1).forEach((d, i) => row(`also in ${fileName(d.uri)}`, 'action', { declaration: i }));
      }
      break;
    }
    case 'subJourney': {
      const sub = node.subJourney!;
      row(`SubJourney ${node.label}${sub.type ? ` (${sub.type})` : ''}`, 'title');
      if (!sub.found) row('sub-journey not found', 'problem');
      else if (sub.cycle) row('invoked again inside itself: not followed', 'problem');
      else if (sub.omitted) row(`not drawn: the picture has ${MAX_GRAPH_NODES.toLocaleString('en-US')} boxes already`, 'problem');
      else row(options.expanded ? '▾ collapse' : '▸ expand', 'action', { toggle: true });
      break;
    }
  }
  const width = Math.max(MIN_WIDTH, ...rows.map((r) => textWidth(r.text))) + 2 * PADDING_X;
  const height = rows.length * LINE_HEIGHT + 2 * PADDING_Y;
  const tooltip = [
    ...full,
    ...(node.claims.added.length ? [`adds: ${node.claims.added.join(', ')}`] : []),
    ...(node.claims.used.length ? [`reads: ${node.claims.used.join(', ')}`] : []),
    ...node.findings.map((f) => `${f.severity}: ${f.message}`),
  ].join('\n');
  return { rows, width: Math.ceil(width), height, tooltip };
}

/** "+ a, b, c" over at most two rows, then "+N more". */
function claimLines(claims: string[]): string[] {
  const limit = MAX_ROW_CHARS - 12;
  const lines: string[] = [];
  let current = '';
  let shown = 0;
  for (const claim of claims) {
    const candidate = current ? `${current}, ${claim}` : `+ ${claim}`;
    if (current && [...candidate].length > limit) {
      if (lines.length === 1) break;
      lines.push(current + ',');
      current = `  ${claim}`;
    } else current = candidate;
    shown++;
  }
  lines.push(current);
  const rest = claims.length - shown;
  if (rest > 0) lines[lines.length - 1] += ` +${rest} more`;
  return lines;
}

/** The worst severity among a node's findings, if it is an error or a warning (what outlines the node). */
export function outlineOf(node: GraphNode): 'error' | 'warning' | undefined {
  if (node.findings.some((f) => f.severity === 'error')) return 'error';
  if (node.findings.some((f) => f.severity === 'warning')) return 'warning';
  return undefined;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

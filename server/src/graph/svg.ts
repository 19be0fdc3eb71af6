/**
 * The journey picture as SVG text, from a laid-out graph (layout.ts). One renderer for the webview (which
 * inserts it into its page and styles it with VS Code's theme colours) and for `b2c-policy graph --format
 * svg` and "Save as SVG" (which embed the same style sheet: its colours fall back to a light theme outside
 * VS Code). Strings only: no DOM. No style attributes (a Content-Security-Policy without 'unsafe-inline'
 * would drop them): colours come from classes.
 */
import { fileName, FONT_SIZE, LINE_HEIGHT, outlineOf, PADDING_X, PADDING_Y, type CardRow } from './cards';
import type { PlacedEdge, PlacedGraph, PlacedNode } from './layout';

/** Theme colours are VS Code's CSS variables, each with a light fallback for use outside VS Code. */
export const GRAPH_CSS = `
.b2c-journey { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: ${FONT_SIZE}px; }
.b2c-journey .background { fill: var(--vscode-editor-background, #ffffff); }
.b2c-journey text { fill: var(--vscode-editor-foreground, #1f1f1f); }
.b2c-journey .node > .box { fill: var(--vscode-editorWidget-background, #f3f3f3); stroke: var(--vscode-contrastBorder, var(--vscode-editorWidget-border, #b4b4b4)); stroke-width: 1; }
.b2c-journey .node.compound > .box { fill: var(--vscode-sideBar-background, #f8f8f8); }
.b2c-journey .node.compound > .header { fill: var(--vscode-editorWidget-background, #ececec); }
.b2c-journey .node.journey > .box { fill: var(--vscode-badge-background, #e4e6f1); }
.b2c-journey .node.exchange > .box, .b2c-journey .node.issuer > .box { fill: var(--vscode-editor-background, #ffffff); }
.b2c-journey .node.validation > .box { fill: var(--vscode-editor-background, #ffffff); stroke-dasharray: 4 2; }
.b2c-journey .node.warning > .box { stroke: var(--vscode-editorWarning-foreground, #bf8803); stroke-width: 2; }
.b2c-journey .node.error > .box { stroke: var(--vscode-editorError-foreground, #e51400); stroke-width: 2.5; }
.b2c-journey .node.produces > .box { stroke: var(--vscode-charts-green, #388a34); stroke-width: 3; }
.b2c-journey .node.reads > .box { stroke: var(--vscode-charts-blue, #1a85ff); stroke-width: 3; }
.b2c-journey .node.produces.reads > .box { stroke: var(--vscode-charts-purple, #652d90); }
.b2c-journey .node.dimmed { opacity: 0.45; }
.b2c-journey .row.title { font-weight: 600; }
.b2c-journey .row.detail, .b2c-journey .row.claims { fill: var(--vscode-descriptionForeground, #616161); }
.b2c-journey .row.condition { fill: var(--vscode-editorWarning-foreground, #8a6100); }
.b2c-journey .row.problem { fill: var(--vscode-editorError-foreground, #c72e0f); }
.b2c-journey .row.action { fill: var(--vscode-textLink-foreground, #006ab1); text-decoration: underline; cursor: pointer; }
.b2c-journey .node { cursor: pointer; }
.b2c-journey .edge path { fill: none; stroke: var(--vscode-editorLineNumber-foreground, #6e7681); stroke-width: 1.4; }
.b2c-journey .edge.selection path { stroke: var(--vscode-textLink-foreground, #006ab1); stroke-dasharray: 6 3; }
.b2c-journey .edge.validation path { stroke-dasharray: 2 2; }
.b2c-journey .arrow { fill: var(--vscode-editorLineNumber-foreground, #6e7681); }
.b2c-journey .edge .label-box { fill: var(--vscode-editor-background, #ffffff); opacity: 0.85; }
.b2c-journey .edge text { fill: var(--vscode-descriptionForeground, #616161); font-size: ${FONT_SIZE - 1}px; }
.b2c-journey .edge.selection text { fill: var(--vscode-textLink-foreground, #006ab1); }
`;

export interface SvgOptions {
  /** Embed the style sheet (a standalone file). The webview loads it once instead. */
  embedStyle?: boolean;
  /** Outline the nodes that produce (green) and read (blue) this claim; dim the others. */
  highlightClaim?: string;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids even as references are dropped.
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const n = (v: number) => String(Math.round(v * 10) / 10);

/** The SVG document of a laid-out journey graph. */
export function renderSvg(placed: PlacedGraph, options: SvgOptions = {}): string {
  const { graph } = placed;
  const claim = options.highlightClaim ? graph.claims.find((c) => c.id.toLowerCase() === options.highlightClaim!.toLowerCase()) : undefined;
  const produces = new Set(claim?.producedBy ?? []);
  const reads = new Set(claim?.usedBy ?? []);
  const title = `${graph.journey.kind === 'subJourney' ? 'Sub-journey' : 'User journey'} ${graph.journey.id}${graph.relyingParty ? ` of ${graph.relyingParty.policyId ?? fileName(graph.relyingParty.uri)}` : ''}`;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="b2c-journey" width="${placed.width}" height="${placed.height}" viewBox="0 0 ${placed.width} ${placed.height}" role="img" aria-label="${escapeXml(title)}" data-journey="${escapeXml(graph.journey.id)}">`,
    `<title>${escapeXml(title)}</title>`,
  );
  if (options.embedStyle) out.push(`<style>${GRAPH_CSS}</style>`);
  out.push(
    '<defs><marker id="b2c-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    `<rect class="background" x="0" y="0" width="${placed.width}" height="${placed.height}"/>`,
  );
  const classesOf = (p: PlacedNode) => {
    const c = ['node', p.node.kind];
    if (p.compound) c.push('compound');
    const outline = outlineOf(p.node);
    if (outline) c.push(outline);
    if (claim) {
      if (produces.has(p.node.id)) c.push('produces');
      if (reads.has(p.node.id)) c.push('reads');
      if (!produces.has(p.node.id) && !reads.has(p.node.id) && !p.compound) c.push('dimmed');
    }
    return c.join(' ');
  };
  // Frames first, then edges, then the cards on top.
  out.push('<g class="frames">');
  for (const p of placed.nodes) if (p.compound) out.push(nodeSvg(p, classesOf(p)));
  out.push('</g><g class="edges">');
  for (const e of placed.edges) out.push(edgeSvg(e));
  out.push('</g><g class="cards">');
  for (const p of placed.nodes) if (!p.compound) out.push(nodeSvg(p, classesOf(p)));
  out.push('</g></svg>');
  return out.join('\n');
}

function nodeSvg(p: PlacedNode, classes: string): string {
  const { card } = p;
  const parts = [`<g class="${classes}" data-node="${escapeXml(p.node.id)}" data-kind="${p.node.kind}">`, `<title>${escapeXml(card.tooltip)}</title>`];
  parts.push(`<rect class="box" x="${n(p.x)}" y="${n(p.y)}" width="${n(p.width)}" height="${n(p.height)}" rx="4"/>`);
  if (p.compound) parts.push(`<rect class="header" x="${n(p.x + 1)}" y="${n(p.y + 1)}" width="${n(p.width - 2)}" height="${n(card.height - 1)}" rx="3"/>`);
  card.rows.forEach((row, i) => parts.push(rowSvg(row, p.x + PADDING_X, p.y + PADDING_Y + (i + 1) * LINE_HEIGHT - 4)));
  parts.push('</g>');
  return parts.join('');
}

function rowSvg(row: CardRow, x: number, y: number): string {
  const data = row.declaration !== undefined ? ` data-declaration="${row.declaration}"` : row.toggle ? ' data-toggle="true"' : '';
  return `<text class="row ${row.style}" x="${n(x)}" y="${n(y)}"${data}>${escapeXml(row.text)}</text>`;
}

function edgeSvg(e: PlacedEdge): string {
  if (e.points.length < 2) return '';
  const d = e.points.map((p, i) => `${i ? 'L' : 'M'}${n(p.x)},${n(p.y)}`).join(' ');
  const parts = [`<g class="edge ${e.edge.kind}" data-edge="${escapeXml(e.edge.id)}" data-from="${escapeXml(e.edge.from)}" data-to="${escapeXml(e.edge.to)}">`, `<path d="${d}" marker-end="url(#b2c-arrow)"/>`];
  if (e.label) {
    parts.push(`<rect class="label-box" x="${n(e.label.x)}" y="${n(e.label.y)}" width="${n(e.label.width)}" height="${n(e.label.height)}" rx="2"/>`);
    parts.push(`<text x="${n(e.label.x + 4)}" y="${n(e.label.y + e.label.height - 4)}">${escapeXml(e.label.text)}</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

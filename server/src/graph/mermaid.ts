/**
 * The journey graph as a Mermaid flowchart (for pull-request descriptions, wikis and docs that render
 * Mermaid, such as GitHub's Markdown): steps are subgraphs holding their exchanges, validation profiles,
 * issuer and sub-journeys; sequence edges carry the next step's preconditions; selections are dotted edges
 * labelled with the provider's display name; nodes with an error or a warning get a class. A pure function
 * of the JSON, beside the SVG renderer, so that the CLI and the extension ("Copy as Mermaid") write the same.
 */
import { cardOf } from './cards';
import type { GraphNode, JourneyGraph } from './model';

/** Mermaid's entity codes for the characters that would end or change a quoted label. */
export function escapeMermaid(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/&/g, '#amp;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;');
}

/** Mermaid ids: letters, digits and underscores, unique in the chart. */
function mermaidIds(graph: JourneyGraph): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const node of graph.nodes) {
    const base = node.id.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'node';
    let id = base;
    for (let i = 2; used.has(id.toLowerCase()); i++) id = `${base}_${i}`;
    used.add(id.toLowerCase());
    ids.set(node.id, id);
  }
  return ids;
}

export function toMermaid(graph: JourneyGraph): string {
  const ids = mermaidIds(graph);
  const children = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) children.set(n.parent ?? '', [...(children.get(n.parent ?? '') ?? []), n]);
  const incoming = new Set(graph.edges.filter((e) => e.kind === 'sequence').map((e) => e.to));
  // Mermaid gives a subgraph's title one line: a frame's title and file on it; a box shows every row.
  const label = (n: GraphNode, frame: boolean) => {
    const rows = cardOf(n, graph, { hasIncomingSequence: incoming.has(n.id), expanded: true }).rows.filter((r) => r.style !== 'action');
    return frame ? escapeMermaid(rows.slice(0, n.kind === 'step' ? 2 : 1).map((r) => r.text).join(' · ')) : rows.map((r) => escapeMermaid(r.text)).join('<br/>');
  };
  const lines: string[] = [`%% ${escapeMermaid(`${graph.journey.kind === 'subJourney' ? 'Sub-journey' : 'User journey'} ${graph.journey.id}`)} (b2c-policy graph, journey graph version ${graph.version})`, 'flowchart TD'];
  const write = (n: GraphNode, indent: string) => {
    const kids = children.get(n.id) ?? [];
    const id = ids.get(n.id)!;
    if (kids.length) {
      lines.push(`${indent}subgraph ${id} ["${label(n, true)}"]`);
      for (const k of kids) write(k, indent + '  ');
      lines.push(`${indent}end`);
    } else if (n.kind === 'journey') lines.push(`${indent}${id}(["${label(n, false)}"])`);
    else if (n.kind === 'subJourney') lines.push(`${indent}${id}[["${label(n, false)}"]]`);
    else lines.push(`${indent}${id}["${label(n, false)}"]`);
  };
  for (const n of children.get('') ?? []) write(n, '  ');
  for (const e of graph.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (!from || !to) continue;
    const arrow = e.kind === 'sequence' ? '-->' : '-.->';
    lines.push(`  ${from} ${arrow}${e.label ? `|"${escapeMermaid(e.label)}"|` : ''} ${to}`);
  }
  const errors = graph.nodes.filter((n) => n.findings.some((f) => f.severity === 'error'));
  const warnings = graph.nodes.filter((n) => !errors.includes(n) && n.findings.some((f) => f.severity === 'warning'));
  if (errors.length) lines.push('  classDef error stroke:#e51400,stroke-width:3px', `  class ${errors.map((n) => ids.get(n.id)).join(',')} error`);
  if (warnings.length) lines.push('  classDef warning stroke:#bf8803,stroke-width:2px', `  class ${warnings.map((n) => ids.get(n.id)).join(',')} warning`);
  return lines.join('\n') + '\n';
}

/**
 * A strict reader for the Mermaid flowchart subset `b2c-policy graph` writes, following Mermaid's flowchart
 * syntax: every line must be one of the forms below or the parse fails (with the line), labels are quoted
 * with no raw quote inside and their entity codes (#quot; #35; ...) are decoded, ids are plain words that
 * Mermaid does not reserve, every edge end is declared, subgraphs are balanced.
 */
export interface MermaidNode {
  id: string;
  label: string;
  shape: 'box' | 'stadium' | 'subroutine' | 'subgraph';
  parent: string | undefined;
}

export interface MermaidEdge {
  from: string;
  to: string;
  label: string | undefined;
  dotted: boolean;
}

export interface MermaidChart {
  direction: string;
  nodes: Map<string, MermaidNode>;
  edges: MermaidEdge[];
  classes: Map<string, string[]>;
}

const ID = '[A-Za-z][A-Za-z0-9_]*';
const LABEL = '"([^"]*)"';
const RESERVED = new Set(['end', 'subgraph', 'graph', 'flowchart', 'class', 'classDef', 'click', 'style', 'linkStyle', 'direction']);
const ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>' };

function decode(label: string, line: number): string {
  if (/[<>]/.test(label.replace(/<br\/>/g, ''))) throw new Error(`line ${line}: raw < or > in a label`);
  return label.replace(/<br\/>/g, '\n').replace(/#([a-z]+|[0-9]+);/g, (_, code: string) => {
    if (/^[0-9]+$/.test(code)) return String.fromCodePoint(Number(code));
    if (!(code in ENTITIES)) throw new Error(`line ${line}: unknown entity #${code};`);
    return ENTITIES[code];
  });
}

export function parseMermaidFlowchart(text: string): MermaidChart {
  const chart: MermaidChart = { direction: '', nodes: new Map(), edges: [], classes: new Map() };
  const stack: string[] = [];
  const lines = text.split('\n');
  const declare = (id: string, label: string, shape: MermaidNode['shape'], line: number) => {
    if (RESERVED.has(id)) throw new Error(`line ${line}: '${id}' is a Mermaid keyword`);
    if (chart.nodes.has(id)) throw new Error(`line ${line}: '${id}' declared twice`);
    chart.nodes.set(id, { id, label: decode(label, line), shape, parent: stack[stack.length - 1] });
  };
  lines.forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    let m: RegExpMatchArray | null;
    if (s === '' || s.startsWith('%%')) return;
    if (!chart.direction) {
      m = s.match(/^flowchart (TD|TB|LR|RL|BT)$/);
      if (!m) throw new Error(`line ${line}: expected 'flowchart <direction>' first, got '${s}'`);
      chart.direction = m[1];
      return;
    }
    if ((m = s.match(new RegExp(`^subgraph (${ID}) \\[${LABEL}\\]$`)))) {
      declare(m[1], m[2], 'subgraph', line);
      stack.push(m[1]);
    } else if (s === 'end') {
      if (!stack.pop()) throw new Error(`line ${line}: 'end' without a subgraph`);
    } else if ((m = s.match(new RegExp(`^(${ID})\\(\\[${LABEL}\\]\\)$`)))) declare(m[1], m[2], 'stadium', line);
    else if ((m = s.match(new RegExp(`^(${ID})\\[\\[${LABEL}\\]\\]$`)))) declare(m[1], m[2], 'subroutine', line);
    else if ((m = s.match(new RegExp(`^(${ID})\\[${LABEL}\\]$`)))) declare(m[1], m[2], 'box', line);
    else if ((m = s.match(new RegExp(`^(${ID}) (-->|-\\.->)(?:\\|${LABEL}\\|)? (${ID})$`)))) {
      chart.edges.push({ from: m[1], to: m[4], label: m[3] === undefined ? undefined : decode(m[3], line), dotted: m[2] === '-.->' });
    } else if ((m = s.match(/^classDef ([A-Za-z]+) [a-z-]+:[^\s,]+(,[a-z-]+:[^\s,]+)*$/))) chart.classes.set(m[1], chart.classes.get(m[1]) ?? []);
    else if ((m = s.match(new RegExp(`^class (${ID}(?:,${ID})*) ([A-Za-z]+)$`)))) {
      if (!chart.classes.has(m[2])) throw new Error(`line ${line}: class ${m[2]} used before its classDef`);
      chart.classes.get(m[2])!.push(...m[1].split(','));
    } else throw new Error(`line ${line}: not Mermaid flowchart syntax this reader knows: '${s}'`);
  });
  if (!chart.direction) throw new Error('no flowchart line');
  if (stack.length) throw new Error(`subgraph ${stack[stack.length - 1]} not closed`);
  for (const e of chart.edges) for (const end of [e.from, e.to]) if (!chart.nodes.has(end)) throw new Error(`edge end '${end}' is not declared`);
  for (const ids of chart.classes.values()) for (const id of ids) if (!chart.nodes.has(id)) throw new Error(`class on undeclared '${id}'`);
  return chart;
}

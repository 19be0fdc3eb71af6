/**
 * Checks a value against the journey graph's documented shape (docs/journey-graph.md, version 1): every
 * documented field with its type, required ones present, no field the document does not name, node ids
 * unique, parents and edge ends naming nodes. Returns the problems (empty when the value conforms).
 */
type Check = (value: unknown, path: string, problems: string[]) => void;

const str: Check = (v, p, out) => void (typeof v !== 'string' && out.push(`${p}: not a string`));
const num: Check = (v, p, out) => void (typeof v !== 'number' && out.push(`${p}: not a number`));
const bool: Check = (v, p, out) => void (typeof v !== 'boolean' && out.push(`${p}: not a boolean`));
const oneOf = (...values: unknown[]): Check => (v, p, out) => void (!values.includes(v) && out.push(`${p}: ${JSON.stringify(v)} not one of ${values.join(', ')}`));
const list = (item: Check): Check => (v, p, out) => (Array.isArray(v) ? v.forEach((x, i) => item(x, `${p}[${i}]`, out)) : out.push(`${p}: not an array`));
function object(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (v, p, out) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return void out.push(`${p}: not an object`);
    const o = v as Record<string, unknown>;
    for (const [k, check] of Object.entries(required)) {
      if (!(k in o)) out.push(`${p}.${k}: missing`);
      else check(o[k], `${p}.${k}`, out);
    }
    for (const [k, check] of Object.entries(optional)) if (o[k] !== undefined) check(o[k], `${p}.${k}`, out);
    for (const k of Object.keys(o)) if (!(k in required) && !(k in optional)) out.push(`${p}.${k}: not a documented field`);
  };
}

const position = object({ line: num, character: num });
const location = object({ uri: str, range: object({ start: position, end: position }) });
const finding = object({ severity: oneOf('error', 'warning', 'information', 'hint'), code: str, message: str, location });
const node = object(
  { id: str, kind: oneOf('journey', 'step', 'exchange', 'validation', 'issuer', 'subJourney'), label: str, findings: list(finding), claims: object({ added: list(str), used: list(str) }) },
  {
    parent: str,
    location,
    journey: object({ id: str, kind: oneOf('userJourney', 'subJourney') }),
    step: object({ order: num, uri: str, preconditions: list(str) }, { type: str, replaced: object({ location }, { type: str }), contentDefinition: str }),
    exchange: object({ id: str, location }, { selectedBy: oneOf('button', 'validation') }),
    profile: object({ id: str, found: bool, declarations: list(location) }, { displayName: str, protocol: str, handler: str, type: str }),
    subJourney: object({ id: str, found: bool }, { type: str, cycle: bool, omitted: bool }),
  },
);
const edge = object({ id: str, kind: oneOf('sequence', 'selection', 'validation'), from: str, to: str }, { label: str });
const graph = object(
  {
    version: oneOf(1),
    journey: object({ id: str, kind: oneOf('userJourney', 'subJourney') }, { location }),
    chain: list(object({ uri: str }, { policyId: str })),
    complete: bool,
    nodes: list(node),
    edges: list(edge),
    claims: list(object({ id: str, producedBy: list(str), usedBy: list(str) })),
  },
  { relyingParty: object({ uri: str }, { policyId: str, defaultUserJourney: str }) },
);

export function journeyGraphShapeProblems(value: unknown): string[] {
  const problems: string[] = [];
  graph(value, '$', problems);
  if (problems.length) return problems;
  const g = value as { nodes: Array<{ id: string; parent?: string }>; edges: Array<{ from: string; to: string }> };
  const ids = new Set<string>();
  for (const n of g.nodes) {
    if (ids.has(n.id)) problems.push(`node ${n.id} twice`);
    if (n.parent && !ids.has(n.parent)) problems.push(`node ${n.id}: parent ${n.parent} is not an earlier node`);
    ids.add(n.id);
  }
  for (const e of g.edges) for (const end of [e.from, e.to]) if (!ids.has(end)) problems.push(`edge end ${end} is not a node`);
  return problems;
}

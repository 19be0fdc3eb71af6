/**
 * The journey graph: one user journey (or sub-journey) of one chain as the service runs it, as plain JSON.
 * It is the result of the `b2cPolicy/journeyGraph` request, what `b2c-policy graph --format json` prints, and
 * what the journey view, the SVG renderer and the Mermaid writer draw. Documented for others in
 * docs/journey-graph.md; the shape only grows within a version (new optional fields), and `version` changes
 * when a field changes meaning or goes away.
 *
 * No imports and no code beyond constants: the VS Code webview, the extension, the server and the CLI read it.
 */

export const JOURNEY_GRAPH_VERSION = 1;

/** No sub-journey's steps are added once a graph has this many nodes (see `subJourney.omitted`). */
export const MAX_GRAPH_NODES = 5000;

/** 0-based line and UTF-16 character, as in LSP. */
export interface GraphPosition {
  line: number;
  character: number;
}

export interface GraphLocation {
  uri: string;
  range: { start: GraphPosition; end: GraphPosition };
}

export type GraphSeverity = 'error' | 'warning' | 'information' | 'hint';

/** A finding of the file a node is defined in, inside the node's element (the innermost node takes it). */
export interface GraphFinding {
  severity: GraphSeverity;
  code: string;
  message: string;
  location: GraphLocation;
}

/** A technical profile as the chain merges it. */
export interface GraphProfile {
  id: string;
  /** False when the chain defines no such profile (the reference checks report it). */
  found: boolean;
  displayName?: string;
  /** Protocol@Name: Proprietary, OAuth2, OpenIdConnect, SAML2, None, ... */
  protocol?: string;
  /** For Proprietary profiles: the handler's type name without its namespace (SelfAssertedAttributeProvider). */
  handler?: string;
  /** The catalog's technical-profile type (self-asserted, oauth2, azure-active-directory, jwt-issuer, ...). */
  type?: string;
  /** Every declaration along the chain, the most derived first; the node's `location` is the root-most one. */
  declarations: GraphLocation[];
}

export type GraphNodeKind = 'journey' | 'step' | 'exchange' | 'validation' | 'issuer' | 'subJourney';

export interface GraphNode {
  /**
   * Stable within a journey and readable: `journey`, `step:2`, `step:2/exchange:FacebookExchange`,
   * `step:1/exchange:X/validation:login-NonInteractive`, `step:7/issuer`, `step:4/subJourney:S`, and a
   * sub-journey's steps below it (`step:4/subJourney:S/step:1`, ...).
   */
  id: string;
  kind: GraphNodeKind;
  /** The node that contains this one: a step contains its exchanges, validation profiles, issuer and sub-journeys; a sub-journey its steps. */
  parent?: string;
  /** The main text: journey id, `2 ClaimsExchange`, exchange id, profile id, sub-journey id. */
  label: string;
  /** What a click opens: the journey declaration, the step, the technical profile's root-most declaration, the sub-journey. */
  location?: GraphLocation;
  findings: GraphFinding[];
  /**
   * Claims (ClaimType ids as declared): `added`: what the node can put into the claims bag (for a step: what
   * it adds that was not there before it); `used`: what it reads (input claims, precondition claims).
   */
  claims: { added: string[]; used: string[] };
  journey?: { id: string; kind: 'userJourney' | 'subJourney' };
  step?: {
    order: number;
    type?: string;
    /** The file whose version of the step is in effect. */
    uri: string;
    /** The base file's step with the same Order that this one replaces. */
    replaced?: { location: GraphLocation; type?: string };
    /** "skipped if objectId exists", ... (all preconditions of the step, in order). */
    preconditions: string[];
    contentDefinition?: string;
  };
  /** Exchange nodes: the ClaimsExchange element and how the previous step selects it. */
  exchange?: { id: string; location: GraphLocation; selectedBy?: 'button' | 'validation' };
  /** Exchange, validation and issuer nodes. */
  profile?: GraphProfile;
  /**
   * `cycle`: the sub-journey is already being invoked further out (its steps are not repeated); `omitted`: the
   * graph already has MAX_GRAPH_NODES nodes, so its steps are not listed (sub-journeys invoking sub-journeys
   * several times each multiply).
   */
  subJourney?: { id: string; type?: string; found: boolean; cycle?: boolean; omitted?: boolean };
}

export type GraphEdgeKind = 'sequence' | 'selection' | 'validation';

export interface GraphEdge {
  id: string;
  /**
   * `sequence`: from the journey or a step to the next step (label: that step's preconditions);
   * `selection`: from a step's ClaimsProviderSelection to the exchange of the next step it names (label: the
   * profile's display name); `validation`: from an exchange to a validation technical profile its profile runs.
   */
  kind: GraphEdgeKind;
  from: string;
  to: string;
  label?: string;
}

export interface JourneyGraph {
  version: typeof JOURNEY_GRAPH_VERSION;
  journey: { id: string; kind: 'userJourney' | 'subJourney'; location?: GraphLocation };
  /** The file the graph was asked for and its chain, most derived first. */
  chain: Array<{ uri: string; policyId?: string }>;
  /** False when the chain stops at a missing base or a cycle: some of the journey may be out of sight. */
  complete: boolean;
  /** The relying party of the chain (its DefaultUserJourney), when the first file has one. */
  relyingParty?: { uri: string; policyId?: string; defaultUserJourney?: string };
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Every claim some node adds or uses, with the nodes that produce and read it (for highlighting). */
  claims: Array<{ id: string; producedBy: string[]; usedBy: string[] }>;
}

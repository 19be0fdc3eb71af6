/**
 * Journey-level problems are properties of a whole chain (the merged journeys), but each upload is judged
 * with its bases only (service-errors.md: "neither the policy nor any of its base policies"). So a file
 * reports the problems its own chain has and its base's chain has not: the ones it introduced. A problem is
 * reported where the file holds part of it (an anchor in the file), else on the file's declaration of the
 * journey, else on its PolicyId.
 */
import type { DiagnosticCode } from '../../protocol';
import type { Finding, Severity } from '../findings';
import type { EffectivePolicy } from '../policy/effective';
import type { PolicyFile } from '../policy/model';
import type { Chain } from '../policy/workspace';
import type { Span } from '../xml/nodes';
import type { ChainModel, JourneyKind } from './model';

export interface ChainProblem {
  /** The problem's identity across chains (the same problem in the base's chain has the same key). */
  key: string;
  code: DiagnosticCode;
  severity: Severity;
  /** The message for the file it is reported in (file names other than that file's are spelled out). */
  message: (reportedIn: string) => string;
  data?: Record<string, unknown>;
  /** Places that hold part of the problem, most specific first. */
  anchors: Array<{ uri: string; span: Span }>;
  journey?: { kind: JourneyKind; id: string };
}

/**
 * A journey rule's findings for a file: `compute` run on the file's chain and on its base's chain (each cached
 * in its model under `name`), and the problems the file introduced reported. Nothing while a base is missing:
 * the steps it would define are unknown (references.ts counts what it could define).
 */
export function chainProblemFindings(
  context: { file: PolicyFile; chain: Chain; effective: EffectivePolicy; chainModel: (file: PolicyFile) => ChainModel },
  name: string,
  compute: (model: ChainModel) => ChainProblem[],
): Finding[] {
  const { file, chain, effective } = context;
  if (!effective.complete) return [];
  const own = context.chainModel(file);
  const parent = chain.files[1] ? context.chainModel(chain.files[1]).derived(name, compute) : undefined;
  return introducedBy(file, own, own.derived(name, compute), parent);
}

/** The problems of `own` that `parent` (the base's chain, if any) does not have, as findings of `file`. */
export function introducedBy(file: PolicyFile, own: ChainModel, ownProblems: ChainProblem[], parentProblems: ChainProblem[] | undefined): Finding[] {
  const inherited = new Set((parentProblems ?? []).map((p) => p.key));
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const problem of ownProblems) {
    if (inherited.has(problem.key) || seen.has(problem.key)) continue;
    seen.add(problem.key);
    const span = anchorIn(file, own, problem);
    if (!span) continue;
    findings.push({ code: problem.code, severity: problem.severity, message: problem.message(file.uri), span, data: problem.data });
  }
  return findings;
}

function anchorIn(file: PolicyFile, model: ChainModel, problem: ChainProblem): Span | undefined {
  const anchor = problem.anchors.find((a) => a.uri === file.uri);
  if (anchor) return anchor.span;
  if (problem.journey) {
    const journey = model.journey(problem.journey.kind, problem.journey.id);
    const declaration = journey?.declarations.find((d) => d.uri === file.uri);
    if (declaration) return declaration.idSpan;
  }
  return file.policyIdSpan ?? file.xml.root?.nameSpan;
}

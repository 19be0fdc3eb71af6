/**
 * Findings of the resolved policies, reported on the source. The caller checks each environment's resolved
 * texts with the language service (as if they were the files of `<EnvironmentsFolder>/<Name>/`); this maps each
 * finding back through the file's position map, keeps those the source itself does not already have (a value
 * that becomes invalid once resolved, a tenant that an environment spells with capitals, a policy id that the
 * prefix makes collide) and merges what several environments share into one finding that names them.
 *
 * A mapped finding keeps its code; its `data` becomes `{ environments, resolved: <original data> }`, so quick
 * fixes that read `data.fixed` and the like do not apply a resolved value onto a `{Settings:...}` token.
 */
import { DiagnosticCodes } from '../../protocol';
import type { Finding } from '../findings';
import { mapResolvedSpanToSource } from './positionMap';
import type { ResolvedEnvironment } from './resolve';

export interface EnvironmentCheck {
  resolved: ResolvedEnvironment;
  /** Findings of the resolved files, by relative path, in offsets of the resolved texts. */
  findingsByPath: Map<string, Finding[]>;
}

/**
 * The findings of one source file that come from its environments: build problems (development settings in
 * production, policy id collisions; undefined settings are checkSettingsTokens' warnings) and the mapped
 * findings of its resolved copies. Pass the source file's own findings as `sourceFindings` to leave out what
 * they already say; pass [] to get every finding of the resolved policies at source positions (`check --env`).
 */
export function environmentFindingsForFile(relativePath: string, sourceFindings: Finding[], checks: EnvironmentCheck[]): Finding[] {
  const already = new Set(sourceFindings.map((f) => `${f.code}@${f.span.start}:${f.span.end}`));
  // One finding per (code, span): environments that say the same thing share a prefix; different words (the
  // resolved values differ) follow each other.
  const merged = new Map<string, { finding: Finding; messages: Map<string, string[]>; resolvedData: unknown }>();
  const add = (environment: string, finding: Finding, resolvedData: unknown) => {
    const key = `${finding.code}@${finding.span.start}:${finding.span.end}`;
    let entry = merged.get(key);
    if (!entry) merged.set(key, (entry = { finding, messages: new Map(), resolvedData }));
    const names = entry.messages.get(finding.message) ?? [];
    if (!names.includes(environment)) names.push(environment);
    entry.messages.set(finding.message, names);
  };
  for (const check of checks) {
    const name = check.resolved.environment.name;
    for (const problem of check.resolved.problems) {
      if (problem.file !== relativePath || problem.code === DiagnosticCodes.undefinedSetting) continue;
      add(name, { code: problem.code, severity: problem.severity, message: problem.message, span: problem.span }, problem.data);
    }
    const file = check.resolved.files.find((f) => f.relativePath === relativePath);
    if (!file) continue;
    for (const finding of check.findingsByPath.get(relativePath) ?? []) {
      const span = mapResolvedSpanToSource(file.map, finding.span);
      if (already.has(`${finding.code}@${span.start}:${span.end}`)) continue;
      add(name, { code: finding.code, severity: finding.severity, message: finding.message, span }, finding.data);
    }
  }
  const out: Finding[] = [];
  for (const { finding, messages, resolvedData } of merged.values()) {
    const parts = [...messages].map(([message, names]) => (names.length === 1 && message.includes(`'${names[0]}'`) ? message : `[${names.join(', ')}] ${message}`));
    out.push({ ...finding, message: parts.join(' '), data: { environments: [...messages.values()].flat(), resolved: resolvedData } });
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

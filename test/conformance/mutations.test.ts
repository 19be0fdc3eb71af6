import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CORPUS_DIR, needsCorpus, readText } from '../helpers/corpus';
import { Analysis } from '../../server/src/service/analysis/analysis';
import type { Finding } from '../../server/src/service/findings';

/**
 * Mutation tests on the starter pack: a single, realistic mistake introduced into an otherwise clean pack
 * must produce exactly the expected new findings (at exact spans) and nothing else.
 */

const MAIN_PACKS = [
  'DisplayControls-LocalAccounts',
  'DisplayControls-SocialAccounts',
  'DisplayControls-SocialAndLocalAccounts',
  'DisplayControls-SocialAndLocalAccountsWithMfa',
  'LocalAccounts',
  'SocialAccounts',
  'SocialAndLocalAccounts',
  'SocialAndLocalAccountsWithMfa',
];

interface Pack {
  uris: string[];
  texts: Map<string, string>;
}

function loadPack(pack: string): Pack {
  const dir = path.join(CORPUS_DIR, pack);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().map((f) => path.join(dir, f));
  const texts = new Map<string, string>();
  for (const f of files) texts.set(pathToFileURL(f).href, readText(f));
  return { uris: [...texts.keys()], texts };
}

function diagnoseAll(texts: Map<string, string>): Map<string, Finding[]> {
  const service = new Analysis({ log: (m) => { throw new Error(m); } });
  for (const [uri, text] of texts) service.index.setDiskFile(uri, text);
  const out = new Map<string, Finding[]>();
  for (const uri of texts.keys()) out.set(uri, service.findings(uri));
  return out;
}

const key = (uri: string, f: { code: string; span: { start: number; end: number } }) => `${path.basename(new URL(uri).pathname)} ${f.code} ${f.span.start}-${f.span.end}`;

/** An edit of one file: the text from `at` on moved by `delta` characters. */
interface Edit {
  uri: string;
  at: number;
  delta: number;
}

/** Findings after a mutation that were not there before (baseline spans moved through the edits). */
function newFindings(before: Map<string, Finding[]>, after: Map<string, Finding[]>, edits: Edit[]): Array<{ uri: string; finding: Finding }> {
  const moved = (uri: string, offset: number) => {
    let o = offset;
    for (const e of edits) if (e.uri === uri && offset >= e.at) o += e.delta;
    return o;
  };
  const old = new Set<string>();
  for (const [uri, findings] of before) for (const f of findings) old.add(key(uri, { code: f.code, span: { start: moved(uri, f.span.start), end: moved(uri, f.span.end) } }));
  const out: Array<{ uri: string; finding: Finding }> = [];
  for (const [uri, findings] of after) for (const f of findings) if (!old.has(key(uri, f))) out.push({ uri, finding: f });
  return out;
}

/** Findings that disappeared (baseline spans moved through the edits). */
function lostFindings(before: Map<string, Finding[]>, after: Map<string, Finding[]>, edits: Edit[]): string[] {
  const moved = (uri: string, offset: number) => {
    let o = offset;
    for (const e of edits) if (e.uri === uri && offset >= e.at) o += e.delta;
    return o;
  };
  const now = new Set<string>();
  for (const [uri, findings] of after) for (const f of findings) now.add(key(uri, f));
  const out: string[] = [];
  for (const [uri, findings] of before) {
    for (const f of findings) {
      const k = key(uri, { code: f.code, span: { start: moved(uri, f.span.start), end: moved(uri, f.span.end) } });
      if (!now.has(k)) out.push(k);
    }
  }
  return out;
}

const errors = (all: Map<string, Finding[]>) => [...all].flatMap(([uri, fs]) => fs.filter((f) => f.severity === 'error').map((f) => `${key(uri, f)} ${f.message}`));

/** Sites referring to a technical profile: *TechnicalProfileReferenceId="id" and ReferenceId="id" (case-insensitive). */
function technicalProfileReferenceSites(texts: Map<string, string>): Map<string, Array<{ uri: string; start: number; end: number }>> {
  const sites = new Map<string, Array<{ uri: string; start: number; end: number }>>();
  const pattern = /\b(\w*TechnicalProfileReferenceId|ReferenceId)\s*=\s*"([^"]*)"/g;
  for (const [uri, text] of texts) {
    for (const m of text.matchAll(pattern)) {
      const id = m[2];
      const start = m.index! + m[0].length - 1 - id.length;
      const list = sites.get(id.toLowerCase()) ?? [];
      list.push({ uri, start, end: start + id.length });
      sites.set(id.toLowerCase(), list);
    }
  }
  return sites;
}

function definedTechnicalProfiles(texts: Map<string, string>): Set<string> {
  const out = new Set<string>();
  for (const text of texts.values()) for (const m of text.matchAll(/<TechnicalProfile\s+Id="([^"]+)"/g)) out.add(m[1]);
  return out;
}

/** Renames every definition of a technical profile (same-length new name, so no offsets move). */
function renameTechnicalProfile(pack: Pack, id: string): { texts: Map<string, string>; renamed: string } {
  const renamed = id.slice(0, -1) + (id.endsWith('Z') ? 'Q' : 'Z');
  const texts = new Map<string, string>();
  let count = 0;
  for (const [uri, text] of pack.texts) {
    texts.set(
      uri,
      text.replace(new RegExp(`(<TechnicalProfile\\s+Id=")${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'g'), (_, p: string) => {
        count++;
        return `${p}${renamed}"`;
      }),
    );
  }
  assert.ok(count > 0, `no definition of ${id}`);
  return { texts, renamed };
}

function checkRename(pack: Pack, id: string): void {
  const before = diagnoseAll(pack.texts);
  assert.deepEqual(errors(before), [], 'baseline has no errors');
  const sites = technicalProfileReferenceSites(pack.texts).get(id.toLowerCase()) ?? [];
  assert.ok(sites.length >= 1, `${id} is referenced`);
  const { texts, renamed } = renameTechnicalProfile(pack, id);
  const after = diagnoseAll(texts);
  // A renamed profile that others included (AAD-Common) now stands alone, and the metadata it lacks on its
  // own is judged on it: a consequence on the renamed definition itself, not on a referencing site.
  const renamedIdSpans = [...texts].flatMap(([uri, text]) =>
    [...text.matchAll(new RegExp(`<TechnicalProfile\\s+Id="(${renamed})"`, 'g'))].map((m) => ({ uri, start: m.index! + m[0].indexOf(renamed), end: m.index! + m[0].indexOf(renamed) + renamed.length })),
  );
  const added = newFindings(before, after, []).filter(
    ({ uri, finding }) => !(finding.code === 'missing-metadata' && renamedIdSpans.some((s) => s.uri === uri && s.start === finding.span.start && s.end === finding.span.end)),
  );
  assert.deepEqual(
    added.map(({ uri, finding }) => `${key(uri, finding)} ${finding.data?.kind} ${finding.data?.id}`).sort(),
    sites.map((s) => `${key(s.uri, { code: 'unresolved-reference', span: s })} technicalProfile ${pack.texts.get(s.uri)!.slice(s.start, s.end)}`).sort(),
  );
  for (const { finding } of added) assert.equal(finding.severity, 'error');
  // Nothing went away either, except case hints on the renamed profile's references (none in the packs).
  assert.deepEqual(lostFindings(before, after, []), []);
}

test('mutation (a): renaming AAD-UserReadUsingObjectId (referenced from several sites) reports exactly its referencing sites', { skip: needsCorpus }, () => {
  checkRename(loadPack('SocialAndLocalAccounts'), 'AAD-UserReadUsingObjectId');
});

test('mutation (a) over the 8 main packs: renaming the most-referenced technical profile reports exactly its referencing sites', { skip: needsCorpus }, () => {
  const picked: string[] = [];
  for (const name of MAIN_PACKS) {
    const pack = loadPack(name);
    const defined = definedTechnicalProfiles(pack.texts);
    const sites = technicalProfileReferenceSites(pack.texts);
    const candidates = [...defined]
      .map((id) => ({ id, count: sites.get(id.toLowerCase())?.length ?? 0 }))
      .filter((c) => c.count >= 2)
      .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
    assert.ok(candidates.length > 0, `${name}: a technical profile referenced twice`);
    // The most referenced and, for variety, one referenced exactly twice (when there is one).
    // Plus, when the pack has one, a profile referenced from a file that does not define it.
    const crossFile = [...defined].map((id) => ({ id, count: sites.get(id.toLowerCase())?.length ?? 0 })).filter((c) => c.count > 0).sort((a, b) => (a.id < b.id ? -1 : 1)).find((c) => {
      const definedIn = pack.uris.filter((u) => pack.texts.get(u)!.includes(`<TechnicalProfile Id="${c.id}"`));
      return sites.get(c.id.toLowerCase())!.some((s) => !definedIn.includes(s.uri));
    });
    const picks = [...new Set([candidates[0], candidates.find((c) => c.count === 2), crossFile])].filter((c): c is { id: string; count: number } => !!c);
    picked.push(`${name}: ${picks.map((p) => p.id).join(', ')}`);
    for (const pick of picks) {
      try {
        checkRename(pack, pick.id);
      } catch (e) {
        (e as Error).message = `${name} / ${pick.id}: ${(e as Error).message}`;
        throw e;
      }
    }
  }
  assert.equal(picked.length, 8);
});

test('mutation (b): dropping the B2C_1A_ prefix of a StorageReferenceId gives exactly one policy-key-prefix', { skip: needsCorpus }, () => {
  const pack = loadPack('SocialAndLocalAccounts');
  const before = diagnoseAll(pack.texts);
  assert.deepEqual(errors(before), []);
  const uri = pack.uris.find((u) => /StorageReferenceId="B2C_1A_/.test(pack.texts.get(u)!))!;
  assert.ok(uri, 'a file with a StorageReferenceId');
  const text = pack.texts.get(uri)!;
  const m = /StorageReferenceId="B2C_1A_([^"]+)"/.exec(text)!;
  const at = m.index + 'StorageReferenceId="'.length;
  const mutated = text.slice(0, at) + text.slice(at + 'B2C_1A_'.length);
  const texts = new Map(pack.texts).set(uri, mutated);
  const after = diagnoseAll(texts);
  const edits = [{ uri, at, delta: -'B2C_1A_'.length }];
  const added = newFindings(before, after, edits);
  assert.deepEqual(
    added.map(({ uri: u, finding }) => ({ uri: u, code: finding.code, severity: finding.severity, span: finding.span, fixed: finding.data?.fixed })),
    [{ uri, code: 'policy-key-prefix', severity: 'error', span: { start: at, end: at + m[1].length }, fixed: `B2C_1A_${m[1]}` }],
  );
  assert.deepEqual(lostFindings(before, after, edits), []);
});

test('mutation (c): a TargetClaimsExchangeId naming an exchange of another step gives exactly one unresolved claimsExchange', { skip: needsCorpus }, () => {
  const pack = loadPack('SocialAndLocalAccounts');
  const before = diagnoseAll(pack.texts);
  assert.deepEqual(errors(before), []);
  // Find a TargetClaimsExchangeId and an exchange Id of the same journey, neither in the next step.
  const service = new Analysis();
  for (const [uri, text] of pack.texts) service.index.setDiskFile(uri, text);
  let choice: { uri: string; start: number; end: number; replacement: string; journeyId: string; order: number } | undefined;
  for (const uri of pack.uris) {
    const file = service.index.get(uri)!;
    for (const reference of file.references) {
      if (reference.kind !== 'claimsExchange' || reference.step?.target !== 'next') continue;
      const journey = file.journeys.find((j) => j.id === reference.step!.journeyId)!;
      const next = journey.steps.find((s) => s.order === reference.step!.order + 1);
      if (!next) continue;
      const nextIds = new Set(next.exchanges.map((e) => e.id.toLowerCase()));
      const other = journey.steps.filter((s) => s !== next).flatMap((s) => s.exchanges).find((e) => !nextIds.has(e.id.toLowerCase()));
      if (!other) continue;
      choice = { uri, start: reference.span.start, end: reference.span.end, replacement: other.id, journeyId: journey.id, order: reference.step!.order };
      break;
    }
    if (choice) break;
  }
  assert.ok(choice, 'a journey with a selection and an exchange in another step');
  const text = pack.texts.get(choice.uri)!;
  const mutated = text.slice(0, choice.start) + choice.replacement + text.slice(choice.end);
  const texts = new Map(pack.texts).set(choice.uri, mutated);
  const after = diagnoseAll(texts);
  const edits = [{ uri: choice.uri, at: choice.end, delta: choice.replacement.length - (choice.end - choice.start) }];
  const added = newFindings(before, after, edits);
  assert.deepEqual(
    added.map(({ uri, finding }) => ({ uri, code: finding.code, severity: finding.severity, span: finding.span, kind: finding.data?.kind, id: finding.data?.id })),
    [{ uri: choice.uri, code: 'unresolved-reference', severity: 'error', span: { start: choice.start, end: choice.start + choice.replacement.length }, kind: 'claimsExchange', id: choice.replacement }],
  );
  assert.ok(added[0].finding.message.includes(`orchestration step ${choice.order + 1} of journey '${choice.journeyId}'`), added[0].finding.message);
  assert.deepEqual(lostFindings(before, after, edits), []);
});

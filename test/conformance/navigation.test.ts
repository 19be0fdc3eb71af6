/**
 * Navigation on Microsoft's starter packs (../shared): every reference goes to a definition of its own chain,
 * and renaming the most used symbols of each pack edits every file consistently and adds no finding.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { SchemaCache } from '../../server/src/schemaFile';
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { applyOffsetEdits } from '../../server/src/service/edits/textEdits';
import { parsePolicyFile, type PolicyFile } from '../../server/src/service/policy/model';
import { LineIndex } from '../../server/src/service/xml/lines';
import { CORPUS_DIR, corpusPacks, needsCorpus, readText } from '../helpers/corpus';

const ADD_ONS = ['scenario-linkedin-identity-provider', 'scenario-password-change'];
const schemas = new SchemaCache();

function loadPack(pack: string): { service: PolicyLanguageService; files: PolicyFile[] } {
  const service = new PolicyLanguageService({ schema: schemas.load(), log: (m) => { throw new Error(m); } });
  const dir = path.join(CORPUS_DIR, pack);
  const files: PolicyFile[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()) {
    const uri = pathToFileURL(path.join(dir, name)).href;
    const text = readText(path.join(dir, name));
    service.setDiskFile(uri, text);
    files.push(parsePolicyFile(uri, text));
  }
  return { service, files };
}

const findings = (s: PolicyLanguageService) => s.policyUris().flatMap((u) => s.findings(u).map((f) => `${path.basename(u)} ${f.code}`)).sort();

test('every reference of every starter pack goes to a definition with its id (case-insensitively)', { skip: needsCorpus }, () => {
  let checked = 0;
  for (const pack of corpusPacks().filter((p) => !ADD_ONS.includes(p))) {
    const { service, files } = loadPack(pack);
    for (const file of files) {
      for (const reference of file.references) {
        if (!reference.id) continue;
        const links = service.definition(file.uri, file.lines.positionAt(reference.span.start + 1));
        assert.ok(links.length > 0, `${pack}/${path.basename(file.uri)} line ${file.lines.positionAt(reference.span.start).line + 1}: ${reference.kind} '${reference.id}'`);
        for (const link of links) {
          const target = service.text(link.targetUri)!;
          const lines = new LineIndex(target);
          assert.equal(target.slice(lines.offsetAt(link.targetSelectionRange.start), lines.offsetAt(link.targetSelectionRange.end)).toLowerCase(), reference.id.toLowerCase());
        }
        checked++;
      }
    }
  }
  assert.ok(checked > 2000, `${checked} references checked`);
});

test('renaming the most used technical profile, claim type, journey and exchange of each pack: consistent edits, no new finding, and back', { skip: needsCorpus }, () => {
  for (const pack of corpusPacks().filter((p) => !ADD_ONS.includes(p))) {
    const { service, files } = loadPack(pack);
    const before = findings(service);
    const original = new Map(files.map((f) => [f.uri, f.text]));
    const base = files.find((f) => !f.base)!;
    // The most referenced definition of each kind in the base, and the first exchange a selection targets.
    const picks = (['technicalProfile', 'claimType', 'userJourney'] as const).map((kind) => {
      const counted = base.definitions.filter((d) => d.kind === kind).map((d) => ({ d, n: service.references(base.uri, base.lines.positionAt(d.idSpan.start), false).length }));
      return counted.sort((a, b) => b.n - a.n)[0].d.idSpan.start;
    });
    const selection = base.references.find((r) => r.kind === 'claimsExchange' && r.attribute === 'TargetClaimsExchangeId');
    if (selection) picks.push(selection.span.start);
    for (const offset of picks) {
      const uri = base.uri;
      const position = new LineIndex(service.text(uri)!).positionAt(offset);
      const prepared = service.prepareRename(uri, position);
      assert.ok(prepared && !('error' in prepared), `${pack}: prepareRename at ${offset}`);
      const oldName = prepared.placeholder;
      const newName = `${oldName}_renamed`;
      const occurrences = service.references(uri, position, true);
      const edit = service.rename(uri, position, newName);
      assert.ok(!('error' in edit), `${pack}: rename ${oldName}: ${JSON.stringify(edit)}`);
      const edits = Object.values(edit.changes!).flat();
      assert.equal(edits.length, occurrences.length, `${pack} ${oldName}: one edit per occurrence`);
      const lines = new LineIndex(service.text(uri)!);
      const shift = (edit.changes![uri] ?? []).filter((e) => lines.offsetAt(e.range.start) < offset).reduce((n, e) => n + e.newText.length - (lines.offsetAt(e.range.end) - lines.offsetAt(e.range.start)), 0);
      apply(service, edit.changes!);
      assert.deepEqual(findings(service).filter((f) => !before.includes(f)), [], `${pack}: no new finding after renaming ${oldName}`);
      // Back again from the renamed id (moved by the edits before it).
      const moved = new LineIndex(service.text(uri)!).positionAt(offset + shift);
      assert.equal(service.prepareRename(uri, moved) && (service.prepareRename(uri, moved) as { placeholder: string }).placeholder, newName);
      const back = service.rename(uri, moved, oldName);
      assert.ok(!('error' in back));
      apply(service, back.changes!);
    }
    // Ids renamed back to their declared casing may fix case-only references; otherwise every byte is back.
    for (const [uri, text] of original) {
      const now = service.text(uri)!;
      if (now !== text) assert.equal(now.toLowerCase(), text.toLowerCase(), `${pack}/${path.basename(uri)} differs only in case`);
    }
  }
});

function apply(service: PolicyLanguageService, changes: Record<string, Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>>): void {
  for (const [uri, edits] of Object.entries(changes)) {
    const text = service.text(uri)!;
    const lines = new LineIndex(text);
    service.setDiskFile(uri, applyOffsetEdits(text, edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))));
  }
}

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { SchemaCache } from '../../server/src/schemaFile';
import { Analysis } from '../../server/src/service/analysis/analysis';
import type { Finding } from '../../server/src/service/findings';
import { PolicyLanguageService } from '../../server/src/service/languageService';
import { CORPUS_DIR, needsCorpus, readText } from '../helpers/corpus';

/**
 * The analysis caches each check's findings by what the check depends on (the file, its chain, the
 * workspace's PolicyIds, its descendants: service/analysis/ruleDependencies.ts). After every edit, in a base,
 * an extension, a localization file or a relying party, and after each is undone, the findings of every file
 * of a service that lived through all the edits must equal those of a service built fresh from the same texts.
 * The edits reach every rule family: references (and their descendant-naming messages), claims flow, journey
 * structure, claims-exchange targets, technical-profile overrides and metadata requirements (which depend on
 * descendants), claim-type redeclarations, localization, tenant names, policy keys, base-policy resolution
 * and duplicate PolicyIds, and the schema.
 */

const schema = new SchemaCache().load();
const PACK = 'SocialAndLocalAccountsWithMfa';

interface Edit {
  name: string;
  file: string;
  /** Replaces the first occurrence (or with `all`, each one). */
  find: string;
  replace: string;
  /** How the service hears about it: an editor document or a change on disk. */
  via: 'document' | 'disk';
}

const BASE = 'TrustFrameworkBase.xml';
const EXT = 'TrustFrameworkExtensions.xml';
const LOC = 'TrustFrameworkLocalization.xml';
const RP = 'SignUpOrSignin.xml';
const RP2 = 'ProfileEdit.xml';

const EDITS: Edit[] = [
  { name: 'base: rename a claim type used everywhere (references, claims flow, localization)', file: BASE, find: '<ClaimType Id="email">', replace: '<ClaimType Id="emailX">', via: 'document' },
  { name: 'extension: define the renamed claim type (the base now names a descendant)', file: EXT, find: '<BuildingBlocks>', replace: '<BuildingBlocks><ClaimsSchema><ClaimType Id="email"><DisplayName>e</DisplayName><DataType>string</DataType></ClaimType></ClaimsSchema>', via: 'document' },
  { name: 'base: an included profile renamed (includes unresolved)', file: BASE, find: '<TechnicalProfile Id="AAD-Common">', replace: '<TechnicalProfile Id="AAD-CommonX">', via: 'disk' },
  { name: 'base: a tenant name in capitals', file: BASE, find: 'yourtenant.onmicrosoft.com', replace: 'YourTenant.onmicrosoft.com', via: 'document' },
  { name: 'base: a step order gap', file: BASE, find: '<OrchestrationStep Order="2"', replace: '<OrchestrationStep Order="9"', via: 'document' },
  { name: 'extension: a profile id typo (a new profile without DisplayName and Protocol)', file: EXT, find: '<TechnicalProfile Id="login-NonInteractive">', replace: '<TechnicalProfile Id="login-NonInteractiveX">', via: 'document' },
  { name: 'extension: a required metadata item removed (judged where the profile is last declared)', file: EXT, find: '<Item Key="client_id">facebook_clientid</Item>', replace: '', via: 'disk' },
  { name: 'extension: a claim type redeclared with another DataType', file: EXT, find: '<DataType>string</DataType></ClaimType></ClaimsSchema>', replace: '<DataType>int</DataType></ClaimType><ClaimType Id="displayName"><DataType>int</DataType></ClaimType></ClaimsSchema>', via: 'document' },
  { name: 'base: a policy key without its prefix', file: BASE, find: 'StorageReferenceId="B2C_1A_', replace: 'StorageReferenceId="', via: 'document' },
  { name: 'localization: a string id no page has', file: LOC, find: '<LocalizedString ElementType="UxElement" StringId="heading">Sign in</LocalizedString>', replace: '<LocalizedString ElementType="UxElement" StringId="heading">Sign in</LocalizedString><LocalizedString ElementType="UxElement" StringId="no_such_string">x</LocalizedString>', via: 'document' },
  { name: 'localization: an unknown localized resources id', file: LOC, find: 'LocalizedResourcesReferenceId="api.signuporsignin.en"', replace: 'LocalizedResourcesReferenceId="api.signuporsignin.enX"', via: 'document' },
  { name: 'extension: links those resources from a content definition (the localization file\'s strings are judged by a descendant\'s pages)', file: EXT, find: '</ClaimsSchema>', replace: '</ClaimsSchema><ContentDefinitions><ContentDefinition Id="api.signuporsignin"><LocalizedResourcesReferences MergeBehavior="Prepend"><LocalizedResourcesReference Language="en" LocalizedResourcesReferenceId="api.signuporsignin.en" /></LocalizedResourcesReferences></ContentDefinition></ContentDefinitions>', via: 'document' },
  { name: 'relying party: an unknown journey', file: RP, find: '<DefaultUserJourney ReferenceId="SignUpOrSignIn" />', replace: '<DefaultUserJourney ReferenceId="SignUpOrSignInX" />', via: 'document' },
  { name: 'relying party: an output claim nothing produces', file: RP, find: '<OutputClaim ClaimTypeReferenceId="displayName" />', replace: '<OutputClaim ClaimTypeReferenceId="displayName" /><OutputClaim ClaimTypeReferenceId="newPassword" />', via: 'document' },
  { name: 'relying party: built on the base directly (its chain changes)', file: RP2, find: '<PolicyId>B2C_1A_TrustFrameworkExtensions</PolicyId>', replace: '<PolicyId>B2C_1A_TrustFrameworkBase</PolicyId>', via: 'disk' },
  { name: 'relying party: the PolicyId of another one (duplicate PolicyId in the folder)', file: RP2, find: 'PolicyId="B2C_1A_ProfileEdit"', replace: 'PolicyId="B2C_1A_signup_signin"', via: 'document' },
  { name: 'extension: its PolicyId changed (relying parties lose their base)', file: EXT, find: 'PolicyId="B2C_1A_TrustFrameworkExtensions"', replace: 'PolicyId="B2C_1A_TrustFrameworkExtensionsX"', via: 'document' },
  { name: 'base: malformed XML', file: BASE, find: '</ClaimsSchema>', replace: '</ClaimsSchemaX>', via: 'document' },
];

function uriOf(file: string): string {
  return `file:///incremental/${PACK}/${file}`;
}

function comparable(service: { findings(uri: string): Finding[] }, uris: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const uri of uris) out[uri] = service.findings(uri).map((f) => ({ code: f.code, severity: f.severity, message: f.message, span: f.span, data: f.data }));
  return out;
}

/** The service that lives through the edits (the facade, as the server and the CLI use it). */
function liveService(texts: Map<string, string>): PolicyLanguageService {
  const service = new PolicyLanguageService({ schema, log: (m) => assert.fail(m) });
  for (const [uri, text] of texts) service.setDiskFile(uri, text);
  return service;
}

/** Findings computed from scratch: every file set before anything is resolved or checked. */
function fresh(texts: Map<string, string>): Analysis {
  const analysis = new Analysis({ schema, log: (m) => assert.fail(m) });
  for (const [uri, text] of texts) analysis.index.setDiskFile(uri, text);
  return analysis;
}

test('findings cached per check equal fresh findings after each edit (base, extension, localization, relying party) and after each undo', { skip: needsCorpus }, () => {
  const dir = path.join(CORPUS_DIR, PACK);
  /** What is on disk, and the open documents' texts (which hide it). */
  const disk = new Map<string, string>();
  const documents = new Map<string, string>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.xml')).sort()) disk.set(uriOf(f), readText(path.join(dir, f)));
  const uris = [...disk.keys()];
  const current = () => new Map([...disk].map(([u, t]) => [u, documents.get(u) ?? t]));
  const live = liveService(disk);
  comparable(live, uris); // every check cached before the first edit

  const apply = (uri: string, text: string, via: Edit['via']) => {
    if (via === 'document' || documents.has(uri)) {
      documents.set(uri, text);
      live.openDocument(uri, text);
    } else {
      disk.set(uri, text);
      live.setDiskFile(uri, text);
    }
  };
  const expectSame = (what: string, only = uris) => assert.deepEqual(comparable(live, only), comparable(fresh(current()), only), what);

  const undo: Array<() => void> = [];
  let findingsSeen = 0;
  for (const edit of EDITS) {
    const uri = uriOf(edit.file);
    const before = current().get(uri)!;
    assert.ok(before.includes(edit.find), `${edit.name}: '${edit.find}' is in ${edit.file}`);
    apply(uri, before.replace(edit.find, edit.replace), edit.via);
    expectSame(`after: ${edit.name}`);
    findingsSeen += uris.reduce((n, u) => n + live.findings(u).length, 0);
    undo.push(() => {
      apply(uri, before, edit.via);
      expectSame(`after undoing: ${edit.name}`);
    });
  }
  // The edits did produce findings (the comparison is not between two empty lists).
  assert.ok(findingsSeen > 100, `findings after the edits: ${findingsSeen}`);

  // A file deleted from disk and restored.
  const loc = uriOf(LOC);
  live.closeDocument(loc);
  const locDocument = documents.get(loc)!;
  documents.delete(loc);
  const locDisk = disk.get(loc)!;
  live.deleteDiskFile(loc);
  disk.delete(loc);
  expectSame('after deleting the localization file', uris.filter((u) => u !== loc));
  live.setDiskFile(loc, locDisk);
  disk.set(loc, locDisk);
  expectSame('after restoring it');
  live.openDocument(loc, locDocument);
  documents.set(loc, locDocument);

  for (const step of undo.reverse()) step();
  for (const uri of [...documents.keys()]) {
    live.closeDocument(uri);
    documents.delete(uri);
    expectSame(`after closing ${uri}`);
  }
  // Disk edits were undone as documents: put the shipped texts back on disk.
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.xml'))) {
    disk.set(uriOf(f), readText(path.join(dir, f)));
    live.setDiskFile(uriOf(f), disk.get(uriOf(f))!);
  }
  expectSame('back to the pack as shipped');
  assert.deepEqual(
    uris.flatMap((u) => live.findings(u).filter((f) => f.severity === 'error' || f.severity === 'warning')),
    [],
    'the untouched pack is clean again',
  );
});

test('bases found by distance (another folder): cached findings equal fresh ones as nearer and equally near bases come and go', { skip: needsCorpus }, () => {
  const dir = path.join(CORPUS_DIR, PACK);
  const read = (name: string) => readText(path.join(dir, name));
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.xml'))) files.set(`file:///far/envA/${PACK}/${f}`, read(f));
  // A relying party alone in its folder: its base (the Extensions) is found three folders away.
  const rp = 'file:///far/envB/SignUpOrSignin.xml';
  files.set(rp, read(RP));
  const live = liveService(files);
  const all = () => [...files.keys()];
  comparable(live, all());
  const expectSame = (what: string) => assert.deepEqual(comparable(live, all()), comparable(fresh(files), all()), what);
  const set = (uri: string, text: string | undefined) => {
    if (text === undefined) {
      files.delete(uri);
      live.deleteDiskFile(uri);
    } else {
      files.set(uri, text);
      live.setDiskFile(uri, text);
    }
  };
  const before = live.findings(rp).length;

  const twin = `file:///far/envC/${PACK}/${EXT}`;
  set(twin, read(EXT));
  expectSame('an equally near Extensions in a third folder (ambiguous base)');
  assert.ok(live.findings(rp).some((f) => f.code === 'unresolved-base-policy'), 'the relying party now names two candidates');
  set(`file:///far/envC/${PACK}/${BASE}`, read(BASE));
  expectSame('and its base beside it');
  set(twin, undefined);
  expectSame('the twin deleted');
  const near = 'file:///far/envB/TrustFrameworkExtensions.xml';
  set(near, read(EXT));
  expectSame('an Extensions beside the relying party (found in its own folder; its own base found by distance)');
  const extA = `file:///far/envA/${PACK}/${EXT}`;
  set(extA, read(EXT).replace('PolicyId="B2C_1A_TrustFrameworkExtensions"', 'PolicyId="B2C_1A_Other"'));
  expectSame('the far Extensions renamed');
  set(near, undefined);
  expectSame('the near one deleted (no Extensions left)');
  assert.ok(live.findings(rp).some((f) => f.code === 'unresolved-base-policy'), 'no base');
  set(extA, read(EXT));
  set(`file:///far/envC/${PACK}/${BASE}`, undefined);
  expectSame('back as it was');
  assert.equal(live.findings(rp).length, before);
});

import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { InsertClaimsProviderAnswers } from '../protocol';
import { writeFilesAtomically } from '../node/atomicWrite';
import { policyBytes } from '../node/policyFiles';
import { SchemaCache } from '../schemaFile';
import { applyEdits, PolicyLanguageService } from '../service/languageService';
import { parseArgs, UsageError, valueOf } from './args';
import type { CommandIo } from './io';
import { loadPolicies } from './policies';

export const ADD_USAGE = `Usage: b2c-policy add-claims-provider amazon --client-id ID [--policy-key NAME] [--journey ID | --new-journey ID] [--relying-party FILE]... EXTENSIONS_FILE

Adds the claims provider, its technical profile, the policy key reference, the journey button and exchange to
EXTENSIONS_FILE (policies in its folder resolve the chain) and points the relying parties at the journey.
All files are written or none.`;

/** `add-claims-provider`: the same edit as the editor command, written to the files. */
export function addClaimsProviderCommand(args: string[], io: CommandIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(ADD_USAGE + '\n');
    return 0;
  }
  const parsed = parseArgs(args, { values: ['--client-id', '--policy-key', '--journey', '--new-journey', '--relying-party'], switches: [], repeated: ['--relying-party'] });
  const [provider, extensionsFile, ...extra] = parsed.positional;
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (!provider) throw new UsageError('missing provider (amazon)');
  if (!extensionsFile) throw new UsageError('missing EXTENSIONS_FILE');
  const answers: InsertClaimsProviderAnswers = {
    clientId: valueOf(parsed, '--client-id') ?? '',
    policyKey: valueOf(parsed, '--policy-key'),
    journey: valueOf(parsed, '--journey'),
    newJourney: valueOf(parsed, '--new-journey'),
  };
  if (!answers.clientId) throw new UsageError('--client-id is required');
  if (answers.journey && answers.newJourney) throw new UsageError('give --journey or --new-journey, not both');
  const relyingParties = parsed.values.get('--relying-party') ?? [];

  const service = new PolicyLanguageService({ schema: new SchemaCache().load() });
  const loaded = loadPolicies(service, [path.dirname(extensionsFile), extensionsFile, ...relyingParties]);
  const unreadable = loaded.unreadable.find((u) => path.resolve(u.absolute) === path.resolve(extensionsFile) || relyingParties.some((r) => path.resolve(r) === path.resolve(u.absolute)));
  if (unreadable) throw new Error(`${unreadable.display}: ${unreadable.message}`);
  const uriOf = (p: string) => pathToFileURL(path.resolve(p)).href;
  answers.relyingParties = relyingParties.map(uriOf);
  const result = service.insertClaimsProvider({ uri: uriOf(extensionsFile), provider, answers });
  if ('error' in result) throw new Error(result.error);

  const byUri = new Map(loaded.files.map((f) => [f.uri, f]));
  const writes = Object.entries(result.edit.changes).map(([uri, edits]) => {
    const file = byUri.get(uri);
    const text = service.text(uri);
    if (!file || text === undefined) throw new Error(`${path.basename(fileURLToPath(uri))} is not among the files read`);
    return { path: file.absolute, data: policyBytes(file.display, applyEdits(text, edits), file.form) };
  });
  writeFilesAtomically(writes);
  const { info } = result;
  io.out(
    [
      `${result.alreadyPresent ? 'Updated' : 'Added'} ${provider} in ${extensionsFile} (journey '${result.journeyId}'); ${writes.length} file(s) changed.`,
      `Amazon developer console: Allowed Origins ${info.allowedOrigin}`,
      `                          Allowed Return URLs ${info.returnUrl}`,
      `Create the policy key ${info.policyKey} (Manual; the client secret) in the portal, then upload the Extensions file, then the relying party.`,
      ...result.notes,
    ].join('\n') + '\n',
  );
  return 0;
}

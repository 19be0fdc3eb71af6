import * as path from 'path';
import { pathToFileURL } from 'url';
import { readPolicyFile, type PolicyByteForm } from '../node/policyFiles';
import { findXmlFiles, type FileProblem, type FoundFile } from '../node/workspaceFiles';
import type { PolicyLanguageService } from '../service/languageService';

export interface LoadedFile extends FoundFile {
  uri: string;
  /** How the file is stored (encoding, byte-order mark): a file is written back in its own form. */
  form: PolicyByteForm;
}

export interface LoadResult {
  /** Files given to the service, in the order found. */
  files: LoadedFile[];
  /** Files that could not be read: `io` ones make the CLI exit 2, `content` ones are findings. */
  unreadable: Array<FileProblem & { kind: 'io' | 'content' }>;
}

/** Finds the XML files under the given paths and hands their text to the service (the CLI's workspace). */
export function loadPolicies(service: PolicyLanguageService, paths: string[]): LoadResult {
  const walk = findXmlFiles(paths.map((p) => ({ absolute: path.resolve(p), display: p })));
  const result: LoadResult = { files: [], unreadable: walk.problems.map((p) => ({ ...p, kind: 'io' as const })) };
  for (const file of walk.files) {
    const read = readPolicyFile(file.absolute);
    if (!read.ok) {
      result.unreadable.push({ ...file, kind: read.kind, message: read.message });
      continue;
    }
    const uri = pathToFileURL(file.absolute).href;
    service.setDiskFile(uri, read.text);
    result.files.push({ ...file, uri, form: read.form });
  }
  return result;
}

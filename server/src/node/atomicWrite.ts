import * as fs from 'fs';
import * as path from 'path';
import { errorText } from './workspaceFiles';

export interface FileWrite {
  /** Absolute path of an existing file or a new one. */
  path: string;
  /** The whole new content. */
  data: string | Uint8Array;
}

/** Some files could not be written; none of them was changed (or, after a failed rename, which ones were is said). */
export class WriteError extends Error {}

/**
 * Writes several files all-or-nothing: every target is checked writable and every new content written to a
 * temporary file beside its target first; only when all of those succeeded are the temporary files renamed
 * over the targets (a rename within a folder is atomic). On a failure before the renames nothing changed.
 */
export function writeFilesAtomically(writes: FileWrite[]): void {
  const temps: Array<{ temp: string; target: string }> = [];
  const cleanUp = () => {
    for (const t of temps) fs.rmSync(t.temp, { force: true });
  };
  try {
    for (const w of writes) {
      if (fs.existsSync(w.path)) fs.accessSync(w.path, fs.constants.W_OK);
      const temp = path.join(path.dirname(w.path), `.${path.basename(w.path)}.${process.pid}.${temps.length}.tmp`);
      const mode = fs.existsSync(w.path) ? fs.statSync(w.path).mode & 0o777 : undefined;
      fs.writeFileSync(temp, w.data, mode === undefined ? undefined : { mode });
      temps.push({ temp, target: w.path });
    }
  } catch (e) {
    cleanUp();
    const failed = writes[temps.length];
    throw new WriteError(`cannot write ${failed?.path ?? 'a file'}: ${errorText(e)}; no file was changed`);
  }
  const renamed: string[] = [];
  for (const t of temps) {
    try {
      fs.renameSync(t.temp, t.target);
      renamed.push(t.target);
    } catch (e) {
      cleanUp();
      throw new WriteError(`cannot replace ${t.target}: ${errorText(e)}; ${renamed.length ? `already written: ${renamed.join(', ')}` : 'no file was changed'}`);
    }
  }
}

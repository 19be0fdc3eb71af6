import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SchemaCache } from '../../server/src/schemaFile';
import { PolicyLanguageService } from '../../server/src/service/languageService';

const schemas = new SchemaCache();

/** The facade over an in-memory workspace: file names (relative, `/` separated) -> text, under file:///ws/. */
export function memoryWorkspace(files: Record<string, string>): { service: PolicyLanguageService; uri: (name: string) => string } {
  const service = new PolicyLanguageService({ schema: schemas.load(), log: (m) => { throw new Error(m); } });
  const uri = (name: string) => `file:///ws/${name}`;
  for (const [name, text] of Object.entries(files)) service.setDiskFile(uri(name), text);
  return { service, uri };
}

/** A temporary folder on disk with the given files (relative, `/` separated; text written as UTF-8, bytes as given). */
export function diskWorkspace(files: Record<string, string | Uint8Array>, prefix = 'b2c-ws-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

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

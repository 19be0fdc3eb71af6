import * as path from 'path';
import { pathToFileURL } from 'url';
import { SchemaCache } from '../../server/src/schemaFile';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { readText } from './corpus';

const schemas = new SchemaCache();

/** A service with the bundled schema, loaded with the given files from disk. */
export function serviceForFiles(files: string[], withSchema = true): { service: Analysis; uris: string[] } {
  const service = new Analysis({ schema: withSchema ? schemas.load() : undefined, log: (m) => { throw new Error(m); } });
  const uris = files.map((f) => pathToFileURL(path.resolve(f)).href);
  files.forEach((f, i) => service.index.setDiskFile(uris[i], readText(f)));
  return { service, uris };
}

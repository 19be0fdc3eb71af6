import * as fs from 'fs';
import * as path from 'path';
import { compileSchema, type CompiledSchema } from './service/schema';

/** The schema shipped with the extension and the CLI (schemas/ beside dist/). */
export function bundledSchemaPath(): string {
  const candidates = [path.join(__dirname, '..', 'schemas'), path.join(__dirname, '..', '..', 'schemas'), path.join(__dirname, '..', '..', '..', 'schemas'), path.join(__dirname, '..', '..', '..', '..', 'schemas')];
  for (const dir of candidates) {
    const file = path.join(dir, 'TrustFrameworkPolicy_0.3.0.0.xsd');
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`bundled schema not found near ${__dirname}`);
}

/**
 * Compiles a schema file once per (path, modification time). A foreign schema (not the bundled one) is
 * read the way the service reads Microsoft's file: patterns wrapped in ^...$ are anchors.
 */
export class SchemaCache {
  private readonly compiled = new Map<string, { mtimeMs: number; schema: CompiledSchema }>();

  load(schemaPath?: string): CompiledSchema {
    const bundled = bundledSchemaPath();
    const file = path.resolve(schemaPath || bundled);
    const mtimeMs = fs.statSync(file).mtimeMs;
    const cached = this.compiled.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.schema;
    const schema = compileSchema(fs.readFileSync(file, 'utf8'), { anchoredPatterns: file !== bundled });
    this.compiled.set(file, { mtimeMs, schema });
    return schema;
  }
}

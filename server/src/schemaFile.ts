import { createSha256 } from './service/util/sha256';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  compileSchema,
  deserializeSchema,
  loadBundledSchema,
  serializeSchema,
  type BundledSchemaName,
  type CompiledSchema,
} from './service/schema';
import { COMPILER_FINGERPRINT } from './service/schema/generated/bundledSchemas';
import { readPolicyText } from './node/policyFiles';

/**
 * Which framework schema to validate against: a bundled one (precompiled at build time; `current` is the
 * default) or a user's XSD file.
 */
export type SchemaChoice = BundledSchemaName | { path: string };

export interface SchemaLoadOptions {
  /**
   * Where compiled user schemas are kept between runs (one JSON file per XSD content hash). The CLI passes
   * defaultCacheDir(), the extension its global storage folder; without one, user schemas are compiled in
   * memory only.
   */
  cacheDir?: string;
  /** Told about cache files that could not be read or written (never fatal). */
  log?: (message: string) => void;
}

/** The value of the `b2cPolicy.schema` setting or `--schema`: `current`, `official`, a path; empty: current. */
export function parseSchemaChoice(value: string | undefined): SchemaChoice {
  const text = (value ?? '').trim();
  if (text === '' || text === 'current') return 'current';
  if (text === 'official') return 'official';
  return { path: text };
}

/** The CLI's cache folder: $XDG_CACHE_HOME/b2c-policy, else ~/.cache/b2c-policy. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'b2c-policy');
}

/** Loads a schema once (no memory cache across calls: use SchemaCache for that). Throws on a bad XSD. */
export function loadSchema(choice: SchemaChoice, options: SchemaLoadOptions = {}): CompiledSchema {
  return new SchemaCache(options).load(choice);
}

/**
 * Loads schemas and keeps them: bundled ones by name, user XSDs by content hash (in memory, and on disk when
 * a cache folder is given). A user XSD is read the way the service reads Microsoft's file: patterns wrapped
 * in ^...$ are anchors.
 */
export class SchemaCache {
  private readonly bundled = new Map<BundledSchemaName, CompiledSchema>();
  private readonly byHash = new Map<string, CompiledSchema>();

  constructor(private readonly options: SchemaLoadOptions = {}) {}

  /** A choice, or a setting's text (see parseSchemaChoice; undefined or empty: current). */
  load(choice?: SchemaChoice | string): CompiledSchema {
    const resolved = typeof choice === 'object' ? choice : parseSchemaChoice(choice);
    if (typeof resolved === 'string') {
      let schema = this.bundled.get(resolved);
      if (!schema) {
        schema = loadBundledSchema(resolved);
        this.bundled.set(resolved, schema);
      }
      return schema;
    }
    return this.loadFile(path.resolve(resolved.path));
  }

  private loadFile(file: string): CompiledSchema {
    // The policy reader: a regular file only (a FIFO or /dev/zero named in settings is refused, not waited on
    // or read without end), size-capped, decoded with its byte-order mark removed (common in XSD files saved
    // by Windows tools; the XML parser must not see it).
    const text = readPolicyText(file);
    const key = createSha256().update(`${COMPILER_FINGERPRINT}\nanchored\n`).update(text).digest('hex');
    const known = this.byHash.get(key);
    if (known) return known;
    const cacheFile = this.options.cacheDir ? path.join(this.options.cacheDir, `schema-${key.slice(0, 32)}.json`) : undefined;
    let schema = cacheFile ? this.readCache(cacheFile) : undefined;
    if (!schema) {
      schema = compileSchema(text, { anchoredPatterns: true });
      if (cacheFile) this.writeCache(cacheFile, schema);
    }
    this.byHash.set(key, schema);
    return schema;
  }

  private readCache(cacheFile: string): CompiledSchema | undefined {
    let text: string;
    try {
      text = fs.readFileSync(cacheFile, 'utf8');
    } catch {
      return undefined; // not cached yet
    }
    try {
      return deserializeSchema(JSON.parse(text));
    } catch (error) {
      this.options.log?.(`ignoring the unreadable schema cache file ${cacheFile}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Writes atomically (a temporary file renamed into place), so a concurrent reader never sees half a file. */
  private writeCache(cacheFile: string, schema: CompiledSchema): void {
    const temporary = `${cacheFile}.${process.pid}.${Date.now()}.tmp`;
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      fs.writeFileSync(temporary, JSON.stringify(serializeSchema(schema)));
      fs.renameSync(temporary, cacheFile);
    } catch (error) {
      this.options.log?.(`could not write the schema cache file ${cacheFile}: ${(error as Error).message}`);
      try {
        fs.rmSync(temporary, { force: true });
      } catch {
        // nothing more to do: the cache is an optimisation
      }
    }
  }
}

/** The project's official-grammar XSD (schemas/ beside dist/ or the sources): its text, for tools and tests. */
export function bundledSchemaPath(): string {
  const candidates = [path.join(__dirname, '..', 'schemas'), path.join(__dirname, '..', '..', 'schemas'), path.join(__dirname, '..', '..', '..', 'schemas'), path.join(__dirname, '..', '..', '..', '..', 'schemas')];
  for (const dir of candidates) {
    const file = path.join(dir, 'TrustFrameworkPolicy_0.3.0.0.xsd');
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`bundled schema not found near ${__dirname}`);
}

/**
 * The schemas shipped with the product, precompiled at build time (scripts/build-schemas.mjs writes
 * generated/bundledSchemas.ts from schemas/): loading one parses JSON, with no XSD reading.
 * - `official`: TrustFrameworkPolicy 0.3.0.0 exactly as Microsoft publishes its grammar
 *   (schemas/TrustFrameworkPolicy_0.3.0.0.xsd);
 * - `current`: official plus the later additions documented by Microsoft (schemas/README.md lists them).
 */
import type { CompiledSchema } from './compiledSchema';
import { BUNDLED_SCHEMAS } from './generated/bundledSchemas';
import { deserializeSchema } from './serialized';

export type BundledSchemaName = 'current' | 'official';
export const BUNDLED_SCHEMA_NAMES: readonly BundledSchemaName[] = ['current', 'official'];

/** A fresh compiled copy of a bundled schema (callers keep it: each call parses the JSON again). */
export function loadBundledSchema(name: BundledSchemaName): CompiledSchema {
  return deserializeSchema(JSON.parse(BUNDLED_SCHEMAS[name]));
}

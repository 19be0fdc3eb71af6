import type { CompileOptions } from './compiler';
import type { CompiledSchema } from './compiledSchema';

export { SchemaCompileError, XS_NAMESPACE } from './compileError';
export type { CompileOptions } from './compiler';
export { CompiledSchema } from './compiledSchema';
export { validateDocument, DEFAULT_TEMPLATE_TOKENS, CLAIM_RESOLVER, XSI_NAMESPACE } from './validator';
export type { ValidateOptions } from './validator';
export { checkSimpleValue, normalizeWhiteSpace } from './simpleTypes';
export type { ValueProblem } from './simpleTypes';
export { compileXsdPattern, translateXsdPattern, XsdPattern, XsdRegexError } from './regex';
export { serializeSchema, deserializeSchema, SerializedSchemaError, SERIALIZED_SCHEMA_FORMAT } from './serialized';
export type { SerializedSchema } from './serialized';
export { loadBundledSchema, BUNDLED_SCHEMA_NAMES } from './bundled';
export type { BundledSchemaName } from './bundled';
export type * from './model';

/**
 * Compiles an XSD text (see compiler.ts). The compiler, with xmldom and XPath, is loaded on the first call
 * only: starting the CLI or the server with a bundled (precompiled) schema never evaluates it.
 */
export function compileSchema(xsdText: string, options: CompileOptions = {}): CompiledSchema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (above)
  const compiler = require('./compiler') as typeof import('./compiler');
  return compiler.compileSchema(xsdText, options);
}

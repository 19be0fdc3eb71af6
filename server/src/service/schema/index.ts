export { compileSchema, SchemaCompileError, XS_NAMESPACE } from './compiler';
export type { CompileOptions } from './compiler';
export { CompiledSchema } from './compiledSchema';
export { validateDocument, DEFAULT_TEMPLATE_TOKENS, CLAIM_RESOLVER, XSI_NAMESPACE } from './validator';
export type { ValidateOptions } from './validator';
export { checkSimpleValue, normalizeWhiteSpace } from './simpleTypes';
export type { ValueProblem } from './simpleTypes';
export { compileXsdPattern, translateXsdPattern, XsdRegexError } from './regex';
export type * from './model';

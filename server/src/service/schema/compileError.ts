/** The XML Schema namespace. */
export const XS_NAMESPACE = 'http://www.w3.org/2001/XMLSchema';

/** Thrown for schemas that are malformed or use an XSD feature the compiler does not support. */
export class SchemaCompileError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'SchemaCompileError';
  }
}

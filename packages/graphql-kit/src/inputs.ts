/**
 * Ends the destructuring of a GraphQL input whose every field a service handles:
 *
 *   const { name, phone, ...unhandled } = input;   // input: the codegen type of the schema's input
 *   allFieldsHandled(unhandled);
 *
 * A field added to the schema lands in `unhandled`, whose type is then no longer empty, so the service
 * stops compiling until it handles the field (noUnusedLocals then insists that it is used). At run time
 * it also refuses a field it was not told about, for the tests, which run without the type checker.
 */
export function allFieldsHandled(unhandled: { readonly [field: string]: never }): void {
  const fields = Object.keys(unhandled).filter((field) => (unhandled as Record<string, unknown>)[field] !== undefined);
  if (fields.length) throw new Error(`Input fields no service handles: ${fields.join(', ')}`);
}

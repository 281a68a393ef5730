import { buildSchema, parse, validate, Kind, type OperationDefinitionNode } from 'graphql';
import { assertSafeVariables, safeLiteralsRule } from '../src/inputSafety';

const schema = buildSchema(`
  input Address { lines: [String!] pincode: String latitude: Float }
  type Query { search(text: String, address: Address, addresses: [Address!], near: Float): String }
`);
const refusals = (source: string) =>
  validate(schema, parse(source), [safeLiteralsRule]).map((error) => ({ message: error.message, field: error.extensions.field, code: error.extensions.code }));

describe('NUL characters and non-finite numbers written into a document', () => {
  it('names the argument and the place inside it', () => {
    expect(refusals('{ search(text: "a\\u0000b") }')).toEqual([
      { message: 'Argument "text" of search contains a NUL character (U+0000), which no text field accepts; remove it', field: 'text', code: 'BAD_USER_INPUT' },
    ]);
    expect(refusals('{ search(addresses: [{ pincode: "110001" }, { lines: ["ok", "\\u0000"] }]) }').map((r) => r.field)).toEqual(['addresses[1].lines[1]']);
    expect(refusals('query ($t: String = "\\u0000") { search(text: $t) }').map((r) => r.field)).toEqual(['$t']);
  });

  it('refuses Float and Int literals that overflow to Infinity, and nothing finite', () => {
    expect(refusals('{ search(near: 1e999) }').map((r) => r.message)).toEqual([
      'Argument "near" of search is 1e999, which is too large to be a number; send a finite value',
    ]);
    expect(refusals(`{ search(address: { latitude: ${'9'.repeat(400)} }) }`).map((r) => r.message)).toEqual([
      'Argument "address.latitude" of search is a 400-digit number, which is too large to be a number; send a finite value',
    ]);
    expect(refusals('{ search(text: "fine", near: 1.5e300, address: { latitude: 28.6 }) }')).toEqual([]);
  });
});

describe('NUL characters and non-finite numbers in variables', () => {
  const operation = parse('query ($address: Address, $t: String) { search(address: $address, text: $t) }').definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION,
  ) as OperationDefinitionNode;
  const refusal = (variables: Record<string, unknown>) => {
    try {
      assertSafeVariables(operation, variables);
      return null;
    } catch (error) {
      return { message: (error as Error).message, field: (error as { extensions: { field: string } }).extensions.field };
    }
  };

  it('names the variable, the path inside it, and the argument it is passed to', () => {
    expect(refusal({ address: { lines: ['12 Janpath', 'x\u0000'] } })).toEqual({
      message: 'Variable $address.lines[1] (argument "address" of search) contains a NUL character (U+0000), which no text field accepts; remove it',
      field: '$address.lines[1]',
    });
    expect(refusal({ address: { latitude: Infinity } })?.field).toBe('$address.latitude');
    expect(refusal({ t: 'fine', address: { lines: ['ok'], latitude: 28.6 } })).toBeNull();
  });
});

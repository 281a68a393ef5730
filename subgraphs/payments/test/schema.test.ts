import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildASTSchema, getNamedType, isInputObjectType, isObjectType, isInterfaceType, parse, type GraphQLNamedType, type GraphQLType } from "graphql";
import { buildSubgraphSchema } from '@apollo/subgraph';

/**
 * Money is whole paise end to end: in every subgraph's schema, every field, argument and input field that
 * carries an amount is an Int (never a Float, never a String), and the payments schema has no Float at all.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const SUBGRAPHS = ['offices', 'customers', 'articles', 'payments'];
const MONEY = /paise|amount|price|fee|balance|charge|revenue/i;
// Named like money but are not: counts of things.
const NOT_MONEY = /count/i;

function schemaOf(name: string) {
  const typeDefs = parse(readFileSync(path.join(ROOT, 'subgraphs', name, 'schema.graphql'), 'utf8'));
  return buildSubgraphSchema({ typeDefs });
}

describe.each(SUBGRAPHS)('the %s schema', (name) => {
  it('carries every amount as Int', () => {
    const schema = schemaOf(name);
    const wrong: string[] = [];
    const check = (where: string, fieldName: string, type: GraphQLNamedType) => {
      // Int for one article's amounts; LargePaise (a whole JSON number beyond 32 bits) for balances and totals.
      const whole = type.name === 'Int' || type.name === 'LargePaise';
      if (MONEY.test(fieldName) && !NOT_MONEY.test(fieldName) && !whole && !isObjectType(type) && !isInputObjectType(type)) wrong.push(`${where} is ${type.name}`);
      if (type.name === 'Float' && MONEY.test(fieldName)) wrong.push(`${where} is a Float`);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          check(`${type.name}.${field.name}`, field.name, getNamedType(field.type));
          for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.name, getNamedType(arg.type));
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.name, getNamedType(field.type));
      }
    }
    expect(wrong).toEqual([]);
  });
});

it('the payments schema has no Float anywhere', () => {
  const sdl = readFileSync(path.join(ROOT, 'subgraphs', 'payments', 'schema.graphql'), 'utf8');
  const schema = buildASTSchema(parse(sdl), { assumeValidSDL: true });
  const floats: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInputObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) if ((getNamedType(field.type as GraphQLType) as GraphQLNamedType).name === "Float") floats.push(`${type.name}.${field.name}`);
  }
  expect(floats).toEqual([]);
});

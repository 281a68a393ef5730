import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import { composeSupergraph } from '../src/compose';

/** Every GraphQL example in the README must be valid against the composed graph, so the docs cannot rot. */
describe('README examples', () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const apiSchema = Supergraph.build(composeSupergraph().supergraphSdl).apiSchema().toGraphQLJSSchema();

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThan(3);
  });

  // A block may hold several operations; each is checked on its own.
  const operations = blocks.flatMap((block) =>
    block
      .split(/\n(?=(?:#[^\n]*\n)*(?:query|mutation|\{))/)
      .map((text) => text.trim())
      .filter((text) => text.replace(/#[^\n]*/g, '').trim().length > 0),
  );

  it.each(operations.map((op) => [op.replace(/\s+/g, ' ').slice(0, 70), op]))('%s', (_name, operation) => {
    expect(validate(apiSchema, parse(operation)).map((e) => e.message)).toEqual([]);
  });
});

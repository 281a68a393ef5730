import { parse, specifiedRules, validate, buildSchema, Kind, type OperationDefinitionNode } from 'graphql';
import { operationCost } from '../src/cost';
import { operationLimitsRule } from '../src/limits';

const schema = buildSchema(`
  type Query { office(id: ID!): Office offices(first: Int): [Office!]! }
  type Office { id: ID! name: String! circle: Circle! }
  type Circle { id: ID! regions: [Region!]! offices(first: Int): [Office!]! }
  type Region { id: ID! circle: Circle! }
`);
const rule = operationLimitsRule({ maxDepth: 5, maxAliases: 3 });
const problems = (source: string) => validate(schema, parse(source), [...specifiedRules, rule]).map((e) => e.message);

describe('depth and alias limits', () => {
  it('accepts an operation at the limit', () => {
    expect(problems('{ office(id: "1") { circle { regions { circle { id } } } } }')).toEqual([]);
  });

  it('counts depth through fragments and inline fragments', () => {
    expect(problems('{ office(id: "1") { ...deep } } fragment deep on Office { circle { regions { circle { ... on Circle { regions { id } } } } } }')).toEqual([
      'Operation is nested 6 levels deep; the limit is 5',
    ]);
  });

  it('does not loop on fragment cycles (reported by GraphQL itself)', () => {
    const found = problems('{ office(id: "1") { circle { ...a } } } fragment a on Circle { regions { circle { ...a } } }');
    expect(found.some((m) => /Cannot spread fragment "a" within itself/.test(m))).toBe(true);
  });

  it('counts aliases, and names the operation', () => {
    expect(problems('query Busy { a: office(id: "1") { id } b: office(id: "2") { id } c: office(id: "3") { id } d: office(id: "4") { id } }')).toEqual([
      'Operation "Busy" uses 4 aliases; the limit is 3',
    ]);
  });
});

describe('operation cost', () => {
  const cost = (source: string, variables: Record<string, unknown> = {}) => {
    const document = parse(source);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    return operationCost(document, operation, variables);
  };

  it('multiplies what sits under a sized list, from literals and variables alike', () => {
    expect(cost('{ offices(first: 10) { id name } }')).toBe(1 + 10 * 2);
    expect(cost('query ($n: Int) { offices(first: $n) { id circle { offices(first: $n) { id } } } }', { n: 10 })).toBe(1 + 10 * (1 + 1 + 1 + 10 * 1));
  });

  it('counts lists of inputs and ignores introspection fields', () => {
    expect(cost('query ($a: [String!]!) { trackArticles(articleNumbers: $a) { status __typename } }', { a: ['x', 'y', 'z'] })).toBe(1 + 3);
  });
});

describe('the client IP behind proxies', () => {
  const { clientIpOf } = jest.requireActual('../src/server') as typeof import('../src/server');
  const request = (forwardedFor?: string) =>
    ({ socket: { remoteAddress: '10.0.0.2' }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as never;

  it('ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientIpOf(request('1.2.3.4'))).toBe('10.0.0.2');
  });

  it('takes the address the trusted proxy saw, not what the client claims', () => {
    // The client forged "6.6.6.6"; our one load balancer appended the address it really saw.
    expect(clientIpOf(request('6.6.6.6, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientIpOf(request('6.6.6.6, 203.0.113.7, 10.0.0.9'), 2)).toBe('203.0.113.7');
    expect(clientIpOf(request(), 1)).toBe('10.0.0.2');
  });
});

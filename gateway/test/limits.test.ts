import { Supergraph } from '@apollo/federation-internals';
import { parse, specifiedRules, validate, buildSchema, getNamedType, isListType, isNonNullType, isObjectType, Kind, type OperationDefinitionNode } from 'graphql';
import { composeSupergraph } from '../src/compose';
import { operationCost, DEFAULT_COST_OPTIONS } from '../src/cost';
import { demandModelOf } from '../src/demand';
import { operationLimitsRule } from '../src/limits';

// A small schema declaring its costs the way dakgraph's subgraphs do (directive definitions included,
// so it builds as plain SDL); demandModelOf reads the declarations from the same text.
const sdl = `
  schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])
         @link(url: "https://dakgraph.in/spec/limits/v0.1", import: ["@oncePerOperation", "@sizedByListArgument"]) { query: Query mutation: Mutation }
  directive @link(url: String, as: String, import: [String]) repeatable on SCHEMA
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  directive @oncePerOperation on FIELD_DEFINITION
  directive @sizedByListArgument(name: String!, sizedFields: [String!]) on FIELD_DEFINITION
  type Query {
    office(id: ID!): Office
    offices(first: Int = 20): OfficeConnection! @listSize(slicingArguments: ["first"], sizedFields: ["nodes"])
    circles: [Circle!]! @listSize(assumedSize: 25)
    search(text: String! @cost(weight: 3), first: Int = 20): [Office!]! @cost(weight: 10) @listSize(slicingArguments: ["first"]) 
    track(numbers: [String!]!): [Office]! @listSize(assumedSize: 500) @sizedByListArgument(name: "numbers")
    unsized: [Office!]!
  }
  type Mutation { login(email: String!): String @oncePerOperation @cost(weight: 100) book(n: Int): Office }
  type OfficeConnection { nodes: [Office!]! @listSize(assumedSize: 100) totalCount: Int! @cost(weight: 2) }
  type Office { id: ID! name: String! circle: Circle! }
  type Circle { id: ID! regions: [Region!]! @listSize(assumedSize: 10) offices(first: Int = 20): OfficeConnection! @listSize(slicingArguments: ["first"], sizedFields: ["nodes"]) }
  type Region { id: ID! circle: Circle! }
`;
const schema = buildSchema(sdl);
const model = demandModelOf(sdl);

describe('reading the demand-control declarations', () => {
  it('finds weights, list sizes and single-use fields, whatever name the link gives them', () => {
    expect(model.fieldWeights.get('Query.search')).toBe(10);
    expect(model.argumentWeights.get('Query.search(text:)')).toBe(3);
    expect(model.listSizes.get('Query.circles')).toEqual({ assumedSize: 25, slicingArguments: [], sizedFields: [] });
    expect(model.listSizes.get('Query.track')).toEqual({ assumedSize: 500, slicingArguments: ['numbers'], sizedFields: [] });
    expect([...model.oncePerOperation]).toEqual(['Mutation.login']);
    const renamed = demandModelOf(`schema @link(url: "https://specs.apollo.dev/cost/v0.1", as: "demand") { query: Query }
      type Query { a: [Int] @demand__listSize(assumedSize: 3) @demand(weight: 7) }`);
    expect(renamed.listSizes.get('Query.a')?.assumedSize).toBe(3);
    expect(renamed.fieldWeights.get('Query.a')).toBe(7);
  });
});

describe('depth, alias, directive and single-use limits', () => {
  const rule = operationLimitsRule({ maxDepth: 5, maxAliases: 3, maxDirectives: 4, maxFields: 40 }, model.oncePerOperation);
  const problems = (source: string) => validate(schema, parse(source), [...specifiedRules, rule]).map((e) => e.message);

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

  it('counts aliases hidden in a fragment once per spread', () => {
    expect(problems('{ office(id: "1") { ...two } circles { ...named } } fragment two on Office { a: id b: name } fragment named on Circle { x: id }')).toEqual([]);
    expect(problems('{ office(id: "1") { ...two circle { id } } o2: office(id: "2") { ...two } } fragment two on Office { a: id b: name }')).toEqual([
      'Operation uses 5 aliases; the limit is 3',
    ]);
  });

  it('counts directives', () => {
    expect(problems('{ office(id: "1") @include(if: true) { id @skip(if: false) name @include(if: true) circle @include(if: true) { id @include(if: true) } } }')).toEqual([
      'Operation uses 5 directives; the limit is 4',
    ]);
  });

  it('lets a single-use field appear once, however it is spelled', () => {
    expect(problems('mutation { login(email: "a") }')).toEqual([]);
    expect(problems('mutation { a: login(email: "a") b: login(email: "b") }')).toEqual([
      'Operation selects Mutation.login 2 times; it may be selected at most once per operation (send one request each)',
    ]);
    expect(problems('mutation { ...l ... on Mutation { other: login(email: "b") } } fragment l on Mutation { login(email: "a") }')).toEqual([
      'Operation selects Mutation.login 2 times; it may be selected at most once per operation (send one request each)',
    ]);
  });

  it('refuses subscriptions, saying what to do instead', () => {
    const found = problems('subscription { circles { id } }');
    expect(found.some((m) => /offers no subscriptions. Poll with a query/.test(m))).toBe(true);
  });

  it('summarises a fragment once however often it is spread (a 30-level fragment bomb)', () => {
    const levels = 30;
    const fragments = Array.from({ length: levels - 1 }, (_, i) => `fragment F${i + 1} on Query { ...F${i + 2} ...F${i + 2} a${i}: circles { id } }`);
    const source = `{ ...F1 } ${fragments.join(' ')} fragment F${levels} on Query { circles { id } }`;
    // 2^29 expanded spreads: expanding them would not finish; summarising them is instant. The
    // count itself is exact (every spread executes its aliases).
    const found = problems(source);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^Operation selects \d+ fields once its fragments are expanded; the limit is 40$/);
    expect(found[1]).toBe(`Operation uses ${2 ** (levels - 1) - 1} aliases; the limit is 3`);
  });

  it('counts fields once fragments are expanded, scalars included', () => {
    const bomb = Array.from({ length: 9 }, (_, i) => `fragment F${i + 1} on Query { ...F${i + 2} ...F${i + 2} }`).join(' ');
    expect(problems(`{ ...F1 } ${bomb} fragment F10 on Query { __typename }`)).toEqual([
      'Operation selects 512 fields once its fragments are expanded; the limit is 40',
    ]);
    expect(problems(`{ ...F1 } ${bomb} fragment F10 on Query { office(id: "1") { id } }`)).toEqual([
      'Operation selects 1024 fields once its fragments are expanded; the limit is 40',
    ]);
  });
});

describe('operation cost from @cost and @listSize', () => {
  const cost = (source: string, variables: Record<string, unknown> = {}) => {
    const document = parse(source);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    return operationCost(schema, model, document, operation, variables);
  };

  it('weighs objects 1 and scalars 0, and multiplies what sits under a sized list', () => {
    expect(cost('{ office(id: "1") { id name } }')).toBe(1);
    // The connection (1) and its nodes, sized by `first` (10 x 1 each).
    expect(cost('{ offices(first: 10) { nodes { id name } } }')).toBe(1 + 10);
    expect(cost('{ offices(first: 10) { totalCount } }')).toBe(1 + 2);
  });

  it('sizes from literals, variables, a variable’s default and the argument’s own default alike', () => {
    const nested = (first: string) => `{ offices(first: ${first}) { nodes { circle { offices(first: ${first}) { nodes { id } } } } } }`;
    const expected = 1 + 10 * (1 + 1 + 1 + 10 * 1);
    expect(cost(nested('10'))).toBe(expected);
    expect(cost(`query ($n: Int) ${nested('$n')}`, { n: 10 })).toBe(expected);
    expect(cost(`query ($n: Int = 10) ${nested('$n')}`)).toBe(expected);
    // No first at all: the schema's default, 20.
    expect(cost('{ offices { nodes { id } } }')).toBe(1 + 20);
    expect(cost('query ($n: Int) { offices(first: $n) { nodes { id } } }', {})).toBe(1 + 20);
  });

  it('counts lists without a slicing argument at their assumed size, and undeclared ones at the default', () => {
    expect(cost('{ circles { regions { id } } }')).toBe(25 * (1 + 10 * 1));
    expect(cost('{ unsized { id } }')).toBe(DEFAULT_COST_OPTIONS.defaultListSize);
  });

  it('sizes a list by the length of the list argument it answers', () => {
    expect(cost('query ($a: [String!]!) { track(numbers: $a) { id circle { id } } }', { a: ['x', 'y', 'z'] })).toBe(3 * 2);
    expect(cost('{ track(numbers: ["x", "y"]) { id } }')).toBe(2);
  });

  it('adds field and argument weights, and weighs mutations', () => {
    expect(cost('{ search(text: "nagar") { id } }')).toBe(20 * 10 + 3);
    expect(cost('mutation { book(n: 1) { id } }')).toBe(DEFAULT_COST_OPTIONS.mutationWeight);
    expect(cost('mutation { login(email: "a") }')).toBe(100);
  });

  it('costs fragments where they are spread, sized by the connection around them', () => {
    expect(cost('{ offices(first: 5) { ...page } } fragment page on OfficeConnection { nodes { id } }')).toBe(1 + 5);
    expect(cost('{ office(id: "1") { ...c } o2: office(id: "2") { ...c } } fragment c on Office { circle { id } }')).toBe(2 * (1 + 1));
  });

  it('is free for introspection', () => {
    expect(cost('{ __schema { types { name fields { name } } } __typename }')).toBe(0);
  });

  it('counts a fragment bomb without expanding it', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels - 1 }, (_, i) => `fragment F${i + 1} on Query { ...F${i + 2} ...F${i + 2} }`);
    const source = `{ ...F1 } ${fragments.join(' ')} fragment F${levels} on Query { circles { id } }`;
    expect(cost(source)).toBe(2 ** (levels - 1) * 25);
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

describe("dakgraph's own supergraph", () => {
  // Every list must have a size the cost can use: its own @listSize or @sizedByListArgument, or a
  // connection above it that sizes it. Otherwise it silently counts at the default of 100.
  const supergraphSdl = composeSupergraph().supergraphSdl;
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  const declared = demandModelOf(supergraphSdl);

  it('declares a size for every list field', () => {
    const sizedByParent = new Set<string>();
    for (const type of Object.values(api.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        for (const sized of declared.listSizes.get(`${type.name}.${field.name}`)?.sizedFields ?? []) {
          sizedByParent.add(`${getNamedType(field.type).name}.${sized}`);
        }
      }
    }
    const unsized: string[] = [];
    for (const type of Object.values(api.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
        if (list && !declared.listSizes.has(coordinate) && !sizedByParent.has(coordinate)) unsized.push(coordinate);
      }
    }
    expect(unsized).toEqual([]);
  });

  it('marks the password-checking mutations single-use', () => {
    expect([...declared.oncePerOperation].sort()).toEqual(['Mutation.changePassword', 'Mutation.login', 'Mutation.registerCustomer']);
  });
});

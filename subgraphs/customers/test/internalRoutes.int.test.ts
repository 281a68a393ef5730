import { callInternalRoute, close, listen, type InternalReceived, type InternalRequest, type InternalRoute } from '@dakgraph/graphql-kit';
import { CUSTOMERS_INTERNAL_ROUTES, apiKeyVerifyRoute, bookingPartiesRoute, customerOwnersRoute, partnerTermsRoute, sessionVerifyRoute } from '@dakgraph/internal-api';
import {
  ADMIN, CREATE_API_KEY, CREATE_CUSTOMER, CREATE_STAFF, OFFICES, TEST_IDENTITY_SECRET, createPartner, newKey, ok, partnerAs, startCustomers,
  type CustomersHarness,
} from './support';

/**
 * The contract between the customers subgraph's internal routes and their callers: every declared
 * route, served by the real handler on a real database and called through the typed client that the
 * gateway and the articles subgraph use, gives each status it declares with a body its schema parses.
 * A handler that drifts from its declaration fails here (the client refuses the body); a declared
 * status no case reaches, or a route no case calls, fails the coverage check at the end.
 */
interface ContractCase {
  name: string;
  route: InternalRoute;
  status: number;
  /** Sends the request; resolves to what the typed client received. */
  call(baseUrl: string): Promise<{ status: number; body: unknown }>;
}

function contractCase<Route extends InternalRoute>(
  route: Route,
  name: string,
  request: () => InternalRequest<Route>,
  expected: InternalReceived<Route>['status'],
  check: (received: InternalReceived<Route>) => void = () => undefined,
): ContractCase {
  return {
    name: `${route.path} ${expected}: ${name}`,
    route,
    status: expected,
    async call(baseUrl) {
      const received = await callInternalRoute(route, baseUrl, TEST_IDENTITY_SECRET, request());
      check(received);
      return received;
    },
  };
}

describe('the customers internal routes against their declarations', () => {
  let graph: CustomersHarness;
  let baseUrl: string;
  const fixtures = { partnerId: '', apiKey: '', customerId: '', staffId: '' };

  beforeAll(async () => {
    graph = await startCustomers('PostgreSQL');
    const port = await listen(graph.subgraph.http, 0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${port}/graphql`;
    fixtures.partnerId = await createPartner(graph, 'Contract Partner');
    fixtures.apiKey = ok(await graph.run(CREATE_API_KEY, { partnerId: fixtures.partnerId, label: 'contract', key: newKey() }, partnerAs(fixtures.partnerId)))
      .createApiKey.apiKey;
    fixtures.customerId = ok(
      await graph.run(CREATE_CUSTOMER, { input: { kind: 'INDIVIDUAL', name: 'Contract Customer', phone: '98765 43210' }, key: newKey() }, partnerAs(fixtures.partnerId)),
    ).createCustomer.id;
    const email = `contract-${newKey()}@dakgraph.test`.toLowerCase();
    fixtures.staffId = ok(
      await graph.run(CREATE_STAFF, {
        input: { name: 'Chitra Contract', email, role: 'POSTMAN', officeId: OFFICES.connaughtPlace.id, password: 'postman password 000001' },
        key: newKey(),
      }, ADMIN),
    ).createStaffUser.id;
  }, 180_000);

  afterAll(async () => {
    if (graph) await close(graph.subgraph.http);
    await graph?.close();
  });

  const cases: ContractCase[] = [
    contractCase(apiKeyVerifyRoute, 'an active key', () => ({ key: fixtures.apiKey }), 200, ({ body }) => expect(body).toMatchObject({ partnerId: fixtures.partnerId })),
    contractCase(apiKeyVerifyRoute, 'a malformed key', () => ({ key: 'dgk_short' }), 401, ({ body }) => expect(body).toMatchObject({ reason: 'MALFORMED' })),
    contractCase(apiKeyVerifyRoute, 'an unknown key', () => ({ key: `dgk_aaaaaaaa_${'s'.repeat(43)}` }), 401),
    contractCase(sessionVerifyRoute, 'an open session', () => ({ kind: 'STAFF' as const, id: fixtures.staffId, sessionVersion: 0 }), 200),
    contractCase(sessionVerifyRoute, 'an unknown account', () => ({ kind: 'CUSTOMER' as const, id: 'cus_nobody', sessionVersion: 0 }), 401, ({ body }) =>
      expect(body).toMatchObject({ reason: 'UNKNOWN' }),
    ),
    contractCase(partnerTermsRoute, 'a known partner', () => ({ partnerId: fixtures.partnerId }), 200, ({ body }) =>
      expect(body).toMatchObject({ partnerId: fixtures.partnerId, status: 'ACTIVE' }),
    ),
    contractCase(partnerTermsRoute, 'an unknown partner', () => ({ partnerId: 'ptn_nobody' }), 404),
    contractCase(customerOwnersRoute, 'one existing id and one not', () => ({ ids: [fixtures.customerId, 'cus_nobody'] }), 200, ({ body }) =>
      expect(body).toEqual({ customers: [{ id: fixtures.customerId, partnerId: fixtures.partnerId }] }),
    ),
    contractCase(bookingPartiesRoute, 'a partner and its customer', () => ({ partnerId: fixtures.partnerId, customerIds: [fixtures.customerId] }), 200, ({ body }) =>
      expect(body).toEqual({
        partner: expect.objectContaining({ partnerId: fixtures.partnerId, status: 'ACTIVE' }),
        customers: [{ id: fixtures.customerId, partnerId: fixtures.partnerId }],
      }),
    ),
    contractCase(bookingPartiesRoute, 'an unknown partner, no customers', () => ({ partnerId: 'ptn_nobody', customerIds: [] }), 200, ({ body }) =>
      expect(body).toEqual({ partner: null, customers: [] }),
    ),
    contractCase(bookingPartiesRoute, 'customers only (the terms are cached)', () => ({ customerIds: [fixtures.customerId, 'cus_nobody'] }), 200, ({ body }) =>
      expect(body).toEqual({ partner: null, customers: [{ id: fixtures.customerId, partnerId: fixtures.partnerId }] }),
    ),
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, contract) => {
    await expect(contract.call(baseUrl)).resolves.toMatchObject({ status: contract.status });
  });

  it('has a case for every declared status of every route the subgraph serves', () => {
    const declared = CUSTOMERS_INTERNAL_ROUTES.flatMap((route) => Object.keys(route.responses).map((status) => `${route.path} ${status}`));
    const covered = new Set(cases.map((c) => `${c.route.path} ${c.status}`));
    expect(declared.filter((status) => !covered.has(status))).toEqual([]);
  });
});

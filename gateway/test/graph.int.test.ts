import { DEFAULT_QUERY } from '../graphiql/default-query';
import { chromiumAvailable, launchBrowser, runQueryInGraphiql } from './support/browser';
import { startGraph, type RunningGraph } from './support/graph';

/** The composed graph over HTTP, as a client sees it. */
describe('the dakgraph gateway over HTTP', () => {
  let graph: RunningGraph;

  beforeAll(async () => {
    graph = await startGraph();
  }, 180_000);

  afterAll(async () => {
    await graph?.stop();
  });

  const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

  it('answers /health', async () => {
    const response = await fetch(`${graph.origin}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('lists the offices of pincode 110001', async () => {
    const { status, body } = await graph.post({ query: '{ pincode(code: "110001") { district offices { totalCount nodes { name } } } }' });
    expect(status).toBe(200);
    expect(body.data.pincode.district).toBe('Central Delhi');
    expect(body.data.pincode.offices.nodes.length).toBe(body.data.pincode.offices.totalCount);
    expect(body.data.pincode.offices.totalCount).toBeGreaterThan(5);
  });

  it('counts every office in the data set', async () => {
    const { body } = await graph.post({ query: '{ offices { totalCount } }' });
    expect(body.data.offices.totalCount).toBe(154_874);
  });

  it('returns the offices nearest a DIGIPIN sorted by distance', async () => {
    const { body } = await graph.post({
      query: 'query ($near: LocationInput!) { nearestOffices(near: $near, first: 10) { distanceMeters office { name pincode } } }',
      variables: { near: { digipin: '39J-49L-L8T4' } },
    });
    const distances = body.data.nearestOffices.map((n: { distanceMeters: number }) => n.distanceMeters);
    expect(distances).toHaveLength(10);
    expect([...distances].sort((a: number, b: number) => a - b)).toEqual(distances);
  });

  it.each([
    ['a five-digit pincode', '{ pincode(code: "11001") { code } }', 'BAD_USER_INPUT'],
    ['a DIGIPIN with A in it', '{ digipin(code: "39A-49L-L8T4") { code } }', 'BAD_USER_INPUT'],
    ['latitude 40', '{ encodeDigipin(latitude: 40, longitude: 77) { code } }', 'BAD_USER_INPUT'],
    ['an unknown field', '{ pincode(code: "110001") { nonsense } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a syntax error', '{ pincode(code: ', 'GRAPHQL_PARSE_FAILED'],
  ])('refuses %s with a code', async (_case, query, code) => {
    const { body } = await graph.post({ query });
    expect(codes(body)).toEqual([code]);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
  });

  it('refuses a 50-level deep query and stays up', async () => {
    // office > circle > regions > circle > regions > ... : 50 levels of valid fields.
    const path = Array.from({ length: 48 }, (_, level) => (level % 2 === 0 ? 'circle' : 'regions'));
    const selection = path.reduceRight((inner, field) => `${field} { ${inner} }`, 'id');
    const { body } = await graph.post({ query: `{ office(id: "110001-baroda-house") { ${selection} } }` });
    expect(codes(body)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(body.errors[0].message).toMatch(/the limit is 15/);
    expect((await fetch(`${graph.origin}/health`)).status).toBe(200);
  });

  it('refuses a 5 MB query before parsing it and stays up', async () => {
    const huge = `{ ${'__typename '.repeat(500_000)} }`;
    expect(huge.length).toBeGreaterThan(5_000_000);
    const { status, body } = await graph.post({ query: huge });
    expect(status).toBe(413);
    expect(codes(body)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect((await fetch(`${graph.origin}/health`)).status).toBe(200);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: circles { id }`).join(' ');
    const { body } = await graph.post({ query: `{ ${aliases} }` });
    expect(codes(body)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('blocks cross-site simple requests (CSRF prevention)', async () => {
    const response = await fetch(`${graph.url}?query=${encodeURIComponent('{ circles { id } }')}`);
    expect(response.status).toBe(400);
    const ok = await fetch(`${graph.url}?query=${encodeURIComponent('{ circles { id } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(ok.status).toBe(200);
  });

  it('serves GraphiQL that runs a query in a real browser, offline', async () => {
    if (!chromiumAvailable()) {
      if (process.env.CI === 'true') throw new Error('Chromium is required in CI: apt-get install -y chromium');
      console.warn('skipping: Chromium is not installed');
      return;
    }
    const browser = await launchBrowser();
    try {
      await browser.page.goto(graph.url);
      const result = await runQueryInGraphiql(browser.page, DEFAULT_QUERY);
      expect(result).toContain('Central Delhi');
      expect(browser.blockedRequests).toEqual([]);
      expect(browser.pageErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

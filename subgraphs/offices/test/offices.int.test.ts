import { importOffices } from '../src/server';
import { codesOf, ENGINES, startOffices, type OfficesHarness } from './support';

/** The whole directory on each engine; the import itself is the slow part (seconds), done once per engine. */
describe.each(ENGINES)('offices subgraph on %s with the real directory', (engine) => {
  let graph: OfficesHarness;

  beforeAll(async () => {
    graph = await startOffices(engine);
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
  });

  it('lists the offices of pincode 110001 with its district and state', async () => {
    const result = await graph.run(`{
      pincode(code: "110001") { code district state officeCount circle { name }
        offices(first: 100) { totalCount nodes { id name pincode officeType } } } }`);
    expect(result.errors).toBeUndefined();
    const pincode = result.data.pincode;
    expect(pincode).toMatchObject({ code: '110001', district: 'Central Delhi', state: 'Delhi', circle: { name: 'Delhi' } });
    expect(pincode.offices.nodes.length).toBe(pincode.officeCount);
    expect(pincode.offices.totalCount).toBe(pincode.officeCount);
    expect(pincode.offices.nodes.every((office: { pincode: string }) => office.pincode === '110001')).toBe(true);
    expect(pincode.offices.nodes.map((office: { name: string }) => office.name)).toContain('Baroda House');
  });

  it('counts every office of the data set', async () => {
    const result = await graph.run('{ offices { totalCount } }');
    expect(result.data.offices.totalCount).toBe(154_874);
  });

  it('pages through a filtered list without overlap, with a stable order', async () => {
    const query = `query ($after: String) { offices(filter: { circle: "Delhi", nameContains: "nagar" }, first: 7, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id name circle { id } } } }`;
    const first = await graph.run(query);
    const second = await graph.run(query, { after: first.data.offices.pageInfo.endCursor });
    const ids = [...first.data.offices.nodes, ...second.data.offices.nodes].map((o: { id: string }) => o.id);
    expect(new Set(ids).size).toBe(14);
    expect([...ids].sort()).toEqual(ids);
    expect(first.data.offices.totalCount).toBeGreaterThan(14);
    expect(first.data.offices.nodes.every((o: { circle: { id: string }; name: string }) => o.circle.id === 'delhi' && /nagar/i.test(o.name))).toBe(true);
  });

  it('lists the circles with counts that add up to the whole directory', async () => {
    const result = await graph.run('{ circles { id name officeCount regions { id officeCount } } }');
    const circles = result.data.circles as { officeCount: number; regions: { officeCount: number }[] }[];
    expect(circles.length).toBeGreaterThanOrEqual(22);
    expect(circles.reduce((sum, c) => sum + c.officeCount, 0)).toBe(154_874);
    for (const circle of circles) {
      expect(circle.regions.reduce((sum, r) => sum + r.officeCount, 0)).toBe(circle.officeCount);
    }
  });

  it('finds offices despite typos', async () => {
    const result = await graph.run('{ searchOffices(text: "Conaught Plce", first: 5) { name pincode } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.searchOffices[0].name).toMatch(/Connaught Place/i);
  });

  it('finds the nearest offices to a DIGIPIN, nearest first', async () => {
    // Dak Bhawan, New Delhi.
    const result = await graph.run(`{ nearestOffices(near: { digipin: "39J-49L-L8T4" }, first: 25) {
      distanceMeters office { id name pincode location { latitude longitude } } } }`);
    expect(result.errors).toBeUndefined();
    const nearby = result.data.nearestOffices as { distanceMeters: number; office: { pincode: string } }[];
    expect(nearby).toHaveLength(25);
    const distances = nearby.map((n) => n.distanceMeters);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(distances[0]).toBeLessThan(3_000);
    expect(nearby[0]!.office.pincode).toMatch(/^110/);
  });

  it('uses the GiST index for the nearest search (no full scan)', async () => {
    await graph.db.exec('SET enable_seqscan = off');
    const plan = await graph.db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT code FROM offices.pincode WHERE latitude IS NOT NULL AND longitude IS NOT NULL
        ORDER BY ll_to_earth(latitude, longitude) <-> ll_to_earth(28.6, 77.2) LIMIT 10`,
    );
    await graph.db.exec('RESET enable_seqscan');
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Index Scan using pincode_location_knn_idx/);
  });

  it('encodes and decodes DIGIPINs', async () => {
    const result = await graph.run(`{
      encodeDigipin(latitude: 28.622788, longitude: 77.213033) { code latitude longitude bounds { minLatitude maxLatitude } }
      digipin(code: " 39j49ll8t4 ") { code latitude longitude } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.encodeDigipin.code).toBe('39J-49L-L8T4');
    expect(result.data.digipin.code).toBe('39J-49L-L8T4');
    expect(result.data.encodeDigipin.bounds.minLatitude).toBeLessThanOrEqual(28.622788);
    expect(result.data.encodeDigipin.bounds.maxLatitude).toBeGreaterThan(28.622788);
  });

  it('resolves Office references for the gateway in one batch', async () => {
    const ids = (await graph.run('{ offices(filter: { pincode: "110001" }, first: 5) { nodes { id } } }')).data.offices.nodes.map(
      (o: { id: string }) => o.id,
    );
    graph.queries.length = 0;
    const result = await graph.run(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Office { id name circle { name } division { name } } } }`,
      { representations: [...ids, '999999-nowhere'].map((id) => ({ __typename: 'Office', id })) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities.slice(0, 5).map((o: { id: string }) => o.id)).toEqual(ids);
    expect(result.data._entities[5]).toBeNull();
    // One query for the offices, one for their circles, one for their divisions.
    expect(graph.queries.length).toBe(3);
  });

  it('batches nested pages: one query per level however many parents', async () => {
    graph.queries.length = 0;
    const result = await graph.run('{ circles { name offices(first: 3) { nodes { name region { name } division { name } } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.circles.every((c: { offices: { nodes: unknown[] } }) => c.offices.nodes.length === 3)).toBe(true);
    // circles, their office pages, the offices' regions, the offices' divisions.
    expect(graph.queries.length).toBe(4);
  });

  it.each([
    ['a five-digit pincode', '{ pincode(code: "11001") { code } }'],
    ['a DIGIPIN with A in it', '{ digipin(code: "39A-49L-L8T4") { code } }'],
    ['latitude 40', '{ encodeDigipin(latitude: 40, longitude: 77) { code } }'],
    ['too large a page', '{ offices(first: 1000) { totalCount } }'],
    ['a forged cursor', '{ offices(after: "bm90LWEtY3Vyc29y") { totalCount } }'],
    ['both a DIGIPIN and coordinates', '{ nearestOffices(near: { digipin: "39J-49L-L8T4", latitude: 28 }) { distanceMeters } }'],
    ['a one-letter search', '{ searchOffices(text: "a") { id } }'],
  ])('refuses %s with BAD_USER_INPUT and a message', async (_case, query) => {
    const result = await graph.run(query);
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message.length).toBeGreaterThan(10);
  });

  it('answers null for a well-formed unknown pincode or office', async () => {
    const result = await graph.run('{ pincode(code: "000000") { code } office(id: "000000-nowhere") { id } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ pincode: null, office: null });
  });

  it('skips an unchanged re-import, and a forced one keeps every id', async () => {
    const before = await graph.run('{ office(id: "110001-baroda-house") { id name } }');
    expect(before.data.office).toEqual({ id: '110001-baroda-house', name: 'Baroda House' });
    const again = await importOffices(graph.db, { progress: false, log: () => undefined });
    expect(again.skipped).toBe(true);
    const forced = await importOffices(graph.db, { force: true, progress: false, log: () => undefined });
    expect(forced).toMatchObject({ skipped: false, offices: 154_874 });
    const after = await graph.run('{ office(id: "110001-baroda-house") { id name } offices { totalCount } }');
    expect(after.data).toEqual({ office: before.data.office, offices: { totalCount: 154_874 } });
  }, 120_000);

  describe('inputs no resolver can use', () => {
    // A NUL character reaches PostgreSQL as an error for the whole statement; it is refused first,
    // here as at the gateway, naming the argument. Literal (`\\u0000` in the document) and variable alike.
    it.each([
      ['searchOffices', 'query ($v: String!) { searchOffices(text: $v) { id } }', 'searchOffices(text: "a\\u0000b") { id }', 'text'],
      ['office', 'query ($v: ID!) { office(id: $v) { id } }', 'office(id: "110001\\u0000") { id }', 'id'],
      ['offices filters', 'query ($v: String) { offices(filter: { circle: $v }) { totalCount } }', 'offices(filter: { district: "\\u0000" }) { totalCount }', 'filter.district'],
      ['pincode', 'query ($v: String!) { pincode(code: $v) { code } }', 'pincode(code: "11000\\u0000") { code }', 'code'],
      ['digipin', 'query ($v: String!) { digipin(code: $v) { code } }', 'digipin(code: "39J\\u0000") { code }', 'code'],
    ])('refuses a NUL character in %s', async (_name, withVariable, literal, field) => {
      const fromVariable = await graph.run(withVariable, { v: 'x\u0000y' });
      expect(codesOf(fromVariable)).toEqual(['BAD_USER_INPUT']);
      expect(fromVariable.errors![0]!.message).toMatch(/NUL character/);
      const fromLiteral = await graph.run(`{ ${literal} }`);
      expect(codesOf(fromLiteral)).toEqual(['BAD_USER_INPUT']);
      expect(fromLiteral.errors![0]!.extensions?.field).toBe(field);
    });

    it('refuses coordinates that are not finite numbers', async () => {
      const literal = await graph.run('{ encodeDigipin(latitude: 1e999, longitude: 77.2) { code } }');
      expect(codesOf(literal)).toEqual(['BAD_USER_INPUT']);
      expect(literal.errors![0]!.extensions?.field).toBe('latitude');
      const nearest = await graph.run('{ nearestOffices(near: { latitude: 28.6, longitude: -1e999 }) { distanceMeters } }');
      expect(codesOf(nearest)).toEqual(['BAD_USER_INPUT']);
      expect(nearest.errors![0]!.extensions?.field).toBe('near.longitude');
    });
  });
});

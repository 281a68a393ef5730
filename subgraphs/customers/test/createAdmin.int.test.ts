import { createAdmin, parseArgs, type CreateAdminIo } from '../src/cli/createAdmin';
import { ENGINES, LOGIN, countOf, ok, startCustomers, type CustomersHarness } from './support';

const PASSWORD = 'first admin passphrase 2025';

describe('create-admin arguments', () => {
  it('reads --option value and --option=value, and refuses anything else', () => {
    expect(parseArgs(['--email', 'a@x.in', '--name=A B', '--office', '110001-new-delhi'])).toEqual({
      email: 'a@x.in', name: 'A B', office: '110001-new-delhi',
    });
    expect(parseArgs(['--email', 'a@x.in', '--name', 'A'])).toBeNull();
    expect(parseArgs(['--email', 'a@x.in', '--name', 'A', '--office', 'x', '--password', 'secret'])).toBeNull();
    expect(parseArgs(['--email', 'a@x.in', '--email', 'b@x.in', '--name', 'A', '--office', 'x'])).toBeNull();
  });
});

describe.each(ENGINES)('the create-admin command on %s', (engine) => {
  let graph: CustomersHarness;
  let output: string[];
  let errors: string[];

  const io = (overrides: Partial<CreateAdminIo> = {}): CreateAdminIo => ({
    env: { DAKGRAPH_ADMIN_PASSWORD: PASSWORD },
    readPassword: async () => {
      throw new Error('the password should have come from the environment');
    },
    out: (line) => output.push(line),
    err: (line) => errors.push(line),
    db: graph.db,
    ...overrides,
  });
  const args = (email: string, office = '110001-new-delhi') => ['--email', email, '--name', 'Anil Admin', '--office', office];

  beforeAll(async () => {
    graph = await startCustomers(engine);
  }, 180_000);

  beforeEach(() => {
    output = [];
    errors = [];
  });

  afterAll(async () => {
    await graph?.close();
  });

  it('creates an admin once, who can then log in; a second run says so and changes nothing', async () => {
    expect(await createAdmin(args('anil@indiapost.example.in'), io())).toBe(0);
    expect(output.join('\n')).toMatch(/Created admin Anil Admin <anil@indiapost.example.in>/);
    expect(output.join('\n')).not.toContain(PASSWORD);

    output = [];
    expect(await createAdmin(args('ANIL@indiapost.example.in'), io())).toBe(0);
    expect(output.join('\n')).toMatch(/already exists \(ADMIN/);
    expect(await countOf(graph, `SELECT count(*) FROM customers.staff_user WHERE role = 'ADMIN'`)).toBe(1);

    const login = ok(await graph.run(LOGIN, { email: 'anil@indiapost.example.in', password: PASSWORD })).login;
    expect(login.viewer).toMatchObject({ kind: 'STAFF', role: 'ADMIN', staff: { office: { id: '110001-new-delhi' } } });
  });

  it('reads the password from stdin when the environment has none', async () => {
    let asked = 0;
    const code = await createAdmin(args('piped@indiapost.example.in'), io({
      env: {},
      readPassword: async () => {
        asked += 1;
        return PASSWORD;
      },
    }));
    expect(code).toBe(0);
    expect(asked).toBe(1);
  });

  it('refuses an unknown office, a weak password and missing arguments with exit code 2', async () => {
    expect(await createAdmin(args('nowhere@indiapost.example.in', '999999-nowhere'), io())).toBe(2);
    expect(errors.join('\n')).toMatch(/No post office has id "999999-nowhere"/);
    expect(await createAdmin(args('weak@indiapost.example.in'), io({ env: { DAKGRAPH_ADMIN_PASSWORD: 'short' } }))).toBe(2);
    expect(await createAdmin(['--email', 'x@indiapost.example.in'], io())).toBe(2);
    expect(await countOf(graph, `SELECT count(*) FROM customers.staff_user`)).toBe(2);
  });
});

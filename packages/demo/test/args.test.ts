import path from 'node:path';
import { DEFAULT_GATEWAY_URL, MAX_DEMO_ARTICLES, parseDemoArgs, resolvePspCallbackSecret } from '../src/args';

const ADMIN = { DAKGRAPH_ADMIN_EMAIL: 'admin@dak.test', DAKGRAPH_ADMIN_PASSWORD: 'a long enough admin password' };
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

describe('demo command line', () => {
  it('runs 20,000 articles with seed 1 against localhost by default, the admin from the environment', () => {
    expect(parseDemoArgs([], ADMIN)).toEqual({
      kind: 'run',
      options: { articles: 20_000, seed: 1, gatewayUrl: DEFAULT_GATEWAY_URL, admin: { email: 'admin@dak.test', password: 'a long enough admin password' } },
    });
  });

  it('takes --name value and --name=value, and options over the environment', () => {
    const parsed = parseDemoArgs(
      ['--articles', '2000', '--seed=9', '--gateway', 'http://127.0.0.1:4100/graphql', '--email', 'ops@dak.test', '--password=another long passphrase'],
      { ...ADMIN, DAKGRAPH_URL: 'http://elsewhere:4000/graphql' },
    );
    expect(parsed).toEqual({
      kind: 'run',
      options: { articles: 2_000, seed: 9, gatewayUrl: 'http://127.0.0.1:4100/graphql', admin: { email: 'ops@dak.test', password: 'another long passphrase' } },
    });
  });

  it('reads DAKGRAPH_URL, and takes a bare origin as its /graphql', () => {
    expect(parseDemoArgs([], { ...ADMIN, DAKGRAPH_URL: 'http://gateway.internal:4000/graphql' })).toMatchObject({ options: { gatewayUrl: 'http://gateway.internal:4000/graphql' } });
    expect(parseDemoArgs(['--gateway', 'http://127.0.0.1:4100'], ADMIN)).toMatchObject({ options: { gatewayUrl: 'http://127.0.0.1:4100/graphql' } });
  });

  it('answers help', () => {
    expect(parseDemoArgs(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseDemoArgs(['--articles', '5', '-h'], {})).toEqual({ kind: 'help' });
  });

  it.each([
    [['--articles', '0'], /--articles must be 1 to/],
    [['--articles', '-5'], /--articles needs a value|whole number/],
    [['--articles', '12.5'], /--articles must be a whole number/],
    [['--articles', 'many'], /--articles must be a whole number; got "many"/],
    [['--articles', String(MAX_DEMO_ARTICLES + 1)], /--articles must be 1 to 2,00,000/],
    [['--articles'], /--articles needs a value/],
    [['--articles', '--seed', '3'], /--articles needs a value/],
    [['--seed', 'x'], /--seed must be a whole number/],
    [['--seed', '1', '--seed', '2'], /--seed is given twice/],
    [['--gateway', 'not a url'], /--gateway must be a URL/],
    [['--gateway', 'ftp://example.org/graphql'], /--gateway must be an http or https URL/],
    [['--nodes', '3'], /Unknown option --nodes/],
    [['20000'], /Unexpected argument "20000"/],
  ])('refuses %j', (argv, message) => {
    const parsed = parseDemoArgs(argv, ADMIN);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });

  it('refuses to run without an admin, saying which variables to set', () => {
    const parsed = parseDemoArgs([], { DAKGRAPH_ADMIN_EMAIL: 'admin@dak.test' });
    expect(parsed).toEqual({ kind: 'error', message: expect.stringMatching(/DAKGRAPH_ADMIN_EMAIL and DAKGRAPH_ADMIN_PASSWORD \(missing: password\)/) });
    expect(parseDemoArgs([], {})).toMatchObject({ message: expect.stringContaining('missing: email and password') });
  });
});

describe("the payment provider's secret", () => {
  const root = '/repo';
  const files = (content: Record<string, string>) => (file: string) => content[file] ?? null;

  it('comes from PSP_CALLBACK_SECRET first', () => {
    expect(resolvePspCallbackSecret({ PSP_CALLBACK_SECRET: SECRET }, root, files({}))).toEqual({ secret: SECRET });
  });

  it("else from npm start's .data/secrets.json, next to DAKGRAPH_DATA_DIR when set", () => {
    const kept = JSON.stringify({ pspCallbackSecret: SECRET, jwtSecret: 'x' });
    expect(resolvePspCallbackSecret({}, root, files({ [path.join(root, '.data', 'secrets.json')]: kept }))).toEqual({ secret: SECRET });
    expect(resolvePspCallbackSecret({ DAKGRAPH_DATA_DIR: '/srv/dak/pglite' }, root, files({ '/srv/dak/secrets.json': kept }))).toEqual({ secret: SECRET });
  });

  it('says what to set when there is none, or it is not a Standard Webhooks secret', () => {
    expect(resolvePspCallbackSecret({}, root, files({}))).toEqual({ message: expect.stringContaining('Set PSP_CALLBACK_SECRET') });
    expect(resolvePspCallbackSecret({}, root, files({ [path.join(root, '.data', 'secrets.json')]: '{}' }))).toEqual({ message: expect.stringContaining('has no pspCallbackSecret') });
    expect(resolvePspCallbackSecret({ PSP_CALLBACK_SECRET: 'hunter2' }, root, files({}))).toEqual({ message: expect.stringContaining('whsec_') });
  });
});

import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { close, createGraphQLHttpServer, listen, maskUnexpectedErrors, sendJson } from '../src';

/** The shared HTTP integration, on a tiny real schema over real HTTP. */
describe('createGraphQLHttpServer', () => {
  let url: string;
  let origin: string;
  let server: ReturnType<typeof createGraphQLHttpServer>;
  let apollo: ApolloServer;
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);

  beforeAll(async () => {
    apollo = new ApolloServer({
      typeDefs: 'type Query { pincode: String! broken: String nope: String }',
      resolvers: {
        Query: {
          pincode: () => '110001',
          broken: () => {
            throw new Error('connection to 10.0.0.5 refused (secret detail)');
          },
          nope: () => {
            throw new GraphQLError('No such office', { extensions: { code: 'NOT_FOUND' } });
          },
        },
      },
      formatError: maskUnexpectedErrors,
      includeStacktraceInErrorResponses: false,
    });
    await apollo.start();
    server = createGraphQLHttpServer({
      apollo,
      context: async () => ({}),
      maxBodyBytes: 1024,
      routes: [{ method: 'GET', path: '/health', handle: (_req, res) => sendJson(res, 200, { status: 'ok' }) }],
    });
    const port = await listen(server, 0, '127.0.0.1');
    origin = `http://127.0.0.1:${port}`;
    url = `${origin}/graphql`;
  });

  afterAll(async () => {
    await close(server);
    await apollo.stop();
    errors.mockRestore();
  });

  const post = async (body: string, contentType = 'application/json') => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('runs queries', async () => {
    expect(await post(JSON.stringify({ query: '{ pincode }' }))).toEqual({ status: 200, body: { data: { pincode: '110001' } } });
  });

  it('refuses a body over the limit before parsing it', async () => {
    const { status, body } = await post(JSON.stringify({ query: `{ ${'pincode '.repeat(200)} }` }));
    expect(status).toBe(413);
    expect(body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.errors[0].message).toMatch(/limit of 1024 bytes/);
  });

  it('answers broken JSON with a GraphQL-shaped error', async () => {
    const { status, body } = await post('{"query": ');
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('serves extra routes and 404s the rest in GraphQL shape', async () => {
    expect(await (await fetch(`${origin}/health`)).json()).toEqual({ status: 'ok' });
    const missing = await fetch(`${origin}/nowhere`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('masks unexpected errors and keeps deliberate ones', async () => {
    const { body } = await post(JSON.stringify({ query: '{ broken nope }' }));
    const byPath = Object.fromEntries(body.errors.map((e: any) => [e.path[0], e]));
    expect(byPath.broken.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(body)).not.toContain('10.0.0.5');
    expect(byPath.nope).toMatchObject({ message: 'No such office', extensions: { code: 'NOT_FOUND' } });
    expect(errors).toHaveBeenCalled();
  });
});

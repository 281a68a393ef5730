import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { standaloneTransport, transportFromEnv } from '../src';
import { NATS_URL } from './support';

describe('transportFromEnv', () => {
  it('is in-process without NATS_URL', async () => {
    const transport = await transportFromEnv({ NATS_URL: ' ' });
    expect(transport.description).toBe('in-process events');
    await transport.close();
  });

  it('is JetStream with NATS_URL', async () => {
    const stream = `DAKGRAPH_EVENTS_TEST_${process.pid}_${randomBytes(4).toString('hex')}`;
    const transport = await transportFromEnv({ NATS_URL: `${NATS_URL}, ` }, { stream, subjectPrefix: `env_${randomBytes(4).toString('hex')}` });
    expect(transport.description).toContain(`JetStream stream ${stream}`);
    await transport.close();
    const nc = await connect({ servers: NATS_URL });
    try {
      await (await jetstreamManager(nc)).streams.delete(stream);
    } finally {
      await nc.close();
    }
  });
});

describe('standaloneTransport', () => {
  it('is none without NATS_URL, and says so: a lone process must not publish into its own memory', async () => {
    const said: string[] = [];
    const transport = await standaloneTransport('articles', {}, { info: (line) => said.push(line), error: (line) => said.push(line) });
    expect(transport).toBeUndefined();
    expect(said).toEqual([expect.stringContaining('articles: NATS_URL is not set')]);
  });
});

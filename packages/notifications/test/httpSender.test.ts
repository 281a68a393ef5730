import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpSender, type NotificationMessage } from '../src';

const MESSAGE: NotificationMessage = {
  id: '01938f2e-0000-7000-8000-000000000001-OUT_FOR_DELIVERY_OTP',
  to: '+919820012345',
  template: 'OUT_FOR_DELIVERY_OTP',
  text: 'India Post: Article EE123456785IN is out for delivery today. Delivery OTP 482913, valid till 23:59 today.',
};

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real SMS provider stand-in on 127.0.0.1: records each request and answers as `answer` says. */
async function startReceiver(answer: (req: Received, res: ServerResponse) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const request = { method: req.method, url: req.url, headers: req.headers, body };
      received.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/sms`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('httpSender against a receiver on 127.0.0.1', () => {
  it('posts the message as JSON with the key as a bearer token and the id as the idempotency key', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}'));
    try {
      const sender = httpSender({ url: receiver.url, apiKey: 'sms-test-key-0001' });
      expect(sender.description).toBe(`HTTP ${receiver.url}`);
      await sender.send(MESSAGE);
      expect(receiver.received).toHaveLength(1);
      const [request] = receiver.received;
      expect(request).toMatchObject({ method: 'POST', url: '/v1/sms' });
      expect(request!.headers.authorization).toBe('Bearer sms-test-key-0001');
      expect(request!.headers['idempotency-key']).toBe(MESSAGE.id);
      expect(request!.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request!.body)).toEqual(MESSAGE);
    } finally {
      await receiver.close();
    }
  });

  it('throws on a 500, naming the status and the message id but neither the text nor the answer body', async () => {
    const receiver = await startReceiver((req, res) => res.writeHead(500).end(`failed to send: ${req.body}`));
    try {
      const sender = httpSender({ url: receiver.url, apiKey: 'sms-test-key-0001' });
      const error: Error = await sender.send(MESSAGE).then(
        () => new Error('resolved'),
        (e: Error) => e,
      );
      expect(error.message).toMatch(/HTTP 500/);
      expect(error.message).toContain(MESSAGE.id);
      expect(error.message).not.toContain('482913');
      expect(error.message).not.toContain('failed to send');
      expect(error.message).not.toContain('sms-test-key-0001');
    } finally {
      await receiver.close();
    }
  });

  it('throws on a 4xx too: only 2xx is acceptance', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(401).end());
    try {
      await expect(httpSender({ url: receiver.url, apiKey: 'wrong' }).send(MESSAGE)).rejects.toThrow(/HTTP 401/);
    } finally {
      await receiver.close();
    }
  });

  it('throws when the provider does not answer within the timeout', async () => {
    // Takes the request and never answers.
    const receiver = await startReceiver(() => undefined);
    try {
      const started = Date.now();
      await expect(httpSender({ url: receiver.url, apiKey: 'k', timeoutMs: 300 }).send(MESSAGE)).rejects.toThrow(/did not answer .* within 300 ms/);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('throws when nothing listens, and refuses bad settings and bad messages before sending', async () => {
    const receiver = await startReceiver((_req, res) => res.writeHead(200).end());
    const url = receiver.url;
    await receiver.close();
    await expect(httpSender({ url, apiKey: 'k' }).send(MESSAGE)).rejects.toThrow(/could not be reached/);
    expect(() => httpSender({ url: 'ftp://127.0.0.1/sms', apiKey: 'k' })).toThrow(/http\(s\)/);
    expect(() => httpSender({ url: 'not a url', apiKey: 'k' })).toThrow(/absolute/);
    expect(() => httpSender({ url: 'http://user:pass@127.0.0.1/sms', apiKey: 'k' })).toThrow(/not in the URL/);
    expect(() => httpSender({ url: 'http://127.0.0.1/sms', apiKey: '' })).toThrow(/API key/);
    expect(() => httpSender({ url: 'http://127.0.0.1/sms', apiKey: 'k', timeoutMs: 0 })).toThrow(/timeout/);
    await expect(httpSender({ url: 'http://127.0.0.1:9/sms', apiKey: 'k' }).send({ ...MESSAGE, to: '9820012345' })).rejects.toThrow(/E\.164/);
  });
});

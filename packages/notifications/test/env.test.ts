import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { senderFromEnv } from '../src';

describe('senderFromEnv (NOTIFICATION_SENDER)', () => {
  it('gives no sender when unset, empty or "none"', () => {
    expect(senderFromEnv({})).toBeNull();
    expect(senderFromEnv({ NOTIFICATION_SENDER: '' })).toBeNull();
    expect(senderFromEnv({ NOTIFICATION_SENDER: 'none' })).toBeNull();
  });

  it('gives a file sender for file:<path>, relative to the given directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dakgraph-sms-env-'));
    try {
      const sender = senderFromEnv({ NOTIFICATION_SENDER: 'file:logs/sms.log' }, dir)!;
      expect(sender.description).toBe(`file ${path.join(dir, 'logs', 'sms.log')}`);
      await sender.send({ id: 'm1', to: '+919820012345', template: 'DELIVERED', text: 'hello' });
      expect(JSON.parse(await readFile(path.join(dir, 'logs', 'sms.log'), 'utf8'))).toEqual({ id: 'm1', to: '+919820012345', template: 'DELIVERED', text: 'hello' });
      expect(senderFromEnv({ NOTIFICATION_SENDER: `file:${dir}/abs.log` }, '/elsewhere')!.description).toBe(`file ${dir}/abs.log`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives an HTTP sender for http with a URL and key, and never shows the key', () => {
    const sender = senderFromEnv({ NOTIFICATION_SENDER: 'http', SMS_HTTP_URL: 'https://sms.example.in/v1/messages?x=1', SMS_HTTP_API_KEY: 'secret-key', SMS_HTTP_TIMEOUT_MS: '2500' })!;
    expect(sender.description).toBe('HTTP https://sms.example.in/v1/messages');
    expect(sender.description).not.toContain('secret-key');
  });

  it.each([
    [{ NOTIFICATION_SENDER: 'file:' }, /"file:" needs a path/],
    [{ NOTIFICATION_SENDER: 'file' }, /must be "file:<path>", "http" .* or "none"; got "file"/],
    [{ NOTIFICATION_SENDER: 'smtp://mail' }, /must be "file:<path>"/],
    [{ NOTIFICATION_SENDER: 'HTTP' }, /got "HTTP"/],
    [{ NOTIFICATION_SENDER: 'http' }, /needs SMS_HTTP_URL and SMS_HTTP_API_KEY/],
    [{ NOTIFICATION_SENDER: 'http', SMS_HTTP_URL: 'https://sms.example.in' }, /needs SMS_HTTP_URL and SMS_HTTP_API_KEY/],
    [{ NOTIFICATION_SENDER: 'http', SMS_HTTP_API_KEY: 'k' }, /needs SMS_HTTP_URL and SMS_HTTP_API_KEY/],
    [{ NOTIFICATION_SENDER: 'http', SMS_HTTP_URL: 'sms.example.in', SMS_HTTP_API_KEY: 'k' }, /absolute http\(s\) URL/],
    [{ NOTIFICATION_SENDER: 'http', SMS_HTTP_URL: 'https://sms.example.in', SMS_HTTP_API_KEY: 'k', SMS_HTTP_TIMEOUT_MS: '10s' }, /SMS_HTTP_TIMEOUT_MS must be a positive whole number/],
    [{ NOTIFICATION_SENDER: 'http', SMS_HTTP_URL: 'https://sms.example.in', SMS_HTTP_API_KEY: 'k', SMS_HTTP_TIMEOUT_MS: '-1' }, /SMS_HTTP_TIMEOUT_MS/],
  ])('refuses %j', (env, message) => {
    expect(() => senderFromEnv(env)).toThrow(message);
  });
});

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileSender, type NotificationMessage } from '../src';

const message = (i: number): NotificationMessage => ({
  id: `evt-${i}-DELIVERED`,
  to: '+919820012345',
  template: 'DELIVERED',
  text: `India Post: Article EE12345678${i}IN has been delivered. "Quotes" and \n newlines survive.`,
});

describe('fileSender', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dakgraph-sms-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes the directory and appends one JSON line per message, in order, even when sent at once', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'sms.log');
    const sender = fileSender(file);
    expect(sender.description).toBe(`file ${file}`);
    await Promise.all(Array.from({ length: 25 }, (_, i) => sender.send(message(i))));
    await sender.send(message(99));
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(26);
    expect(lines.map((line) => JSON.parse(line))).toEqual([...Array.from({ length: 25 }, (_, i) => message(i)), message(99)]);
    // It holds OTPs in clear, like an inbox: the owner's alone.
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps what an earlier sender wrote (appends, never truncates)', async () => {
    const file = path.join(dir, 'sms.log');
    await fileSender(file).send(message(1));
    await fileSender(file).send(message(2));
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).id)).toEqual(['evt-1-DELIVERED', 'evt-2-DELIVERED']);
  });

  it('writes only the four fields, and refuses a malformed message without writing it or echoing its text', async () => {
    const file = path.join(dir, 'sms.log');
    const sender = fileSender(file);
    await sender.send({ ...message(1), extra: 'not for the log' } as NotificationMessage);
    expect(Object.keys(JSON.parse((await readFile(file, 'utf8')).trim()))).toEqual(['id', 'to', 'template', 'text']);
    const secret = 'OTP 123456';
    const refused: Error = await sender.send({ ...message(2), to: '98200 12345', text: secret }).then(() => new Error('resolved'), (e: Error) => e);
    expect(refused.message).toMatch(/E\.164/);
    expect(refused.message).not.toContain('123456');
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('rejects when the file cannot be written, and the next send still works', async () => {
    const sender = fileSender(dir); // a directory: opening it for append fails
    await expect(sender.send(message(1))).rejects.toThrow();
    const ok = fileSender(path.join(dir, 'ok.log'));
    await ok.send(message(2));
    expect(await readFile(path.join(dir, 'ok.log'), 'utf8')).toContain('evt-2-DELIVERED');
  });
});

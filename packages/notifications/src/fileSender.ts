import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { checkMessage, type NotificationSender } from './message';

/**
 * The development and test sender: appends each message as one JSON line `{ id, to, template, text }` to
 * `file` (its directory is made if missing), synced to disk before `send` resolves, so a message counted as
 * sent survives a crash. Appends are queued one after another, so lines never interleave. The file holds
 * OTPs in clear, as an SMS inbox would: it is created readable by its owner only.
 */
export function fileSender(file: string): NotificationSender {
  const target = path.resolve(file);
  let queue: Promise<unknown> = Promise.resolve();
  let madeDirectory = false;

  async function append(line: string): Promise<void> {
    if (!madeDirectory) {
      await mkdir(path.dirname(target), { recursive: true });
      madeDirectory = true;
    }
    const handle = await open(target, 'a', 0o600);
    try {
      await handle.write(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  return {
    description: `file ${target}`,
    async send(message) {
      const { id, to, template, text } = checkMessage(message);
      const line = `${JSON.stringify({ id, to, template, text })}\n`;
      const written = queue.then(() => append(line));
      queue = written.catch(() => undefined);
      return written;
    },
  };
}

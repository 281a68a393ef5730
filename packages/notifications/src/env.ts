import path from 'node:path';
import { fileSender } from './fileSender';
import { httpSender } from './httpSender';
import type { NotificationSender } from './message';

/** Where SMS go: `file:<path>`, `http` (with SMS_HTTP_URL and SMS_HTTP_API_KEY) or `none`. */
export const NOTIFICATION_SENDER_ENV = 'NOTIFICATION_SENDER';
export const SMS_HTTP_URL_ENV = 'SMS_HTTP_URL';
export const SMS_HTTP_API_KEY_ENV = 'SMS_HTTP_API_KEY';
/** Optional, milliseconds; DEFAULT_HTTP_TIMEOUT_MS when unset. */
export const SMS_HTTP_TIMEOUT_MS_ENV = 'SMS_HTTP_TIMEOUT_MS';

const FORMS = `${NOTIFICATION_SENDER_ENV} must be "file:<path>", "http" (with ${SMS_HTTP_URL_ENV} and ${SMS_HTTP_API_KEY_ENV}) or "none"`;

/**
 * The sender NOTIFICATION_SENDER names: a file sender for `file:<path>` (relative to `cwd`), the HTTP
 * sender for `http`, and null for `none` or when it is unset (no SMS are sent; the caller says so). A
 * malformed value throws with the accepted forms, so a deployment never silently sends nothing.
 */
export function senderFromEnv(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): NotificationSender | null {
  const value = env[NOTIFICATION_SENDER_ENV]?.trim();
  if (value === undefined || value === '' || value === 'none') return null;
  if (value.startsWith('file:')) {
    const file = value.slice('file:'.length).trim();
    if (!file) throw new Error(`${FORMS}; "file:" needs a path, e.g. file:.data/sms.log`);
    return fileSender(path.resolve(cwd, file));
  }
  if (value === 'http') {
    const url = env[SMS_HTTP_URL_ENV]?.trim();
    const apiKey = env[SMS_HTTP_API_KEY_ENV]?.trim();
    if (!url || !apiKey) throw new Error(`${NOTIFICATION_SENDER_ENV}=http needs ${SMS_HTTP_URL_ENV} and ${SMS_HTTP_API_KEY_ENV}`);
    const timeout = env[SMS_HTTP_TIMEOUT_MS_ENV]?.trim();
    const timeoutMs = timeout ? Number(timeout) : undefined;
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
      throw new Error(`${SMS_HTTP_TIMEOUT_MS_ENV} must be a positive whole number of milliseconds; got "${timeout!.slice(0, 20)}"`);
    }
    return httpSender({ url, apiKey, timeoutMs });
  }
  throw new Error(`${FORMS}; got "${value.slice(0, 40)}"`);
}


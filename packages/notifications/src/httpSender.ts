import { checkMessage, type NotificationSender } from './message';

export interface HttpSenderOptions {
  /** The provider's endpoint, http(s). */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** How long to wait for the provider's answer; 10 s by default. */
  timeoutMs?: number;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

/**
 * Posts each message as JSON `{ id, to, template, text }` to an SMS provider's HTTP API, with the key
 * in `Authorization: Bearer` and the message id in `Idempotency-Key` (a provider that honours it drops a
 * resend after a crash). A 2xx answer is acceptance; any other status, a network failure or no answer
 * within `timeoutMs` throws. Errors name the message id and the status, never the text (it may hold an
 * OTP) nor the provider's body (it may echo the text).
 */
export function httpSender(options: HttpSenderOptions): NotificationSender {
  const url = checkUrl(options.url);
  if (!options.apiKey) throw new Error('the HTTP SMS sender needs an API key');
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new Error(`the HTTP SMS sender's timeout must be a positive number of milliseconds, not ${timeoutMs}`);
  const where = `${url.origin}${url.pathname}`;
  return {
    description: `HTTP ${where}`,
    async send(message) {
      const { id, to, template, text } = checkMessage(message);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}`, 'idempotency-key': id },
          body: JSON.stringify({ id, to, template, text }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const name = (error as Error)?.name;
        if (name === 'TimeoutError' || name === 'AbortError') throw new Error(`SMS provider at ${where} did not answer message ${id} within ${timeoutMs} ms`);
        const cause = (error as { cause?: { code?: string } })?.cause?.code;
        throw new Error(`SMS provider at ${where} could not be reached for message ${id}${cause ? ` (${cause})` : ''}`);
      }
      // Read to the end so the connection can be reused; the body itself is not looked at.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`SMS provider at ${where} refused message ${id}: HTTP ${response.status}`);
    },
  };
}

function checkUrl(given: string): URL {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new Error('the HTTP SMS sender needs an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`the HTTP SMS sender needs an http(s) URL, not ${url.protocol}`);
  if (url.username || url.password) throw new Error('put the SMS provider key in SMS_HTTP_API_KEY, not in the URL');
  return url;
}

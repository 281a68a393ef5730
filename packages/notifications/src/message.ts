/**
 * One text message for one phone, as a notification consumer hands it to a sender. It is the only place a
 * delivery OTP exists in clear: senders must not log `text`, and nothing here puts it in an error.
 */
export interface NotificationMessage {
  /**
   * Stable across retries: derived from what caused the message (the domain event's id and the
   * template), so a message sent again after a crash carries the same id and a receiver can drop it.
   */
  id: string;
  /** The recipient's phone in E.164 form, e.g. "+919820012345". */
  to: string;
  /** Which wording this is ("OUT_FOR_DELIVERY_OTP", "DELIVERED", ...): for providers' template ids and for tests. */
  template: string;
  /** The text as the recipient reads it. */
  text: string;
}

/**
 * Where messages go: a file in development and tests, an SMS provider's HTTP API in production.
 * `send` resolves only once the message is accepted (written and synced, or answered 2xx) and throws
 * otherwise; the caller retries. A sender may see the same id twice (at-least-once delivery).
 */
export interface NotificationSender {
  /** For logs: where messages go (never a key). */
  readonly description: string;
  send(message: NotificationMessage): Promise<void>;
}

const E164 = /^\+[1-9]\d{7,14}$/;

/** Refuses a message a sender could not send, before it goes anywhere; the error names the id only. */
export function checkMessage(message: NotificationMessage): NotificationMessage {
  if (!message.id || message.id.length > 200) throw new Error('a notification needs an id of 1 to 200 characters');
  if (!E164.test(message.to)) throw new Error(`notification ${message.id}: "to" must be a phone number in E.164 form (+ and 8 to 15 digits)`);
  if (!message.template) throw new Error(`notification ${message.id} has no template name`);
  if (!message.text) throw new Error(`notification ${message.id} has no text`);
  return message;
}

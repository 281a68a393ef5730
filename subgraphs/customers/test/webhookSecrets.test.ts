import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { articleWebhookBody, handleArticleEvent, WEBHOOK_EVENT_TYPES, type ArticleEventPayloadV1, type DomainEvent } from '../src/services/webhookEvents';
import { newUuidV7 } from '../src/services/ids';
import { decryptSecret, encryptSecret, generateSigningSecret, parseWebhookSecretKey } from '../src/services/webhookSecrets';
import type { CustomersTx } from '../src/db';

describe('WEBHOOK_SECRET_KEY', () => {
  const key = randomBytes(32);

  it('takes 32 bytes of base64, standard or URL-safe', () => {
    expect(parseWebhookSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseWebhookSecretKey(key.toString('base64url'))).toEqual(key);
    expect(parseWebhookSecretKey(` ${key.toString('base64')}\n`)).toEqual(key);
  });

  it('refuses a missing, non-base64 or wrong-length key with a message that names the variable and not the value', () => {
    expect(() => parseWebhookSecretKey(undefined)).toThrow(/WEBHOOK_SECRET_KEY is not set.*openssl rand -base64 32/);
    expect(() => parseWebhookSecretKey('')).toThrow(/is not set/);
    expect(() => parseWebhookSecretKey('not base64 at all!')).toThrow(/is not base64/);
    const short = randomBytes(16).toString('base64');
    expect(() => parseWebhookSecretKey(short)).toThrow(/decodes to 16 bytes, not 32/);
    try {
      parseWebhookSecretKey(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });
});

describe('signing secrets at rest', () => {
  const key = randomBytes(32);

  it('are Standard Webhooks secrets the library accepts', () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const webhook = new Webhook(secret);
    const at = new Date();
    const body = '{"type":"webhook.test"}';
    const signature = webhook.sign('msg_1', at, body);
    expect(webhook.verify(body, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature })).toEqual({ type: 'webhook.test' });
  });

  it('round-trip through AES-256-GCM, bound to their endpoint, and never appear in the stored text', () => {
    const secret = generateSigningSecret();
    const stored = encryptSecret(key, secret, 'whe_a');
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain(secret.slice(6, 20));
    expect(decryptSecret(key, stored, 'whe_a')).toBe(secret);
    // Two encryptions of one secret differ (a fresh IV each time).
    expect(encryptSecret(key, secret, 'whe_a')).not.toBe(stored);
  });

  it('do not decrypt under another key, on another endpoint, or altered', () => {
    const stored = encryptSecret(key, generateSigningSecret(), 'whe_a');
    expect(() => decryptSecret(randomBytes(32), stored, 'whe_a')).toThrow();
    expect(() => decryptSecret(key, stored, 'whe_b')).toThrow();
    const [version, iv, tag, ciphertext] = stored.split('.');
    const flipped = Buffer.from(ciphertext!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret(key, [version, iv, tag, flipped.toString('base64url')].join('.'), 'whe_a')).toThrow();
  });
});

describe('article event bodies', () => {
  const payload: ArticleEventPayloadV1 = {
    articleNumber: 'EE000000014IN',
    status: 'DELIVERED',
    sequence: 7,
    partnerId: 'ptn_secret_partner',
    event: {
      sequence: 7, type: 'DELIVERED', upuCode: 'EMI', description: 'Item delivered', occurredAt: '2026-01-05T10:00:00.000Z',
      office: { id: '400001-bazargate' }, nextOffice: null, reason: null, statusAfter: 'DELIVERED',
    },
  };

  it('carry the article and its event, and neither the partner id nor payload fields added later', () => {
    const extended = { ...payload, recipientName: 'Arjun Rao', event: { ...payload.event!, recipientPhone: '+919812345678' } };
    const body = articleWebhookBody('article.delivered', '2026-01-05T10:00:00.000Z', extended);
    expect(body).toEqual({
      type: 'article.delivered',
      timestamp: '2026-01-05T10:00:00.000Z',
      data: { articleNumber: 'EE000000014IN', status: 'DELIVERED', sequence: 7, event: payload.event },
    });
    expect(JSON.stringify(body)).not.toMatch(/ptn_secret_partner|Arjun|9812345678/);
  });

  it('lists the eleven article event types and the four payment events partners hear of', () => {
    expect(WEBHOOK_EVENT_TYPES).toHaveLength(15);
    expect(WEBHOOK_EVENT_TYPES).toContain('article.delivered');
    expect(WEBHOOK_EVENT_TYPES.slice(11)).toEqual(['payment.captured', 'payment.failed', 'cod.collected', 'cod.remitted']);
  });

  it("queue a payment event for its partner, without the payer's VPA, and refuse a malformed one", async () => {
    const statements: unknown[][] = [];
    const tx = { $executeRaw: async (sql: TemplateStringsArray, ...values: unknown[]) => statements.push([sql.join('?'), ...values]) } as unknown as CustomersTx;
    const collected = {
      id: newUuidV7(), type: 'cod.collected', source: 'payments', subject: 'EE000000014IN', sequence: 1, occurredAt: '2026-01-05T10:00:00.000Z', version: 1,
      payload: { articleNumber: 'EE000000014IN', paymentId: 'pay_1', partnerId: 'ptn_secret_partner', amountPaise: 129_900, mode: 'CASH', collectedAt: '2026-01-05T10:00:00.000Z' },
    };
    await handleArticleEvent(tx, collected);
    expect(statements).toHaveLength(1);
    const body = JSON.parse(statements[0]!.find((v) => typeof v === 'string' && v.startsWith('{"type"')) as string);
    expect(body).toEqual({ type: 'cod.collected', timestamp: '2026-01-05T10:00:00.000Z', data: { articleNumber: 'EE000000014IN', paymentId: 'pay_1', amountPaise: 129_900, mode: 'CASH', collectedAt: '2026-01-05T10:00:00.000Z' } });
    // The internal payment events are not for partners; a malformed partner one is refused unwritten.
    await handleArticleEvent(tx, { ...collected, id: newUuidV7(), type: 'payment.expired' });
    await expect(handleArticleEvent(tx, { ...collected, id: newUuidV7(), payload: { ...collected.payload, amountPaise: '1299' } })).rejects.toThrow(/malformed payload \(amountPaise\)/);
    expect(statements).toHaveLength(1);
  });

  it('ignore events of other sources and types, and refuse malformed article events without writing', async () => {
    const statements: string[] = [];
    const tx = { $executeRaw: async (sql: TemplateStringsArray) => statements.push(sql.join('?')) } as unknown as CustomersTx;
    const event = (overrides: Partial<DomainEvent>): DomainEvent => ({
      id: newUuidV7(), type: 'article.delivered', source: 'articles', subject: 'EE000000014IN', sequence: 7,
      occurredAt: '2026-01-05T10:00:00.000Z', version: 1, payload, ...overrides,
    });
    await handleArticleEvent(tx, event({ source: 'payments' }));
    await handleArticleEvent(tx, event({ type: 'article.weighed' }));
    await handleArticleEvent(tx, event({ payload: { ...payload, partnerId: null } }));
    expect(statements).toEqual([]);
    await expect(handleArticleEvent(tx, event({ id: 'not-a-uuid' }))).rejects.toThrow(/no UUID id/);
    await expect(handleArticleEvent(tx, event({ version: 2 }))).rejects.toThrow(/version 2/);
    await expect(handleArticleEvent(tx, event({ payload: { ...payload, articleNumber: 42 } }))).rejects.toThrow(/malformed payload \(articleNumber\)/);
    expect(statements).toEqual([]);
    await handleArticleEvent(tx, event({}));
    expect(statements).toHaveLength(1);
  });

  it('are identified by UUIDv7s when dakgraph makes the id itself', () => {
    const id = newUuidV7(Date.UTC(2026, 0, 5));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 0, 5));
  });
});

import type { ConsumerHandle, DomainEvent, EventHandler, EventLogger, EventTransport } from '@dakgraph/events';
import {
  ARTICLE_EVENT_SOURCE,
  ARTICLE_EVENT_TYPE_BY_STATUS,
  ARTICLE_EVENT_VERSION,
  DELIVERY_OTP_SENT_EVENT_TYPE,
  DELIVERY_OTP_SENT_VERSION,
  articleEventPayloadV1,
  deliveryOtpSentPayloadV1,
} from '@dakgraph/internal-api';
import type { NotificationMessage, NotificationSender } from '@dakgraph/notifications';
import type { ArticlesPrisma } from '../db';
import { MAX_OTP_FAILURES, deliveryOtpFor, otpStillValid, smsText, type ArticleStatus, type SmsTemplate } from '../domain';
import { toIst } from '../domain/ist';
import { normalizeMobile, type StoredParty } from './parties';
import { InputProblem } from './problems';

/**
 * The SMS notification consumer: turns the articles subgraph's own events into texts to the addressee
 * (or, on a return leg, the sender): out for delivery (with the OTP when the assignment needs one),
 * delivered, and a reissued or resent OTP. It lives here because this subgraph holds what a text needs:
 * the phones, the OTP secret and the nonces.
 *
 * At least once, never lost: the event stays unacknowledged until the sender accepted the message, and
 * is marked in articles.processed_event only then. The send happens with no transaction open. A crash
 * before the mark delivers the event again and sends the same message again with the same id (the
 * event's id and the template), which a receiver can drop; a sender failure throws, so the transport
 * delivers the event again after a growing pause (100 ms doubling to 30 s).
 *
 * The OTP is derived at send time from the assignment's current nonce (deliveryOtpFor) and exists in
 * clear only in the message handed to the sender: not in the event, the tables, a log line or an error.
 */

/** The durable consumer's name (JetStream, or in-process in the embedded mode). */
export const NOTIFICATION_CONSUMER = 'articles-notifications';

/** The events that may become a text. */
export const NOTIFICATION_EVENT_TYPES: readonly string[] = [
  ARTICLE_EVENT_TYPE_BY_STATUS.OUT_FOR_DELIVERY,
  // A returned article going out to its sender: RETURNED_TO_SENDER with an OUT_FOR_DELIVERY event.
  ARTICLE_EVENT_TYPE_BY_STATUS.RETURNED_TO_SENDER,
  ARTICLE_EVENT_TYPE_BY_STATUS.DELIVERED,
  ARTICLE_EVENT_TYPE_BY_STATUS.RETURN_DELIVERED,
  DELIVERY_OTP_SENT_EVENT_TYPE,
];

/**
 * Milestones older than this are not texted: a new durable starts at the beginning of the stream (7
 * days), and a text about last week's delivery helps nobody. OTPs have the stricter rule of their day.
 */
export const NOTIFICATION_MAX_AGE_MS = 24 * 3600 * 1000;

/** Why an event was not texted (counted; logged with the event's id and type only, no personal data). */
export type SkipReason = 'NOT_A_MILESTONE' | 'ARTICLE_GONE' | 'NO_PHONE' | 'STALE';

export interface NotificationStats {
  sent: Partial<Record<SmsTemplate, number>>;
  skipped: Partial<Record<SkipReason, number>>;
  /** Events that came again after they were texted and marked (nothing was sent). */
  redelivered: number;
}

export interface NotificationConsumerOptions {
  prisma: ArticlesPrisma;
  sender: NotificationSender;
  /** DELIVERY_OTP_SECRET; an OTP text without it fails (and is retried) rather than going without its OTP. */
  otpSecret: string | null;
  now: () => Date;
  log?: EventLogger;
}

export interface NotificationConsumer {
  handler: EventHandler;
  stats: NotificationStats;
}

type Plan = { message: NotificationMessage; otp: string | null } | { skip: SkipReason };

interface ArticleFacts {
  status: ArticleStatus;
  recipient: StoredParty | null;
  sender: StoredParty | null;
}

interface AssignmentFacts {
  attempt: number;
  deliveryDate: string;
  otpRequired: boolean;
  otpNonce: string | null;
  otpFailures: number;
  otpUsed: boolean;
}

/** Where an OTP can still be of use: out with the postman, to the addressee or (returned) back to the sender. */
const OUT_WITH_POSTMAN: readonly ArticleStatus[] = ['OUT_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'RETURNED_TO_SENDER'];
const ASSIGNMENT_COLUMNS = `attempt, to_char(delivery_date, 'YYYY-MM-DD') AS "deliveryDate", otp_required AS "otpRequired",
  otp_nonce AS "otpNonce", otp_failures AS "otpFailures", otp_used_at IS NOT NULL AS "otpUsed"`;

export function createNotificationConsumer(options: NotificationConsumerOptions): NotificationConsumer {
  const { prisma, sender, now } = options;
  const log = options.log ?? console;
  const types = new Set(NOTIFICATION_EVENT_TYPES);
  const stats: NotificationStats = { sent: {}, skipped: {}, redelivered: 0 };

  async function article(articleNumber: string): Promise<ArticleFacts | null> {
    const [row] = await prisma.$queryRawUnsafe<ArticleFacts[]>(
      `SELECT status::text AS status, recipient, sender FROM articles.article WHERE article_number = $1::bpchar`,
      articleNumber,
    );
    return row ?? null;
  }

  async function assignment(articleNumber: string, where: { attempt: number } | { deliveryDate: string }): Promise<AssignmentFacts | null> {
    const [row] =
      'attempt' in where
        ? await prisma.$queryRawUnsafe<AssignmentFacts[]>(
            `SELECT ${ASSIGNMENT_COLUMNS} FROM articles.delivery_assignment WHERE article_number = $1::bpchar AND attempt = $2`,
            articleNumber,
            where.attempt,
          )
        : await prisma.$queryRawUnsafe<AssignmentFacts[]>(
            `SELECT ${ASSIGNMENT_COLUMNS} FROM articles.delivery_assignment WHERE article_number = $1::bpchar AND delivery_date = $2::date
              ORDER BY attempt DESC LIMIT 1`,
            articleNumber,
            where.deliveryDate,
          );
    return row ?? null;
  }

  /** The OTP of an assignment if it can still be used now; null otherwise. */
  function usableOtp(articleNumber: string, issue: AssignmentFacts | null): string | null {
    if (!issue?.otpRequired || !issue.otpNonce || issue.otpUsed || issue.otpFailures >= MAX_OTP_FAILURES) return null;
    if (!otpStillValid(issue.deliveryDate, now())) return null;
    if (!options.otpSecret) throw new Error('an OTP text is due but this server has no DELIVERY_OTP_SECRET; it is retried');
    return deliveryOtpFor(articleNumber, issue.deliveryDate, issue.otpNonce, options.otpSecret);
  }

  function message(event: DomainEvent, party: StoredParty | null, template: SmsTemplate, facts: { articleNumber: string; otp?: string; at?: Date }): Plan {
    const to = phoneOf(party);
    if (!to) return { skip: 'NO_PHONE' };
    return { message: { id: `${event.id}:${template}`, to, template, text: smsText(template, facts) }, otp: facts.otp ?? null };
  }

  async function plan(event: DomainEvent): Promise<Plan> {
    const at = new Date(event.occurredAt);
    if (event.type === DELIVERY_OTP_SENT_EVENT_TYPE) {
      if (event.version !== DELIVERY_OTP_SENT_VERSION) throw new Error(`event ${event.id} has payload version ${event.version}; this consumer reads ${DELIVERY_OTP_SENT_VERSION}`);
      const parsed = deliveryOtpSentPayloadV1.safeParse(event.payload);
      if (!parsed.success) throw new Error(`event ${event.id} has a malformed payload`);
      const { articleNumber, attempt, why } = parsed.data;
      const found = await article(articleNumber);
      if (!found) return { skip: 'ARTICLE_GONE' };
      // A reissue after this one, a delivery or the end of the day made this OTP useless: text nothing.
      const otp = OUT_WITH_POSTMAN.includes(found.status) ? usableOtp(articleNumber, await assignment(articleNumber, { attempt })) : null;
      if (!otp) return { skip: 'STALE' };
      // On a return leg the OTP is the sender's to give.
      const to = found.status === 'RETURNED_TO_SENDER' ? found.sender : found.recipient;
      return message(event, to, why === 'REISSUED' ? 'OTP_REISSUED' : 'OTP_RESENT', { articleNumber, otp });
    }

    if (event.version !== ARTICLE_EVENT_VERSION) throw new Error(`event ${event.id} has payload version ${event.version}; this consumer reads ${ARTICLE_EVENT_VERSION}`);
    const parsed = articleEventPayloadV1.safeParse(event.payload);
    if (!parsed.success) throw new Error(`event ${event.id} has a malformed payload`);
    const { articleNumber, event: tracking } = parsed.data;
    const returnLeg = event.type === ARTICLE_EVENT_TYPE_BY_STATUS.RETURNED_TO_SENDER;
    if (returnLeg && tracking?.type !== 'OUT_FOR_DELIVERY') return { skip: 'NOT_A_MILESTONE' };
    if (now().getTime() - at.getTime() > NOTIFICATION_MAX_AGE_MS) return { skip: 'STALE' };
    const found = await article(articleNumber);
    if (!found) return { skip: 'ARTICLE_GONE' };

    switch (event.type) {
      case ARTICLE_EVENT_TYPE_BY_STATUS.OUT_FOR_DELIVERY: {
        // "Out for delivery today" is only true on its day and while it is still out.
        const day = toIst(at).date;
        if (day !== toIst(now()).date || !OUT_WITH_POSTMAN.includes(found.status)) return { skip: 'STALE' };
        const otp = usableOtp(articleNumber, await assignment(articleNumber, { deliveryDate: day }));
        return otp
          ? message(event, found.recipient, 'OUT_FOR_DELIVERY_OTP', { articleNumber, otp })
          : message(event, found.recipient, 'OUT_FOR_DELIVERY', { articleNumber });
      }
      case ARTICLE_EVENT_TYPE_BY_STATUS.RETURNED_TO_SENDER:
      {
        const day = toIst(at).date;
        if (day !== toIst(now()).date || found.status !== 'RETURNED_TO_SENDER') return { skip: 'STALE' };
        // Delivered back the same way: an OTP article needs the sender's OTP.
        const otp = usableOtp(articleNumber, await assignment(articleNumber, { deliveryDate: day }));
        return otp
          ? message(event, found.sender, 'OUT_FOR_DELIVERY_OTP', { articleNumber, otp })
          : message(event, found.sender, 'RETURN_OUT_FOR_DELIVERY', { articleNumber });
      }
      case ARTICLE_EVENT_TYPE_BY_STATUS.DELIVERED:
        return message(event, found.recipient, 'DELIVERED', { articleNumber, at });
      default:
        return message(event, found.sender, 'RETURN_DELIVERED', { articleNumber, at });
    }
  }

  const handler: EventHandler = async (event) => {
    if (event.source !== ARTICLE_EVENT_SOURCE || !types.has(event.type)) return;
    const [done] = await prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM articles.processed_event WHERE consumer = $1 AND event_id = $2::uuid`,
      NOTIFICATION_CONSUMER,
      event.id,
    );
    if ((done?.n ?? 0) > 0) {
      stats.redelivered += 1;
      return;
    }
    const planned = await plan(event);
    if ('skip' in planned) {
      stats.skipped[planned.skip] = (stats.skipped[planned.skip] ?? 0) + 1;
      log.info(`[notifications] ${event.type} ${event.id}: no SMS (${planned.skip})`);
    } else {
      try {
        await sender.send(planned.message);
      } catch (error) {
        // A sender's error might quote the message; the OTP never goes further than the sender.
        const reason = String((error as Error)?.message ?? error);
        throw new Error(`SMS ${planned.message.id} not accepted by ${sender.description}: ${planned.otp ? reason.split(planned.otp).join('******') : reason}`);
      }
      stats.sent[planned.message.template as SmsTemplate] = (stats.sent[planned.message.template as SmsTemplate] ?? 0) + 1;
    }
    // Only now: a crash before this line delivers the event again (the same message, the same id).
    await prisma.$executeRawUnsafe(
      `INSERT INTO articles.processed_event (consumer, event_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING`,
      NOTIFICATION_CONSUMER,
      event.id,
    );
  };

  return { handler, stats };
}

/** The party's phone in E.164 form (+91 and ten digits, as booking stores it); null when there is none usable. */
function phoneOf(party: StoredParty | null): string | null {
  if (!party?.phone) return null;
  try {
    return normalizeMobile(party.phone, 'phone');
  } catch (error) {
    if (error instanceof InputProblem) return null;
    throw error;
  }
}

/** A running notification consumer on `transport`. */
export async function consumeNotifications(transport: EventTransport, consumer: NotificationConsumer): Promise<ConsumerHandle> {
  return transport.consume(NOTIFICATION_CONSUMER, { types: NOTIFICATION_EVENT_TYPES }, consumer.handler);
}

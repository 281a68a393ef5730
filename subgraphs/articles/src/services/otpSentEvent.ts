import { newEventId, recordEvents } from '@dakgraph/events';
import {
  ARTICLE_EVENT_SOURCE,
  DELIVERY_OTP_SENT_EVENT_TYPE,
  DELIVERY_OTP_SENT_VERSION,
  type DeliveryOtpSentPayloadV1,
} from '@dakgraph/internal-api';
import type { ArticlesTx } from '../db';
import { OUTBOX_TABLE } from './articleEvents';
import type { ArticleState } from './tracking';

/**
 * The `article.delivery_otp_sent` event: an OTP is to be texted outside an out-for-delivery milestone (a
 * reissued or a resent one). Written in the transaction of the change, so a crash after the commit still
 * sends the SMS; it names the assignment, never the OTP, which the notification consumer derives at send time.
 */

/** Records, through `tx`, that the OTP of assignment (article, attempt) is to be texted and why. */
export async function recordOtpSent(
  tx: ArticlesTx,
  notice: { state: ArticleState; attempt: number; why: DeliveryOtpSentPayloadV1['why']; at: Date },
): Promise<void> {
  const payload: DeliveryOtpSentPayloadV1 = { articleNumber: notice.state.articleNumber, attempt: notice.attempt, why: notice.why };
  await recordEvents(tx, OUTBOX_TABLE, [
    {
      id: newEventId(),
      type: DELIVERY_OTP_SENT_EVENT_TYPE,
      source: ARTICLE_EVENT_SOURCE,
      subject: notice.state.articleNumber,
      // No tracking event of its own: it sits after the article's latest one (the relay orders a subject's
      // events by sequence, then id), so it never overtakes the out_for_delivery it follows.
      sequence: notice.state.eventCount,
      occurredAt: notice.at.toISOString(),
      version: DELIVERY_OTP_SENT_VERSION,
      payload,
    },
  ]);
}

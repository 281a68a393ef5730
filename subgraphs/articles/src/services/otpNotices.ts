import { apiError, badInput, enforce } from '@dakgraph/graphql-kit';
import { canResendDeliveryOtp } from '../access';
import type { ArticlesContext } from '../context';
import type { ArticleRow } from '../db';
import { MAX_OTP_FAILURES } from '../domain';
import { endOfIstDay } from '../domain/ist';
import { parseArticleNumber } from './articleNumbers';
import { currentAssignment, requireStage, existingArticle, officeScopeOf, otpSecretOf, reloadArticles, todayOf } from './delivery';
import { asBadInput } from './problems';
import { recordOtpSent } from './otpSentEvent';
import { lockArticles } from './tracking';

/** Resends of one article's OTP per IST day, whoever asks: an SMS costs money and each one is a chance to phish. */
export const MAX_OTP_RESENDS_PER_DAY = 3;

/** What resendDeliveryOtp answers. */
export interface ResendOutcome {
  article: ArticleRow;
  resendsLeftToday: number;
  replayed: boolean;
}

/**
 * Texts the current OTP again (the nonce, hence the OTP, is unchanged), for an OTP article out for
 * delivery today whose OTP is neither used nor locked. At most MAX_OTP_RESENDS_PER_DAY per article per IST
 * day, counted in delivery_assignment.otp_resends under the article's lock (so concurrent requests cannot
 * exceed it) and summed over that day's assignments of the article; the next day's assignment starts
 * from nothing. The 4th is RATE_LIMITED with when the count resets.
 */
export async function resendDeliveryOtp(ctx: ArticlesContext, givenNumber: string, idempotencyKey: string): Promise<ResendOutcome> {
  enforce(canResendDeliveryOtp(ctx.viewer, null));
  const articleNumber = asBadInput(() => parseArticleNumber(givenNumber, 'articleNumber'));
  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'resendDeliveryOtp', { articleNumber });
  return ctx.idempotency.run(claim, {
    prepare: async () => officeScopeOf(ctx, await existingArticle(ctx, articleNumber)),
    write: async (tx, office) => {
      const state = (await lockArticles(tx, [articleNumber])).get(articleNumber)!;
      const assignment = await currentAssignment(tx, articleNumber);
      const today = todayOf(ctx);
      enforce(canResendDeliveryOtp(ctx.viewer, { office, assignment, today }));
      await requireStage(tx, state, ['withPostman'], 'an OTP is resent for', 'articleNumber');
      if (!assignment?.otpRequired || !assignment.otpNonce) {
        throw badInput(`Article ${articleNumber} (${state.status}) has no OTP to resend: only an OTP article out for delivery has one`, 'articleNumber');
      }
      if (assignment.deliveryDate !== today || assignment.otpUsedAt) {
        throw badInput(
          `The OTP of article ${articleNumber} was for ${assignment.deliveryDate} and ${assignment.otpUsedAt ? 'has been used' : 'has expired'}; it goes out with a new OTP when assigned again`,
          'articleNumber',
        );
      }
      if (assignment.otpFailures >= MAX_OTP_FAILURES) {
        throw apiError('OTP_LOCKED', `Article ${articleNumber}: the OTP is locked after ${MAX_OTP_FAILURES} wrong tries, so resending it would not help; a supervisor issues a new one (reissueDeliveryOtp)`);
      }
      otpSecretOf(ctx);
      const [counted] = await tx.$queryRawUnsafe<{ sent: number }[]>(
        `SELECT coalesce(sum(otp_resends), 0)::int AS sent FROM articles.delivery_assignment WHERE article_number = $1::bpchar AND delivery_date = $2::date`,
        articleNumber,
        today,
      );
      const sent = counted?.sent ?? 0;
      if (sent >= MAX_OTP_RESENDS_PER_DAY) {
        const resetsAt = new Date(endOfIstDay(today).getTime() + 1);
        const retryAfterSeconds = Math.max(1, Math.ceil((resetsAt.getTime() - ctx.deps.now().getTime()) / 1000));
        throw apiError(
          'RATE_LIMITED',
          `The OTP of article ${articleNumber} was already resent ${MAX_OTP_RESENDS_PER_DAY} times today, the most a day; it can be resent again from 00:00 IST (${resetsAt.toISOString()}), or a supervisor can issue a new one (reissueDeliveryOtp)`,
          { limit: MAX_OTP_RESENDS_PER_DAY, resetsAt: resetsAt.toISOString(), retryAfterSeconds },
          { 'retry-after': String(retryAfterSeconds) },
        );
      }
      await tx.$executeRawUnsafe(
        `UPDATE articles.delivery_assignment SET otp_resends = otp_resends + 1 WHERE article_number = $1::bpchar AND attempt = $2`,
        articleNumber,
        assignment.attempt,
      );
      await recordOtpSent(tx, { state, attempt: assignment.attempt, why: 'RESENT', at: ctx.deps.now() });
      return { articleNumber, resendsLeftToday: MAX_OTP_RESENDS_PER_DAY - sent - 1 };
    },
    answer: async (stored: { articleNumber: string; resendsLeftToday: number }, replayed) => {
      if (!replayed) ctx.deps.eventsRecorded();
      const [article] = await reloadArticles(ctx, [stored.articleNumber]);
      return { article: article!, resendsLeftToday: stored.resendsLeftToday, replayed };
    },
  });
}

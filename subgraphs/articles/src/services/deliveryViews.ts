import { badInput, refuse } from '@dakgraph/graphql-kit';
import { deliveryBeatScope } from '../access';
import type { ArticlesContext } from '../context';
import type { ArticleRow, ArticlesPrisma } from '../db';
import { MAX_OTP_FAILURES } from '../domain';
import { isIsoDate } from '../domain/ist';
import type { CodCollectionMode, DeliveryProofKind } from '../__generated__/prisma/client';
import { MAX_BEAT_SIZE } from './delivery';

/** An article's delivery as read: its latest assignment and its latest proof (either may be missing). */
export interface DeliveryRecord {
  articleNumber: string;
  attempt: number | null;
  postmanId: string | null;
  deliveryDate: string | null;
  otpFailures: number | null;
  otpUsed: boolean;
  failedAttempts: number;
  proofKind: DeliveryProofKind | null;
  receivedBy: string | null;
  codCollectedPaise: number | null;
  codMode: CodCollectionMode | null;
  deliveredAt: Date | null;
}

/** What `Delivery` resolves from: the record and its article (whose visibility guards the personal fields). */
export interface DeliveryView extends DeliveryRecord {
  article: ArticleRow;
}

/** Whether the current issue took too many wrong OTPs (and was not used or reissued since). */
export const otpLocked = (delivery: DeliveryRecord): boolean => !delivery.otpUsed && (delivery.otpFailures ?? 0) >= MAX_OTP_FAILURES;

/**
 * The deliveries of many articles in one query: each article's latest assignment and latest proof
 * (LATERAL on their primary keys) and its failed attempts on the way out; null for an article that
 * never went out and was never delivered with a proof.
 */
export async function loadDeliveries(prisma: ArticlesPrisma, articleNumbers: readonly string[]): Promise<(DeliveryRecord | null)[]> {
  const rows = await prisma.$queryRawUnsafe<DeliveryRecord[]>(
    `SELECT n.article_number AS "articleNumber", da.attempt, da.postman_id AS "postmanId",
            to_char(da.delivery_date, 'YYYY-MM-DD') AS "deliveryDate", da.otp_failures AS "otpFailures",
            (da.otp_used_at IS NOT NULL) AS "otpUsed",
            (SELECT count(*)::int FROM articles.tracking_event te
              WHERE te.article_number = n.article_number AND te.type = 'DELIVERY_ATTEMPTED' AND te.status_after = 'DELIVERY_ATTEMPTED') AS "failedAttempts",
            d.proof_kind::text AS "proofKind", d.received_by AS "receivedBy", d.cod_collected_paise AS "codCollectedPaise",
            d.cod_mode::text AS "codMode", d.delivered_at AS "deliveredAt"
       FROM unnest($1::bpchar[]) AS n(article_number)
       LEFT JOIN LATERAL (SELECT * FROM articles.delivery_assignment a WHERE a.article_number = n.article_number ORDER BY a.attempt DESC LIMIT 1) da ON true
       LEFT JOIN LATERAL (SELECT * FROM articles.article_delivery p WHERE p.article_number = n.article_number ORDER BY p.sequence DESC LIMIT 1) d ON true
      WHERE da.article_number IS NOT NULL OR d.article_number IS NOT NULL`,
    [...articleNumbers],
  );
  const byNumber = new Map(rows.map((row) => [row.articleNumber, { ...row, deliveredAt: row.deliveredAt ? new Date(row.deliveredAt) : null }]));
  return articleNumbers.map((articleNumber) => byNumber.get(articleNumber) ?? null);
}

/**
 * Query.deliveryBeat: the articles given to a postman on an IST day, by article number. Supervisors see
 * those that went out from offices of their division; a refusal for anyone who may not see the beat.
 */
export async function deliveryBeat(ctx: ArticlesContext, postmanId: string, date: string): Promise<ArticleRow[]> {
  const scope = deliveryBeatScope(ctx.viewer, postmanId);
  if (scope.kind === 'NONE') refuse(scope.decision);
  if (!isIsoDate(date)) throw badInput('date must be an IST date written YYYY-MM-DD', 'date');
  const rows = await ctx.prisma.$queryRawUnsafe<{ articleNumber: string }[]>(
    `SELECT DISTINCT a.article_number AS "articleNumber"
       FROM articles.delivery_assignment a
       LEFT JOIN articles.office_ref o ON o.id = a.office_id
      WHERE a.postman_id = $1 AND a.delivery_date = $2::date AND ($3::text IS NULL OR o.division_id = $3::text)
      ORDER BY 1 LIMIT ${MAX_BEAT_SIZE}`,
    postmanId,
    date,
    scope.kind === 'DIVISION' ? scope.divisionId : null,
  );
  const articles = await ctx.loaders.articleByNumber.loadMany(rows.map((row) => row.articleNumber));
  return articles.filter((article): article is ArticleRow => {
    if (article instanceof Error) throw article;
    return article !== null;
  });
}

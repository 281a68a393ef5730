import { apiError, badInput } from '@dakgraph/graphql-kit';
import { canListOfficeArticles, customerArticlesScope, type Decision } from '../access';
import type { ArticlesContext } from '../context';
import type { ArticleRow } from '../db';
import type { ArticlePageKey } from '../loaders';
import { decodeCursor, encodeCursor, pageSize, toConnection, type ConnectionResult } from '@dakgraph/graphql-kit';

const CURSOR_KIND = 'article';
const ARTICLE_NUMBER = /^[A-Z]{2}\d{9}[A-Z]{2}$/;

/** Lists run newest first; the cursor is the (bookedAt, articleNumber) of the last article seen. */
export const articleCursor = (article: ArticleRow): string =>
  encodeCursor(CURSOR_KIND, `${article.bookedAt.toISOString()}|${article.articleNumber}`);

function decodeArticleCursor(cursor: string | null | undefined): ArticlePageKey['after'] {
  const key = decodeCursor(CURSOR_KIND, cursor);
  if (key === null) return null;
  const [at, articleNumber] = key.split('|');
  const bookedAt = new Date(at ?? '');
  if (!Number.isFinite(bookedAt.getTime()) || !articleNumber || !ARTICLE_NUMBER.test(articleNumber)) {
    throw badInput('"after" is not a cursor from this list; pass a pageInfo.endCursor or edges.cursor value', 'after');
  }
  return { bookedAt, articleNumber };
}

export function refuse(decision: Decision): never {
  if (decision.allowed) throw new Error('refuse() called with an allowing decision');
  throw apiError(decision.code, decision.reason);
}

async function page(
  ctx: ArticlesContext,
  key: Omit<ArticlePageKey, 'limit' | 'after'>,
  args: { first?: number | null; after?: string | null },
  count: () => Promise<number>,
): Promise<ConnectionResult<ArticleRow>> {
  const size = pageSize(args.first, 20);
  const after = decodeArticleCursor(args.after);
  const rows = await ctx.loaders.articlePages.load({ ...key, limit: size + 1, after });
  return toConnection(rows, size, articleCursor, count);
}

/** Customer.articles: all of them for the customer and counter staff, the ones it booked for a partner. */
export async function customerArticles(
  ctx: ArticlesContext,
  customerId: string,
  args: { first?: number | null; after?: string | null },
): Promise<ConnectionResult<ArticleRow>> {
  const scope = customerArticlesScope(ctx.viewer, customerId);
  if (scope.kind === 'NONE') refuse(scope.decision);
  const partnerId = scope.kind === 'BOOKED_BY_PARTNER' ? scope.partnerId : null;
  return page(ctx, { parent: 'sender_customer_id', id: customerId, partnerId }, args, () =>
    ctx.prisma.article.count({ where: { senderCustomerId: customerId, ...(partnerId ? { partnerId } : {}) } }),
  );
}

/** Office.bookedArticles: for the office's staff, its division's supervisors and admins. */
export async function officeArticles(
  ctx: ArticlesContext,
  officeId: string,
  args: { first?: number | null; after?: string | null },
): Promise<ConnectionResult<ArticleRow>> {
  const office = await ctx.loaders.officeRefById.load(officeId);
  const decision = canListOfficeArticles(ctx.viewer, { officeId, divisionId: office?.divisionId ?? '' });
  if (!decision.allowed) refuse(decision);
  return page(ctx, { parent: 'booking_office_id', id: officeId, partnerId: null }, args, () =>
    ctx.prisma.article.count({ where: { bookingOfficeId: officeId } }),
  );
}

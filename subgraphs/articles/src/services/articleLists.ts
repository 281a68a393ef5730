import { badCursor, enforce, keysetPage, refuse, type ConnectionResult } from '@dakgraph/graphql-kit';
import { canListOfficeArticles, customerArticlesScope } from '../access';
import type { ArticlesContext } from '../context';
import type { ArticleRow } from '../db';
import type { ArticlePageKey } from '../loaders';
import type { CustomerArticlesArgs, OfficeBookedArticlesArgs } from '../__generated__/resolvers-types';

const ARTICLE_NUMBER = /^[A-Z]{2}\d{9}[A-Z]{2}$/;

/** Lists run newest first; the cursor's key is the (bookedAt, articleNumber) of the last article seen. */
const articleKey = (article: ArticleRow): string => `${article.bookedAt.toISOString()}|${article.articleNumber}`;

function parseArticleKey(key: string): NonNullable<ArticlePageKey['after']> {
  const [at, articleNumber] = key.split('|');
  const bookedAt = new Date(at ?? '');
  if (!Number.isFinite(bookedAt.getTime()) || !articleNumber || !ARTICLE_NUMBER.test(articleNumber)) throw badCursor();
  return { bookedAt, articleNumber };
}

function page(
  ctx: ArticlesContext,
  key: Omit<ArticlePageKey, 'limit' | 'after'>,
  args: CustomerArticlesArgs | OfficeBookedArticlesArgs,
  count: () => Promise<number>,
): Promise<ConnectionResult<ArticleRow>> {
  return keysetPage(args, {
    cursorKind: 'article',
    keyOf: articleKey,
    parseKey: parseArticleKey,
    fetch: (after, limit) => ctx.loaders.articlePages.load({ ...key, limit, after }),
    count,
  });
}

/** Customer.articles: all of them for the customer and counter staff, the ones it booked for a partner. */
export async function customerArticles(ctx: ArticlesContext, customerId: string, args: CustomerArticlesArgs): Promise<ConnectionResult<ArticleRow>> {
  const scope = customerArticlesScope(ctx.viewer, customerId);
  if (scope.kind === 'NONE') refuse(scope.decision);
  const partnerId = scope.kind === 'BOOKED_BY_PARTNER' ? scope.partnerId : null;
  return page(ctx, { parent: 'sender_customer_id', id: customerId, partnerId }, args, () =>
    ctx.prisma.article.count({ where: { senderCustomerId: customerId, ...(partnerId ? { partnerId } : {}) } }),
  );
}

/** Office.bookedArticles: for the office's staff, its division's supervisors and admins. */
export async function officeArticles(ctx: ArticlesContext, officeId: string, args: OfficeBookedArticlesArgs): Promise<ConnectionResult<ArticleRow>> {
  const office = await ctx.loaders.officeRefById.load(officeId);
  enforce(canListOfficeArticles(ctx.viewer, { officeId, divisionId: office?.divisionId ?? '' }));
  return page(ctx, { parent: 'booking_office_id', id: officeId, partnerId: null }, args, () =>
    ctx.prisma.article.count({ where: { bookingOfficeId: officeId } }),
  );
}

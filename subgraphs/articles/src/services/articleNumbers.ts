import { apiError, badInput } from '@dakgraph/graphql-kit';
import { S10Error, format, parse } from '@dakgraph/s10';
import type { ArticlesContext } from '../context';
import type { ArticleRow, ArticlesTx } from '../db';
import { PRODUCT_CATALOGUE, type Product } from '../domain';
import { InputProblem, asBadInput } from './problems';

/** The country code of every article number this post issues. */
export const ISSUING_COUNTRY = 'IN';
export const MAX_TRACKED_ARTICLES = 500;

/**
 * The canonical form of an article number ("ee 123 456 785 in" is "EE123456785IN"). Any two-letter
 * service indicator and country code are well-formed (foreign articles are tracked too); the check
 * digit must be right.
 */
export function parseArticleNumber(input: string, field: string): string {
  try {
    return parse(input).articleNumber;
  } catch (error) {
    if (error instanceof S10Error) throw new InputProblem(field, error.message);
    throw error;
  }
}

/** `Query.article`: null for a well-formed number no article has. */
export function findArticle(ctx: ArticlesContext, articleNumber: string): Promise<ArticleRow | null> {
  return ctx.loaders.articleByNumber.load(asBadInput(() => parseArticleNumber(articleNumber, 'articleNumber')));
}

/** `Query.trackArticles`: in input order, null for unknown numbers; one query for all of them. */
export async function trackArticles(ctx: ArticlesContext, articleNumbers: readonly string[]): Promise<(ArticleRow | null)[]> {
  if (articleNumbers.length > MAX_TRACKED_ARTICLES) {
    throw badInput(`Track at most ${MAX_TRACKED_ARTICLES} articles at once; got ${articleNumbers.length}`, 'articleNumbers');
  }
  const parsed: string[] = [];
  const invalid: { index: number; message: string }[] = [];
  articleNumbers.forEach((input, index) => {
    try {
      parsed.push(parseArticleNumber(input, `articleNumbers[${index}]`));
    } catch (error) {
      if (!(error instanceof InputProblem)) throw error;
      invalid.push({ index, message: error.message });
    }
  });
  if (invalid.length) {
    throw apiError('BAD_USER_INPUT', `${invalid.length} of ${articleNumbers.length} article numbers are malformed: at ${invalid.map((i) => i.index).join(', ')}`, {
      field: 'articleNumbers',
      invalidIndexes: invalid.map((i) => i.index),
      invalidItems: invalid,
    });
  }
  const rows = await ctx.loaders.articleByNumber.loadMany(parsed);
  return rows.map((row) => {
    if (row instanceof Error) throw row;
    return row;
  });
}

/** The S10 service indicator a product's articles carry, from the product catalogue (data). */
export function serviceIndicatorOf(product: Product): string {
  const indicator = PRODUCT_CATALOGUE[product].exampleServiceIndicator;
  if (!/^[A-Z]{2}$/.test(indicator)) throw new Error(`The catalogue gives ${product} the service indicator ${indicator}`);
  return indicator;
}

/** The sequence (0002_s10_serial_sequences.sql) that numbers a service indicator's articles. */
export const serialSequenceOf = (indicator: string): string => `"articles"."s10_serial_${indicator.toLowerCase()}"`;

/**
 * New article numbers for `products`, in order: one `nextval ... FROM generate_series(1, n)` per
 * service indicator, however many articles. The sequences never hand a value out twice, so
 * concurrent bookings cannot collide; the check digit and country code are added here.
 */
export async function allocateArticleNumbers(tx: ArticlesTx, products: readonly Product[]): Promise<string[]> {
  const indicators = products.map(serviceIndicatorOf);
  const wanted = new Map<string, number>();
  for (const indicator of indicators) wanted.set(indicator, (wanted.get(indicator) ?? 0) + 1);
  const serials = new Map<string, number[]>();
  for (const [indicator, count] of wanted) {
    // The sequence name comes from the catalogue (checked above), never from a client.
    const rows = await tx.$queryRawUnsafe<{ serial: number }[]>(
      `SELECT nextval('${serialSequenceOf(indicator)}')::int AS serial FROM generate_series(1, $1::int)`,
      count,
    );
    serials.set(indicator, rows.map((row) => Number(row.serial)));
  }
  return indicators.map((indicator) => format(indicator, serials.get(indicator)!.shift()!, ISSUING_COUNTRY));
}

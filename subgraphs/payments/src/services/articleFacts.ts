import { apiError, callInternalRoute, describeCallFailure, InternalRouteFailure } from '@dakgraph/graphql-kit';
import { articlePaymentFactsRoute, type ArticlePaymentFacts } from '@dakgraph/internal-api';

/** Reads an article's charge and parties from the articles subgraph's internal route (it owns articles). */
export interface ArticleFactsClient {
  /** The article as articles knows it, or null when no article has the number. */
  factsOf(articleNumber: string): Promise<ArticlePaymentFacts | null>;
}

export type { ArticlePaymentFacts };

export function createArticleFactsClient(options: { articlesUrl: string; identitySecret: string; timeoutMs?: number }): ArticleFactsClient {
  return {
    async factsOf(articleNumber) {
      let answer;
      try {
        answer = await callInternalRoute(articlePaymentFactsRoute, options.articlesUrl, options.identitySecret, { articleNumber }, options.timeoutMs);
      } catch (error) {
        if (error instanceof InternalRouteFailure) console.error(`[payments] article facts: ${error.message}`);
        else console.error(`[payments] article facts: ${options.articlesUrl} unreachable:`, describeCallFailure(error));
        throw apiError('SERVICE_UNAVAILABLE', 'The article cannot be read right now; try again shortly');
      }
      return answer.status === 200 ? answer.body : null;
    },
  };
}

import { badInput } from '@dakgraph/graphql-kit';
import type { ArticlesContext } from '../context';
import { InputProblem } from './problems';
import { checkPincodeFormat, priceArticle, routeBetween, type ArticleSpec, type QuoteResult } from './quotes';

export interface QuoteInput extends ArticleSpec {
  originPincode: string;
  destinationPincode: string;
}

/**
 * `Query.quote`: anyone may ask. A partner's quote carries its contract discount and respects its
 * cash-on-delivery terms, exactly as its bookings will.
 */
export async function quoteArticle(ctx: ArticlesContext, input: QuoteInput): Promise<QuoteResult> {
  try {
    const origin = checkPincodeFormat(input.originPincode, 'originPincode');
    const destination = checkPincodeFormat(input.destinationPincode, 'destinationPincode');
    const [originRef, destinationRef] = await Promise.all([
      ctx.loaders.pincodeRefByCode.load(origin),
      ctx.loaders.pincodeRefByCode.load(destination),
    ]);
    const route = routeBetween(originRef, destinationRef, { origin: 'originPincode', destination: 'destinationPincode' }, { origin, destination });
    let contractBasisPoints: number | null = null;
    if (ctx.viewer.kind === 'PARTNER') {
      const terms = await ctx.activePartnerTerms();
      if (input.codAmountPaise != null && !terms.codAllowed) throw new InputProblem('codAmountPaise', 'Your contract does not allow cash on delivery');
      contractBasisPoints = terms.discountBasisPoints;
    }
    return priceArticle(input, route, { contractBasisPoints, bookedAt: ctx.deps.now() });
  } catch (error) {
    if (error instanceof InputProblem) throw badInput(error.message, `input.${error.field}`);
    throw error;
  }
}

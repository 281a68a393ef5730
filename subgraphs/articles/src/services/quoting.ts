import { badInput } from '@dakgraph/graphql-kit';
import type { ArticlesContext } from '../context';
import { InputProblem } from './problems';
import type { QuoteInput } from '../__generated__/resolvers-types';
import { checkPincodeFormat, priceArticle, routeBetween, type QuoteResult } from './quotes';

/**
 * `Query.quote`: anyone may ask. A partner's quote carries its contract discount and respects its
 * cash-on-delivery terms, exactly as its bookings will.
 */
export async function quoteArticle(ctx: ArticlesContext, input: QuoteInput): Promise<QuoteResult> {
  try {
    const { originPincode, destinationPincode, ...spec } = input;
    const origin = checkPincodeFormat(originPincode, 'originPincode');
    const destination = checkPincodeFormat(destinationPincode, 'destinationPincode');
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
    return priceArticle(spec, route, { contractBasisPoints, bookedAt: ctx.deps.now() });
  } catch (error) {
    if (error instanceof InputProblem) throw badInput(error.message, `input.${error.field}`);
    throw error;
  }
}

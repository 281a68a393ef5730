import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * `LargePaise`: a whole number of paise too large for GraphQL's 32-bit Int (which stops at Rs 2.1 crore):
 * national balances, a big partner's remittance, a day's revenue. A JSON number, exact up to 2^53 - 1
 * (Rs 90 lakh crore); never a fraction. A single article's amounts stay Int.
 */
export const LargePaiseScalar = new GraphQLScalarType({
  name: 'LargePaise',
  description: 'A whole number of paise that may exceed a 32-bit Int; a JSON number, exact up to 2^53 - 1.',
  serialize(value) {
    const paise = typeof value === 'bigint' ? Number(value) : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof paise !== 'number' || !Number.isSafeInteger(paise)) throw new GraphQLError(`LargePaise cannot represent ${String(value)}`);
    return paise;
  },
  parseValue(value) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new GraphQLError('LargePaise must be a whole number of paise, at most 2^53 - 1', { extensions: { code: 'BAD_USER_INPUT' } });
    return value;
  },
  parseLiteral(ast) {
    const value = ast.kind === Kind.INT ? Number(ast.value) : NaN;
    if (!Number.isSafeInteger(value)) throw new GraphQLError('LargePaise must be a whole number of paise, at most 2^53 - 1', { nodes: ast, extensions: { code: 'BAD_USER_INPUT' } });
    return value;
  },
});

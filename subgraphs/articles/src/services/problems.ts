import { apiError, badInput } from '@dakgraph/graphql-kit';
import type { GraphQLError } from 'graphql';

/** One thing wrong with the input: where (a path like "items[3].recipient.pincode") and what. */
export interface Problem {
  field: string;
  message: string;
}

/** One problem of one item of a batch, as `extensions.invalidItems` lists it. */
export interface ItemProblem extends Problem {
  index: number;
  [extra: string]: unknown;
}

/** Thrown by pure checks for a single input; the caller adds the path prefix and decides how to report. */
export class InputProblem extends Error {
  override readonly name = 'InputProblem';
  constructor(
    readonly field: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Runs a check, collecting an InputProblem under `prefix` instead of throwing it; null when it failed. */
export function collect<T>(problems: Problem[], prefix: string, check: () => T): T | null {
  try {
    return check();
  } catch (error) {
    if (error instanceof InputProblem) {
      problems.push({ field: `${prefix}${error.field}`, message: error.message, ...error.details });
      return null;
    }
    throw error;
  }
}

/** Runs a pure check for a single input, its InputProblem becoming BAD_USER_INPUT on the field it names. */
export function asBadInput<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InputProblem) throw badInput(error.message, error.field);
    throw error;
  }
}

/** A single input's first problem as BAD_USER_INPUT naming the field. */
export function firstProblemError(problems: readonly Problem[]): GraphQLError {
  const [first] = problems;
  return badInput(first!.message, first!.field);
}

/**
 * The error for a rejected batch: BAD_USER_INPUT, "3 of 1000 items are invalid; nothing was booked",
 * with every problem in `extensions.invalidItems` (an item with two problems appears twice).
 */
export function invalidItemsError(problems: readonly ItemProblem[], total: number, noun: string, outcome: string): GraphQLError {
  const badItems = new Set(problems.map((problem) => problem.index)).size;
  const sorted = [...problems].sort((a, b) => a.index - b.index);
  return apiError('BAD_USER_INPUT', `${badItems} of ${total} ${noun} ${badItems === 1 ? 'is' : 'are'} invalid; ${outcome}`, {
    invalidItems: sorted,
  });
}

/** The batch index in a path like "items[12].weightGrams". */
export function indexOfField(field: string): number {
  const match = /^\w+\[(\d+)\]/.exec(field);
  return match ? Number(match[1]) : -1;
}

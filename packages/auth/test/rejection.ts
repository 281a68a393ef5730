import { AuthError, type AuthErrorReason } from '../src';

/** The AuthError `fn` throws; fails the test if it throws nothing or something else. */
export function rejection(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error('expected an AuthError');
}

export const reasonOf = (fn: () => unknown): AuthErrorReason => rejection(fn).reason;

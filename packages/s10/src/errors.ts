import { ReasonedError } from '@dakgraph/errors';

/** Which part of an S10 article number was wrong; stable, safe to switch on. */
export type S10ErrorReason =
  | 'INVALID_LENGTH'
  | 'INVALID_SERVICE_INDICATOR'
  | 'INVALID_SERIAL'
  | 'INVALID_CHECK_DIGIT'
  | 'INVALID_COUNTRY_CODE';

/**
 * Thrown for bad user input. `reason` is meant for programs (the GraphQL layer
 * maps every reason to BAD_USER_INPUT); `message` is meant for people.
 */
export class S10Error extends ReasonedError<S10ErrorReason> {
  constructor(reason: S10ErrorReason, message: string) {
    super(reason, message);
  }
}

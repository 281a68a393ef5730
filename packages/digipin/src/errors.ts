import { ReasonedError } from '@dakgraph/errors';

/** Why a DIGIPIN or coordinate was rejected; stable, safe to switch on. */
export type DigipinErrorReason =
  | 'INVALID_CHARACTER'
  | 'INVALID_LENGTH'
  | 'INVALID_FORMAT'
  | 'OUT_OF_BOUNDS'
  | 'INVALID_COORDINATE';

/**
 * Thrown for bad user input. `reason` is meant for programs (the GraphQL layer
 * maps every reason to BAD_USER_INPUT); `message` is meant for people.
 */
export class DigipinError extends ReasonedError<DigipinErrorReason> {
  constructor(reason: DigipinErrorReason, message: string) {
    super(reason, message);
  }
}

/**
 * The one shape of a refusal that programs can act on: `reason` is a stable code, safe to switch on (the
 * GraphQL layer maps it to an extensions.code), and `message` is for people. Each domain extends it with
 * its own union of reasons (S10Error, AuthError, TariffError, ...), so a caller narrows with instanceof
 * and then switches on a typed reason.
 */
export class ReasonedError<Reason extends string> extends Error {
  readonly reason: Reason;

  constructor(reason: Reason, message: string, options?: ErrorOptions) {
    super(message, options);
    // Stack traces and logs show the subclass ("TariffError: ..."), not "Error", without every subclass
    // repeating its own name.
    this.name = new.target.name;
    // A no-op for native classes; it keeps instanceof right should a tool down-level classes to functions,
    // where Error's constructor would otherwise hand back a plain Error's prototype.
    Object.setPrototypeOf(this, new.target.prototype);
    this.reason = reason;
  }
}

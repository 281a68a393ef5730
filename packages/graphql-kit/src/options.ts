/**
 * A whole number from the environment variable `name`, undefined when it is unset or empty (the caller's
 * default applies); "3 days" is refused with the variable's name, never read as NaN.
 */
export function wholeNumberFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return Number(raw);
}

/** A whole-number policy option between `min` and `max`, `fallback` when not given; refused with its name otherwise. */
export function wholeNumberOption(name: string, given: number | undefined, fallback: number, min: number, max: number): number {
  const value = given ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}; got ${given}`);
  return value;
}

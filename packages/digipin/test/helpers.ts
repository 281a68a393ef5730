// Shared test utilities (not a test file: jest only runs *.test.ts).

const scratch = new Float64Array(1);
const bits = new BigInt64Array(scratch.buffer);

/** The next double towards +Infinity (for positive finite x). */
export function nextUp(x: number): number {
  scratch[0] = x;
  bits[0] = (bits[0] as bigint) + 1n;
  return scratch[0] as number;
}

/** The next double towards zero (for positive finite x). */
export function nextDown(x: number): number {
  scratch[0] = x;
  bits[0] = (bits[0] as bigint) - 1n;
  return scratch[0] as number;
}

/** Side of a cell at a level, in degrees: 36 / 4^level (exact in binary). */
export function step(level: number): number {
  return 36 / 4 ** level;
}

/** The m-th horizontal grid line at a level (m = 0 .. 4^level). */
export function latitudeLine(level: number, m: number): number {
  return 2.5 + m * step(level);
}

/** The k-th vertical grid line at a level (k = 0 .. 4^level). */
export function longitudeLine(level: number, k: number): number {
  return 63.5 + k * step(level);
}

/** Deterministic PRNG (mulberry32) so the oracle sample is reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

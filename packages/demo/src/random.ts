import { createHash } from 'node:crypto';

/**
 * The demo's only source of chance. Every choice the plan makes comes from a stream seeded by `--seed`
 * and a label, so the same seed and article count give the same day, and one part of the plan (say the
 * offices) does not shift when another (the articles) draws more numbers.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One key, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** A new array in random order (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[];
  /** `count` distinct elements, uniformly (a partial Fisher-Yates; `count` is capped at the length). */
  sample<T>(items: readonly T[], count: number): T[];
}

/** A 32-bit seed for a (seed, label) pair: SHA-256 spreads nearby seeds apart. */
function seedOf(seed: number, label: string): number {
  return createHash('sha256').update(`${seed}:${label}`).digest().readUInt32LE(0);
}

/** mulberry32: small, fast and good enough to pick offices and parcels (not for secrets). */
export function randomStream(seed: number, label: string): Random {
  let state = seedOf(seed, label);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const shuffleInPlace = <T>(items: T[], upTo = items.length): T[] => {
    for (let i = 0; i < upTo && i < items.length - 1; i++) {
      const j = int(i, items.length - 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (!items.length) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: (weights) => {
      const entries = Object.entries(weights) as [keyof typeof weights, number][];
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let at = next() * total;
      for (const [key, weight] of entries) {
        at -= weight;
        if (at < 0) return key;
      }
      return entries[entries.length - 1]![0];
    },
    shuffled: (items) => shuffleInPlace([...items]),
    sample: (items, count) => shuffleInPlace([...items], count).slice(0, Math.min(count, items.length)),
  };
}

/**
 * How many of `total` fall in each category, by the largest-remainder method: the counts add up to
 * `total` exactly and each is within one of its share. With `atLeastOne`, every category of positive
 * weight gets one when there are enough to go round, so even a 60-article day has a return and a
 * declined UPI payment to show.
 */
export function quotas<K extends string>(total: number, weights: Readonly<Record<K, number>>, atLeastOne = false): Record<K, number> {
  const keys = Object.keys(weights) as K[];
  const sum = keys.reduce((s, key) => s + weights[key], 0);
  const counts = {} as Record<K, number>;
  if (total <= 0 || sum <= 0) {
    for (const key of keys) counts[key] = 0;
    return counts;
  }
  const positive = keys.filter((key) => weights[key] > 0);
  const reserved = atLeastOne && total >= positive.length ? new Set(positive) : new Set<K>();
  const free = total - reserved.size;
  const exact = keys.map((key) => ({ key, share: (free * weights[key]) / sum }));
  let given = 0;
  for (const { key, share } of exact) {
    counts[key] = Math.floor(share) + (reserved.has(key) ? 1 : 0);
    given += Math.floor(share);
  }
  // Ties go to the earlier key, so the result does not depend on sort stability.
  const byRemainder = exact
    .map((entry, order) => ({ ...entry, order, remainder: entry.share - Math.floor(entry.share) }))
    .sort((a, b) => b.remainder - a.remainder || a.order - b.order);
  for (let i = 0; i < free - given; i++) counts[byRemainder[i % byRemainder.length]!.key] += 1;
  return counts;
}

/** `total` category labels with exactly the counts `quotas` gives, in random order. */
export function shuffledQuotas<K extends string>(random: Random, total: number, weights: Readonly<Record<K, number>>, atLeastOne = false): K[] {
  const counts = quotas(total, weights, atLeastOne);
  const labels: K[] = [];
  for (const key of Object.keys(counts) as K[]) for (let i = 0; i < counts[key]; i++) labels.push(key);
  return random.shuffled(labels);
}

/**
 * The gateway's entity cache: entities from subgraphs' `_entities` answers that the subgraph declared
 * public and cacheable (`Cache-Control: max-age=N, public`, which Apollo Server sends when every field of
 * the answer is hinted with `@cacheControl`), kept for N seconds, one entry per representation and
 * selection, as Apollo Router's entity cache keeps them. A public tracking request names its offices in a
 * second fetch; with their names cached that fetch is not made at all, and a fetch of many entities asks the
 * subgraph only for those it has not seen.
 *
 * Bounded (least recently used first out) so memory stays flat; nothing private is ever kept, and an
 * answer with errors is never kept.
 */
export class EntityCache {
  private readonly entries = new Map<string, { entity: unknown; expiresAt: number }>();
  hits = 0;
  misses = 0;

  constructor(
    readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new Error(`the entity cache's size must be a whole number, not ${maxEntries}`);
  }

  /** A copy of the cached entity (the gateway merges into what it is given), or undefined. */
  get(key: string): unknown {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= this.now()) {
      if (entry) this.entries.delete(key);
      this.misses += 1;
      return undefined;
    }
    // Most recently used goes to the end; the oldest is evicted first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits += 1;
    return structuredClone(entry.entity);
  }

  set(key: string, entity: unknown, maxAgeSeconds: number): void {
    if (this.maxEntries === 0 || maxAgeSeconds <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { entity: structuredClone(entity), expiresAt: this.now() + maxAgeSeconds * 1000 });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The max-age of a `Cache-Control` header that says `public`, or 0 (private, no-store, absent or malformed). */
export function publicMaxAge(header: string | null | undefined): number {
  if (!header) return 0;
  const directives = header.toLowerCase().split(',').map((part) => part.trim());
  if (!directives.includes('public') || directives.some((d) => d === 'private' || d === 'no-store' || d === 'no-cache')) return 0;
  const maxAge = directives.map((d) => /^max-age=(\d{1,9})$/.exec(d)?.[1]).find((value) => value !== undefined);
  return maxAge ? Number(maxAge) : 0;
}

import DataLoader from 'dataloader';
import { inKeyOrder } from '@dakgraph/graphql-kit';
import type { AnalyticsPrisma, OfficeRefRow } from './db';
import type { DayRange } from './domain';
import { breakdownsOf, officeFigures, type FigureScope, type OperationsRowResult } from './services/report';

/** A group's breakdown lines (by product and by reason). */
export type BreakdownLine = { measure: string; key: string; count: number };

/**
 * Per-request loaders: one statement for all the keys a level of the query asks for. A page of 100 report
 * rows asking for their breakdowns is one statement, as are 100 offices asking for their operations.
 */
export interface AnalyticsLoaders {
  /** Where an office sits (its division, region, circle), from the directory copy. */
  officeById: DataLoader<string, OfficeRefRow | null>;
  /** The breakdown lines of one group of a scope: batched per scope (the rows of one report or series). */
  breakdowns: DataLoader<{ scope: FigureScope; groupKey: string }, BreakdownLine[], string>;
  /** Office.operations: batched per range. */
  officeOperations: DataLoader<{ range: DayRange; officeId: string }, OperationsRowResult, string>;
}

/** Runs `load` once for each distinct `scopeOf(key)` among the keys, with that scope's keys. */
async function perScope<Key, Scope, Value>(
  keys: readonly Key[],
  scopeOf: (key: Key) => Scope,
  load: (scope: Scope, keys: Key[]) => Promise<Value[]>,
): Promise<Value[]> {
  const groups = new Map<Scope, number[]>();
  keys.forEach((key, i) => groups.set(scopeOf(key), [...(groups.get(scopeOf(key)) ?? []), i]));
  const values = new Array<Value>(keys.length);
  await Promise.all(
    [...groups].map(async ([scope, indexes]) => {
      const loaded = await load(scope, indexes.map((i) => keys[i]!));
      indexes.forEach((index, j) => (values[index] = loaded[j]!));
    }),
  );
  return values;
}

export function createLoaders(prisma: AnalyticsPrisma): AnalyticsLoaders {
  const rangeKey = (range: DayRange) => `${range.from}/${range.to}`;
  // Scopes are objects made once per report or series: numbered, so the cache keeps two reports apart.
  const scopeIds = new WeakMap<FigureScope, number>();
  const scopeId = (scope: FigureScope): number => {
    if (!scopeIds.has(scope)) scopeIds.set(scope, nextScopeId++);
    return scopeIds.get(scope)!;
  };
  let nextScopeId = 0;
  return {
    officeById: new DataLoader(async (ids) => inKeyOrder(ids, await prisma.officeRef.findMany({ where: { id: { in: [...ids] } } }), (office) => office.id)),
    breakdowns: new DataLoader(
      (keys) =>
        perScope(keys, (key) => key.scope, async (scope, scoped) => {
          const byGroup = await breakdownsOf(prisma, scope, scoped.map((key) => key.groupKey));
          return scoped.map((key) => byGroup.get(key.groupKey) ?? []);
        }),
      { cacheKeyFn: (key) => `${scopeId(key.scope)}|${key.groupKey}` },
    ),
    officeOperations: new DataLoader(
      (keys) =>
        perScope(keys, (key) => rangeKey(key.range), (_, scoped) =>
          officeFigures(prisma, scoped[0]!.range, scoped.map((key) => key.officeId)),
        ),
      { cacheKeyFn: (key) => `${rangeKey(key.range)}|${key.officeId}` },
    ),
  };
}

import DataLoader from 'dataloader';
import { groupedInKeyOrder, inKeyOrder } from '@dakgraph/graphql-kit';
import type { CircleRow, DivisionRow, OfficeRow, OfficesPrisma, PincodeRow, RegionRow } from './db';
import { OFFICE_COLUMNS } from './db';

/** What offices can be listed under. */
export type OfficeParent = 'circle' | 'region' | 'division' | 'pincode';

/**
 * The office column that names each kind of parent, and the parameter compared with it in that column's
 * type; only this module writes SQL with it. `pincode` is CHAR(6): compared as text, the column would be
 * cast row by row and no index on it could be used.
 */
const PARENT_COLUMN: Record<OfficeParent, { column: string; key: string }> = {
  circle: { column: 'circle_id', key: 'p.id' },
  region: { column: 'region_id', key: 'p.id' },
  division: { column: 'division_id', key: 'p.id' },
  pincode: { column: 'pincode', key: 'p.id::char(6)' },
};

/** A page of offices under one parent (circle, region, division or pincode). */
export interface OfficePageKey {
  parent: OfficeParent;
  id: string;
  /** Rows to fetch (page size + 1, to learn whether another page follows). */
  limit: number;
  afterId: string | null;
}

/**
 * Per-request loaders: every lookup of a request level is one SQL query, however many parents ask.
 * Created per request (never module-level) so one user's cache never serves another.
 */
export function createLoaders(prisma: OfficesPrisma) {
  return {
    officeById: new DataLoader<string, OfficeRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.office.findMany({ where: { id: { in: [...ids] } } }), (o) => o.id),
    ),
    circleById: new DataLoader<string, CircleRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.circle.findMany({ where: { id: { in: [...ids] } } }), (c) => c.id),
    ),
    regionById: new DataLoader<string, RegionRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.region.findMany({ where: { id: { in: [...ids] } } }), (r) => r.id),
    ),
    divisionById: new DataLoader<string, DivisionRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.division.findMany({ where: { id: { in: [...ids] } } }), (d) => d.id),
    ),
    pincodeByCode: new DataLoader<string, PincodeRow | null>(async (codes) =>
      inKeyOrder(codes, await prisma.pincode.findMany({ where: { code: { in: [...codes] } } }), (p) => p.code),
    ),
    regionsByCircle: new DataLoader<string, RegionRow[]>(async (circleIds) =>
      groupedInKeyOrder(
        circleIds,
        await prisma.region.findMany({ where: { circleId: { in: [...circleIds] } }, orderBy: { name: 'asc' } }),
        (r) => r.circleId,
      ),
    ),
    divisionsByRegion: new DataLoader<string, DivisionRow[]>(async (regionIds) =>
      groupedInKeyOrder(
        regionIds,
        await prisma.division.findMany({ where: { regionId: { in: [...regionIds] } }, orderBy: { name: 'asc' } }),
        (d) => d.regionId,
      ),
    ),
    officePages: new DataLoader<OfficePageKey, OfficeRow[], string>(
      (keys) => loadOfficePages(prisma, keys),
      { cacheKeyFn: (k) => `${k.parent}\u0000${k.id}\u0000${k.limit}\u0000${k.afterId ?? ''}` },
    ),
  };
}

export type OfficeLoaders = ReturnType<typeof createLoaders>;

/**
 * Pages of offices for many parents in one query per (parent kind, page shape): a LATERAL join takes the
 * first `limit` offices of each parent by id, using the (parent, id) indexes.
 */
async function loadOfficePages(prisma: OfficesPrisma, keys: readonly OfficePageKey[]): Promise<OfficeRow[][]> {
  const shapes = new Map<string, OfficePageKey[]>();
  for (const key of keys) {
    const shape = `${key.parent}\u0000${key.limit}\u0000${key.afterId ?? ''}`;
    (shapes.get(shape) ?? shapes.set(shape, []).get(shape)!).push(key);
  }
  const pages = new Map<OfficePageKey, OfficeRow[]>();
  await Promise.all(
    [...shapes.values()].map(async (group) => {
      const { parent, limit, afterId } = group[0]!;
      const parentIds = [...new Set(group.map((key) => key.id))];
      // The column comes from the fixed table above, never from a client.
      const rows = await prisma.$queryRawUnsafe<(OfficeRow & { parentId: string })[]>(
        `SELECT p.id AS "parentId", ${OFFICE_COLUMNS}
           FROM unnest($1::text[]) AS p(id)
           CROSS JOIN LATERAL (
             SELECT * FROM offices.office o
              WHERE o.${PARENT_COLUMN[parent].column} = ${PARENT_COLUMN[parent].key} AND ($2::text IS NULL OR o.id > $2::text)
              ORDER BY o.id LIMIT $3
           ) o`,
        parentIds,
        afterId,
        limit,
      );
      const byParent = groupedInKeyOrder(parentIds, rows, (row) => row.parentId);
      parentIds.forEach((id, i) => {
        const officeRows = byParent[i]!.map(({ parentId: _parentId, ...office }) => office as OfficeRow);
        for (const key of group) if (key.id === id) pages.set(key, officeRows);
      });
    }),
  );
  return keys.map((key) => pages.get(key) ?? []);
}

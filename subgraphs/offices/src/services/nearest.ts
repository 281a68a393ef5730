import type { OfficesContext } from '../context';
import { OFFICE_COLUMNS, type OfficeRow } from '../db';
import { pageSize } from '@dakgraph/graphql-kit';
import type { Point } from './location';

export interface NearbyOfficeResult {
  office: OfficeRow;
  distanceMeters: number;
}

export const MAX_NEAREST = 100;

/**
 * Nearest offices from the GiST index on pincode centroids: `<->` on ll_to_earth points walks the index
 * in distance order (a K-nearest-neighbour scan, no radius and no full scan). Every pincode has at least
 * one office, so the `size` nearest pincodes always hold at least `size` offices. Offices of one pincode
 * tie on distance; the office id breaks ties so pages are stable.
 */
export async function nearestOffices(ctx: OfficesContext, point: Point, first: number | null | undefined): Promise<NearbyOfficeResult[]> {
  const size = pageSize(first, 10, MAX_NEAREST);
  if (size === 0) return [];
  const rows = await ctx.prisma.$queryRawUnsafe<(OfficeRow & { distanceMeters: number })[]>(
    `WITH near AS (
       SELECT p.code, earth_distance(ll_to_earth(p.latitude, p.longitude), ll_to_earth($1, $2)) AS distance
         FROM offices.pincode p
        WHERE p.latitude IS NOT NULL AND p.longitude IS NOT NULL
        ORDER BY ll_to_earth(p.latitude, p.longitude) <-> ll_to_earth($1, $2), p.code
        LIMIT $3
     )
     SELECT ${OFFICE_COLUMNS}, near.distance AS "distanceMeters"
       FROM near JOIN offices.office o ON o.pincode = near.code
      ORDER BY near.distance, o.id
      LIMIT $3`,
    point.latitude,
    point.longitude,
    size,
  );
  return rows.map(({ distanceMeters, ...office }) => {
    ctx.loaders.officeById.prime(office.id, office);
    return { office, distanceMeters: Number(distanceMeters) };
  });
}

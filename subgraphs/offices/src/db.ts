import { createPrismaClient, type Database } from '@dakgraph/db';
import { PrismaClient } from './__generated__/prisma/client';

export type OfficesPrisma = PrismaClient;
export type { Office as OfficeRow, Circle as CircleRow, Region as RegionRow, Division as DivisionRow, Pincode as PincodeRow } from './__generated__/prisma/client';

/** The subgraph's Prisma client on `db` (see createPrismaClient; tests pass `onQuery` to count statements). */
export const createOfficesPrisma = (db: Database, onQuery?: (sql: string) => void): OfficesPrisma => createPrismaClient(PrismaClient, db, onQuery);

/**
 * The office columns under their Prisma field names, for the few queries Prisma cannot express
 * (trigram search, nearest neighbours, per-parent pages) so raw rows have the same shape as Prisma's.
 */
export const OFFICE_COLUMNS = `o.id, o.name, o.pincode, o.office_type AS "officeType", o.circle_id AS "circleId",
  o.region_id AS "regionId", o.division_id AS "divisionId", o.district, o.state, o.taluk, o.latitude, o.longitude,
  o.digipin`;

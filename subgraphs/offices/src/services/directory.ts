import { badInput, decodeCursor, encodeCursor, pageSize, toConnection, type ConnectionResult } from '@dakgraph/graphql-kit';
import type { Prisma } from '../__generated__/prisma/client';
import { OFFICE_COLUMNS, type OfficeRow } from '../db';
import type { OfficesContext } from '../context';
import type { OfficePageKey } from '../loaders';
import { slugify } from '@dakgraph/directory';

const CURSOR_KIND = 'office';
const PINCODE = /^\d{6}$/;
const MAX_FILTER_LENGTH = 100;

export const officeCursor = (office: OfficeRow): string => encodeCursor(CURSOR_KIND, office.id);

/** Trims a pincode and insists on six digits; the message says what was wrong. */
export function checkPincode(code: string, field = 'code'): string {
  const trimmed = code.trim();
  if (!PINCODE.test(trimmed)) {
    throw badInput(`A pincode is six digits, like "110001"; got "${code.slice(0, 20)}"`, field);
  }
  return trimmed;
}

export interface OfficeFilterInput {
  pincode?: string | null;
  circle?: string | null;
  region?: string | null;
  division?: string | null;
  district?: string | null;
  state?: string | null;
  nameContains?: string | null;
}

function text(value: string | null | undefined, field: string, minLength = 1): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (trimmed.length < minLength || trimmed.length > MAX_FILTER_LENGTH) {
    throw badInput(`filter.${field} must be ${minLength} to ${MAX_FILTER_LENGTH} characters`, `filter.${field}`);
  }
  return trimmed;
}

/** Turns the GraphQL filter into a Prisma condition. Circle/region ids are slugs of names, so either works. */
export function officeWhere(filter: OfficeFilterInput | null | undefined): Prisma.OfficeWhereInput {
  const where: Prisma.OfficeWhereInput[] = [];
  if (!filter) return {};
  if (filter.pincode != null) where.push({ pincode: checkPincode(filter.pincode, 'filter.pincode') });
  const circle = text(filter.circle, 'circle');
  if (circle) where.push({ circleId: slugify(circle) });
  const region = text(filter.region, 'region');
  if (region) where.push({ regionId: slugify(region) });
  const division = text(filter.division, 'division');
  if (division) {
    where.push(
      division.includes('/')
        ? { divisionId: division.toLowerCase() }
        : { division: { name: { equals: division, mode: 'insensitive' } } },
    );
  }
  const district = text(filter.district, 'district');
  if (district) where.push({ district: { equals: district, mode: 'insensitive' } });
  const state = text(filter.state, 'state');
  if (state) where.push({ state: { equals: state, mode: 'insensitive' } });
  const nameContains = text(filter.nameContains, 'nameContains', 2);
  if (nameContains) where.push({ name: { contains: nameContains, mode: 'insensitive' } });
  return { AND: where };
}

/** `Query.offices`: keyset pagination by id; the count runs only if the client selects totalCount. */
export async function findOffices(
  ctx: OfficesContext,
  args: { filter?: OfficeFilterInput | null; first?: number | null; after?: string | null },
): Promise<ConnectionResult<OfficeRow>> {
  const size = pageSize(args.first, 20);
  const afterId = decodeCursor(CURSOR_KIND, args.after);
  const where = officeWhere(args.filter);
  const rows = await ctx.prisma.office.findMany({
    where: afterId ? { AND: [where, { id: { gt: afterId } }] } : where,
    orderBy: { id: 'asc' },
    take: size + 1,
  });
  rows.forEach((office) => ctx.loaders.officeById.prime(office.id, office));
  return toConnection(rows, size, officeCursor, () => ctx.prisma.office.count({ where }));
}

/**
 * The offices of one circle, region, division or pincode. Batched across parents by the officePages
 * loader; the parent's stored office count answers totalCount without a query.
 */
export async function officesOf(
  ctx: OfficesContext,
  parent: OfficePageKey['parent'],
  parentId: string,
  officeCount: number,
  args: { first?: number | null; after?: string | null },
  defaultSize = 20,
): Promise<ConnectionResult<OfficeRow>> {
  const size = pageSize(args.first, defaultSize);
  const afterId = decodeCursor(CURSOR_KIND, args.after);
  const rows = await ctx.loaders.officePages.load({ parent, id: parentId, limit: size + 1, afterId });
  rows.forEach((office) => ctx.loaders.officeById.prime(office.id, office));
  return toConnection(rows, size, officeCursor, async () => officeCount);
}

export const MAX_SEARCH_RESULTS = 50;

/**
 * Typo-tolerant name search with pg_trgm. `<%` (word similarity) finds a short query inside a long name
 * ("sarojini" in "Sarojini Nagar"); `%` catches misspellings of the whole name. Both use the GIN index.
 */
export async function searchOffices(ctx: OfficesContext, text: string, first: number | null | undefined): Promise<OfficeRow[]> {
  const size = pageSize(first, 10, MAX_SEARCH_RESULTS);
  const query = text.trim();
  if (query.length < 2 || query.length > MAX_FILTER_LENGTH) {
    throw badInput(`Search text must be 2 to ${MAX_FILTER_LENGTH} characters`, 'text');
  }
  if (size === 0) return [];
  if (PINCODE.test(query)) {
    return ctx.prisma.office.findMany({ where: { pincode: query }, orderBy: { id: 'asc' }, take: size });
  }
  return ctx.prisma.$queryRawUnsafe<OfficeRow[]>(
    `SELECT ${OFFICE_COLUMNS}
       FROM offices.office o
      WHERE $1 <% o.name OR o.name % $1
      ORDER BY word_similarity($1, o.name) DESC, similarity($1, o.name) DESC, o.id
      LIMIT $2`,
    query,
    size,
  );
}

import { allFieldsHandled, badInput, keysetPage, pageSize, type ConnectionResult, type PageArgs } from '@dakgraph/graphql-kit';
import type { Prisma } from '../__generated__/prisma/client';
import type { OfficeFilter, QueryOfficesArgs } from '../__generated__/resolvers-types';
import { OFFICE_COLUMNS, type CircleRow, type OfficeRow } from '../db';
import type { OfficesContext } from '../context';
import type { OfficeParent } from '../loaders';
import { slugify } from '@dakgraph/directory';

const CURSOR_KIND = 'office';
const PINCODE = /^\d{6}$/;
const MAX_FILTER_LENGTH = 100;


/** Trims a pincode and insists on six digits; the message says what was wrong. */
export function checkPincode(code: string, field = 'code'): string {
  const trimmed = code.trim();
  if (!PINCODE.test(trimmed)) {
    throw badInput(`A pincode is six digits, like "110001"; got "${code.slice(0, 20)}"`, field);
  }
  return trimmed;
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
export function officeWhere(filter: OfficeFilter | null | undefined): Prisma.OfficeWhereInput {
  if (!filter) return {};
  const { pincode, circle, region, division, district, state, nameContains, ...unhandled } = filter;
  allFieldsHandled(unhandled);
  const where: Prisma.OfficeWhereInput[] = [];
  if (pincode != null) where.push({ pincode: checkPincode(pincode, 'filter.pincode') });
  const circleName = text(circle, 'circle');
  if (circleName) where.push({ circleId: slugify(circleName) });
  const regionName = text(region, 'region');
  if (regionName) where.push({ regionId: slugify(regionName) });
  const divisionName = text(division, 'division');
  if (divisionName) {
    where.push(
      divisionName.includes('/')
        ? { divisionId: divisionName.toLowerCase() }
        : { division: { name: { equals: divisionName, mode: 'insensitive' } } },
    );
  }
  const districtName = text(district, 'district');
  if (districtName) where.push({ district: { equals: districtName, mode: 'insensitive' } });
  const stateName = text(state, 'state');
  if (stateName) where.push({ state: { equals: stateName, mode: 'insensitive' } });
  const nameFragment = text(nameContains, 'nameContains', 2);
  if (nameFragment) where.push({ name: { contains: nameFragment, mode: 'insensitive' } });
  return { AND: where };
}

/** `Query.offices`: keyset pagination by id; the count runs only if the client selects totalCount. */
export function findOffices(ctx: OfficesContext, args: QueryOfficesArgs): Promise<ConnectionResult<OfficeRow>> {
  const where = officeWhere(args.filter);
  return keysetPage(args, {
    ...officePaging(ctx),
    fetch: (afterId, limit) =>
      ctx.prisma.office.findMany({ where: afterId ? { AND: [where, { id: { gt: afterId } }] } : where, orderBy: { id: 'asc' }, take: limit }),
    count: () => ctx.prisma.office.count({ where }),
  });
}

/** Every office list pages by id and primes the office loader. */
const officePaging = (ctx: OfficesContext) => ({
  cursorKind: CURSOR_KIND,
  keyOf: (office: OfficeRow) => office.id,
  prime: (office: OfficeRow) => ctx.loaders.officeById.prime(office.id, office),
});

/**
 * The offices of one circle, region, division or pincode. Batched across parents by the officePages
 * loader; the parent's stored office count answers totalCount without a query.
 */
export function officesOf(
  ctx: OfficesContext,
  parent: OfficeParent,
  parentId: string,
  officeCount: number,
  args: PageArgs,
  defaultSize = 20,
): Promise<ConnectionResult<OfficeRow>> {
  return keysetPage(args, {
    ...officePaging(ctx),
    defaultSize,
    fetch: (afterId, limit) => ctx.loaders.officePages.load({ parent, id: parentId, limit, afterId }),
    count: async () => officeCount,
  });
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

/** `Query.circles`: all 23 postal circles, by name. */
export function listCircles(ctx: OfficesContext): Promise<CircleRow[]> {
  return ctx.prisma.circle.findMany({ orderBy: { name: 'asc' } });
}

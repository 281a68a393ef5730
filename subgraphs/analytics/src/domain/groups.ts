/**
 * The postal hierarchy a report groups and filters by, and which stored level answers a question: the
 * finer of what the rows stand for (groupBy) and what the filter names. A circle's report by division
 * reads division rows of that circle; the nation's figures for one division read that division's rows;
 * a report of one office's figures reads that office's rows. Never more rows than the question needs.
 */
import { badInput } from '@dakgraph/graphql-kit';

export const LEVELS = ['OFFICE', 'DIVISION', 'REGION', 'CIRCLE', 'NATION'] as const;
export type Level = (typeof LEVELS)[number];

/** The stored id of the nation's group. */
export const NATION_GROUP = '';

/** A report's filter, checked: each id trimmed and lower-cased as the directory writes them. */
export interface GroupFilter {
  circle?: string;
  region?: string;
  division?: string;
  officeId?: string;
}

const FILTER_FIELDS = ['circle', 'region', 'division', 'officeId'] as const;
const ID = /^[a-z0-9][a-z0-9/-]{0,119}$/;

export function checkFilter(given: { circle?: string | null; region?: string | null; division?: string | null; officeId?: string | null } | null | undefined): GroupFilter {
  const filter: GroupFilter = {};
  for (const field of FILTER_FIELDS) {
    const value = given?.[field];
    if (value === undefined || value === null) continue;
    const id = value.trim().toLowerCase();
    if (!ID.test(id)) throw badInput(`filter.${field} must be an id from the office directory, e.g. "karnataka" or "560001-bangalore-g-p-o"; got "${value.slice(0, 40)}"`, `filter.${field}`);
    filter[field] = id;
  }
  return filter;
}

const RANK: Record<Level, number> = { OFFICE: 0, DIVISION: 1, REGION: 2, CIRCLE: 3, NATION: 4 };

/** The level the filter pins: its finest field. */
export function filterLevel(filter: GroupFilter): Level {
  if (filter.officeId) return 'OFFICE';
  if (filter.division) return 'DIVISION';
  if (filter.region) return 'REGION';
  if (filter.circle) return 'CIRCLE';
  return 'NATION';
}

/** The stored level that answers `groupBy` under `filter`. */
export const readLevel = (groupBy: Level, filter: GroupFilter): Level => {
  const pinned = filterLevel(filter);
  return RANK[pinned] < RANK[groupBy] ? pinned : groupBy;
};

/** The column of a stored row that names its group at `groupBy` (every row carries its ancestors). */
export const GROUP_COLUMN: Record<Level, string> = {
  OFFICE: 'group_id',
  DIVISION: 'division_id',
  REGION: 'region_id',
  CIRCLE: 'circle_id',
  NATION: `''`,
};

/** The ancestor columns a row at `groupBy` can name (finer ones would differ within the group). */
export const ANCESTORS: Record<Level, readonly ('circle_id' | 'region_id' | 'division_id')[]> = {
  OFFICE: ['circle_id', 'region_id', 'division_id'],
  DIVISION: ['circle_id', 'region_id', 'division_id'],
  REGION: ['circle_id', 'region_id'],
  CIRCLE: ['circle_id'],
  NATION: [],
};

/**
 * The WHERE clause of a filter at a stored level, its parameters numbered from `first`. An office filter
 * is the group id at OFFICE level (the read level is OFFICE whenever one is given).
 */
export function filterClause(filter: GroupFilter, first: number): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    parts.push(`${column} = $${first + params.length - 1}`);
  };
  add('circle_id', filter.circle);
  add('region_id', filter.region);
  add('division_id', filter.division);
  add('group_id', filter.officeId);
  return { sql: parts.length ? ` AND ${parts.join(' AND ')}` : '', params };
}

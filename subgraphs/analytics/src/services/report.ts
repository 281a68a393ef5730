import { badCursor, decodeCursor, encodeCursor, enforce, pageSize, type ConnectionResult } from '@dakgraph/graphql-kit';
import { canReadOperations } from '../access';
import type { AnalyticsContext } from '../context';
import type { AnalyticsPrisma } from '../db';
import {
  ANCESTORS,
  FIGURES,
  GROUP_COLUMN,
  checkDayRange,
  checkFilter,
  daysBetween,
  filterClause,
  readLevel,
  zeroFigures,
  type DayRange,
  type Figures,
  type GroupFilter,
  type Level,
} from '../domain';
import { FIGURE_COLUMNS } from './rollups';

/**
 * Reports read the rollups only, never articles: a report is a GROUP BY over the few stored rows of one
 * level (domain/groups.ts says which), in one statement; its breakdowns by product and reason are one
 * more statement for a whole page (loaders.ts), and its totalCount another, only when asked.
 */

export type OperationsOrder = 'GROUP' | 'WORST_ON_TIME' | 'MOST_BOOKED' | 'MOST_DELIVERED';

/** Which stored rows a figure came from: the breakdowns of a row or day are read from the same. */
export interface FigureScope {
  /** The level whose rows are read. */
  level: Level;
  /** The SQL expression naming a result's group in those rows (a GROUP_COLUMN, or the day). */
  groupExpression: string;
  range: DayRange;
  filter: GroupFilter;
}

/** A report row as the resolvers draw it. */
export interface OperationsRowResult extends Figures {
  level: Level;
  groupId: string | null;
  circleId: string | null;
  regionId: string | null;
  divisionId: string | null;
  scope: FigureScope;
  /** The group's key in its scope ("" for the nation). */
  groupKey: string;
}

/** One day of a series. */
export interface OperationsDayResult extends Figures {
  date: string;
  scope: FigureScope;
  groupKey: string;
}

interface ReportArgs {
  from: string;
  to: string;
  groupBy: Level;
  filter?: { circle?: string | null; region?: string | null; division?: string | null; officeId?: string | null } | null;
  orderBy?: OperationsOrder | null;
  first?: number | null;
  after?: string | null;
}

/** The sums of every figure over the selected rows, as SELECT list items (money exact as float8 below 2^53). */
const SUMS = FIGURE_COLUMNS.map(({ figure, column, type }) => `coalesce(sum(${column}), 0)::${type === 'int' ? 'int' : 'float8'} AS "${figure}"`).join(', ');

const ORDER: Record<OperationsOrder, string> = {
  GROUP: 'group_key',
  WORST_ON_TIME: `sum(delivered_on_time)::float8 / sum(delivered) ASC, sum(delivered) DESC, group_key`,
  MOST_BOOKED: 'sum(booked) DESC, group_key',
  MOST_DELIVERED: 'sum(delivered) DESC, group_key',
};

/** Checks who asks for what: a supervisor's office filter is checked against the office's division. */
async function authorise(ctx: AnalyticsContext, filter: GroupFilter): Promise<void> {
  const officeDivision = filter.officeId ? ((await ctx.loaders.officeById.load(filter.officeId))?.divisionId ?? null) : null;
  enforce(canReadOperations(ctx.viewer, filter, officeDivision));
}

/** The WHERE clause of a scope, its parameters from $1. */
function scopeWhere(scope: FigureScope): { sql: string; params: unknown[] } {
  const filter = filterClause(scope.filter, 4);
  return {
    sql: `level = $1 AND day BETWEEN $2::date AND $3::date${filter.sql}`,
    params: [scope.level, scope.range.from, scope.range.to, ...filter.params],
  };
}

/** `Query.operationsReport`. */
export async function operationsReport(ctx: AnalyticsContext, args: ReportArgs): Promise<ConnectionResult<OperationsRowResult>> {
  const range = checkDayRange(args.from, args.to);
  const filter = checkFilter(args.filter);
  const size = pageSize(args.first, 20);
  const offset = offsetOf(args.after);
  await authorise(ctx, filter);
  const groupBy = args.groupBy;
  const order = args.orderBy ?? 'GROUP';
  const scope: FigureScope = { level: readLevel(groupBy, filter), groupExpression: GROUP_COLUMN[groupBy], range, filter };
  const where = scopeWhere(scope);
  const ancestors = ANCESTORS[groupBy].map((column) => `max(${column}) AS ${column}`);
  const having = order === 'WORST_ON_TIME' ? 'HAVING sum(delivered) > 0' : '';
  const grouped = `SELECT ${scope.groupExpression} AS group_key FROM analytics.daily_rollup WHERE ${where.sql} GROUP BY 1 ${having}`;
  const rows = await ctx.prisma.$queryRawUnsafe<(Figures & Record<string, string | null>)[]>(
    `SELECT ${scope.groupExpression} AS group_key, ${[...ancestors, SUMS].join(', ')}
       FROM analytics.daily_rollup WHERE ${where.sql}
      GROUP BY 1 ${having} ORDER BY ${ORDER[order]} LIMIT ${size + 1} OFFSET ${offset}`,
    ...where.params,
  );
  const results = rows.map((row) => rowResult(groupBy, scope, row));
  // The nation is one row whether or not anything happened.
  if (groupBy === 'NATION' && results.length === 0 && offset === 0 && order !== 'WORST_ON_TIME' && size > 0) {
    results.push(rowResult('NATION', scope, { group_key: '', ...zeroFigures() }));
  }
  return {
    nodes: results.slice(0, size),
    hasNextPage: results.length > size,
    cursorOf: (node) => encodeCursor('operations', String(offset + results.indexOf(node) + 1)),
    totalCount: async () => {
      if (groupBy === 'NATION' && order !== 'WORST_ON_TIME') return 1;
      const [count] = await ctx.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM (${grouped}) AS groups`, ...where.params);
      return count?.n ?? 0;
    },
  };
}

/** A page's position: the cursor is the count of rows before the next page (reports are sorted aggregates, not keyed rows). */
function offsetOf(after: string | null | undefined): number {
  const key = decodeCursor('operations', after);
  if (key === null) return 0;
  if (!/^\d{1,7}$/.test(key)) throw badCursor();
  return Number(key);
}

function figuresOf(row: Partial<Figures>): Figures {
  const figures = zeroFigures();
  for (const figure of FIGURES) figures[figure] = Number(row[figure] ?? 0);
  return figures;
}

function rowResult(groupBy: Level, scope: FigureScope, row: Partial<Figures> & Record<string, unknown>): OperationsRowResult {
  const groupKey = String(row.group_key ?? '');
  const ancestor = (column: 'circle_id' | 'region_id' | 'division_id') => (ANCESTORS[groupBy].includes(column) ? ((row[column] as string | null) ?? null) : null);
  return {
    ...figuresOf(row),
    level: groupBy,
    groupId: groupBy === 'NATION' ? null : groupKey,
    circleId: ancestor('circle_id'),
    regionId: ancestor('region_id'),
    divisionId: ancestor('division_id'),
    scope,
    groupKey,
  };
}

/** `Query.operationsSeries`: every day of the range, zeros where nothing happened. */
export async function operationsSeries(
  ctx: AnalyticsContext,
  args: { from: string; to: string; filter?: ReportArgs['filter'] },
): Promise<OperationsDayResult[]> {
  const range = checkDayRange(args.from, args.to);
  const filter = checkFilter(args.filter);
  await authorise(ctx, filter);
  const scope: FigureScope = { level: readLevel('NATION', filter), groupExpression: `to_char(day, 'YYYY-MM-DD')`, range, filter };
  const where = scopeWhere(scope);
  const rows = await ctx.prisma.$queryRawUnsafe<(Partial<Figures> & { day: string })[]>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, ${SUMS} FROM analytics.daily_rollup WHERE ${where.sql} GROUP BY day`,
    ...where.params,
  );
  const byDay = new Map(rows.map((row) => [row.day, row]));
  return daysBetween(range.from, range.to).map((date) => ({ ...figuresOf(byDay.get(date) ?? {}), date, scope, groupKey: date }));
}

/** Office.operations for many offices over one range, with where each sits: one statement (the loader batches them). */
export async function officeFigures(prisma: AnalyticsPrisma, range: DayRange, officeIds: readonly string[]): Promise<OperationsRowResult[]> {
  const rows = await prisma.$queryRawUnsafe<(Partial<Figures> & Record<string, string | null>)[]>(
    `SELECT o.id AS group_key, o.circle_id, o.region_id, o.division_id, ${SUMS}
       FROM analytics.office_ref o
       LEFT JOIN analytics.daily_rollup r ON r.level = 'OFFICE' AND r.group_id = o.id AND r.day BETWEEN $2::date AND $3::date
      WHERE o.id = ANY($1::text[]) GROUP BY o.id, o.circle_id, o.region_id, o.division_id`,
    [...officeIds],
    range.from,
    range.to,
  );
  const byOffice = new Map(rows.map((row) => [row.group_key, row]));
  // An office the directory does not know has no figures: zeros, and no place in the hierarchy.
  return officeIds.map((officeId) =>
    rowResult('OFFICE', { level: 'OFFICE', groupExpression: GROUP_COLUMN.OFFICE, range, filter: { officeId } }, byOffice.get(officeId) ?? { group_key: officeId }),
  );
}

/** The breakdowns (by product, by reason) of the groups of one scope, in one statement. */
export async function breakdownsOf(
  prisma: AnalyticsPrisma,
  scope: FigureScope,
  groupKeys: readonly string[],
): Promise<Map<string, { measure: string; key: string; count: number }[]>> {
  const where = scopeWhere(scope);
  const rows = await prisma.$queryRawUnsafe<{ group_key: string; measure: string; key: string; count: number }[]>(
    `SELECT ${scope.groupExpression} AS group_key, measure, key, sum(count)::int AS count
       FROM analytics.daily_breakdown WHERE ${where.sql} AND ${scope.groupExpression} = ANY($${where.params.length + 1}::text[])
      GROUP BY 1, 2, 3 ORDER BY 1, 2, count DESC, key`,
    ...where.params,
    [...groupKeys],
  );
  const byGroup = new Map<string, { measure: string; key: string; count: number }[]>();
  for (const row of rows) {
    const list = byGroup.get(row.group_key) ?? [];
    list.push(row);
    byGroup.set(row.group_key, list);
  }
  return byGroup;
}

/**
 * Who may read operations figures: every access rule of this subgraph. Pure (no I/O): callers pass what
 * the rule needs to know, so the rules are tested as a table (test/access.test.ts).
 *
 *  - Analysts and admins read every report, series and office.
 *  - Supervisors read their own division only: a report or series must name it (filter.division) or one
 *    of its offices (filter.officeId), so no grouping can show another division's figures; an office's
 *    figures only for an office of their division.
 *  - Everyone else (counter clerks, postmen, customers, partners) is FORBIDDEN; the public must log in.
 */
import type { Viewer } from '@dakgraph/auth';
import { ALLOW, deny, logInFirst, type Decision } from '@dakgraph/graphql-kit';
import type { GroupFilter } from './domain';

export type { Decision };

const LOG_IN: Decision = Object.freeze(logInFirst('Log in as an analyst, a supervisor or an admin to read operations figures'));
const NOT_FOR_YOU: Decision = Object.freeze(deny('Operations figures are for analysts, supervisors (their own division) and admins'));

const isStaff = (viewer: Viewer, ...roles: string[]): boolean => viewer.kind === 'STAFF' && roles.includes(viewer.role ?? '');

/**
 * A report or series over `filter`. `officeDivisionId` is the division of filter.officeId when one is
 * named (null when the directory does not know the office).
 */
export function canReadOperations(viewer: Viewer, filter: GroupFilter, officeDivisionId: string | null): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (isStaff(viewer, 'ANALYST', 'ADMIN')) return ALLOW;
  if (!isStaff(viewer, 'SUPERVISOR')) return NOT_FOR_YOU;
  if (!viewer.divisionId) return deny('Your supervisor account has no division, so it reads no operations figures');
  if (filter.division !== undefined && filter.division !== viewer.divisionId) {
    return deny(`Supervisors read their own division's figures (${viewer.divisionId}); filter.division names ${filter.division}`);
  }
  if (filter.officeId !== undefined && officeDivisionId !== viewer.divisionId) {
    return deny(`Supervisors read the offices of their own division (${viewer.divisionId}); ${filter.officeId} is not one of them`);
  }
  if (filter.division === undefined && filter.officeId === undefined) {
    return deny(`Supervisors read their own division's figures: give filter: { division: "${viewer.divisionId}" }`);
  }
  return ALLOW;
}

/** One office's figures (Office.operations); `divisionId` is its division (null when unknown). */
export function canReadOfficeOperations(viewer: Viewer, divisionId: string | null): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (isStaff(viewer, 'ANALYST', 'ADMIN')) return ALLOW;
  if (!isStaff(viewer, 'SUPERVISOR')) return NOT_FOR_YOU;
  if (!viewer.divisionId || divisionId !== viewer.divisionId) return deny(`Supervisors read the offices of their own division (${viewer.divisionId ?? 'none'})`);
  return ALLOW;
}

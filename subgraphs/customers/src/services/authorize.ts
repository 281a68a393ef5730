import type { Viewer } from '@dakgraph/auth';
import { deny, type Decision } from '@dakgraph/graphql-kit';
import type { CustomersContext } from '../context';

/**
 * Whether the rule allows this request to read something: the caller's own viewer, or the viewer a
 * login in the same operation has just established (see CustomersContext.sessionViewer).
 */
export function mayRead(ctx: CustomersContext, rule: (viewer: Viewer) => boolean): boolean {
  return rule(ctx.viewer) || (ctx.sessionViewer !== null && rule(ctx.sessionViewer));
}

/**
 * The refusal of `what` (for `refuse`), telling the caller what would help: the public are told how to
 * identify themselves; everyone else what their kind of account may do. FORBIDDEN for the public too:
 * a missing credential on data that is never public is not a login prompt.
 */
export function refusal(viewer: Viewer, what: string, rule: string): Decision {
  if (viewer.kind === 'PUBLIC') {
    return deny(`${what} is not public: log in (staff and customers, with the login mutation) or call with a partner API key`);
  }
  return deny(`${what} is not available to you: ${rule}`);
}

export const CUSTOMER_RULE =
  'customers see only themselves, partners only their own customers, and of staff only counter clerks, supervisors and admins read customers';
export const PARTNER_RULE = 'a partner record is visible to admins and to the partner itself';
export const STAFF_RULE = 'admins see all staff, supervisors the staff of their division, and everyone else only themselves';

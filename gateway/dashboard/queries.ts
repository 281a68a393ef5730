/**
 * The operations the dashboard sends, and the shapes of their answers. Everything it shows comes from these:
 * the analytics subgraph's operationsReport / operationsSeries, with names from the offices subgraph.
 */

export type Role = 'COUNTER_CLERK' | 'POSTMAN' | 'SUPERVISOR' | 'ANALYST' | 'ADMIN';

export interface Named {
  id: string;
  name: string;
}

export interface Figures {
  booked: number;
  delivered: number;
  deliveredOnTime: number;
  failedAttempts: number;
  returned: number;
  revenuePaise: number;
  gstPaise: number;
  codCollectedPaise: number;
  codRemittedPaise: number;
  onTimeShare: number | null;
}

export type GroupBy = 'OFFICE' | 'DIVISION' | 'REGION' | 'CIRCLE' | 'NATION';

export interface ReportRow extends Figures {
  level: GroupBy;
  groupId: string | null;
  office: Named | null;
  division: Named | null;
  circle: Named | null;
}

export interface SeriesDay {
  date: string;
  booked: number;
  delivered: number;
  deliveredOnTime: number;
  failedAttempts: number;
}

export interface OperationsFilter {
  circle?: string;
  division?: string;
}

export const LOGIN = /* GraphQL */ `
  mutation DashboardLogin($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      expiresAt
    }
  }
`;

export interface LoginData {
  login: { token: string; expiresAt: string };
}

/** Who signed in; a supervisor's division (from their office) is where their dashboard starts. */
export const VIEWER = /* GraphQL */ `
  query DashboardViewer {
    viewer {
      kind
      role
      staff {
        name
        office {
          division {
            id
            name
            circle {
              id
              name
            }
          }
        }
      }
    }
  }
`;

export interface ViewerData {
  viewer: {
    kind: string;
    role: Role | null;
    staff: { name: string | null; office: { division: (Named & { circle: Named }) | null } | null } | null;
  };
}

const FIGURES = /* GraphQL */ `
  fragment DashboardFigures on OperationsFigures {
    booked
    delivered
    deliveredOnTime
    failedAttempts
    returned
    revenuePaise
    gstPaise
    codCollectedPaise
    codRemittedPaise
    onTimeShare
  }
`;

/** A ReportRow: the bar chart's groups and the worst-offices table are rows of the same shape. */
const ROW = /* GraphQL */ `
  fragment DashboardRow on OperationsRow {
    level
    groupId
    office {
      id
      name
    }
    division {
      id
      name
    }
    circle {
      id
      name
    }
    ...DashboardFigures
  }
`;

/**
 * One view of the dashboard in one request: the scope's totals, its groups (circles, a circle's divisions or a
 * division's offices) for the bar chart, its last 30 days for the line chart, and its offices with the worst
 * on-time share for the table.
 */
export const VIEW = /* GraphQL */ `
  query DashboardView(
    $from: String!
    $to: String!
    $seriesFrom: String!
    $seriesTo: String!
    $filter: OperationsFilter
    $groupBy: OperationsGroupBy!
    $groupOrder: OperationsOrder!
    $groupFirst: Int!
  ) {
    totals: operationsReport(from: $from, to: $to, groupBy: NATION, filter: $filter, first: 1) {
      nodes {
        ...DashboardFigures
      }
    }
    groups: operationsReport(from: $from, to: $to, groupBy: $groupBy, filter: $filter, orderBy: $groupOrder, first: $groupFirst) {
      totalCount
      nodes {
        ...DashboardRow
      }
    }
    series: operationsSeries(from: $seriesFrom, to: $seriesTo, filter: $filter) {
      date
      booked
      delivered
      deliveredOnTime
      failedAttempts
    }
    worst: operationsReport(from: $from, to: $to, groupBy: OFFICE, filter: $filter, orderBy: WORST_ON_TIME, first: 10) {
      nodes {
        ...DashboardRow
      }
    }
  }
  ${ROW}
  ${FIGURES}
`;

export interface ViewData {
  totals: { nodes: Figures[] };
  groups: { totalCount: number; nodes: ReportRow[] };
  series: SeriesDay[];
  worst: { nodes: ReportRow[] };
}

/** The figures of a scope with no work in the range (the NATION row may be absent then). */
export const NO_FIGURES: Figures = {
  booked: 0,
  delivered: 0,
  deliveredOnTime: 0,
  failedAttempts: 0,
  returned: 0,
  revenuePaise: 0,
  gstPaise: 0,
  codCollectedPaise: 0,
  codRemittedPaise: 0,
  onTimeShare: null,
};

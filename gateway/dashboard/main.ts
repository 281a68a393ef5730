/**
 * The dakgraph operations dashboard, bundled by scripts/build-dashboard.mjs into dist/dashboard and served by
 * src/dashboard.ts at /dashboard. It reads only the graph: a sign-in (the `login` mutation), then one
 * DashboardView query per view (see queries.ts), drawn with ECharts (charts.ts) and plain DOM.
 */
import type { ECharts } from 'echarts/core';
import { createGraphClient, GraphError } from './api';
import { barRowPoint, createChart, drawn, numbersOf, onBarRowClick, showBars, showSeries, type ChartNumbers } from './charts';
import { byId, h, replaceChildren } from './dom';
import { addDays, count, daysIncluded, isDay, istDay, MAX_RANGE_DAYS, rupees, share } from './format';
import {
  LOGIN,
  NO_FIGURES,
  VIEW,
  VIEWER,
  type Figures,
  type GroupBy,
  type LoginData,
  type Named,
  type OperationsFilter,
  type ReportRow,
  type ViewData,
  type ViewerData,
} from './queries';
import './app.css';

const root = byId('dashboard');
// The server writes the GraphQL path into data-endpoint. Always same-origin: the CSP allows connect-src 'self' only.
const graph = createGraphClient(new URL(root.dataset.endpoint || '/graphql', window.location.href).href);

/** Where the dashboard looks: the whole network, one circle, or one division (circle known too). */
interface Scope {
  circle: Named | null;
  division: Named | null;
}

type Level = 'nation' | 'circle' | 'division';
type Preset = 'today' | 'yesterday' | 'last7' | 'last30' | 'custom';
type Status = 'signed-out' | 'signing-in' | 'needs-division' | 'loading' | 'ready' | 'error';

/** How many days the line chart shows, ending today. */
const SERIES_DAYS = 30;

/** The offices of a division can be many: the bar chart shows the busiest of them. */
const OFFICE_BARS = 25;

const state = {
  status: 'signed-out' as Status,
  viewer: null as ViewerData['viewer'] | null,
  /** The top of the breadcrumb: the nation, or a supervisor's own division. */
  home: { circle: null, division: null } as Scope,
  scope: { circle: null, division: null } as Scope,
  preset: 'today' as Preset,
  customFrom: '',
  customTo: '',
  /** The last view drawn, and which request it answered (older answers are dropped). */
  view: null as (ViewData & { key: string; from: string; to: string; seriesFrom: string; seriesTo: string; level: Level }) | null,
  requests: 0,
};

const levelOf = (scope: Scope): Level => (scope.division ? 'division' : scope.circle ? 'circle' : 'nation');
const groupByOf: Record<Level, GroupBy> = { nation: 'CIRCLE', circle: 'DIVISION', division: 'OFFICE' };
const groupNoun: Record<Level, string> = { nation: 'circle', circle: 'division', division: 'office' };

function filterOf(scope: Scope): OperationsFilter | null {
  if (scope.division) return { division: scope.division.id };
  if (scope.circle) return { circle: scope.circle.id };
  return null;
}

function scopeName(scope: Scope): string {
  return scope.division?.name ?? scope.circle?.name ?? 'All India';
}

/** The range the totals, the bars and the table cover; the line chart always ends today. */
function rangeOf(today: string): { from: string; to: string } | string {
  switch (state.preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'custom': {
      const { customFrom: from, customTo: to } = state;
      if (!isDay(from) || !isDay(to)) return 'Choose both days of the range.';
      if (to < from) return 'The last day of the range is before its first day.';
      if (daysIncluded(from, to) > MAX_RANGE_DAYS) return `A range is at most ${MAX_RANGE_DAYS} days.`;
      return { from, to };
    }
  }
}

function rangeLabel(from: string, to: string, today: string): string {
  if (from === to) return from === today ? `Today (${from})` : from;
  return `${from} to ${to}`;
}

// --- the page's parts ----------------------------------------------------------------------------------------

const signInError = h('p', { class: 'alert', role: 'alert', hidden: true });
const emailInput = h('input', { id: 'signin-email', name: 'email', type: 'email', autocomplete: 'username', required: true, spellcheck: 'false' });
const passwordInput = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
const signInButton = h('button', { type: 'submit' }, 'Sign in');
const signInForm = h(
  'form',
  { id: 'signin', class: 'card signin', novalidate: true },
  h('h1', {}, 'Operations dashboard'),
  h('p', { class: 'muted' }, 'For analysts, supervisors and administrators of India Post. Sign in with your staff account.'),
  h('label', { for: 'signin-email' }, 'Email'),
  emailInput,
  h('label', { for: 'signin-password' }, 'Password'),
  passwordInput,
  signInError,
  signInButton,
);

const whoAmI = h('span', { id: 'who', class: 'who' });
const signOutButton = h('button', { type: 'button', class: 'link', id: 'signout', hidden: true }, 'Sign out');
const header = h(
  'header',
  { class: 'topbar' },
  h('span', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'dakgraph', h('span', { class: 'muted' }, ' · operations')),
  h('span', { class: 'spacer' }),
  whoAmI,
  signOutButton,
);

const breadcrumb = h('ol', { class: 'breadcrumb' });
const presetSelect = h(
  'select',
  { id: 'range-preset', 'aria-label': 'Days' },
  h('option', { value: 'today' }, 'Today'),
  h('option', { value: 'yesterday' }, 'Yesterday'),
  h('option', { value: 'last7' }, 'Last 7 days'),
  h('option', { value: 'last30' }, 'Last 30 days'),
  h('option', { value: 'custom' }, 'Choose days…'),
);
const fromInput = h('input', { id: 'range-from', type: 'date', 'aria-label': 'From', hidden: true });
const toInput = h('input', { id: 'range-to', type: 'date', 'aria-label': 'To', hidden: true });
const refreshButton = h('button', { type: 'button', id: 'refresh' }, 'Refresh');
const controls = h(
  'div',
  { class: 'controls' },
  h('nav', { 'aria-label': 'Where you are' }, breadcrumb),
  h('span', { class: 'spacer' }),
  h('label', { for: 'range-preset' }, 'Days'),
  presetSelect,
  fromInput,
  toInput,
  refreshButton,
);

const divisionInput = h('input', { id: 'division-id', type: 'text', placeholder: 'e.g. bangalore-hq/bangalore-south', spellcheck: 'false', required: true });
const divisionForm = h(
  'form',
  { id: 'division-form', class: 'card', hidden: true },
  h('h2', {}, 'Which division?'),
  h('p', { class: 'muted' }, 'Supervisors read the figures of their own division. Your account does not say which it is; type its id.'),
  h('label', { for: 'division-id' }, 'Division id'),
  divisionInput,
  h('button', { type: 'submit' }, 'Show'),
);

const boardError = h('p', { id: 'board-error', class: 'alert', role: 'alert', hidden: true });
const status = h('p', { id: 'status', class: 'muted status', 'aria-live': 'polite' });

const totalsTitle = h('h2', {});
const totalsGrid = h('dl', { class: 'totals', id: 'totals' });
const groupsTitle = h('h2', {});
const groupsNote = h('p', { class: 'muted note' });
const groupsChartBox = h('div', { class: 'chart', id: 'groups-chart', role: 'img' });
const groupsTable = h('table', { class: 'data' });
const seriesTitle = h('h2', {});
const seriesChartBox = h('div', { class: 'chart series', id: 'series-chart', role: 'img' });
const worstTitle = h('h2', {});
const worstNote = h('p', { class: 'muted note' });
const worstTable = h('table', { class: 'data', id: 'worst' });

const panels = h(
  'div',
  { class: 'panels', id: 'panels', hidden: true },
  h('section', { class: 'card wide', 'aria-labelledby': 'totals-title' }, totalsTitle, totalsGrid),
  h(
    'section',
    { class: 'card' },
    groupsTitle,
    groupsNote,
    groupsChartBox,
    h('details', {}, h('summary', {}, 'The chart’s figures as a table'), groupsTable),
  ),
  h('section', { class: 'card' }, seriesTitle, seriesChartBox),
  h('section', { class: 'card wide' }, worstTitle, worstNote, worstTable),
);
totalsTitle.id = 'totals-title';

const board = h('div', { id: 'board', hidden: true }, controls, divisionForm, boardError, status, panels);

replaceChildren(root, header, h('main', {}, signInForm, board));
/**
 * The ECharts instances, made when the panels are first shown: ECharts measures its container, and a hidden
 * one has no size.
 */
let chartInstances: { groups: ECharts; series: ECharts } | null = null;
function charts(): { groups: ECharts; series: ECharts } {
  if (chartInstances) return chartInstances;
  const groups = createChart(groupsChartBox);
  const series = createChart(seriesChartBox);
  onBarRowClick(
    groups,
    () => state.status === 'ready' && state.view?.level !== 'division',
    (index) => {
      const view = state.view;
      const row = view?.groups.nodes[index];
      const target = row && view ? drillTarget(row, view.level) : null;
      if (target) go(target);
    },
  );
  const resize = new ResizeObserver(() => {
    groups.resize();
    series.resize();
  });
  resize.observe(groupsChartBox);
  resize.observe(seriesChartBox);
  chartInstances = { groups, series };
  return chartInstances;
}

function setStatus(next: Status): void {
  state.status = next;
  root.dataset.status = next;
}

// --- signing in and out ------------------------------------------------------------------------------------

function showSignIn(message?: string): void {
  graph.setToken(null);
  state.viewer = null;
  state.view = null;
  state.requests += 1; // answers still on their way are for the old session
  setStatus('signed-out');
  signInForm.hidden = false;
  board.hidden = true;
  signOutButton.hidden = true;
  whoAmI.textContent = '';
  signInError.hidden = !message;
  signInError.textContent = message ?? '';
  passwordInput.value = '';
  emailInput.focus();
}

signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void signIn(emailInput.value.trim(), passwordInput.value);
});

async function signIn(email: string, password: string): Promise<void> {
  if (!email || !password) {
    signInError.hidden = false;
    signInError.textContent = 'Type your email and password.';
    return;
  }
  setStatus('signing-in');
  signInButton.disabled = true;
  signInError.hidden = true;
  try {
    const { login } = await graph.request<LoginData>(LOGIN, { email, password });
    graph.setToken(login.token);
    const { viewer } = await graph.request<ViewerData>(VIEWER);
    state.viewer = viewer;
    passwordInput.value = '';
    signInForm.hidden = true;
    board.hidden = false;
    signOutButton.hidden = false;
    whoAmI.textContent = [viewer.staff?.name, viewer.role?.toLowerCase().replace('_', ' ')].filter(Boolean).join(' · ');
    startBoard(viewer);
  } catch (error) {
    graph.setToken(null);
    setStatus('signed-out');
    signInError.hidden = false;
    signInError.textContent = error instanceof GraphError ? error.message : 'Signing in failed.';
  } finally {
    signInButton.disabled = false;
  }
}

signOutButton.addEventListener('click', () => showSignIn());

function startBoard(viewer: ViewerData['viewer']): void {
  if (viewer.role === 'SUPERVISOR') {
    // A supervisor reads their own division only (the graph refuses anything else), so it is their top level.
    const division = viewer.staff?.office?.division;
    if (!division) {
      setStatus('needs-division');
      divisionForm.hidden = false;
      panels.hidden = true;
      divisionInput.focus();
      return;
    }
    state.home = { circle: division.circle, division: { id: division.id, name: division.name } };
  } else {
    // Analysts and admins start at the nation; anyone else is told by the graph (FORBIDDEN) what they may not see.
    state.home = { circle: null, division: null };
  }
  divisionForm.hidden = true;
  go(state.home);
}

divisionForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const id = divisionInput.value.trim();
  if (!id) return;
  state.home = { circle: null, division: { id, name: id } };
  divisionForm.hidden = true;
  go(state.home);
});

// --- moving around -----------------------------------------------------------------------------------------

function go(scope: Scope): void {
  state.scope = scope;
  void load();
}

const supervisorView = (): boolean => state.home.division !== null;

function renderBreadcrumb(): void {
  const { scope } = state;
  const crumbs: Array<{ label: string; target: Scope | null }> = [];
  if (!supervisorView()) crumbs.push({ label: 'All India', target: { circle: null, division: null } });
  if (scope.circle) crumbs.push({ label: scope.circle.name, target: supervisorView() ? null : { circle: scope.circle, division: null } });
  if (scope.division) crumbs.push({ label: scope.division.name, target: scope });
  replaceChildren(
    breadcrumb,
    ...crumbs.map((crumb, index) => {
      const last = index === crumbs.length - 1;
      const target = crumb.target;
      if (last || !target) return h('li', last ? { 'aria-current': 'location' } : {}, crumb.label);
      const button = h('button', { type: 'button', class: 'link' }, crumb.label);
      button.addEventListener('click', () => go(target));
      return h('li', {}, button);
    }),
  );
}

presetSelect.addEventListener('change', () => {
  state.preset = presetSelect.value as Preset;
  const custom = state.preset === 'custom';
  fromInput.hidden = !custom;
  toInput.hidden = !custom;
  if (custom) {
    const today = istDay();
    state.customFrom ||= addDays(today, -6);
    state.customTo ||= today;
    fromInput.value = state.customFrom;
    toInput.value = state.customTo;
    fromInput.max = toInput.max = today;
  }
  void load();
});
for (const input of [fromInput, toInput]) {
  input.addEventListener('change', () => {
    state.customFrom = fromInput.value;
    state.customTo = toInput.value;
    void load();
  });
}
refreshButton.addEventListener('click', () => void load());

// --- one view ----------------------------------------------------------------------------------------------

function showBoardError(message: string): void {
  setStatus('error');
  boardError.hidden = false;
  boardError.textContent = message;
  // Figures of another view or an older range must not stand beside an error as if they were current.
  panels.hidden = true;
  status.textContent = '';
}

async function load(): Promise<void> {
  if (!graph.signedIn) return;
  renderBreadcrumb();
  const today = istDay(); // asked again each time: the page may stay open past midnight IST
  const range = rangeOf(today);
  if (typeof range === 'string') {
    showBoardError(range);
    return;
  }
  const scope = state.scope;
  const level = levelOf(scope);
  const seriesFrom = addDays(today, -(SERIES_DAYS - 1));
  const request = ++state.requests;
  setStatus('loading');
  boardError.hidden = true;
  status.textContent = 'Loading…';
  try {
    const data = await graph.request<ViewData>(VIEW, {
      from: range.from,
      to: range.to,
      seriesFrom,
      seriesTo: today,
      filter: filterOf(scope),
      groupBy: groupByOf[level],
      groupOrder: 'MOST_BOOKED',
      groupFirst: level === 'division' ? OFFICE_BARS : 100,
    });
    if (request !== state.requests) return; // the user has moved on
    const key = `${level}:${scope.division?.id ?? scope.circle?.id ?? 'nation'}:${range.from}:${range.to}`;
    state.view = { ...data, key, from: range.from, to: range.to, seriesFrom, seriesTo: today, level };
    render(today);
    setStatus('ready');
    root.dataset.view = key;
  } catch (error) {
    if (request !== state.requests) return;
    if (error instanceof GraphError && error.code === 'UNAUTHENTICATED') {
      showSignIn(`${error.message} Sign in again.`);
      return;
    }
    showBoardError(error instanceof GraphError ? error.message : 'The dashboard could not load its figures.');
  }
}

function render(today: string): void {
  const view = state.view!;
  const { scope } = state;
  const name = scopeName(scope);
  const range = rangeLabel(view.from, view.to, today);
  panels.hidden = false;
  status.textContent = `Figures of ${name}, ${range}. Line chart: ${view.seriesFrom} to ${view.seriesTo}.`;

  totalsTitle.textContent = `${name} · ${range}`;
  renderTotals(view.totals.nodes[0] ?? NO_FIGURES);

  const noun = groupNoun[view.level];
  groupsTitle.textContent = `Booked and delivered by ${noun}`;
  const rows = view.groups.nodes;
  groupsNote.textContent =
    rows.length === 0
      ? `No ${noun} has any work in this range.`
      : [
          view.groups.totalCount > rows.length ? `The ${rows.length} busiest of ${count(view.groups.totalCount)} ${noun}s with work.` : '',
          view.level === 'division' ? '' : `Click a ${noun} to see its ${view.level === 'nation' ? 'divisions' : 'offices'}.`,
        ]
          .filter(Boolean)
          .join(' ');
  const bars = rows.map((row) => ({ label: rowLabel(row), booked: row.booked, delivered: row.delivered, deliveredOnTime: row.deliveredOnTime }));
  groupsChartBox.setAttribute('aria-label', `Bar chart: booked, delivered and delivered on time by ${noun}, ${name}, ${range}.`);
  // Room for every bar: the chart grows with the number of groups. (Set through the CSSOM, which the CSP allows;
  // it forbids style attributes in markup.)
  groupsChartBox.style.height = `${Math.max(220, 48 + rows.length * 34)}px`;
  const { groups: groupsChart, series: seriesChart } = charts();
  groupsChart.resize();
  showBars(groupsChart, bars);
  renderGroupsTable(rows, noun);

  seriesTitle.textContent = `Last ${SERIES_DAYS} days · ${name}`;
  seriesChartBox.setAttribute('aria-label', `Line chart: booked, delivered, on time and failed attempts per day, ${view.seriesFrom} to ${view.seriesTo}.`);
  showSeries(seriesChart, view.series);

  worstTitle.textContent = `Worst on-time share · offices of ${name}`;
  worstNote.textContent = view.worst.nodes.length === 0 ? 'No office delivered anything in this range.' : `${range}; offices that delivered nothing are left out.`;
  worstTable.hidden = view.worst.nodes.length === 0;
  renderWorst(view.worst.nodes);
}

function rowLabel(row: ReportRow): string {
  return row.office?.name ?? row.division?.name ?? row.circle?.name ?? row.groupId ?? '–';
}

/** The scope a row of the bar chart drills to, or null at the offices (the bottom). */
function drillTarget(row: ReportRow, level: Level): Scope | null {
  if (level === 'nation' && row.circle) return { circle: row.circle, division: null };
  if (level === 'circle' && row.division) return { circle: row.circle ?? state.scope.circle, division: row.division };
  return null;
}

const TOTALS: Array<{ key: keyof Figures; label: string; money?: boolean }> = [
  { key: 'booked', label: 'Booked' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'deliveredOnTime', label: 'Delivered on time' },
  { key: 'onTimeShare', label: 'On-time share' },
  { key: 'failedAttempts', label: 'Failed attempts' },
  { key: 'returned', label: 'Returned' },
  { key: 'revenuePaise', label: 'Revenue (excl. GST)', money: true },
  { key: 'gstPaise', label: 'GST', money: true },
  { key: 'codCollectedPaise', label: 'COD collected', money: true },
  { key: 'codRemittedPaise', label: 'COD remitted', money: true },
];

function renderTotals(figures: Figures): void {
  replaceChildren(
    totalsGrid,
    ...TOTALS.map(({ key, label, money }) => {
      const value = figures[key];
      const text = key === 'onTimeShare' ? share(value) : money ? rupees(value ?? 0) : count(value ?? 0);
      return h('div', { class: 'figure', 'data-figure': key, 'data-value': value === null ? '' : String(value) }, h('dt', {}, label), h('dd', {}, text));
    }),
  );
}

function renderGroupsTable(rows: ReportRow[], noun: string): void {
  const level = state.view!.level;
  replaceChildren(
    groupsTable,
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, noun[0]!.toUpperCase() + noun.slice(1)), ...['Booked', 'Delivered', 'On time', 'On-time share', 'Revenue'].map((c) => h('th', { scope: 'col', class: 'num' }, c))),
    ),
    h(
      'tbody',
      {},
      ...rows.map((row) => {
        const target = drillTarget(row, level);
        let nameCell: Node = document.createTextNode(rowLabel(row));
        if (target) {
          const button = h('button', { type: 'button', class: 'link' }, rowLabel(row));
          button.addEventListener('click', () => go(target));
          nameCell = button;
        }
        return h(
          'tr',
          { 'data-group-id': row.groupId ?? '' },
          h('th', { scope: 'row' }, nameCell),
          h('td', { class: 'num' }, count(row.booked)),
          h('td', { class: 'num' }, count(row.delivered)),
          h('td', { class: 'num' }, count(row.deliveredOnTime)),
          h('td', { class: 'num' }, share(row.onTimeShare)),
          h('td', { class: 'num' }, rupees(row.revenuePaise)),
        );
      }),
    ),
  );
}

function drillLink(label: string, target: Scope, kind: 'circle' | 'division'): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'link', 'data-drill': kind }, label);
  button.addEventListener('click', () => go(target));
  return button;
}

function renderWorst(rows: ReportRow[]): void {
  replaceChildren(
    worstTable,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['#', 'Office', 'Division', 'Circle'].map((c) => h('th', { scope: 'col' }, c)),
        ...['Delivered', 'On time', 'On-time share', 'Failed attempts'].map((c) => h('th', { scope: 'col', class: 'num' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((row, index) => {
        const circle = row.circle;
        const division = row.division;
        return h(
          'tr',
          { 'data-office-id': row.office?.id ?? row.groupId ?? '' },
          h('td', {}, index + 1),
          h('th', { scope: 'row' }, row.office?.name ?? row.groupId ?? '–'),
          h('td', {}, division ? drillLink(division.name, { circle, division }, 'division') : '–'),
          // A supervisor may not read the circle as a whole, so it is not a link for them.
          h('td', {}, circle && !supervisorView() ? drillLink(circle.name, { circle, division: null }, 'circle') : (circle?.name ?? '–')),
          h('td', { class: 'num' }, count(row.delivered)),
          h('td', { class: 'num' }, count(row.deliveredOnTime)),
          h('td', { class: 'num', 'data-share': row.onTimeShare ?? '' }, share(row.onTimeShare)),
          h('td', { class: 'num' }, count(row.failedAttempts)),
        );
      }),
    ),
  );
}

// --- a read-only hook for tests and the curious -------------------------------------------------------------

/** What the page shows, read back from its ECharts instances and state (read-only; it changes nothing). */
interface DashboardHook {
  readonly status: Status;
  readonly level: Level | null;
  readonly view: { key: string; from: string; to: string; seriesFrom: string; seriesTo: string; scope: Scope } | null;
  /** Whether both charts have finished drawing the view (animations over). */
  readonly chartsDrawn: boolean;
  chart(name: 'groups' | 'series'): ChartNumbers;
  /** The page coordinates of row `index` of the bar chart (to click it). */
  barRowPoint(index: number): { x: number; y: number } | null;
}

const hook: DashboardHook = {
  get status() {
    return state.status;
  },
  get level() {
    return state.view?.level ?? null;
  },
  get view() {
    const view = state.view;
    return view ? { key: view.key, from: view.from, to: view.to, seriesFrom: view.seriesFrom, seriesTo: view.seriesTo, scope: structuredClone(state.scope) } : null;
  },
  get chartsDrawn() {
    return chartInstances !== null && drawn(chartInstances.groups) && drawn(chartInstances.series);
  },
  chart: (name) => (chartInstances ? numbersOf(chartInstances[name]) : { categories: [], series: [] }),
  barRowPoint: (index) => (chartInstances ? barRowPoint(chartInstances.groups, index) : null),
};
Object.defineProperty(window, 'dakgraphDashboard', { value: Object.freeze(hook), configurable: false, writable: false });

showSignIn();

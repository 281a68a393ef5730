/**
 * The operations dashboard end to end: the whole graph (every subgraph and the gateway, on a fresh database,
 * with domain events in process so the analytics rollups follow the work) loaded with a demo day, and headless Chromium with every non-local request aborted. An analyst signs in on
 * the page; the test waits for the charts, saves a screenshot (test/artifacts/, gitignored) and checks the
 * numbers the ECharts instances hold, the totals and the worst-offices table against the graph's own answers
 * to direct queries; then drills to a circle and a division (clicking the bar chart), back by the breadcrumb,
 * and through the table's links. A counter clerk sees the graph's FORBIDDEN message; a supervisor lands on
 * their division.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runDemoDay } from '@dakgraph/demo';
import { createInProcessTransport, type EventTransport } from '@dakgraph/events';
import { addDays, istDay, rupees } from '../dashboard/format';
import type { Named, OperationsFilter, ReportRow, SeriesDay } from '../dashboard/queries';
import { chromiumAvailable, chromiumPath, launchBrowser, type BrowserSession } from './support/browser';
import { ensureBundle } from './support/bundles';
import {
  adminLogin,
  staffLogin,
  startGateway,
  startSubgraphs,
  TEST_PSP_CALLBACK_SECRET,
  until,
  type RunningGateway,
  type RunningSubgraphs,
} from './support/graph';

const gatewayDir = path.resolve(__dirname, '..');
const artifactsDir = path.join(gatewayDir, 'test', 'artifacts');
const PASSWORD = 'dashboard tests passphrase, long enough';
const ADMIN_EMAIL = 'admin@dakgraph.test';
const ANALYST_EMAIL = 'dashboard.analyst@dakgraph.test';
const CLERK_EMAIL = 'dashboard.clerk@dakgraph.test';
const SUPERVISOR_EMAIL = 'dashboard.supervisor@dakgraph.test';
/** Small, so the demo day takes seconds, yet spread over several circles. */
const DEMO_ARTICLES = 80;

// --- what the graph says, asked directly ---------------------------------------------------------------------

// The answers' shapes are the page's own (dashboard/queries.ts); the operations below are the test's, so the
// page's are checked against independent questions to the graph.
/** A row as ROW_FIELDS selects it: the page's report row without its level. */
type Row = Omit<ReportRow, 'level'>;
type Filter = OperationsFilter | null;

const ROW_FIELDS = `groupId office { id name } division { id name } circle { id name }
  booked delivered deliveredOnTime failedAttempts returned revenuePaise gstPaise codCollectedPaise codRemittedPaise onTimeShare`;

/** What the page shows, read through its window.dakgraphDashboard hook (the test's tsconfig has no DOM types). */
interface PageView {
  status: string;
  chartsDrawn: boolean;
  level: string | null;
  view: { key: string; from: string; to: string; seriesFrom: string; seriesTo: string; scope: { circle: Named | null; division: Named | null } } | null;
}
interface ChartNumbers {
  categories: string[];
  series: Array<{ name: string; data: number[] }>;
}
/** The hook's methods; page.evaluate callbacks run in the page, so each one names window.dakgraphDashboard itself. */
type Hook = PageView & { chart(name: 'groups' | 'series'): ChartNumbers; barRowPoint(index: number): { x: number; y: number } | null };

const describeBrowser = chromiumAvailable() || process.env.CI === 'true' ? describe : describe.skip;
if (!chromiumAvailable() && process.env.CI !== 'true') {
  console.warn(
    `[dashboard.browser.test] SKIPPED: no Chromium at ${chromiumPath()}. ` +
      'Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH). In CI (CI=true) this fails instead.',
  );
}

describeBrowser('the dashboard in headless Chromium, against the whole graph with a demo day', () => {
  // The whole graph as startGraph() makes it, plus the domain events the analytics rollups are kept from.
  let events: EventTransport;
  let subgraphs: RunningSubgraphs;
  let graph: RunningGateway;
  let browser: BrowserSession | undefined;
  let adminToken = '';
  let analystToken = '';

  async function ask<T>(token: string, query: string, variables: Record<string, unknown>): Promise<T> {
    const res = await graph.post({ query, variables }, { authorization: `Bearer ${token}` });
    if (res.status !== 200 || res.body.errors) throw new Error(`the graph refused a direct query: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as T;
  }

  const report = async (token: string, args: { from: string; to: string; groupBy: string; filter: Filter; orderBy: string; first: number }) =>
    (
      await ask<{ operationsReport: { totalCount: number; nodes: Row[] } }>(
        token,
        `query ($from: String!, $to: String!, $groupBy: OperationsGroupBy!, $filter: OperationsFilter, $orderBy: OperationsOrder, $first: Int) {
          operationsReport(from: $from, to: $to, groupBy: $groupBy, filter: $filter, orderBy: $orderBy, first: $first) { totalCount nodes { ${ROW_FIELDS} } } }`,
        args,
      )
    ).operationsReport;

  const series = async (token: string, args: { from: string; to: string; filter: Filter }) =>
    (
      await ask<{ operationsSeries: SeriesDay[] }>(
        token,
        `query ($from: String!, $to: String!, $filter: OperationsFilter) {
          operationsSeries(from: $from, to: $to, filter: $filter) { date booked delivered deliveredOnTime failedAttempts } }`,
        args,
      )
    ).operationsSeries;

  const createStaff = async (role: string, email: string, officeId: string) => {
    await ask(adminToken, 'mutation ($input: CreateStaffUserInput!, $key: String!) { createStaffUser(input: $input, idempotencyKey: $key) { id } }', {
      input: { name: `Dashboard ${role.toLowerCase()}`, email, password: PASSWORD, role, officeId },
      key: `dashboard-staff-${role}`,
    });
  };

  // --- the page ----------------------------------------------------------------------------------------------

  const state = (page: Page): Promise<PageView> =>
    page.evaluate(() => {
      const hook = (globalThis as unknown as { dakgraphDashboard: PageView }).dakgraphDashboard;
      return { status: hook.status, chartsDrawn: hook.chartsDrawn, level: hook.level, view: hook.view };
    });

  /**
   * Waits for the page to have drawn the view whose key starts with `prefix` (level:scope id:from:to), its
   * charts' animations finished (a screenshot then shows the final picture).
   */
  async function waitForView(page: Page, prefix: string): Promise<NonNullable<PageView['view']>> {
    await page
      .waitForFunction(
        (expected) => {
          const hook = (globalThis as unknown as { dakgraphDashboard?: PageView }).dakgraphDashboard;
          return hook?.status === 'ready' && hook.chartsDrawn && (hook.view?.key.startsWith(expected) ?? false);
        },
        prefix,
        { timeout: 30_000 },
      )
      .catch(async (error: unknown) => {
        const now = await state(page);
        const message = await page.locator('#board-error').textContent();
        throw new Error(`the page did not show ${prefix}: it is ${JSON.stringify(now)}, error ${JSON.stringify(message)} (${String(error)})`);
      });
    return (await state(page)).view!;
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${graph.origin}/dashboard`);
    expect(await page.title()).toBe('dakgraph · Operations dashboard');
    await page.locator('#signin-email').fill(email);
    await page.locator('#signin-password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const chart = (page: Page, name: 'groups' | 'series'): Promise<ChartNumbers> => 
    page.evaluate((which) => (globalThis as unknown as { dakgraphDashboard: Hook }).dakgraphDashboard.chart(which), name);

  /** The page's totals: the raw value behind each figure, and the text shown. */
  const totals = (page: Page) =>
    page.locator('#totals [data-figure]').evaluateAll((elements) =>
      elements.map((el) => {
        const e = el as unknown as { getAttribute(name: string): string | null; querySelector(s: string): { textContent: string | null } | null };
        return { figure: e.getAttribute('data-figure')!, value: e.getAttribute('data-value')!, text: e.querySelector('dd')?.textContent ?? '' };
      }),
    );

  /** The worst-offices table: office id and on-time share of each row. */
  const worstRows = (page: Page) =>
    page.locator('#worst tbody tr').evaluateAll((rows) =>
      rows.map((row) => {
        const r = row as unknown as { getAttribute(name: string): string | null; querySelector(s: string): { getAttribute(name: string): string | null } | null };
        return { officeId: r.getAttribute('data-office-id'), share: r.querySelector('[data-share]')?.getAttribute('data-share') ?? null };
      }),
    );

  /** Checks everything a view shows against the graph, asked directly with `token` for the same days and scope. */
  async function expectViewMatchesGraph(page: Page, token: string, expected: { groupBy: string; filter: Filter; bars: number }): Promise<Row[]> {
    const view = (await state(page)).view!;
    const groups = await report(token, { from: view.from, to: view.to, groupBy: expected.groupBy, filter: expected.filter, orderBy: 'MOST_BOOKED', first: expected.bars });
    const label = (row: Row) => row.office?.name ?? row.division?.name ?? row.circle?.name ?? row.groupId;
    expect(await chart(page, 'groups')).toEqual({
      categories: groups.nodes.map(label),
      series: [
        { name: 'Booked', data: groups.nodes.map((row) => row.booked) },
        { name: 'Delivered', data: groups.nodes.map((row) => row.delivered) },
        { name: 'Delivered on time', data: groups.nodes.map((row) => row.deliveredOnTime) },
      ],
    });

    const days = await series(token, { from: view.seriesFrom, to: view.seriesTo, filter: expected.filter });
    expect(days).toHaveLength(30);
    expect(await chart(page, 'series')).toEqual({
      categories: days.map((day) => day.date.slice(5)),
      series: [
        { name: 'Booked', data: days.map((day) => day.booked) },
        { name: 'Delivered', data: days.map((day) => day.delivered) },
        { name: 'Delivered on time', data: days.map((day) => day.deliveredOnTime) },
        { name: 'Failed attempts', data: days.map((day) => day.failedAttempts) },
      ],
    });

    const [nation] = (await report(token, { from: view.from, to: view.to, groupBy: 'NATION', filter: expected.filter, orderBy: 'GROUP', first: 1 })).nodes;
    const shown = new Map((await totals(page)).map((t) => [t.figure, t]));
    for (const figure of ['booked', 'delivered', 'deliveredOnTime', 'failedAttempts', 'returned', 'revenuePaise', 'gstPaise', 'codCollectedPaise', 'codRemittedPaise'] as const) {
      expect([figure, Number(shown.get(figure)?.value)]).toEqual([figure, nation?.[figure] ?? 0]);
    }
    expect(shown.get('revenuePaise')?.text).toBe(rupees(nation?.revenuePaise ?? 0));
    expect(shown.get('onTimeShare')?.value).toBe(nation?.onTimeShare == null ? '' : String(nation.onTimeShare));

    const worst = await report(token, { from: view.from, to: view.to, groupBy: 'OFFICE', filter: expected.filter, orderBy: 'WORST_ON_TIME', first: 10 });
    expect(await worstRows(page)).toEqual(worst.nodes.map((row) => ({ officeId: row.office!.id, share: String(row.onTimeShare) })));
    return groups.nodes;
  }

  const clickBarRow = async (page: Page, index: number): Promise<void> => {
    const point = await page.evaluate((i) => (globalThis as unknown as { dakgraphDashboard: Hook }).dakgraphDashboard.barRowPoint(i), index);
    if (!point) throw new Error(`the bar chart has no row ${index}`);
    await page.mouse.click(point.x, point.y);
  };

  beforeAll(async () => {
    ensureBundle('dashboard');
    mkdirSync(artifactsDir, { recursive: true });
    events = createInProcessTransport({ log: { info: () => undefined, error: () => undefined } });
    subgraphs = await startSubgraphs({ events });
    graph = await startGateway(subgraphs);
    adminToken = (await adminLogin(graph, subgraphs.db, PASSWORD)).token;
    const demo = await runDemoDay({
      gatewayUrl: graph.url,
      admin: { email: ADMIN_EMAIL, password: PASSWORD },
      articles: DEMO_ARTICLES,
      seed: 13,
      pspCallbackSecret: TEST_PSP_CALLBACK_SECRET,
      log: () => undefined,
    });
    await createStaff('ANALYST', ANALYST_EMAIL, '110001-baroda-house');
    await createStaff('COUNTER_CLERK', CLERK_EMAIL, '110001-baroda-house');
    analystToken = (await staffLogin(graph, ANALYST_EMAIL, PASSWORD)).token;
    // The rollups follow the work through domain events, a moment behind it: wait until the day's figures are
    // the demo's own count of what it did, and then stop moving (remittances and the like come last).
    const expected = {
      booked: demo.booked.total,
      delivered: demo.delivered,
      failedAttempts: demo.failedAttempts.total,
      returned: demo.returned,
      codCollectedPaise: demo.codCollectedPaise,
    };
    let last = '';
    let unchanged = 0;
    let seen: unknown = null;
    await until(
      `the analytics rollups of the demo day to reach ${JSON.stringify(expected)}`,
      async () => {
        const [nation] = (await report(analystToken, { from: demo.day, to: demo.day, groupBy: 'NATION', filter: null, orderBy: 'GROUP', first: 1 })).nodes;
        seen = nation;
        const now = JSON.stringify(nation ?? null);
        unchanged = now === last ? unchanged + 1 : 0;
        last = now;
        const caughtUp = nation !== undefined && Object.entries(expected).every(([figure, value]) => nation[figure as keyof typeof expected] === value);
        if (caughtUp && unchanged >= 3) return true;
        await new Promise((resolve) => setTimeout(resolve, 250));
        return false;
      },
      120_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; the graph says ${JSON.stringify(seen)}`);
    });
    browser = await launchBrowser();
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await graph?.stop();
    await subgraphs?.stop();
    await events?.close();
  }, 180_000);

  it('signs an analyst in, draws the graph’s numbers, and drills to a circle and a division', async () => {
    const { page, blockedRequests, pageErrors, consoleErrors } = browser!;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, ANALYST_EMAIL);
    const today = istDay();
    const nationView = await waitForView(page, `nation:nation:${today}:${today}`);
    expect(nationView).toMatchObject({ from: today, to: today, seriesFrom: addDays(today, -29), seriesTo: today });
    await page.screenshot({ path: path.join(artifactsDir, 'dashboard.png'), fullPage: true });

    const circles = await expectViewMatchesGraph(page, analystToken, { groupBy: 'CIRCLE', filter: null, bars: 100 });
    expect(circles.length).toBeGreaterThan(1); // the demo day spreads over several circles
    expect(circles.reduce((sum, row) => sum + row.booked, 0)).toBeGreaterThan(0);
    expect((await page.locator('.breadcrumb').innerText()).trim()).toBe('All India');

    // Click the busiest circle's row of the bar chart.
    const circle = circles[0]!.circle!;
    await clickBarRow(page, 0);
    await waitForView(page, `circle:${circle.id}:`);
    const divisions = await expectViewMatchesGraph(page, analystToken, { groupBy: 'DIVISION', filter: { circle: circle.id }, bars: 100 });
    expect(divisions.length).toBeGreaterThan(0);
    expect(await page.locator('.breadcrumb li').allInnerTexts()).toEqual(['All India', circle.name]);
    await page.screenshot({ path: path.join(artifactsDir, 'dashboard-circle.png'), fullPage: true });

    // Then its busiest division's: its offices.
    const division = divisions[0]!.division!;
    await clickBarRow(page, 0);
    await waitForView(page, `division:${division.id}:`);
    const offices = await expectViewMatchesGraph(page, analystToken, { groupBy: 'OFFICE', filter: { division: division.id }, bars: 25 });
    expect(offices.length).toBeGreaterThan(0);
    expect(await page.locator('.breadcrumb li').allInnerTexts()).toEqual(['All India', circle.name, division.name]);
    await page.screenshot({ path: path.join(artifactsDir, 'dashboard-division.png'), fullPage: true });
    // The offices are the bottom: a click there changes nothing.
    await clickBarRow(page, 0);
    expect((await state(page)).view?.key.startsWith(`division:${division.id}:`)).toBe(true);

    // Back by the breadcrumb, to the circle and to the nation.
    await page.locator('.breadcrumb').getByRole('button', { name: circle.name }).click();
    await waitForView(page, `circle:${circle.id}:`);
    await page.locator('.breadcrumb').getByRole('button', { name: 'All India' }).click();
    await waitForView(page, 'nation:');

    // The worst-offices table drills too: its first row's division, then that row's circle.
    const worst = (await report(analystToken, { from: today, to: today, groupBy: 'OFFICE', filter: null, orderBy: 'WORST_ON_TIME', first: 10 })).nodes;
    expect(worst.length).toBeGreaterThan(0); // the demo day delivers something
    await page.locator('#worst tbody tr').first().locator('[data-drill="division"]').click();
    await waitForView(page, `division:${worst[0]!.division!.id}:`);
    await expectViewMatchesGraph(page, analystToken, { groupBy: 'OFFICE', filter: { division: worst[0]!.division!.id }, bars: 25 });
    await page.locator('#worst tbody tr').first().locator('[data-drill="circle"]').click();
    await waitForView(page, `circle:${worst[0]!.circle!.id}:`);

    // Another range: the last 7 days, same checks.
    await page.locator('.breadcrumb').getByRole('button', { name: 'All India' }).click();
    await waitForView(page, 'nation:');
    await page.locator('#range-preset').selectOption('last7');
    await waitForView(page, `nation:nation:${addDays(today, -6)}:${today}`);
    await expectViewMatchesGraph(page, analystToken, { groupBy: 'CIRCLE', filter: null, bars: 100 });

    // Offline and CSP-clean all along: nothing was fetched from elsewhere, nothing refused, nothing thrown.
    expect(blockedRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('shows the graph’s FORBIDDEN message to staff who may not read reports', async () => {
    const { context, consoleErrors } = browser!;
    const page = await context.newPage();
    try {
      const clerkToken = (await staffLogin(graph, CLERK_EMAIL, PASSWORD)).token;
      const today = istDay();
      const refused = await graph.post(
        { query: 'query ($d: String!) { operationsReport(from: $d, to: $d) { totalCount } }', variables: { d: today } },
        { authorization: `Bearer ${clerkToken}` },
      );
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const before = consoleErrors.length;
      await signIn(page, CLERK_EMAIL);
      await page.waitForFunction(() => (globalThis as unknown as { dakgraphDashboard: PageView }).dakgraphDashboard.status === 'error');
      expect(await page.locator('#board-error').innerText()).toBe(refused.body.errors[0].message);
      expect(await page.locator('#panels').isHidden()).toBe(true);
      await page.screenshot({ path: path.join(artifactsDir, 'dashboard-forbidden.png') });
      // The browser logs the failed request's status (the graph answers 200 with errors), never a CSP report.
      expect(consoleErrors.slice(before).filter((m) => /Content Security Policy/i.test(m))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  // Control for the "no CSP report" checks above: the policy is enforced, and a refusal does reach consoleErrors.
  it('refuses inline styles and scripts on the page (its CSP at work)', async () => {
    const { context, consoleErrors, blockedRequests } = browser!;
    const page = await context.newPage();
    try {
      await page.goto(`${graph.origin}/dashboard`);
      await page.locator('#signin').waitFor();
      const before = consoleErrors.length;
      const applied = await page.evaluate(() => {
        const { document, getComputedStyle } = globalThis as unknown as {
          document: { createElement(tag: string): { textContent: string; setAttribute(n: string, v: string): void }; body: { append(...nodes: unknown[]): void } };
          getComputedStyle(el: unknown): { color: string };
        };
        const style = document.createElement('style');
        style.textContent = '#probe { color: rgb(1, 2, 3) }';
        const probe = document.createElement('p');
        probe.setAttribute('id', 'probe');
        const script = document.createElement('script');
        script.textContent = '(globalThis).inlineScriptRan = true';
        document.body.append(style, probe, script);
        return { color: getComputedStyle(probe).color, ran: (globalThis as { inlineScriptRan?: boolean }).inlineScriptRan === true };
      });
      expect(applied).toEqual({ color: expect.not.stringMatching(/rgb\(1, 2, 3\)/), ran: false });
      await until('the CSP reports', async () => consoleErrors.length >= before + 2, 5_000);
      // Chromium's words vary by version ("Refused to apply inline style ...", "Applying inline style violates
      // ..."); each names the Content Security Policy and the directive.
      expect(consoleErrors.slice(before)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/Content Security Policy[\s\S]*style-src 'self'/),
          expect.stringMatching(/Content Security Policy[\s\S]*script-src 'self'/),
        ]),
      );
      expect(blockedRequests).toEqual([]);
    } finally {
      consoleErrors.splice(0); // expected reports; later checks start clean
      await page.close();
    }
  });

  it('lands a supervisor on their own division', async () => {
    const today = istDay();
    // A supervisor of an office that delivered today, so the division has figures and worst offices.
    const [office] = (await report(analystToken, { from: today, to: today, groupBy: 'OFFICE', filter: null, orderBy: 'WORST_ON_TIME', first: 1 })).nodes;
    await createStaff('SUPERVISOR', SUPERVISOR_EMAIL, office!.office!.id);
    const supervisorToken = (await staffLogin(graph, SUPERVISOR_EMAIL, PASSWORD)).token;
    const page = await browser!.context.newPage();
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await signIn(page, SUPERVISOR_EMAIL);
      await waitForView(page, `division:${office!.division!.id}:${today}:${today}`);
      expect(await page.locator('.breadcrumb li').allInnerTexts()).toEqual([office!.circle!.name, office!.division!.name]);
      await expectViewMatchesGraph(page, supervisorToken, { groupBy: 'OFFICE', filter: { division: office!.division!.id }, bars: 25 });
      // The circle is not a link for a supervisor (the graph would refuse it); the division is.
      expect(await page.locator('#worst tbody tr').count()).toBeGreaterThan(0);
      expect(await page.locator('#worst [data-drill="circle"]').count()).toBe(0);
      expect(await page.locator('#worst [data-drill="division"]').count()).toBe(await page.locator('#worst tbody tr').count());
      await page.screenshot({ path: path.join(artifactsDir, 'dashboard-supervisor.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});

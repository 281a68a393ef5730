/**
 * Headless Chromium for tests, through playwright-core and the system's Chromium (Debian's /usr/bin/chromium;
 * `npx playwright install` cannot download browsers here). Every request to a host other than this machine is
 * aborted and recorded, so a test can prove a page works offline.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** CHROMIUM_PATH if set, else Debian's package path. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath());
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface BrowserSession {
  context: BrowserContext;
  /** The persistent context's first tab. */
  page: Page;
  /** URLs the page tried to load from anywhere but 127.0.0.1/localhost (all of them were aborted). */
  blockedRequests: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** console.error messages, including CSP violation reports ("Refused to ..."). */
  consoleErrors: string[];
  /** Closes Chromium and removes its profile folder. */
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. Install it with \`apt-get install -y chromium\` ` +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  // A fresh profile every time: no cookies, cache or GraphiQL tabs (localStorage) leak between runs.
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'dakgraph-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }

  const blockedRequests: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    let allowed = false;
    try {
      const { protocol, hostname } = new URL(url);
      allowed = (protocol === 'http:' || protocol === 'https:') && LOCAL_HOSTS.has(hostname);
    } catch {
      allowed = false;
    }
    if (allowed) {
      await route.continue();
    } else {
      blockedRequests.push(url);
      await route.abort('blockedbyclient');
    }
  });

  const watch = (page: Page): void => {
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());

  let closed = false;
  return {
    context,
    page,
    blockedRequests,
    pageErrors,
    consoleErrors,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

const QUERY_EDITOR = '.graphiql-query-editor .CodeMirror';
const RESPONSE_EDITOR = '.graphiql-response .CodeMirror';
const RESULT_WINDOW = '.graphiql-response .result-window';
const EXECUTE_BUTTON = 'button.graphiql-execute-button';

/** CodeMirror 5 keeps its editor object on the wrapper element. (No DOM lib in this tsconfig, hence no `Element`.) */
interface CodeMirrorElement {
  CodeMirror?: { getValue(): string; setValue(value: string): void };
}

/** The text of GraphiQL's query editor (waits for the editor to exist). */
export async function getQueryInGraphiql(page: Page): Promise<string> {
  await page.locator(QUERY_EDITOR).waitFor({ state: 'attached' });
  return page.locator(QUERY_EDITOR).evaluate((el) => {
    const cm = (el as unknown as CodeMirrorElement).CodeMirror;
    if (!cm) throw new Error('the query editor has no CodeMirror instance');
    return cm.getValue();
  });
}

/**
 * Runs a query in GraphiQL (v4, CodeMirror 5) and returns the response pane's text.
 * Without `query` it runs whatever the editor holds (on a first visit, the default query).
 */
export async function runQueryInGraphiql(page: Page, query?: string, options: { timeout?: number } = {}): Promise<string> {
  const timeout = options.timeout ?? 15_000;
  await page.locator(QUERY_EDITOR).waitFor({ state: 'attached', timeout });
  if (query !== undefined) {
    await page.locator(QUERY_EDITOR).evaluate((el, text) => {
      const cm = (el as unknown as CodeMirrorElement).CodeMirror;
      if (!cm) throw new Error('the query editor has no CodeMirror instance');
      cm.setValue(text);
    }, query);
  }
  // Clear an earlier response, so that waiting for text below waits for this run's response.
  const response = page.locator(RESPONSE_EDITOR);
  if ((await response.count()) > 0) {
    await response.evaluate((el) => (el as unknown as CodeMirrorElement).CodeMirror?.setValue(''));
  }
  await page.locator(EXECUTE_BUTTON).click({ timeout });
  // Wait on the response editor's value, not on the pane's text: CodeMirror renders an empty document as a
  // zero-width space, which a "has non-blank text" check takes for an answer (that made this flaky under load).
  await page.waitForFunction(
    (selector) => {
      const { document } = globalThis as unknown as { document: { querySelector(s: string): unknown } };
      const el = document.querySelector(selector) as CodeMirrorElement | null;
      return (el?.CodeMirror?.getValue() ?? '').trim().length > 0;
    },
    RESPONSE_EDITOR,
    { timeout },
  );
  return page.locator(RESULT_WINDOW).innerText();
}

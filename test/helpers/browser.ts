import { afterAll, beforeAll, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './app.js';

/** Debian's Chromium; the browser tests are excluded by vitest.config.ts when it is missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const require = createRequire(import.meta.url);
let axeAddress: Promise<string> | undefined;

/**
 * Where pages load axe-core from: a server of this worker's own, answering with the installed
 * package's script, cacheable. Chromium keeps the code it compiled from a cached script, so a
 * page no longer parses half a megabyte of script again (injected inline, that was about an
 * eighth of the browser tests' CPU time). The pages' own policy does not allow the script;
 * newPersonContext bypasses it.
 */
function axeScriptUrl(): Promise<string> {
  axeAddress ??= new Promise((resolve, reject) => {
    const script = readFileSync(require.resolve('axe-core/axe.min.js'));
    const server = createServer((_request, response) => {
      response.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=86400, immutable',
      });
      response.end(script);
    });
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}/axe.min.js`);
    });
  });
  return axeAddress;
}

/** Launches headless Chromium with no background traffic, so runs are quiet and repeatable. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh context (its own cookies: one per person in a story). bypassCSP lets axe be
 * injected as an inline script despite the app's strict script-src policy.
 */
export function newPersonContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    bypassCSP: true,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
}

/** The WCAG 2.2 AA rule set: the level public sector bodies must meet. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

/**
 * GOV.UK Frontend's conditional reveal sets aria-expanded on the radio or checkbox that
 * reveals content. ARIA does not allow it on those roles, so axe reports aria-allowed-attr,
 * but the Design System keeps it on purpose after testing with screen reader users: a known,
 * accepted issue (https://github.com/alphagov/govuk-frontend/issues/979). Only that exact
 * finding is set aside; any other attribute, rule or element still fails.
 */
export function isKnownGovukFrontendIssue(
  violationId: string,
  node: AxeViolation['nodes'][number],
): boolean {
  if (violationId !== 'aria-allowed-attr') return false;
  if (
    !/^<input class="govuk-(radios|checkboxes)__input"[^>]* aria-controls="conditional-[^"]+"/.test(
      node.html,
    )
  )
    return false;
  const problems = (node.failureSummary ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^Fix (all|any) of the following:$/.test(line));
  return (
    problems.length > 0 &&
    problems.every((line) =>
      /^ARIA attribute is not allowed: aria-expanded="(true|false)"$/.test(line),
    )
  );
}

/** Runs axe-core on the page as it is now and returns the WCAG A/AA violations. */
export async function axeViolations(
  page: Page,
  options: { includeKnownIssues?: boolean } = {},
): Promise<AxeViolation[]> {
  const all = await runAxe(page);
  if (options.includeKnownIssues) return all;
  return all
    .map((v) => ({ ...v, nodes: v.nodes.filter((node) => !isKnownGovukFrontendIssue(v.id, node)) }))
    .filter((v) => v.nodes.length > 0);
}

async function runAxe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(
    () => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined',
  );
  if (!loaded) await page.addScriptTag({ url: await axeScriptUrl() });
  return page.evaluate(
    async (tags) => {
      const axe = (
        window as unknown as {
          axe: {
            run: (context: Document, options: unknown) => Promise<{ violations: AxeViolation[] }>;
          };
        }
      ).axe;
      const results = await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
          target: n.target,
          html: n.html,
          failureSummary: n.failureSummary,
        })),
      }));
    },
    [...AXE_TAGS],
  );
}

/** A readable account of violations, for an assertion message. */
export function describeViolations(url: string, violations: AxeViolation[]): string {
  const lines = [`${violations.length} accessibility violation(s) on ${url}:`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact ?? 'n/a'}): ${v.help} <${v.helpUrl}>`);
    for (const node of v.nodes) {
      lines.push(`    target ${JSON.stringify(node.target)}: ${node.html.slice(0, 200)}`);
      if (node.failureSummary)
        lines.push(`      ${node.failureSummary.replace(/\n/g, '\n      ')}`);
    }
  }
  return lines.join('\n');
}

/** Throws, listing every violation, unless the page has none (known GOV.UK Frontend issue aside). */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) throw new Error(describeViolations(page.url(), violations));
}

/**
 * Checks every page a journey visits against WCAG 2.2 A and AA, recording each failure softly so
 * the test reports all of them at the end, and keeps the list of pages checked.
 */
export function accessibilityChecker() {
  const checkedPages: string[] = [];
  async function checkAccessibility(page: Page, label: string): Promise<void> {
    await page.waitForLoadState('load');
    const violations = await axeViolations(page);
    checkedPages.push(`${label}: ${page.url()}`);
    expect.soft(violations, describeViolations(`${label} (${page.url()})`, violations)).toEqual([]);
  }
  /** Performs an action that navigates, waits for the new page to load, then checks it. */
  async function navigate(
    page: Page,
    label: string,
    action: () => Promise<unknown>,
  ): Promise<void> {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 15_000 }), action()]);
    await checkAccessibility(page, label);
  }
  return { checkedPages, checkAccessibility, navigate };
}

/** What a browser test's describe block works with; set before its tests run. */
export interface BrowserSession {
  app: TestApp;
  browser: Browser;
  /** One person's cookies. */
  context: BrowserContext;
  page: Page;
}

/**
 * The app, Chromium and one person's context and page for the describe block it is called in:
 * started before its tests (the app by `start`, by default `startTestApp()`), closed after them.
 * Read the fields inside tests and hooks, once they are set.
 *
 * @example const session = browserSession();
 *          it('…', async () => { await session.page.goto('/'); });
 */
export function browserSession(start: () => Promise<TestApp> = startTestApp): BrowserSession {
  const session = {} as BrowserSession;
  beforeAll(async () => {
    session.app = await start();
    session.browser = await launchBrowser();
    session.context = await newPersonContext(session.browser, session.app.baseUrl);
    session.page = await session.context.newPage();
  }, 60_000);
  afterAll(async () => {
    await session.context?.close();
    await session.browser?.close();
    await session.app?.close();
  }, 40_000);
  return session;
}

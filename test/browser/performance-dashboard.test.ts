import { describe, expect, it } from 'vitest';
import { accessibilityChecker, browserSession } from '../helpers/browser.js';
import { aSignedInCitizen } from '../helpers/citizens.js';
import { applyForBulkyWaste } from '../helpers/journeys.js';

const session = browserSession();

describe('the performance dashboards in a browser', () => {
  it('feedback after an application, the public and staff dashboards and the register: axe-clean', async () => {
    const { page, app } = session;
    const { checkedPages, navigate } = accessibilityChecker();
    const reference = await applyForBulkyWaste((await aSignedInCitizen(app)).visitor);
    await app.platform.worker.drain();

    // Feedback, anonymously, from the link on the confirmation page.
    await navigate(page, 'feedback', () => page.goto(`/performance/feedback/${reference}`));
    await navigate(page, 'feedback, with errors', () =>
      page.getByRole('button', { name: 'Send feedback' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.getByLabel('Very satisfied').check();
    await page.getByLabel('How could we improve this service? (optional)').fill('Easy to use.');
    await navigate(page, 'thanks', () =>
      page.getByRole('button', { name: 'Send feedback' }).click(),
    );
    expect(
      await page.getByRole('heading', { name: 'Thank you for your feedback' }).isVisible(),
    ).toBe(true);

    // The public dashboards: national, one service, the data dictionary, in Welsh.
    await navigate(page, 'national dashboard', () => page.goto('/performance'));
    expect(await page.locator('svg.app-chart__svg').count()).toBeGreaterThan(2);
    await page.getByLabel('Body').selectOption({ label: 'Stroud District Council' });
    await navigate(page, 'filtered by body', () =>
      page.getByRole('button', { name: 'Show figures' }).click(),
    );
    await navigate(page, 'service dashboard', () =>
      page.getByRole('link', { name: 'Request a bulky waste collection' }).first().click(),
    );
    expect(await page.getByText('100%').first().isVisible()).toBe(true);
    await navigate(page, 'data dictionary', () => page.goto('/performance/data'));
    await navigate(page, 'Welsh dashboard', () => page.goto('/performance?lang=cy'));
    await navigate(page, 'bad dates', () => page.goto('/performance?from=2026-02-30&lang=en'));
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);

    // Stroud's service owner: the body's dashboard, unit costs and the register.
    await navigate(page, 'sign in', () => page.goto('/sign-in?returnTo=%2Fstaff%2Fperformance'));
    await page.getByLabel('E-mail address').fill('owner@stroud.example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill('demo-stroud-service-owner');
    await navigate(page, 'staff dashboard', () =>
      page.getByRole('button', { name: 'Sign in' }).click(),
    );
    expect(new URL(page.url()).pathname).toBe('/staff/performance');
    expect(await page.getByText('Easy to use.').isVisible()).toBe(true);
    await navigate(page, 'unit costs', () =>
      page.getByRole('link', { name: 'Unit costs by channel' }).click(),
    );
    await page.getByLabel('Online', { exact: true }).fill('a lot');
    await navigate(page, 'unit costs, with errors', () =>
      page.getByRole('button', { name: 'Save unit costs' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.getByLabel('Online', { exact: true }).fill('0.20');
    await page.getByLabel('Phone').fill('3.50');
    await navigate(page, 'dashboard after costs', () =>
      page.getByRole('button', { name: 'Save unit costs' }).click(),
    );
    await navigate(page, 'register', () =>
      page.getByRole('link', { name: 'E-enablement register (BVPI 157)' }).click(),
    );
    await navigate(page, 'register line', () =>
      page
        .getByRole('link', { name: /Change/ })
        .first()
        .click(),
    );
    await page.getByLabel('Exempt for a legal reason').check();
    await navigate(page, 'register line, with errors', () =>
      page.getByRole('button', { name: 'Save' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.getByLabel('Reason for the exemption').fill('The law requires a signature in ink.');
    await navigate(page, 'register saved', () =>
      page.getByRole('button', { name: 'Save' }).click(),
    );
    expect(await page.getByText('The register line was saved.').isVisible()).toBe(true);
    expect(checkedPages.length).toBeGreaterThanOrEqual(16);
  }, 180_000);
});

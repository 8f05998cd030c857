import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/main/seed.js';
import { accessibilityChecker, browserSession } from '../helpers/browser.js';

const OWNER = DEMO_ACCOUNTS.find((a) => a.email === 'owner@stroud.example.gov.uk')!;
const SLUG = 'hire-a-community-hall';

describe('a Stroud service owner adds, edits and publishes a service in a browser', () => {
  const session = browserSession();
  /** Every page the story visits is checked against WCAG 2.2 A and AA; all failures are reported at the end. */
  const { checkedPages, navigate } = accessibilityChecker();

  const heading = () => session.page.locator('h1').textContent();
  const banner = () => session.page.locator('.govuk-notification-banner').textContent();

  it(
    'adds a service as a draft, completes it, publishes it and sees its history and public page, with no accessibility violations',
    { timeout: 120_000 },
    async () => {
      await navigate(session.page, 'sign in', () =>
        session.page.goto('/sign-in?returnTo=%2Fcatalogue%2Fstaff'),
      );
      await session.page.getByLabel('E-mail address').fill(OWNER.email);
      await session.page.getByLabel('Password', { exact: true }).fill(OWNER.password);
      await navigate(session.page, 'staff list', () =>
        session.page.getByRole('button', { name: 'Sign in' }).click(),
      );
      await expect.poll(heading).toBe('Your services');

      await navigate(session.page, 'add a service', () =>
        session.page.getByRole('button', { name: 'Add a service' }).click(),
      );
      await expect.poll(heading).toBe('Add a service');
      await navigate(session.page, 'add a service with errors', () =>
        session.page.getByRole('button', { name: 'Add the service as a draft' }).click(),
      );
      const summary = session.page.locator('.govuk-error-summary');
      await expect
        .poll(() => summary.textContent())
        .toContain('Enter the web address of the service');
      expect(await summary.textContent()).toContain('Enter the title in English');
      await summary.getByRole('link', { name: 'Enter the web address of the service' }).click();
      await expect.poll(() => session.page.evaluate(() => document.activeElement?.id)).toBe('slug');

      await session.page.getByLabel('Web address').fill(SLUG);
      await session.page.getByLabel('Title in English').fill('Hire a community hall');
      await session.page
        .getByLabel('Summary in English')
        .fill('Book one of Stroud’s community halls for a meeting or a party.');
      await session.page.getByLabel('Citizens and businesses', { exact: true }).check();
      expect(await session.page.getByLabel('Which tier of body provides it?').inputValue()).toBe(
        'district',
      );
      await session.page.getByLabel('Service key (optional)').fill('hire-a-community-hall');
      await navigate(session.page, 'edit the new draft', () =>
        session.page.getByRole('button', { name: 'Add the service as a draft' }).click(),
      );
      await expect.poll(heading).toBe('Edit service');
      await expect.poll(banner).toContain('The service is added as a draft');
      // Nobody outside sees the draft.
      expect((await fetch(`${session.app.baseUrl}/services/${SLUG}`)).status).toBe(404);

      await session.page
        .getByLabel('Title in Welsh', { exact: true })
        .fill('Llogi neuadd gymunedol');
      await session.page.getByLabel('Online on this site').check();
      await navigate(session.page, 'draft saved', () =>
        session.page.getByRole('button', { name: 'Save as draft' }).click(),
      );
      await expect.poll(banner).toContain('Your changes are saved as a draft');
      await navigate(session.page, 'published', () =>
        session.page.getByRole('button', { name: 'Publish the draft' }).click(),
      );
      await expect.poll(banner).toContain('Published as version 1.');
      const editPath = new URL(session.page.url()).pathname;

      await navigate(session.page, 'change history', () =>
        session.page.getByRole('link', { name: 'See the change history' }).click(),
      );
      await expect.poll(heading).toBe('Change history');
      expect(await session.page.locator('table').innerText()).toMatch(
        /1\s+.*Priya Owner\s+Hire a community hall/s,
      );

      await navigate(session.page, 'public page', () => session.page.goto(`/services/${SLUG}`));
      await expect.poll(heading).toContain('Hire a community hall');
      expect(await session.page.locator('main').innerText()).toContain(
        'Book one of Stroud’s community halls',
      );

      // The same key pages in Welsh.
      await navigate(session.page, 'staff list in Welsh', () =>
        session.page.goto('/catalogue/staff?lang=cy'),
      );
      await expect.poll(heading).toBe('Eich gwasanaethau');
      await navigate(session.page, 'add a service in Welsh', () =>
        session.page.getByRole('button', { name: 'Ychwanegu gwasanaeth' }).click(),
      );
      await expect.poll(heading).toBe('Ychwanegu gwasanaeth');
      await navigate(session.page, 'add a service with errors in Welsh', () =>
        session.page.getByRole('button', { name: 'Ychwanegu’r gwasanaeth fel drafft' }).click(),
      );
      await expect.poll(() => summary.textContent()).toContain('Rhowch gyfeiriad gwe’r gwasanaeth');
      await navigate(session.page, 'edit in Welsh', () => session.page.goto(editPath));
      await expect.poll(heading).toBe('Golygu gwasanaeth');
      await navigate(session.page, 'change history in Welsh', () =>
        session.page.goto(`${editPath}/history`),
      );
      await expect.poll(heading).toBe('Hanes y newidiadau');
      await navigate(session.page, 'public page in Welsh', () =>
        session.page.goto(`/services/${SLUG}`),
      );
      await expect.poll(heading).toContain('Llogi neuadd gymunedol');

      expect(checkedPages.length).toBeGreaterThanOrEqual(15);
    },
  );
});

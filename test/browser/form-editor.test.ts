import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/main/seed.js';
import { accessibilityChecker, browserSession } from '../helpers/browser.js';

const OWNER = DEMO_ACCOUNTS.find((a) => a.email === 'owner@stroud.example.gov.uk')!;

describe('a Stroud service owner edits the bulky waste form in a browser', () => {
  const session = browserSession();
  /** Every page the story visits is checked against WCAG 2.2 A and AA; all failures are reported at the end. */
  const { checkedPages, navigate } = accessibilityChecker();

  const heading = () => session.page.locator('h1').textContent();
  const banner = () => session.page.locator('.govuk-notification-banner').textContent();
  const editor = () => session.page.getByLabel('The form as JSON');
  const preview = () => session.page.locator('#form-preview').innerText();

  it(
    'previews the form in English and Welsh, shows a JSON error in the error summary, and publishes the fix as version 2, with no accessibility violations',
    { timeout: 120_000 },
    async () => {
      await navigate(session.page, 'sign in', () =>
        session.page.goto('/sign-in?returnTo=%2Fforms%2Fstaff'),
      );
      await session.page.getByLabel('E-mail address').fill(OWNER.email);
      await session.page.getByLabel('Password', { exact: true }).fill(OWNER.password);
      await navigate(session.page, 'forms list', () =>
        session.page.getByRole('button', { name: 'Sign in' }).click(),
      );
      await expect.poll(heading).toBe('Your services’ forms');
      expect(await session.page.locator('table').innerText()).toMatch(
        /Request a bulky waste collection[\s\S]*Version 1/,
      );

      await navigate(session.page, 'editor', () =>
        session.page.getByRole('link', { name: 'Request a bulky waste collection' }).click(),
      );
      await expect.poll(heading).toBe('Edit the form: Request a bulky waste collection');
      const original = await editor().inputValue();
      expect(original).toContain('"key": "bulky-waste"');
      expect(await preview()).toContain('What do you want collected?');

      await navigate(session.page, 'checked and previewed', () =>
        session.page.getByRole('button', { name: 'Check and preview' }).click(),
      );
      await expect.poll(banner).toContain('No problems found');
      expect(await preview()).toContain('When would you like the collection?');
      // Nothing in the preview can be filled in.
      expect(
        await session.page.locator('#form-preview').getByLabel('Sofa or armchair').isDisabled(),
      ).toBe(true);

      await navigate(session.page, 'preview in Welsh', () =>
        session.page.getByRole('button', { name: 'Show the preview in Welsh' }).click(),
      );
      await expect
        .poll(() => session.page.locator('#preview').textContent())
        .toBe('Preview in Welsh');
      expect(await preview()).toContain('Beth ydych chi eisiau i ni ei gasglu?');
      expect(await preview()).toContain('Soffa neu gadair freichiau');

      // A comma goes missing: the error summary says where, and takes the owner there.
      await editor().fill(original.replace('"key": "bulky-waste",', '"key": "bulky-waste"'));
      await navigate(session.page, 'JSON error', () =>
        session.page.getByRole('button', { name: 'Check and preview' }).click(),
      );
      const summary = session.page.locator('.govuk-error-summary');
      await expect
        .poll(() => summary.textContent())
        .toContain('Line 3, column 3: expected a comma (,) or a closing }');
      await summary.getByRole('link').first().click();
      await expect
        .poll(() => session.page.evaluate(() => document.activeElement?.id))
        .toBe('definition');

      // Fixed, and changed: with JavaScript the preview follows the typing.
      const changed = original
        .replace(
          '"en": "What do you want collected?"',
          '"en": "Which items do you want collected?"',
        )
        .replace(
          '"cy": "Beth ydych chi eisiau i ni ei gasglu?"',
          '"cy": "Pa eitemau ydych chi eisiau i ni eu casglu?"',
        );
      await editor().fill(changed);
      // The preview is still in Welsh.
      await expect
        .poll(preview, { timeout: 10_000 })
        .toContain('Pa eitemau ydych chi eisiau i ni eu casglu?');

      await navigate(session.page, 'published', () =>
        session.page.getByRole('button', { name: 'Publish as version 2' }).click(),
      );
      await expect.poll(banner).toContain('Version 2 is published');
      expect(await session.page.locator('#history ~ table').innerText()).toMatch(
        /2\s+Published\s+Priya Owner/,
      );
      expect(await session.page.getByRole('button', { name: 'Publish as version 3' }).count()).toBe(
        1,
      );

      // The citizen's journey asks the new version.
      const citizen = await session.app.platform.database.db
        .selectFrom('form_definitions')
        .select(['version', 'status'])
        .where('key', '=', 'bulky-waste')
        .orderBy('version')
        .execute();
      expect(citizen).toEqual([
        { version: 1, status: 'published' },
        { version: 2, status: 'published' },
      ]);

      // The same pages in Welsh.
      await navigate(session.page, 'forms list in Welsh', () =>
        session.page.goto('/forms/staff?lang=cy'),
      );
      await expect.poll(heading).toBe('Ffurflenni eich gwasanaethau');
      await navigate(session.page, 'editor in Welsh', () =>
        session.page.goto('/forms/staff/bulky-waste'),
      );
      await expect.poll(heading).toBe('Golygu’r ffurflen: Gofyn am gasgliad gwastraff swmpus');

      expect(checkedPages.length).toBeGreaterThanOrEqual(8);
    },
  );
});

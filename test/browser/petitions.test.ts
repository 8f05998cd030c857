import { describe, expect, it } from 'vitest';
import { accessibilityChecker, browserSession, newPersonContext } from '../helpers/browser.js';
import { mailsTo } from '../helpers/outbox.js';

const session = browserSession();

describe('starting and signing a petition in a browser', () => {
  it('a citizen starts a petition, the council publishes it, someone signs and confirms it: axe-clean', async () => {
    const { page, browser, app } = session;
    const { checkedPages, checkAccessibility, navigate } = accessibilityChecker();
    const title = 'Light the towpath between Stroud and Ebley';

    // The citizen starts it.
    await navigate(page, 'sign in', () => page.goto('/sign-in?returnTo=%2Fpetitions%2Fstart'));
    await page.getByLabel('E-mail address').fill('citizen@example.com');
    await page.getByLabel('Password', { exact: true }).fill('demo-citizen-password');
    await navigate(page, 'start a petition', () =>
      page.getByRole('button', { name: 'Sign in' }).click(),
    );
    expect(new URL(page.url()).pathname).toBe('/petitions/start');
    await navigate(page, 'start, with errors', () =>
      page.getByRole('button', { name: 'Send for checking' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page
      .getByLabel('Who is your petition to?')
      .selectOption({ label: 'Stroud District Council' });
    await page.getByLabel('Title').fill(title);
    await page
      .getByLabel('What do you want them to do?')
      .fill('Put solar lights along the canal towpath between Stroud and Ebley.');
    await page
      .getByLabel('Why?')
      .fill('People walk and cycle to work there in the dark all winter.');
    await navigate(page, 'sent for checking', () =>
      page.getByRole('button', { name: 'Send for checking' }).click(),
    );
    expect(
      await page.getByRole('heading', { name: 'Petition sent for checking' }).isVisible(),
    ).toBe(true);
    await navigate(page, 'your petitions', () =>
      page.getByRole('link', { name: 'Your petitions' }).first().click(),
    );
    expect(await page.getByText('Waiting to be checked').first().isVisible()).toBe(true);

    // Stroud's caseworker publishes it.
    const staff = await newPersonContext(browser, app.baseUrl);
    const staffPage = await staff.newPage();
    try {
      await navigate(staffPage, 'staff sign in', () =>
        staffPage.goto('/sign-in?returnTo=%2Fstaff%2Fpetitions'),
      );
      await staffPage.getByLabel('E-mail address').fill('caseworker@stroud.example.gov.uk');
      await staffPage.getByLabel('Password', { exact: true }).fill('demo-stroud-caseworker');
      await navigate(staffPage, 'staff petitions', () =>
        staffPage.getByRole('button', { name: 'Sign in' }).click(),
      );
      await navigate(staffPage, 'staff: the petition', () =>
        staffPage.getByRole('link', { name: title }).click(),
      );
      await navigate(staffPage, 'staff: decision missing', () =>
        staffPage.getByRole('button', { name: 'Save decision' }).click(),
      );
      expect(await staffPage.locator('.govuk-error-summary').isVisible()).toBe(true);
      await staffPage.getByLabel('Publish it').check();
      await navigate(staffPage, 'staff: published', () =>
        staffPage.getByRole('button', { name: 'Save decision' }).click(),
      );
      expect(await staffPage.getByText('The petition is published.').isVisible()).toBe(true);
    } finally {
      await staff.close();
    }

    // Someone without an account signs it and confirms by the e-mailed link.
    const signer = await newPersonContext(browser, app.baseUrl);
    const signerPage = await signer.newPage();
    try {
      await navigate(signerPage, 'petitions', () => signerPage.goto('/petitions'));
      await navigate(signerPage, 'the petition', () =>
        signerPage.getByRole('link', { name: title }).click(),
      );
      await navigate(signerPage, 'sign', () =>
        signerPage.getByRole('button', { name: 'Sign this petition' }).click(),
      );
      await signerPage.getByLabel('Name').fill('Jo Walker');
      await signerPage.getByLabel('E-mail address').fill('jo@mailinator.com');
      await signerPage.getByLabel('Postcode').fill('GL5 4UB');
      await navigate(signerPage, 'sign, disposable address', () =>
        signerPage.getByRole('button', { name: 'Continue' }).click(),
      );
      expect(await signerPage.locator('.govuk-error-summary').isVisible()).toBe(true);
      await signerPage.getByLabel('E-mail address').fill('Jo.Walker@example.com');
      await signerPage.getByLabel('E-mail me when the body responds').check();
      await navigate(signerPage, 'check your e-mail', () =>
        signerPage.getByRole('button', { name: 'Continue' }).click(),
      );
      expect(await signerPage.getByRole('heading', { name: 'Check your e-mail' }).isVisible()).toBe(
        true,
      );
      const mail = (await mailsTo(app.platform.database.db, 'jo.walker@example.com')).at(-1);
      const link = /https?:\/\/\S+\/confirm\?token=[\w-]+/.exec(mail?.text ?? '')?.[0];
      expect(link).toBeDefined();
      await navigate(signerPage, 'confirm your signature', () =>
        signerPage.goto(new URL(link!).pathname + new URL(link!).search),
      );
      await navigate(signerPage, 'signature confirmed', () =>
        signerPage.getByRole('button', { name: 'Confirm my signature' }).click(),
      );
      expect(
        await signerPage.getByRole('heading', { name: 'Signature confirmed' }).isVisible(),
      ).toBe(true);
      await navigate(signerPage, 'the petition with a signature', () =>
        signerPage.getByRole('link', { name: 'See the petition' }).click(),
      );
      expect(await signerPage.locator('#signature-count').textContent()).toBe('1 signature');
      expect(await signerPage.getByRole('cell', { name: 'GL5', exact: true }).isVisible()).toBe(
        true,
      );
      expect(
        await signerPage.getByRole('img', { name: /signatures by postcode district/ }).count(),
      ).toBe(1);
      await navigate(signerPage, 'the petition in Welsh', () =>
        signerPage.goto(`${new URL(signerPage.url()).pathname}?lang=cy`),
      );
      expect(
        await signerPage.getByRole('heading', { name: 'Llofnodion fesul ardal' }).isVisible(),
      ).toBe(true);
      await navigate(signerPage, 'the demo petition', () => signerPage.goto('/petitions'));
      await navigate(signerPage, 'demo petition page', () =>
        signerPage.getByRole('link', { name: /Stratford Park lido/ }).click(),
      );
      await checkAccessibility(signerPage, 'done');
    } finally {
      await signer.close();
    }

    // The service owner sees the signers (audited) and the body's petition rules.
    const owner = await newPersonContext(browser, app.baseUrl);
    const ownerPage = await owner.newPage();
    try {
      await navigate(ownerPage, 'owner sign in', () =>
        ownerPage.goto('/sign-in?returnTo=%2Fstaff%2Fpetitions'),
      );
      await ownerPage.getByLabel('E-mail address').fill('owner@stroud.example.gov.uk');
      await ownerPage.getByLabel('Password', { exact: true }).fill('demo-stroud-service-owner');
      await navigate(ownerPage, 'owner: petitions', () =>
        ownerPage.getByRole('button', { name: 'Sign in' }).click(),
      );
      await navigate(ownerPage, 'owner: the petition', () =>
        ownerPage.getByRole('link', { name: title }).click(),
      );
      await navigate(ownerPage, 'owner: signers', () =>
        ownerPage.getByRole('link', { name: 'Signers' }).click(),
      );
      expect(await ownerPage.getByText('jo.walker@example.com').isVisible()).toBe(true);
      await navigate(ownerPage, 'owner: petitions again', () => ownerPage.goto('/staff/petitions'));
      await navigate(ownerPage, 'owner: rules', () =>
        ownerPage.getByRole('link', { name: 'Petition rules' }).click(),
      );
      await ownerPage.getByLabel('Signatures for a debate').fill('1');
      await navigate(ownerPage, 'owner: rules with an error', () =>
        ownerPage.getByRole('button', { name: 'Save rules' }).click(),
      );
      expect(await ownerPage.locator('.govuk-error-summary').isVisible()).toBe(true);
    } finally {
      await owner.close();
    }
    expect(checkedPages.length).toBeGreaterThanOrEqual(20);
  }, 120_000);
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../../test/helpers/citizens.js';
import { mailsTo } from '../../../../test/helpers/outbox.js';
import { authoritiesOfPostcodeDistrict } from '../../address/index.js';
import { engagementModule } from '../index.js';
import { publishConsultation } from '../consultations/commands/consultations.js';
import type { ConsultationInput } from '../consultations/schema.js';
import { moderatePetition } from '../petitions/commands/petitions.js';
import { ukToday } from '../../../platform/validation/validators.js';
import {
  tellSubscribersOfConsultation,
  tellSubscribersOfPetition,
} from './commands/subscriptions.js';
import { SUBSCRIPTIONS_PER_ADDRESS_PER_HOUR } from './pages/routes.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

// Every test's subscribers post from 127.0.0.1: each test starts with that address's hour fresh.
beforeEach(async () => {
  if (app)
    await db().deleteFrom('rate_limits').where('key', 'like', 'engagement:subscribe:%').execute();
});

async function organisationId(slug: string): Promise<string> {
  const row = await db()
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

let made = 0;

/** A pending petition to a body, straight into the table (starting one is tested by petitions). */
async function pending(slug: string, title = `Petition number ${++made} to ${slug}`) {
  const row = await db()
    .insertInto('petitions')
    .values({
      organisation_id: await organisationId(slug),
      creator_name: 'Pat Petitioner',
      title,
      action: 'Do the thing this petition asks for.',
      background: 'Because it matters to many people.',
      language: 'en',
    })
    .returning(['id', 'title'])
    .executeTakeFirstOrThrow();
  return row;
}

/** Publishes a pending petition as its body's moderators would, and runs the outbox. */
async function publish(id: string): Promise<void> {
  const done = await db()
    .transaction()
    .execute((trx) =>
      moderatePetition(
        trx,
        { userId: null, organisationId: null, role: 'caseworker' },
        id,
        { decision: 'publish' },
        new Date(),
        app.baseUrl,
      ),
    );
  expect(done).toBe(true);
  await app.platform.worker.drain();
}

/** Someone fills in the subscribe form (with the page's CSRF token). */
async function subscribeForm(fields: Record<string, string>, visitor = new Visitor(app.baseUrl)) {
  await visitor.get('/engage/subscribe');
  return visitor.post('/engage/subscribe', { kind: 'petitions', ...fields });
}

/** The path of the newest link to `/engage/subscriptions/<action>` in mail to `email`. */
async function linkIn(email: string, action: 'confirm' | 'unsubscribe'): Promise<string> {
  const mail = (await mailsTo(db(), email)).at(-1);
  const match = new RegExp(
    `https?://[^/\\s]+(/engage/subscriptions/${action}\\?token=[\\w-]+)`,
  ).exec(mail?.text ?? '');
  if (!match) throw new Error(`No ${action} link for ${email}: ${mail?.text}`);
  return match[1]!;
}

/** Follows an e-mailed link and presses its button. */
async function follow(path: string) {
  const visitor = new Visitor(app.baseUrl);
  const page = await visitor.get(path);
  expect(page.status).toBe(200);
  const token = new URL(path, app.baseUrl).searchParams.get('token')!;
  return visitor.post(path.split('?')[0]!, { token });
}

async function subscribed(fields: Record<string, string>) {
  const response = await subscribeForm(fields);
  expect(response.status, response.html).toBe(303);
  expect(response.headers.get('location')).toBe('/engage/subscribe/sent');
  const confirmed = await follow(await linkIn(fields.email!, 'confirm'));
  expect(confirmed.status, confirmed.html).toBe(200);
  expect(confirmed.html).toContain('Subscription confirmed');
}

async function newPetitionMails(email: string, title: string) {
  return (await mailsTo(db(), email)).filter((m) => m.subject === `New petition: ${title}`);
}

describe('the engagement home page', () => {
  it('lists open petitions to national bodies, is in the navigation for everyone, and in Welsh', async () => {
    const national = await pending('dwp', 'Keep the Stroud jobcentre open on Saturdays');
    await publish(national.id);
    const stillPending = await pending('cabinet-office', 'A petition nobody has checked yet');
    const visitor = new Visitor(app.baseUrl);
    const page = await visitor.get('/engage');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1 class="govuk-heading-l">Have your say</h1>');
    expect(page.html).toContain('href="/engage"');
    expect(page.html).toContain('Keep the Stroud jobcentre open on Saturdays');
    expect(page.html).toContain('To Department for Work and Pensions');
    // Local petitions only with a postcode; pending ones never.
    expect(page.html).not.toContain('Reopen the Stratford Park lido');
    expect(page.html).not.toContain(stillPending.title);
    const citizen = await aSignedInCitizen(app);
    expect((await citizen.visitor.get('/account')).html).toContain('href="/engage"');
    const welsh = await visitor.get('/engage?lang=cy');
    expect(welsh.html).toContain('Dweud eich dweud');
    expect(welsh.html).toContain('At Yr Adran Gwaith a Phensiynau');
  });

  it('with a postcode, adds the open petitions to the councils serving it, and only those', async () => {
    const stroud = await new Visitor(app.baseUrl).get('/engage?postcode=gl5+4ub');
    expect(stroud.status).toBe(200);
    expect(stroud.html).toContain('Open petitions to the councils serving GL5 4UB');
    expect(stroud.html).toContain('Reopen the Stratford Park lido for summer swimming');
    expect(stroud.html).toContain('Keep the Stroud jobcentre open on Saturdays');
    const cheltenham = await new Visitor(app.baseUrl).get('/engage?postcode=GL50%201PP');
    expect(cheltenham.status).toBe(200);
    expect(cheltenham.html).toContain(
      'There are no open petitions to the councils serving GL50 1PP.',
    );
    expect(cheltenham.html).not.toContain('Reopen the Stratford Park lido');
    expect(cheltenham.html).toContain('Keep the Stroud jobcentre open on Saturdays');
  });

  it('a bad postcode gets a 400 with an error summary and the national list still', async () => {
    for (const [typed, message] of [
      ['', 'Enter a postcode'],
      ['not a postcode', 'Enter a full UK postcode, like GL5 4UB'],
      ['ZE1 0AA', 'We cannot find the postcode ZE1 0AA'],
    ] as const) {
      const page = await new Visitor(app.baseUrl).get(
        `/engage?postcode=${encodeURIComponent(typed)}`,
      );
      expect(page.status, typed).toBe(400);
      expect(page.html).toContain('govuk-error-summary');
      expect(page.html).toContain('href="#postcode"');
      expect(page.html).toContain(message);
      expect(page.html).toContain('Keep the Stroud jobcentre open on Saturdays');
    }
    const welsh = await new Visitor(app.baseUrl).get('/engage?postcode=nope&lang=cy');
    expect(welsh.status).toBe(400);
    expect(welsh.html).toContain('Rhowch god post llawn yn y DU');
  });
});

describe('subscriptions to new petitions', () => {
  it('knows which councils a postcode district reaches', async () => {
    expect(await authoritiesOfPostcodeDistrict(db(), 'GL5')).toEqual(
      expect.arrayContaining(['E07000082', 'E10000013']),
    );
    expect(await authoritiesOfPostcodeDistrict(db(), 'GL50')).not.toContain('E07000082');
    expect(await authoritiesOfPostcodeDistrict(db(), 'gl5; drop')).toEqual([]);
  });

  it('refuses malformed and disposable addresses, an unknown body and a missing area, keeping nothing', async () => {
    const before = await db()
      .selectFrom('engagement_subscriptions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    for (const [fields, message] of [
      [
        { email: 'not-an-address', area: 'national' },
        'Enter an email address in the correct format',
      ],
      [{ email: 'burner@Mailinator.com', area: 'national' }, 'disposable addresses cannot be used'],
      [{ email: 'ok@example.com', area: '' }, 'Select near a postcode or nationally'],
      [
        { email: 'ok@example.com', area: 'postcode', postcode: 'nowhere' },
        'Enter a full UK postcode',
      ],
      [
        {
          email: 'ok@example.com',
          area: 'national',
          organisationId: '00000000-0000-0000-0000-000000000000',
        },
        'Select a body from the list',
      ],
      [
        { email: 'ok@example.com', area: 'national', kind: 'consultations', topic: 'gardening' },
        'Select a topic from the list',
      ],
      [
        { email: 'ok@example.com', area: 'national', kind: 'newsletters' },
        'Select new petitions or new consultations',
      ],
    ] as const) {
      const response = await subscribeForm(fields);
      expect(response.status).toBe(400);
      expect(response.html).toContain('govuk-error-summary');
      expect(response.html).toContain(message);
    }
    const after = await db()
      .selectFrom('engagement_subscriptions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await mailsTo(db(), 'ok@example.com')).toEqual([]);
  });

  it('e-mails confirmed subscribers a new petition that matches, once each; never the unconfirmed or others', async () => {
    const stroudId = await organisationId('stroud');
    await subscribed({ email: 'near@example.com', area: 'postcode', postcode: 'GL5 4UB' });
    await subscribed({
      email: 'Body@Example.com'.toLowerCase(),
      area: 'national',
      organisationId: stroudId,
    });
    // Two subscriptions of one address that both match: still one e-mail.
    await subscribed({ email: 'twice@example.com', area: 'postcode', postcode: 'GL5 1AA' });
    await subscribed({
      email: 'twice@example.com',
      area: 'postcode',
      postcode: 'GL5 4UB',
      organisationId: stroudId,
    });
    await subscribed({ email: 'cheltenham@example.com', area: 'postcode', postcode: 'GL50 1PP' });
    await subscribed({ email: 'national@example.com', area: 'national' });
    const unconfirmed = await subscribeForm({
      email: 'unconfirmed@example.com',
      area: 'postcode',
      postcode: 'GL5 4UB',
    });
    expect(unconfirmed.status).toBe(303);

    const petition = await pending('stroud', 'Plant trees along the Stroud canal towpath');
    await publish(petition.id);
    for (const email of [
      'near@example.com',
      'body@example.com',
      'twice@example.com',
      'national@example.com',
    ])
      expect(await newPetitionMails(email, petition.title), email).toHaveLength(1);
    for (const email of ['cheltenham@example.com', 'unconfirmed@example.com'])
      expect(await newPetitionMails(email, petition.title), email).toHaveLength(0);
    const mail = (await newPetitionMails('near@example.com', petition.title))[0]!;
    expect(mail.text).toContain(`/petitions/${petition.id}`);
    expect(mail.text).toContain('/engage/subscriptions/unsubscribe?token=');

    // Running the handler again (a retried outbox message) sends nothing more.
    await db()
      .transaction()
      .execute((trx) => tellSubscribersOfPetition(trx, petition.id, app.baseUrl));
    await app.platform.worker.drain();
    expect(await newPetitionMails('near@example.com', petition.title)).toHaveLength(1);
    expect(await newPetitionMails('twice@example.com', petition.title)).toHaveLength(1);

    // A national body's petition reaches national subscribers and those of any district, not
    // those who chose another body.
    const national = await pending(
      'cabinet-office',
      'Publish every council’s spending in one place',
    );
    await publish(national.id);
    expect(await newPetitionMails('national@example.com', national.title)).toHaveLength(1);
    expect(await newPetitionMails('cheltenham@example.com', national.title)).toHaveLength(1);
    expect(await newPetitionMails('body@example.com', national.title)).toHaveLength(0);
    // A rejected petition reaches nobody.
    const rejected = await pending('stroud', 'A petition the council turns down');
    await db()
      .transaction()
      .execute((trx) =>
        moderatePetition(
          trx,
          { userId: null, organisationId: null, role: 'caseworker' },
          rejected.id,
          { decision: 'reject', reason: 'unclear', detail: '' },
          new Date(),
          app.baseUrl,
        ),
      );
    await app.platform.worker.drain();
    expect(await newPetitionMails('near@example.com', rejected.title)).toHaveLength(0);
  });

  it('the unsubscribe link in every e-mail ends the subscription; a made-up token changes nothing', async () => {
    await subscribed({ email: 'leaving@example.com', area: 'postcode', postcode: 'GL5 4UB' });
    const first = await pending('stroud', 'Light the Stroud cycle path in winter');
    await publish(first.id);
    expect(await newPetitionMails('leaving@example.com', first.title)).toHaveLength(1);

    const forged = await new Visitor(app.baseUrl).get('/engage/subscriptions/unsubscribe?token=x');
    expect(forged.status).toBe(200);
    const visitor = new Visitor(app.baseUrl);
    await visitor.get(
      '/engage/subscriptions/unsubscribe?token=abcdefghijklmnopqrstuvwxyz0123456789',
    );
    const refused = await visitor.post('/engage/subscriptions/unsubscribe', {
      token: 'abcdefghijklmnopqrstuvwxyz0123456789',
    });
    expect(refused.status).toBe(404);
    expect(refused.html).toContain('This link does not work');
    const kept = await db()
      .selectFrom('engagement_subscriptions')
      .select('id')
      .where('email', '=', 'leaving@example.com')
      .execute();
    expect(kept).toHaveLength(1);

    const done = await follow(await linkIn('leaving@example.com', 'unsubscribe'));
    expect(done.status).toBe(200);
    expect(done.html).toContain('You have unsubscribed');
    const gone = await db()
      .selectFrom('engagement_subscriptions')
      .select('id')
      .where('email', '=', 'leaving@example.com')
      .execute();
    expect(gone).toEqual([]);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', kept[0]!.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'engagement.subscribed',
      'engagement.subscription-confirmed',
      'engagement.unsubscribed',
    ]);
    const second = await pending('stroud', 'Open the Stroud library on Sundays');
    await publish(second.id);
    expect(await newPetitionMails('leaving@example.com', second.title)).toHaveLength(0);
  });

  it('a made-up confirmation link confirms nothing; subscribing again once confirmed changes nothing', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/engage/subscriptions/confirm?token=abcdefghijklmnopqrstuvwxyz0123456789');
    const refused = await visitor.post('/engage/subscriptions/confirm', {
      token: 'abcdefghijklmnopqrstuvwxyz0123456789',
    });
    expect(refused.status).toBe(404);
    await subscribed({ email: 'again@example.com', area: 'national' });
    const again = await subscribeForm({ email: 'AGAIN@example.com', area: 'national' });
    expect(again.status).toBe(303);
    const mails = await mailsTo(db(), 'again@example.com');
    expect(mails.at(-1)!.subject).toBe('You are already subscribed to new petitions');
    const rows = await db()
      .selectFrom('engagement_subscriptions')
      .select(['confirmed_at', 'district'])
      .where('email', '=', 'again@example.com')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.confirmed_at).not.toBeNull();
    expect(rows[0]!.district).toBeNull();
  });

  it('one address subscribing too often is refused with a 429, keeping and sending nothing', async () => {
    for (let i = 1; i <= SUBSCRIPTIONS_PER_ADDRESS_PER_HOUR; i++)
      expect(
        (await subscribeForm({ email: `many-${i}@example.com`, area: 'national' })).status,
      ).toBe(303);
    const refused = await subscribeForm({ email: 'one-too-many@example.com', area: 'national' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.html).toContain('Too many requests from your connection');
    expect(await mailsTo(db(), 'one-too-many@example.com')).toEqual([]);
    const stored = await db()
      .selectFrom('engagement_subscriptions')
      .select('id')
      .where('email', '=', 'one-too-many@example.com')
      .execute();
    expect(stored).toEqual([]);
  });

  it('the subscribe form and its e-mail are in Welsh', async () => {
    const visitor = new Visitor(app.baseUrl);
    const form = await visitor.get('/engage/subscribe?lang=cy');
    expect(form.html).toContain('Cael e-bost am ddeisebau neu ymgynghoriadau newydd');
    const response = await visitor.post('/engage/subscribe?lang=cy', {
      kind: 'petitions',
      email: 'cymraeg@example.com',
      area: 'postcode',
      postcode: 'CF10 4UW',
    });
    expect(response.status).toBe(303);
    expect((await mailsTo(db(), 'cymraeg@example.com')).at(-1)!.subject).toBe(
      'Cadarnhewch eich tanysgrifiad i ddeisebau newydd',
    );
    const row = await db()
      .selectFrom('engagement_subscriptions')
      .select(['district', 'language'])
      .where('email', '=', 'cymraeg@example.com')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ district: 'CF10', language: 'cy' });
  });
});

/** A consultation published straight through the command (the staff form is tested there). */
async function consultation(
  slug: string,
  fields: Partial<ConsultationInput> & Pick<ConsultationInput, 'title' | 'topic'>,
) {
  const organisation = await organisationId(slug);
  const row = await db()
    .transaction()
    .execute((trx) =>
      publishConsultation(
        trx,
        { userId: null, organisationId: organisation, role: 'service-owner' },
        organisation,
        {
          summary: 'What we propose.',
          body: 'The proposal.',
          audience: 'Everyone',
          opensOn: ukToday(),
          closesOn: ukToday(),
          districts: [],
          signInRequired: false,
          questions: [{ kind: 'text', text: 'What do you think?' }],
          ...fields,
        },
      ),
    );
  await app.platform.worker.drain();
  return row;
}

async function newConsultationMails(email: string, title: string) {
  return (await mailsTo(db(), email)).filter((m) => m.subject === `New consultation: ${title}`);
}

describe('subscriptions to new consultations', () => {
  it('e-mails confirmed subscribers a new consultation matching their topic and area, once each; never others', async () => {
    const subscribe = (email: string, fields: Record<string, string>) =>
      subscribed({ email, kind: 'consultations', topic: '', ...fields });
    await subscribe('c-topic-near@example.com', {
      topic: 'transport',
      area: 'postcode',
      postcode: 'GL5 4UB',
    });
    await subscribe('c-listed@example.com', { area: 'postcode', postcode: 'GL6 8AA' });
    await subscribe('c-gl5@example.com', { area: 'postcode', postcode: 'GL5 1AA' });
    await subscribe('c-national@example.com', { area: 'national' });
    await subscribe('c-housing@example.com', { topic: 'housing', area: 'national' });
    await subscribe('c-cheltenham@example.com', { area: 'postcode', postcode: 'GL50 1PP' });
    // Two matching subscriptions of one address: still one e-mail.
    await subscribe('c-twice@example.com', { area: 'national' });
    await subscribe('c-twice@example.com', { topic: 'transport', area: 'national' });
    // Subscribed to petitions, not consultations.
    await subscribed({ email: 'c-petitions@example.com', area: 'national' });
    const unconfirmed = await subscribeForm({
      email: 'c-unconfirmed@example.com',
      kind: 'consultations',
      area: 'national',
    });
    expect(unconfirmed.status).toBe(303);
    expect((await mailsTo(db(), 'c-unconfirmed@example.com')).at(-1)!.subject).toBe(
      'Confirm your subscription to new consultations',
    );

    // Stroud asks GL5 and GL6 about buses.
    const buses = await consultation('stroud', {
      title: 'Bus routes through Stroud and Nailsworth',
      topic: 'transport',
      districts: ['GL5', 'GL6'],
    });
    for (const email of [
      'c-topic-near@example.com',
      'c-listed@example.com',
      'c-national@example.com',
      'c-twice@example.com',
    ])
      expect(await newConsultationMails(email, buses.title), email).toHaveLength(1);
    for (const email of [
      'c-housing@example.com',
      'c-cheltenham@example.com',
      'c-petitions@example.com',
      'c-unconfirmed@example.com',
    ])
      expect(await newConsultationMails(email, buses.title), email).toHaveLength(0);
    const mail = (await newConsultationMails('c-listed@example.com', buses.title))[0]!;
    expect(mail.text).toContain(`/consultations/${buses.id}`);
    expect(mail.text).toContain('Stroud District Council');
    expect(mail.text).toContain('/engage/subscriptions/unsubscribe?token=');

    // Running the handler again (a retried outbox message) sends nothing more.
    await db()
      .transaction()
      .execute((trx) => tellSubscribersOfConsultation(trx, buses.id, app.baseUrl));
    await app.platform.worker.drain();
    expect(await newConsultationMails('c-listed@example.com', buses.title)).toHaveLength(1);
    expect(await newConsultationMails('c-twice@example.com', buses.title)).toHaveLength(1);

    // Stroud asking its whole area reaches a district it serves (GL5), not one it does not.
    const parks = await consultation('stroud', { title: 'Stroud parks', topic: 'environment' });
    expect(await newConsultationMails('c-national@example.com', parks.title)).toHaveLength(1);
    expect(await newConsultationMails('c-gl5@example.com', parks.title)).toHaveLength(1);
    expect(await newConsultationMails('c-cheltenham@example.com', parks.title)).toHaveLength(0);
    expect(await newConsultationMails('c-topic-near@example.com', parks.title)).toHaveLength(0);
    // A national body asking the whole country reaches every district.
    const dwp = await consultation('dwp', { title: 'Jobcentre opening hours', topic: 'other' });
    expect(await newConsultationMails('c-cheltenham@example.com', dwp.title)).toHaveLength(1);
    expect(await newConsultationMails('c-listed@example.com', dwp.title)).toHaveLength(1);
    expect(await newConsultationMails('c-housing@example.com', dwp.title)).toHaveLength(0);

    // A new petition reaches petition subscribers only.
    const petition = await pending('stroud', 'Put a bench by the Stroud bus station');
    await publish(petition.id);
    expect(await newPetitionMails('c-petitions@example.com', petition.title)).toHaveLength(1);
    expect(await newPetitionMails('c-national@example.com', petition.title)).toHaveLength(0);

    // A withdrawn consultation reaches no one, however the handler is run.
    const withdrawn = await db()
      .insertInto('consultations')
      .values({
        organisation_id: await organisationId('stroud'),
        title: 'Withdrawn at once',
        summary: 's',
        body: 'b',
        audience: 'a',
        opens_on: ukToday(),
        closes_on: ukToday(),
        questions: JSON.stringify([{ kind: 'text', text: 'Q?' }]),
        withdrawn_at: new Date(),
        withdrawn_reason: 'A mistake',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(
      await db()
        .transaction()
        .execute((trx) => tellSubscribersOfConsultation(trx, withdrawn.id, app.baseUrl)),
    ).toBe(0);

    // The subscription keeps its topic and district, and subscribing is audited.
    const row = await db()
      .selectFrom('engagement_subscriptions')
      .select(['id', 'kind', 'topic', 'district', 'organisation_id'])
      .where('email', '=', 'c-topic-near@example.com')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: 'consultations',
      topic: 'transport',
      district: 'GL5',
      organisation_id: null,
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('resource_id', '=', row.id)
      .where('action', '=', 'engagement.subscribed')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ kind: 'consultations', topic: 'transport' });
  });

  it('the form offers consultations by topic, in English and Welsh', async () => {
    const english = await new Visitor(app.baseUrl).get('/engage/subscribe');
    expect(english.html).toContain('New consultations');
    expect(english.html).toContain(
      '<option value="health-and-care">Health and social care</option>',
    );
    const welsh = await new Visitor(app.baseUrl).get('/engage/subscribe?lang=cy');
    expect(welsh.html).toContain('Ymgynghoriadau newydd');
    expect(welsh.html).toContain('Iechyd a gofal cymdeithasol');
  });
});

describe('personal data', () => {
  it('a person’s "My data" lists the subscriptions made with their account’s e-mail, and no one else’s', async () => {
    const citizen = await aSignedInCitizen(app);
    await subscribed({ email: citizen.email, area: 'postcode', postcode: 'GL5 4UB' });
    const sections = await engagementModule.personalDataOf!(db(), citizen.userId);
    const rows = sections.find((s) => s.key === 'petitionSubscriptions')!.rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      email: citizen.email,
      to: 'petitions',
      topic: null,
      area: 'GL5',
      body: null,
    });
    expect(rows[0]!.confirmedAt).not.toBeNull();
    const other = await aSignedInCitizen(app);
    const none = await engagementModule.personalDataOf!(db(), other.userId);
    expect(none.find((s) => s.key === 'petitionSubscriptions')!.rows).toEqual([]);
    expect((await citizen.visitor.get('/account/my-data')).html).toContain(
      'Your subscriptions to new petitions',
    );
    expect(engagementModule.personalData!.map((p) => p.table)).toContain(
      'engagement_subscriptions',
    );
  });
});

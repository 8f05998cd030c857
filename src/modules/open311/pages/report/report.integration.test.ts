/**
 * "Report a problem" through HTTP, as a browser without JavaScript would: a missed bin by
 * postcode and address, a pothole by latitude and longitude in Welsh, the guard against jumping
 * ahead, the GOV.UK error summaries, one report per journey, and the public list of open reports
 * near a postcode (without anything personal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../../test/helpers/app.js';
import { ukToday } from '../../../forms/index.js';
import { findOrganisationBySlug } from '../../../organisations/index.js';
import { findSubmissionById } from '../../../submissions/index.js';

let app: TestApp;
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

function today(): Record<string, string> {
  const [year, month, day] = ukToday().split('-');
  return {
    'collectionDate-day': String(Number(day)),
    'collectionDate-month': String(Number(month)),
    'collectionDate-year': year!,
  };
}

function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!.trim());
}

async function requestsFor(reference: string) {
  return db()
    .selectFrom('open311_requests')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirst();
}

describe('reporting a missed bin without an account', () => {
  const person = () => new Visitor(app.baseUrl);
  let visitor: Visitor;
  let reference: string;

  beforeAll(() => {
    visitor = person();
  });

  it('asks what kind of problem, and says so when nothing is chosen', async () => {
    const page = await visitor.get('/report-a-problem');
    expect(page.status).toBe(200);
    expect(page.html).toContain('What kind of problem are you reporting?');
    for (const label of ['A missed bin collection', 'Fly-tipping', 'A pothole', 'Graffiti'])
      expect(page.html).toContain(label);
    const none = await visitor.post('/report-a-problem', {});
    expect(none.status).toBe(400);
    expect(errorSummary(none.html)).toEqual(['Select the kind of problem you are reporting']);
    const chosen = await visitor.post('/report-a-problem', {
      code: 'report-a-missed-bin-collection',
    });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe('/report-a-problem/where');
  });

  it('does not let anyone jump ahead to checking or sending', async () => {
    const check = await visitor.get('/report-a-problem/check');
    expect(check.status).toBe(303);
    expect(check.headers.get('location')).toBe('/report-a-problem/where');
    const stranger = await person().get('/report-a-problem/details');
    expect(stranger.headers.get('location')).toBe('/report-a-problem');
  });

  it('asks for a postcode, refusing one it cannot find and one whose council is not here', async () => {
    await visitor.get('/report-a-problem/where');
    const empty = await visitor.post('/report-a-problem/where', { postcode: '' });
    expect(empty.status).toBe(400);
    expect(errorSummary(empty.html)).toEqual(['Enter the postcode where the problem is']);
    const malformed = await visitor.post('/report-a-problem/where', { postcode: 'GL5' });
    expect(errorSummary(malformed.html)).toEqual(['Enter a full UK postcode, like GL5 4UB']);
    const gone = await visitor.post('/report-a-problem/where', { postcode: 'GL5 2ZZ' });
    expect(errorSummary(gone.html)[0]).toMatch(/^We cannot find this postcode/);
    const gloucester = await visitor.post('/report-a-problem/where', { postcode: 'GL1 2TG' });
    expect(gloucester.status).toBe(400);
    expect(errorSummary(gloucester.html)).toEqual([
      'Gloucester is responsible for this place but does not take reports through this service yet. Contact Gloucester directly.',
    ]);
    const stroud = await visitor.post('/report-a-problem/where', { postcode: 'gl5 4ub' });
    expect(stroud.status).toBe(303);
    expect(stroud.headers.get('location')).toBe('/report-a-problem/place');
  });

  it('offers the addresses and streets at the postcode from the address layer', async () => {
    const page = await visitor.get('/report-a-problem/place');
    expect(page.html).toContain('Flat 2, Ebley Mill, Westward Road, Ebley, Stroud, GL5 4UB');
    expect(page.html).toContain('Somewhere on Westward Road, Ebley, Stroud');
    expect(page.html).toContain('Somewhere else near GL5 4UB');
    const none = await visitor.post('/report-a-problem/place', {});
    expect(errorSummary(none.html)).toEqual(['Select where the problem is']);
    const forged = await visitor.post('/report-a-problem/place', { place: 'address:900000000006' });
    expect(forged.status).toBe(400);
    const picked = await visitor.post('/report-a-problem/place', { place: 'address:900000000003' });
    expect(picked.headers.get('location')).toBe('/report-a-problem/details');
  });

  it('asks the service form’s own questions, checked by its rules, with an error summary', async () => {
    const page = await visitor.get('/report-a-problem/details');
    expect(page.html).toContain('Which bin was missed?');
    expect(page.html).toContain('Stroud District Council will deal with this report.');
    // The address came from the address picked: the form does not ask it again.
    expect(page.html).not.toContain('name="address-line1"');
    const empty = await visitor.post('/report-a-problem/details', {});
    expect(empty.status).toBe(400);
    expect(errorSummary(empty.html)).toEqual([
      'Select which bin was missed',
      'Enter the date the bin should have been collected',
      'Select where you left the bin',
    ]);
    expect(empty.html).toContain('href="#collectionDate-day"');
    const answered = await visitor.post('/report-a-problem/details', {
      bin: 'general-waste',
      ...today(),
      binLocation: 'other',
      binLocationOther: 'Behind the gate',
    });
    expect(answered.headers.get('location')).toBe('/report-a-problem/contact');
  });

  it('asks for contact details, required here only because the missed-bin form needs an e-mail', async () => {
    const page = await visitor.get('/report-a-problem/contact');
    expect(page.html).toContain('Phone number (optional)');
    expect(page.html).not.toContain('Email address (optional)');
    const none = await visitor.post('/report-a-problem/contact', {
      name: '',
      email: '',
      phone: '',
    });
    expect(errorSummary(none.html)).toEqual([
      'Enter your email address, so we can contact you about the collection',
    ]);
    const given = await visitor.post('/report-a-problem/contact', {
      name: 'Rae Porter',
      email: 'rae@example.com',
      phone: '',
    });
    expect(given.headers.get('location')).toBe('/report-a-problem/check');
  });

  it('shows everything to check, what will be published, and sends it once', async () => {
    const check = await visitor.get('/report-a-problem/check');
    expect(check.status).toBe(200);
    for (const text of [
      'A missed bin collection',
      'Flat 2, Ebley Mill',
      'Stroud District Council',
      'General waste',
      'Behind the gate',
      'rae@example.com',
      '“Westward Road, Ebley, Stroud, GL5 4UB”',
    ])
      expect(check.html, text).toContain(text);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(check.html)![1]!;
    const sent = await visitor.post('/report-a-problem/check', {}, csrf);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/report-a-problem/confirmation');
    // A second click of "Send" sends nothing more.
    const again = await visitor.post('/report-a-problem/check', {}, csrf);
    expect(again.status).toBe(303);

    const confirmation = await visitor.get('/report-a-problem/confirmation');
    expect(confirmation.html).toContain('Report sent');
    reference = /<strong>(JU-[0-9A-Z-]+)<\/strong>/.exec(confirmation.html)![1]!;
    expect(confirmation.html).toContain('We will collect the bin within 2 working days');

    const row = (await requestsFor(reference))!;
    expect(row).toMatchObject({
      channel: 'web',
      public_address: 'Westward Road, Ebley, Stroud, GL5 4UB',
    });
    const submission = (await findSubmissionById(db(), row.submission_id))!;
    const stroud = (await findOrganisationBySlug(db(), 'stroud'))!;
    expect(submission).toMatchObject({
      organisation_id: stroud.id,
      channel: 'web',
      applicant: { name: 'Rae Porter', email: 'rae@example.com' },
    });
    expect(submission.answers.values).toMatchObject({
      bin: 'general-waste',
      collectionDate: ukToday(),
      binLocationOther: 'Behind the gate',
      email: 'rae@example.com',
      address: { uprn: '900000000003', line1: 'Flat 2, Ebley Mill' },
    });
    const all = await db()
      .selectFrom('open311_requests')
      .select('reference')
      .where('channel', '=', 'web')
      .execute();
    expect(all).toHaveLength(1);
    // The journey is gone: starting again is a new report.
    expect((await visitor.get('/report-a-problem/check')).headers.get('location')).toBe(
      '/report-a-problem',
    );
  });

  it('lists the report near the postcode for everyone, without anything personal', async () => {
    const list = await new Visitor(app.baseUrl).get('/reports?postcode=GL5+4UB');
    expect(list.status).toBe(200);
    expect(list.html).toContain('Problems reported: Stroud District Council');
    expect(list.html).toContain('Report a missed bin collection');
    expect(list.html).toContain('Westward Road, Ebley, Stroud, GL5 4UB');
    expect(list.html).toContain('Reported to Stroud District Council');
    for (const personal of [
      'Rae',
      'rae@example.com',
      'Flat 2',
      'Ebley Mill',
      'Behind the gate',
      reference,
    ])
      expect(list.html, personal).not.toContain(personal);
  });
});

describe('reporting a pothole by latitude and longitude, in Welsh', () => {
  it('goes from the kind of problem to sent, with the coordinates as the place', async () => {
    const visitor = new Visitor(app.baseUrl);
    const start = await visitor.get('/report-a-problem?lang=cy');
    expect(start.html).toContain('Pa fath o broblem ydych chi’n rhoi gwybod amdani?');
    await visitor.post('/report-a-problem', { code: 'report-a-pothole' });
    const where = await visitor.get('/report-a-problem/where');
    expect(where.html).toContain('Rwy’n gwybod ei lledred a’i hydred yn lle hynny');
    await visitor.get('/report-a-problem/coordinates');
    const bad = await visitor.post('/report-a-problem/coordinates', {
      latitude: 'north',
      longitude: '',
    });
    expect(bad.status).toBe(400);
    expect(errorSummary(bad.html)).toEqual([
      'Rhowch y lledred fel nifer o raddau rhwng -90 a 90, fel 51.7334',
      'Rhowch yr hydred',
    ]);
    const atSea = await visitor.post('/report-a-problem/coordinates', {
      latitude: '50.0',
      longitude: '-10.0',
    });
    expect(errorSummary(atSea.html)[0]).toMatch(/^Nid yw’r lle hwn yn agos at unrhyw god post/);
    const placed = await visitor.post('/report-a-problem/coordinates', {
      latitude: '51.7335',
      longitude: '-2.2157',
    });
    // No address picker for a point: straight to the pothole questions.
    expect(placed.headers.get('location')).toBe('/report-a-problem/details');
    const details = await visitor.get('/report-a-problem/details');
    expect(details.html).toContain('Ble mae’r twll?');
    expect(details.html).toContain('Bydd Cyngor Sir Swydd Gaerloyw yn delio â’r adroddiad hwn.');
    await visitor.post('/report-a-problem/details', {
      surface: 'pavement',
      size: 'small',
      deep: 'no',
      description: 'Mae’r twll ger y safle bws.',
    });
    await visitor.get('/report-a-problem/contact');
    const contact = await visitor.post('/report-a-problem/contact', {
      name: '',
      email: 'not an email',
      phone: '',
    });
    expect(errorSummary(contact.html)).toEqual([
      'Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com',
    ]);
    const anonymous = await visitor.post('/report-a-problem/contact', {
      name: '',
      email: '',
      phone: '',
    });
    expect(anonymous.headers.get('location')).toBe('/report-a-problem/check');
    const check = await visitor.get('/report-a-problem/check');
    expect(check.html).toContain('Gwiriwch eich adroddiad cyn ei anfon');
    expect(check.html).toContain('(51.73350, -2.21570)');
    await visitor.post('/report-a-problem/check', {});
    const sent = await visitor.get('/report-a-problem/confirmation');
    expect(sent.html).toContain('Adroddiad wedi’i anfon');
    const reference = /<strong>(JU-[0-9A-Z-]+)<\/strong>/.exec(sent.html)![1]!;
    const row = (await requestsFor(reference))!;
    expect(row).toMatchObject({ latitude: 51.7335, longitude: -2.2157, postcode: 'GL5 4UB' });
    const submission = (await findSubmissionById(db(), row.submission_id))!;
    expect(submission.applicant).toBeNull();
    const county = (await findOrganisationBySlug(db(), 'gloucestershire'))!;
    expect(submission.organisation_id).toBe(county.id);
  });

  it('sends someone back to the place when the problem they change to is not taken there', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/report-a-problem');
    await visitor.post('/report-a-problem', { code: 'report-a-pothole' });
    await visitor.get('/report-a-problem/where');
    await visitor.post('/report-a-problem/where', { postcode: 'BS1 5TR' });
    await visitor.get('/report-a-problem');
    const changed = await visitor.post('/report-a-problem', { code: 'report-graffiti' });
    expect(changed.headers.get('location')).toBe('/report-a-problem/where');
    const where = await visitor.get('/report-a-problem/where');
    expect(errorSummary(where.html)).toEqual([
      'Bristol City Council is responsible for this place but does not take reports of graffiti through this service. Contact Bristol City Council directly.',
    ]);
  });
});

describe('the public list of open reports', () => {
  it('asks for a postcode, and refuses one that is not a postcode or not known', async () => {
    const visitor = new Visitor(app.baseUrl);
    const page = await visitor.get('/reports');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Problems already reported');
    const bad = await visitor.get('/reports?postcode=nonsense');
    expect(bad.status).toBe(400);
    expect(errorSummary(bad.html)).toEqual(['Enter a full UK postcode, like GL5 4UB']);
    const unknown = await visitor.get('/reports?postcode=ZE1+0AA');
    expect(errorSummary(unknown.html)).toEqual([
      'We cannot find this postcode: check it and try again',
    ]);
  });

  it('says when nothing is reported in the area, in Welsh too', async () => {
    const page = await new Visitor(app.baseUrl).get('/reports?postcode=CF10+4UW&lang=cy');
    expect(page.html).toContain('Problemau a adroddwyd: Cyngor Caerdydd');
    expect(page.html).toContain('Does dim byd a adroddwyd yma yn aros i gael sylw.');
  });
});

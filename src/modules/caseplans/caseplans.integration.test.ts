import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { mailsTo } from '../../../test/helpers/outbox.js';
import { createStaffUser } from '../identity/index.js';
import { casePlanOutcomes } from './index.js';

let app: TestApp;
const db = () => app.platform.database.db;

const ADDRESS = '12 Refuge Lane, Stroud GL5 9ZZ';
const PHONE = '07700 900457';
const LEAD_EMAIL = 'caseworker@stroud.example.gov.uk';

let lead: Visitor;
let cheltenham: Visitor;
let county: Visitor;
let bristol: Visitor;
let person: Visitor;
let personId: string;
let reference: string;
const ids: Record<string, string> = {};

async function bodyId(slug: string): Promise<string> {
  return (
    await db()
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow()
  ).id;
}

async function staff(email: string, password: string): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** Posts a form on the plan page (as the visitor last saw a page with a CSRF token). */
async function onPlan(visitor: Visitor, path: string, fields: Record<string, string | string[]>) {
  await visitor.get('/staff/case-plans');
  return visitor.post(`/staff/case-plans/${reference}${path}`, fields);
}

const audits = (action: string) =>
  db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('details', '@>', JSON.stringify({ reference }) as never)
    .execute();

beforeAll(async () => {
  app = await startTestApp();
  lead = await staff(LEAD_EMAIL, 'demo-stroud-caseworker');
  cheltenham = await staff('caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker');
  county = await staff(
    'caseworker@gloucestershire.example.gov.uk',
    'demo-gloucestershire-caseworker',
  );
  const made = await createStaffUser(db(), {
    email: 'caseworker@bristol.example.gov.uk',
    password: 'bristol caseworker password',
    displayName: 'Bo Bristol',
    organisationId: await bodyId('bristol'),
    roles: ['caseworker'],
  });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  bristol = await staff('caseworker@bristol.example.gov.uk', 'bristol caseworker password');
  const citizen = await aSignedInCitizen(app, { email: 'jo.person@example.com' });
  person = citizen.visitor;
  personId = citizen.userId;
  for (const slug of ['stroud', 'cheltenham', 'gloucestershire', 'bristol', 'cardiff'])
    ids[slug] = await bodyId(slug);
});
afterAll(async () => {
  await app?.close();
});

describe('a multi-agency case plan', () => {
  it('the lead opens a sensitive plan for a person with a named lead professional; audited', async () => {
    const leadProfessional = (
      await db()
        .selectFrom('users')
        .select('id')
        .where('email', '=', LEAD_EMAIL)
        .executeTakeFirstOrThrow()
    ).id;
    await lead.get('/staff/case-plans/new');
    const refused = await lead.post('/staff/case-plans/new', { kind: 'nonsense', personName: '' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Enter the person');
    const response = await lead.post('/staff/case-plans/new', {
      kind: 'domestic-abuse',
      subject: 'person',
      personName: 'Jo Person',
      'dob-day': '3',
      'dob-month': '4',
      'dob-year': '1990',
      personAddress: ADDRESS,
      personContact: PHONE,
      personEmail: 'jo.person@example.com',
      leadProfessionalId: leadProfessional,
      sensitive: 'yes',
      summary: 'Support after leaving an abusive partner',
    });
    expect(response.status, response.html).toBe(303);
    reference = (response.headers.get('location') ?? '').split('/').pop()!;
    expect(reference).toMatch(/^CP-[A-Z0-9]{8}$/);
    const row = await db()
      .selectFrom('case_plans')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row.person_account_id).toBe(personId);
    expect(row.sensitive).toBe(true);
    expect(await audits('caseplans.plan.opened')).toHaveLength(1);
  });

  it('the lead invites bodies under consent or a safeguarding basis; consent must be confirmed', async () => {
    const noConsent = await onPlan(lead, '/invite', {
      organisationId: ids.cheltenham!,
      basis: 'consent',
      basisDetail: 'Agreed at home visit',
      sections: ['plan'],
    });
    expect(noConsent.status).toBe(400);
    expect(noConsent.html).toContain('Confirm the person has given consent');
    for (const [slug, fields] of [
      [
        'cheltenham',
        {
          basis: 'consent',
          consentConfirmed: 'yes',
          basisDetail: 'Agreed at home visit',
          sections: ['plan', 'chronology'],
        },
      ],
      [
        'gloucestershire',
        {
          basis: 'safeguarding',
          basisDetail: 'Children Act 2004 s.11',
          basisShownToPerson: 'no',
          named: 'yes',
          sections: ['assessment', 'conferences'],
        },
      ],
      [
        'bristol',
        {
          basis: 'consent',
          consentConfirmed: 'yes',
          basisDetail: 'Agreed by phone',
          sections: ['plan'],
        },
      ],
    ] as [string, Record<string, string | string[]>][]) {
      const r = await onPlan(lead, '/invite', { organisationId: ids[slug]!, ...fields });
      expect(r.status, r.html).toBe(303);
    }
    expect(await audits('caseplans.body.invited')).toHaveLength(3);
    const invitation = await mailsTo(db(), 'caseworker@cheltenham.example.gov.uk');
    expect(invitation.at(-1)!.subject).toContain(reference);
  });

  it('a body that has not accepted gets 404 for the plan and every part of it, and its invitation shows no personal details', async () => {
    for (const path of ['', '/chronology', '/break-glass']) {
      expect((await cheltenham.get(`/staff/case-plans/${reference}${path}`)).status).toBe(404);
    }
    expect(
      (await onPlan(cheltenham, '/links', { kind: 'submission', reference: 'X' })).status,
    ).toBe(404);
    const invitation = await cheltenham.get(`/staff/case-plans/${reference}/invitation`);
    expect(invitation.status).toBe(200);
    expect(invitation.html).not.toContain('Jo Person');
    expect(invitation.html).not.toContain(ADDRESS);
    // A body not invited at all sees neither.
    const cardiffless = await bristol.get(`/staff/case-plans/${reference}`);
    expect(cardiffless.status).toBe(404);
  });

  it('accepting opens the plan; the sensitive address shows only to the lead and named bodies', async () => {
    for (const visitor of [cheltenham, county]) {
      await visitor.get(`/staff/case-plans/${reference}/invitation`);
      const r = await visitor.post(`/staff/case-plans/${reference}/invitation`, {
        answer: 'accept',
      });
      expect(r.status).toBe(303);
    }
    const leadPage = await lead.get(`/staff/case-plans/${reference}`);
    expect(leadPage.html).toContain(ADDRESS);
    const named = await county.get(`/staff/case-plans/${reference}`);
    expect(named.status).toBe(200);
    expect(named.html).toContain(ADDRESS);
    expect(named.html).toContain(PHONE);
    const notNamed = await cheltenham.get(`/staff/case-plans/${reference}`);
    expect(notNamed.status).toBe(200);
    expect(notNamed.html).toContain('Jo Person');
    expect(notNamed.html).not.toContain(ADDRESS);
    expect(notNamed.html).not.toContain(PHONE);
    expect(notNamed.html).toContain('not shared with your body');
  });

  it('every staff read of the plan is audited with the person as subject', async () => {
    const before = (await audits('caseplans.plan.viewed')).length;
    await cheltenham.get(`/staff/case-plans/${reference}`);
    const after = await audits('caseplans.plan.viewed');
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.subject_user_id).toBe(personId);
    expect(after.at(-1)!.actor_organisation_id).toBe(ids.cheltenham);
  });

  it('an action for a body not in the plan (or not yet accepted) is refused; for a body that accepted it is added', async () => {
    const due = { 'dueOn-day': '1', 'dueOn-month': '1', 'dueOn-year': '2030' };
    for (const slug of ['bristol', 'cardiff']) {
      const refused = await onPlan(lead, '/actions', {
        organisationId: ids[slug]!,
        description: 'Find refuge space',
        responsible: 'Housing officer',
        ...due,
      });
      expect(refused.status).toBe(400);
      expect(refused.html).toContain(
        'The owning body must be the lead or a body that has accepted',
      );
    }
    const added = await onPlan(lead, '/actions', {
      organisationId: ids.cheltenham!,
      description: 'Find refuge space',
      responsible: 'Housing officer',
      ...due,
    });
    expect(added.status).toBe(303);
    const actions = await db().selectFrom('case_plan_actions').selectAll().execute();
    expect(actions.map((a) => a.organisation_id)).toEqual([ids.cheltenham]);
  });

  it('a stale edit of an action is refused with 409 and "someone changed this"; the owner sees its own action', async () => {
    const action = await db().selectFrom('case_plan_actions').selectAll().executeTakeFirstOrThrow();
    const page = await cheltenham.get(`/staff/case-plans/${reference}`);
    expect(page.html).toContain('Find refuge space');
    const first = await cheltenham.post(`/staff/case-plans/${reference}/actions/${action.id}`, {
      status: 'done',
      outcome: 'Refuge place found',
      version: String(action.version),
    });
    expect(first.status).toBe(303);
    await lead.get(`/staff/case-plans/${reference}`);
    const stale = await lead.post(`/staff/case-plans/${reference}/actions/${action.id}`, {
      status: 'cancelled',
      outcome: '',
      version: String(action.version),
    });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('Someone changed this action');
    const now = await db().selectFrom('case_plan_actions').selectAll().executeTakeFirstOrThrow();
    expect(now.status).toBe('done');
    expect(now.version).toBe(action.version + 1);
  });

  it('a body may not update an action it does not own (404)', async () => {
    const action = await db().selectFrom('case_plan_actions').selectAll().executeTakeFirstOrThrow();
    const r = await onPlan(county, `/actions/${action.id}`, {
      status: 'cancelled',
      outcome: '',
      version: String(action.version),
    });
    expect(r.status).toBe(404);
  });

  it('break glass without a reason is refused; with one it is granted, audited with the reason and the lead alerted without the address', async () => {
    await cheltenham.get(`/staff/case-plans/${reference}/break-glass`);
    const refused = await cheltenham.post(`/staff/case-plans/${reference}/break-glass`, {
      section: 'assessment',
      reason: '',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Enter why you need emergency access');
    expect(await db().selectFrom('case_plan_break_glass').selectAll().execute()).toHaveLength(0);
    const reason = 'Police report a threat tonight; need the risk scores';
    const granted = await cheltenham.post(`/staff/case-plans/${reference}/break-glass`, {
      section: 'assessment',
      reason,
    });
    expect(granted.status).toBe(303);
    const entries = await audits('caseplans.plan.viewed_break_glass');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toMatchObject({
      accessReason: 'break-glass',
      accessReasonDetails: reason,
    });
    expect(entries[0]!.subject_user_id).toBe(personId);
    const alert = (await mailsTo(db(), LEAD_EMAIL)).filter((m) =>
      m.subject.includes('Emergency access'),
    );
    expect(alert).toHaveLength(1);
    expect(alert[0]!.text).toContain(reason);
    const page = await cheltenham.get(`/staff/case-plans/${reference}`);
    // The section opens to read (no longer offered behind the glass); recording stays with those it is shared with.
    expect(page.html).not.toContain('break-glass?section=assessment');
    expect(page.html).toContain('break-glass?section=conferences');
    expect(page.html).not.toContain('Record a needs assessment');
  });

  it('the lead records assessments and a conference; the chronology is newest first and filtered per body', async () => {
    for (const [dayOf, score] of [
      ['1', '4'],
      ['2', '2'],
    ] as const) {
      const fields: Record<string, string> = {
        'assessedOn-day': dayOf,
        'assessedOn-month': '3',
        'assessedOn-year': '2026',
      };
      for (const d of ['safety', 'accommodation', 'finance', 'mental-health', 'children', 'family'])
        fields[`score-${d}`] = score;
      expect((await onPlan(lead, '/assessments', fields)).status).toBe(303);
    }
    const badScore = await onPlan(lead, '/assessments', {
      'assessedOn-day': '2',
      'assessedOn-month': '3',
      'assessedOn-year': '2026',
    });
    expect(badScore.status).toBe(400);
    const conf = await onPlan(lead, '/conferences', {
      'heldOn-day': '5',
      'heldOn-month': '3',
      'heldOn-year': '2026',
      attendees: 'Stroud, Gloucestershire',
      minutes: 'Discussed safety planning',
      decisions: 'MARAC referral',
    });
    expect(conf.status).toBe(303);
    const leadChronology = await lead.get(`/staff/case-plans/${reference}/chronology`);
    expect(leadChronology.html.indexOf('Case conference held')).toBeLessThan(
      leadChronology.html.indexOf('Case plan opened'),
    );
    // Gloucestershire is not shared the chronology.
    const countyChronology = await county.get(`/staff/case-plans/${reference}/chronology`);
    expect(countyChronology.html).not.toContain('Case conference held');
    // Cheltenham sees the chronology but not conference events (not shared with it).
    const chelt = await cheltenham.get(`/staff/case-plans/${reference}/chronology`);
    expect(chelt.html).toContain('Action added');
    expect(chelt.html).not.toContain('Case conference held');
  });

  it('no notification text carries the address or contact details of the sensitive case', async () => {
    const rows = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'mail.send')
      .execute();
    const texts = rows.map((r) => JSON.stringify(r.payload));
    expect(texts.some((t) => t.includes(reference))).toBe(true);
    for (const text of texts) {
      expect(text).not.toContain('Refuge Lane');
      expect(text).not.toContain(PHONE);
    }
  });

  it('the person sees their plan, who is involved where safe, what is withheld and why, and who read it', async () => {
    expect(
      (
        await onPlan(lead, '/withhold', {
          section: 'conferences',
          withhold: 'yes',
          reason: 'Police investigation ongoing',
        })
      ).status,
    ).toBe(303);
    const list = await person.get('/account/case-plans');
    expect(list.html).toContain(reference);
    const page = await person.get(`/account/case-plans/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Cheltenham');
    expect(page.html).not.toContain('Children Act 2004 s.11'); // safeguarding basis not shown
    expect(page.html).toContain('Police investigation ongoing');
    expect(page.html).not.toContain('MARAC referral');
    expect(page.html).toContain('Police report a threat tonight');
    const other = await aSignedInCitizen(app);
    expect((await other.visitor.get(`/account/case-plans/${reference}`)).status).toBe(404);
    expect((await cheltenham.get(`/account/case-plans/${reference}`)).status).toBe(404);
    const accessLog = await person.get('/account/my-data');
    expect(accessLog.html).toContain('Your case plan');
  });

  it('when the person withdraws consent the body loses access at once', async () => {
    expect((await cheltenham.get(`/staff/case-plans/${reference}`)).status).toBe(200);
    await person.get(`/account/case-plans/${reference}`);
    const r = await person.post(`/account/case-plans/${reference}/withdraw`, {
      organisationId: ids.cheltenham!,
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toContain('done=withdrawn');
    for (const path of ['', '/chronology', '/break-glass']) {
      expect((await cheltenham.get(`/staff/case-plans/${reference}${path}`)).status).toBe(404);
    }
    expect(await db().selectFrom('case_plan_break_glass').selectAll().execute()).toHaveLength(0);
    // The lead can no longer give the body actions.
    const refused = await onPlan(lead, '/actions', {
      organisationId: ids.cheltenham!,
      description: 'x',
      responsible: 'y',
      'dueOn-day': '1',
      'dueOn-month': '1',
      'dueOn-year': '2030',
    });
    expect(refused.status).toBe(400);
    expect(await audits('caseplans.body.consent-withdrawn')).toHaveLength(1);
  });

  it('outcome figures per kind of case suppress counts under 5', async () => {
    const figures = await casePlanOutcomes(db());
    const abuse = figures.find((f) => f.kind === 'domestic-abuse')!;
    expect(abuse.plans).toEqual({ value: null, suppressed: true });
    expect(abuse.needsReduced).toEqual({ value: null, suppressed: true });
    expect(figures.find((f) => f.kind === 'offender')!.plans).toEqual({
      value: 0,
      suppressed: false,
    });
  });
});

/**
 * The services put online as form definitions (issue 5, part 4): every shipped definition is a
 * valid form, every demo service with a form has one and every form a service, both languages
 * are written, and each form takes a realistic application and refuses a typical bad one.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SERVICES } from '../../catalogue/index.js';
import { bundledForms, DEFINITIONS_DIR } from '../bundled.js';
import { FormDefinitionSchema, type FormDefinition } from '../schema.js';
import { answersToInput, validateAnswers } from '../validate.js';

const TODAY = '2026-11-24'; // a Tuesday
const FILES = readdirSync(DEFINITIONS_DIR).filter((f) => f.endsWith('.json'));
const raw = (file: string): unknown =>
  JSON.parse(readFileSync(path.join(DEFINITIONS_DIR, file), 'utf8'));

let forms: Map<string, FormDefinition>;
beforeAll(async () => {
  forms = new Map((await bundledForms()).map((f) => [f.key, f]));
});
const form = (key: string) => forms.get(key)!;
const check = (key: string, answers: unknown) =>
  validateAnswers(form(key), answers, { today: TODAY });
const messagesOf = (result: ReturnType<typeof check>) =>
  result.ok ? [] : result.errors.map((e) => e.message.en);
const fieldsOf = (result: ReturnType<typeof check>) =>
  result.ok ? [] : result.errors.map((e) => e.field);

/** Every `{ en, cy }` text in a definition as written, with where it is. */
function texts(value: unknown, at = ''): { at: string; en: string; cy: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => texts(v, `${at}.${i}`));
  if (typeof value !== 'object' || value === null) return [];
  const keys = Object.keys(value);
  if (keys.length === 2 && keys.includes('en') && keys.includes('cy')) {
    const { en, cy } = value as { en: unknown; cy: unknown };
    return [{ at, en: String(en), cy: String(cy) }];
  }
  return Object.entries(value).flatMap(([k, v]) => texts(v, at ? `${at}.${k}` : k));
}

const file = (name: string, type: string, n = 1) => ({
  id: `0b4e28ba-2fa1-11d2-883f-0016d3cca42${n}`,
  name,
  type,
  size: 48_213,
});
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const EBLEY_MILL = {
  uprn: '900000000001',
  line1: 'Ebley Mill',
  line2: 'Westward Road, Ebley',
  town: 'Stroud',
  postcode: 'gl5 4ub',
};

describe('the shipped form definitions', () => {
  it('each parses with FormDefinitionSchema and is named after its key', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(6);
    for (const name of FILES) {
      const parsed = FormDefinitionSchema.safeParse(raw(name));
      expect(parsed.success, `${name}: ${parsed.error?.message ?? ''}`).toBe(true);
      expect(`${parsed.data?.key}.json`).toBe(name);
    }
  });

  it('are each used by a demo service, and every demo service with a form has its definition', () => {
    const keys = FILES.map((f) => f.replace(/\.json$/, '')).sort();
    const linked = DEMO_SERVICES.filter((s) => s.formKey);
    for (const service of linked) expect(keys, service.slug).toContain(service.formKey);
    expect([...new Set(linked.map((s) => s.formKey))].sort()).toEqual(keys);
  });

  it('say everything in Welsh too: no Welsh text is empty, and headings and questions are translated', () => {
    for (const name of FILES) {
      const all = texts(raw(name));
      expect(all.length, name).toBeGreaterThan(10);
      for (const text of all) {
        expect(text.en.trim(), `${name} ${text.at} (en)`).not.toBe('');
        expect(text.cy.trim(), `${name} ${text.at} (cy)`).not.toBe('');
      }
      // Sentences are never left in English (an option like "Band A" or "9am" may read the same).
      const sentences = all.filter(
        (t) => !t.at.includes('.options.') && t.en.trim().split(/\s+/).length >= 3,
      );
      expect(sentences.length, name).toBeGreaterThan(10);
      for (const text of sentences) expect(text.cy, `${name} ${text.at}`).not.toBe(text.en);
    }
  });

  it('give every transactional BVPI 157 interaction type a demo service with a working form', () => {
    const online = DEMO_SERVICES.filter((s) => s.formKey && forms.has(s.formKey));
    const covered = new Set(online.flatMap((s) => s.interactions.map((i) => i.type)));
    for (const type of [
      'applications',
      'paying',
      'booking',
      'regulation',
      'benefits-and-grants',
      'consultation',
      'providing-information',
    ])
      expect([...covered], type).toContain(type);
  });

  it('link each of the five services to the body and account level the issue asks for', () => {
    const service = (slug: string) => DEMO_SERVICES.find((s) => s.slug === slug)!;
    expect(service('report-a-missed-bin-collection-stroud')).toMatchObject({
      formKey: 'missed-bin',
      requiredLevel: 0,
    });
    expect(service('residents-parking-permit-gloucestershire')).toMatchObject({
      organisation: 'gloucestershire',
      formKey: 'residents-parking-permit',
      feePence: 7500,
    });
    expect(service('small-business-grant-stroud')).toMatchObject({
      audience: 'businesses',
      formKey: 'small-business-grant',
    });
    expect(service('small-business-grant-stroud').requiredLevel).toBeGreaterThanOrEqual(1);
    expect(service('book-a-community-hall-stroud').formKey).toBe('community-hall-booking');
    expect(service('disagree-with-council-tax-band-stroud').formKey).toBe(
      'council-tax-band-challenge',
    );
    for (const slug of [
      'report-a-missed-bin-collection-stroud',
      'residents-parking-permit-gloucestershire',
      'small-business-grant-stroud',
      'book-a-community-hall-stroud',
      'disagree-with-council-tax-band-stroud',
    ])
      expect(
        service(slug).channels.map((c) => c.kind),
        slug,
      ).toContain('online-here');
  });
});

describe('report a missed bin collection', () => {
  const complete = {
    bin: 'recycling',
    collectionDate: { day: '23', month: '11', year: '2026' },
    address: EBLEY_MILL,
    binLocation: 'kerbside',
    email: 'Rae.Porter@Example.com',
  };

  it('takes a report of yesterday’s recycling, with no phone number', () => {
    expect(check('missed-bin', complete)).toEqual({
      ok: true,
      answers: {
        bin: 'recycling',
        collectionDate: '2026-11-23',
        address: { ...EBLEY_MILL, postcode: 'GL5 4UB' },
        binLocation: 'kerbside',
        binLocationOther: '',
        email: 'Rae.Porter@example.com',
        phone: '',
      },
    });
  });

  it('takes a collection day up to 14 days ago and today, but not 15 days ago or tomorrow', () => {
    const on = (collectionDate: string) => check('missed-bin', { ...complete, collectionDate });
    expect(on('2026-11-10').ok).toBe(true);
    expect(on('2026-11-24').ok).toBe(true);
    expect(messagesOf(on('2026-11-09'))).toEqual([
      'You can only report a collection missed in the last 14 days. For an older one, call us on 01453 766321',
    ]);
    expect(messagesOf(on('2026-11-25'))).toEqual([
      'The collection date must be today or in the past',
    ]);
  });

  it('refuses a bin it does not collect, "somewhere else" without saying where, and no e-mail address', () => {
    const result = check('missed-bin', {
      ...complete,
      bin: 'skip',
      binLocation: 'other',
      email: '',
    });
    expect(fieldsOf(result)).toEqual(['bin', 'binLocationOther', 'email']);
    expect(messagesOf(result)).toEqual([
      'Select which bin was missed',
      'Tell us where you left the bin',
      'Enter your email address, so we can contact you about the collection',
    ]);
  });
});

describe('apply for a residents’ parking permit', () => {
  const complete = {
    address: EBLEY_MILL,
    registration: ' ab12  cde ',
    make: 'Toyota',
    companyCar: 'yes',
    employer: 'Cotswold Accountants LLP',
    proofOfAddress: [file('council-tax-bill.pdf', 'application/pdf')],
    email: 'sam@example.com',
    phone: '07700 900982',
  };

  it('takes a company car with its employer, proof of address as a PDF and a phone number', () => {
    const result = check('residents-parking-permit', complete);
    expect(result).toEqual({
      ok: true,
      answers: {
        ...complete,
        address: { ...EBLEY_MILL, postcode: 'GL5 4UB' },
        registration: 'ab12 cde',
        phone: '+447700900982',
      },
    });
    // Kept answers validate to themselves, as the journey checks them again when sending.
    if (result.ok)
      expect(
        check(
          'residents-parking-permit',
          answersToInput(form('residents-parking-permit'), result.answers),
        ),
      ).toEqual(result);
  });

  it('takes the UK registration formats: current, prefix, suffix and dateless', () => {
    for (const registration of ['AB12CDE', 'A123 BCD', 'ABC 123D', 'XYZ 1', '1234 AB'])
      expect(
        check('residents-parking-permit', { ...complete, registration }).ok,
        registration,
      ).toBe(true);
  });

  it('asks for the employer only for a company car: sent for another car, it is dropped', () => {
    const result = check('residents-parking-permit', { ...complete, companyCar: 'no' });
    expect(result.ok && result.answers).not.toHaveProperty('employer');
  });

  it('refuses a registration that is not one, a company car without an employer, and a text file as proof', () => {
    const result = check('residents-parking-permit', {
      ...complete,
      registration: 'NOT A REG',
      employer: '',
      proofOfAddress: [file('bill.txt', 'text/plain')],
    });
    expect(fieldsOf(result)).toEqual(['registration', 'employer', 'proofOfAddress.0']);
    expect(messagesOf(result)).toEqual([
      'Enter a registration number in the correct format, like AB12 CDE',
      'Enter the name of your employer',
      'The file must be a PDF, JPG or PNG',
    ]);
  });
});

describe('apply for a small business grant', () => {
  const complete = {
    businessName: 'Cotswold Bakes Ltd',
    companyNumber: '01234567',
    employees: '12',
    rateableValue: '£12,500',
    purpose: 'A second bread oven, so we can supply three more cafés and take on an apprentice.',
    amount: '£7,500',
    documents: [
      file('oven-quote.pdf', 'application/pdf', 1),
      file('business-plan.docx', DOCX, 2),
      file('kitchen.png', 'image/png', 3),
    ],
  };

  it('takes a company of 12 asking for £7,500 with 3 documents, amounts kept in pence', () => {
    expect(check('small-business-grant', complete)).toEqual({
      ok: true,
      answers: { ...complete, rateableValue: '1250000', amount: '750000' },
    });
    expect(check('small-business-grant', { ...complete, companyNumber: '' }).ok).toBe(true);
    expect(check('small-business-grant', { ...complete, companyNumber: 'sc123456' }).ok).toBe(true);
  });

  it('refuses 50 employees, more than £10,000, a malformed company number and a fourth document', () => {
    const result = check('small-business-grant', {
      ...complete,
      companyNumber: '1234',
      employees: '50',
      amount: '£10,000.01',
      documents: [...complete.documents, file('extra.pdf', 'application/pdf', 4)],
    });
    expect(fieldsOf(result)).toEqual(['companyNumber', 'employees', 'amount', 'documents']);
    expect(messagesOf(result)).toEqual([
      'Enter a Companies House number in the correct format, like 01234567 or SC123456',
      'The grant is only for businesses with fewer than 50 employees',
      'The amount must be £10,000 or less',
      'You can upload up to 3 files',
    ]);
    expect(messagesOf(check('small-business-grant', { ...complete, employees: '2.5' }))).toEqual([
      'The number of employees must be a whole number, like 12',
    ]);
  });

  it('does not collect bank details: a sort code sent with the answers is refused', () => {
    const result = check('small-business-grant', { ...complete, sortCode: '12-34-56' });
    expect(fieldsOf(result)).toEqual(['sortCode']);
  });
});

describe('book a community hall', () => {
  const complete = {
    hall: 'ebley',
    bookingDate: '2026-12-05', // a Saturday: any day may be booked
    startTime: '1300',
    duration: '3',
    purpose: 'A seventh birthday party with a magician.',
    people: '30',
    equipment: [
      { item: 'projector', quantity: '1' },
      { item: 'urn', quantity: '2' },
    ],
    name: 'Sam Citizen',
    organisation: '',
    email: 'sam@example.com',
    phone: '01453 766321',
  };

  it('takes a request for a Saturday afternoon with two kinds of equipment', () => {
    expect(check('community-hall-booking', complete)).toEqual({
      ok: true,
      answers: { ...complete, phone: '+441453766321' },
    });
    expect(check('community-hall-booking', { ...complete, equipment: [] }).ok).toBe(true);
  });

  it('refuses today, more people than the largest hall takes, and equipment it does not lend', () => {
    const result = check('community-hall-booking', {
      ...complete,
      bookingDate: '2026-11-24',
      people: '151',
      equipment: [{ item: 'piano', quantity: '1' }],
    });
    expect(fieldsOf(result)).toEqual(['bookingDate', 'people', 'equipment.0.item']);
    expect(messagesOf(result)).toEqual([
      'The booking date must be in the future',
      'Our largest hall takes 150 people',
      'Select what you need',
    ]);
  });
});

describe('tell us you disagree with your Council Tax band', () => {
  const complete = {
    property: EBLEY_MILL,
    currentBand: 'D',
    reasons:
      'The flats either side of mine (Flat 1 and Flat 2) are in band B and are the same size.\nMine was put in band D when it was built in 2005.',
    evidence: [
      file('neighbours-bands.pdf', 'application/pdf', 1),
      file('floor-plan.jpg', 'image/jpeg', 2),
    ],
    challengedBefore: 'yes',
    challengeDate: { day: '1', month: '6', year: '2022' },
    email: 'sam@example.com',
    phone: '',
  };

  it('takes a challenge with evidence and the date of an earlier one, keeping the lines', () => {
    expect(check('council-tax-band-challenge', complete)).toEqual({
      ok: true,
      answers: {
        ...complete,
        property: { ...EBLEY_MILL, postcode: 'GL5 4UB' },
        challengeDate: '2022-06-01',
      },
    });
    const noEvidence = check('council-tax-band-challenge', {
      ...complete,
      evidence: [],
      challengedBefore: 'no',
    });
    expect(noEvidence.ok && noEvidence.answers).toMatchObject({ evidence: [] });
    expect(noEvidence.ok && noEvidence.answers).not.toHaveProperty('challengeDate');
  });

  it('refuses band I (Wales only), a one-word reason and an earlier challenge with no date', () => {
    const result = check('council-tax-band-challenge', {
      ...complete,
      currentBand: 'I',
      reasons: 'Too high',
      challengeDate: '',
    });
    expect(fieldsOf(result)).toEqual(['currentBand', 'reasons', 'challengeDate']);
    expect(messagesOf(result)).toEqual([
      'Select the property’s Council Tax band',
      'Tell us more about why you think the band is wrong: at least 20 characters',
      'Enter the date you last challenged the band',
    ]);
  });
});

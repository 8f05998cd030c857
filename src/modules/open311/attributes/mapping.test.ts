import { beforeAll, describe, expect, it } from 'vitest';
import {
  bundledForm,
  FormDefinitionSchema,
  validateAnswers,
  type FormDefinition,
  type FormDefinitionInput,
} from '../../forms/index.js';
import {
  attributesOf,
  composeAnswers,
  reportableForm,
  roleOfField,
  rolesOf,
  unknownAttributes,
  type ReportContent,
} from './mapping.js';

const TODAY = '2026-11-24';

/** A form with one question of every type a report can answer, and a file question. */
const EVERY: FormDefinitionInput = {
  key: 'every-kind',
  title: { en: 'Every kind', cy: 'Pob math' },
  pages: [
    {
      id: 'one',
      title: { en: 'One', cy: 'Un' },
      questions: [
        {
          type: 'text',
          name: 'plate',
          label: { en: 'Plate', cy: 'Plât' },
          hint: { en: 'On the back', cy: 'Ar y cefn' },
        },
        {
          type: 'textarea',
          name: 'notes',
          label: { en: 'Notes', cy: 'Nodiadau' },
          required: false,
        },
        { type: 'number', name: 'count', label: { en: 'How many', cy: 'Faint' } },
        { type: 'money', name: 'cost', label: { en: 'Cost', cy: 'Cost' }, required: false },
        { type: 'date', name: 'seen', label: { en: 'Seen on', cy: 'Gwelwyd ar' } },
        { type: 'yesNo', name: 'urgent', label: { en: 'Urgent?', cy: 'Brys?' } },
        {
          type: 'radios',
          name: 'colour',
          label: { en: 'Colour', cy: 'Lliw' },
          options: [
            { value: 'red', label: { en: 'Red', cy: 'Coch' } },
            { value: 'blue', label: { en: 'Blue', cy: 'Glas' } },
          ],
        },
        {
          type: 'checkboxes',
          name: 'kinds',
          label: { en: 'Kinds', cy: 'Mathau' },
          options: [
            { value: 'a', label: { en: 'A', cy: 'A' } },
            { value: 'b', label: { en: 'B', cy: 'B' } },
          ],
        },
        {
          type: 'text',
          name: 'why',
          label: { en: 'Why red?', cy: 'Pam coch?' },
          when: { question: 'colour', equals: 'red' },
        },
        { type: 'text', name: 'location', label: { en: 'Where', cy: 'Ble' } },
        {
          type: 'textarea',
          name: 'description',
          label: { en: 'About', cy: 'Amdano' },
          required: false,
        },
        { type: 'address', name: 'home', label: { en: 'Address', cy: 'Cyfeiriad' } },
        { type: 'postcode', name: 'area', label: { en: 'Postcode', cy: 'Cod post' } },
        {
          type: 'text',
          name: 'who',
          prefill: 'fullName',
          label: { en: 'Name', cy: 'Enw' },
          required: false,
        },
        { type: 'email', name: 'mail', label: { en: 'Email', cy: 'E-bost' }, required: false },
        { type: 'phone', name: 'tel', label: { en: 'Phone', cy: 'Ffôn' }, required: false },
      ],
    },
    {
      id: 'photo',
      title: { en: 'Photo', cy: 'Llun' },
      questions: [
        { type: 'file', name: 'photo', label: { en: 'Photo', cy: 'Llun' }, required: false },
      ],
    },
  ],
  confirmation: { body: { en: 'Thanks', cy: 'Diolch' } },
};

let every: FormDefinition;
let missedBin: FormDefinition;
beforeAll(async () => {
  every = FormDefinitionSchema.parse(EVERY);
  missedBin = (await bundledForm('missed-bin'))!;
});

const CONTENT: ReportContent = {
  address: { line1: '12 High Street', town: 'Stroud', postcode: 'GL5 1AA' },
  locationText: '12 High Street, Stroud, GL5 1AA (51.74000, -2.21000)',
  postcode: 'GL5 1AA',
  description: 'It is by the gate',
  email: 'sam@example.com',
  phone: '01453 766321',
  name: 'Sam Citizen',
  attributes: {
    plate: 'AB12 CDE',
    count: '3',
    seen: '2026-11-23T08:30:00Z',
    urgent: 'no',
    colour: 'blue',
    kinds: 'a',
  },
};

describe('rolesOf', () => {
  it('gives the place, description and contact questions to the report, and the rest are attributes', () => {
    expect(Object.fromEntries(rolesOf(every))).toEqual({
      plate: 'attribute',
      notes: 'attribute',
      count: 'attribute',
      cost: 'attribute',
      seen: 'attribute',
      urgent: 'attribute',
      colour: 'attribute',
      kinds: 'attribute',
      why: 'attribute',
      location: 'location',
      description: 'description',
      home: 'address',
      area: 'postcode',
      who: 'name',
      mail: 'email',
      tel: 'phone',
      photo: 'unsupported',
    });
  });

  it('takes a form whose only file question is optional, but not one that needs a file', () => {
    expect(reportableForm(every)).toBe(true);
    const needsPhoto = FormDefinitionSchema.parse({
      ...EVERY,
      pages: [
        EVERY.pages[0],
        { ...EVERY.pages[1], questions: [{ ...EVERY.pages[1]!.questions[0], required: true }] },
      ],
    });
    expect(reportableForm(needsPhoto)).toBe(false);
  });
});

describe('attributesOf', () => {
  it('maps each question type to an Open311 datatype, in the form’s order', () => {
    expect(attributesOf(every, 'en').map((a) => [a.code, a.datatype, a.order])).toEqual([
      ['plate', 'string', 1],
      ['notes', 'text', 2],
      ['count', 'number', 3],
      ['cost', 'number', 4],
      ['seen', 'datetime', 5],
      ['urgent', 'singlevaluelist', 6],
      ['colour', 'singlevaluelist', 7],
      ['kinds', 'multivaluelist', 8],
      ['why', 'string', 9],
    ]);
  });

  it('is required only when the form asks it of everyone', () => {
    const required = Object.fromEntries(attributesOf(every, 'en').map((a) => [a.code, a.required]));
    expect(required).toMatchObject({
      plate: true,
      notes: false,
      cost: false,
      why: false,
      colour: true,
    });
  });

  it('lists the values of choices, yes and no included, in the reader’s language', () => {
    const welsh = attributesOf(every, 'cy');
    expect(welsh.find((a) => a.code === 'colour')).toMatchObject({
      description: 'Lliw',
      values: [
        { key: 'red', name: 'Coch' },
        { key: 'blue', name: 'Glas' },
      ],
    });
    expect(welsh.find((a) => a.code === 'urgent')?.values).toEqual([
      { key: 'yes', name: 'Ie' },
      { key: 'no', name: 'Na' },
    ]);
    expect(welsh.find((a) => a.code === 'plate')?.values).toBeUndefined();
  });

  it('describes the datatype with the question’s hint, and the format of a date', () => {
    const english = attributesOf(every, 'en');
    expect(english.find((a) => a.code === 'plate')?.datatype_description).toBe('On the back');
    expect(english.find((a) => a.code === 'seen')?.datatype_description).toBe(
      'A date, like 2026-03-27 (a time after it is ignored)',
    );
  });

  it('gives the missed-bin form’s four questions about the bin, not its address or e-mail', () => {
    expect(attributesOf(missedBin, 'en').map((a) => a.code)).toEqual([
      'bin',
      'collectionDate',
      'binLocation',
      'binLocationOther',
    ]);
  });
});

describe('composeAnswers', () => {
  it('fills each question from its part of the report, and the form accepts it', () => {
    const input = composeAnswers(every, CONTENT);
    expect(input).toEqual({
      plate: 'AB12 CDE',
      count: '3',
      seen: '2026-11-23',
      urgent: 'no',
      colour: 'blue',
      kinds: ['a'],
      location: CONTENT.locationText,
      description: 'It is by the gate',
      home: CONTENT.address,
      area: 'GL5 1AA',
      who: 'Sam Citizen',
      mail: 'sam@example.com',
      tel: '01453 766321',
    });
    const checked = validateAnswers(every, input, { today: TODAY });
    expect(checked.ok).toBe(true);
  });

  it('leaves out what the report does not say, so the validator names what is missing', () => {
    const input = composeAnswers(every, { ...CONTENT, address: null, attributes: {} });
    expect(input).not.toHaveProperty('home');
    expect(input).not.toHaveProperty('plate');
    const checked = validateAnswers(every, input, { today: TODAY });
    expect(checked.ok).toBe(false);
    const roles = rolesOf(every);
    const fields = checked.ok ? [] : checked.errors.map((e) => roleOfField(roles, e.field));
    expect(fields).toContainEqual({ name: 'plate', role: 'attribute' });
    expect(fields).toContainEqual({ name: 'home', role: 'address' });
  });

  it('keeps a list for a multi-value list and takes one item of a single value sent as a list', () => {
    const input = composeAnswers(every, {
      ...CONTENT,
      attributes: { ...CONTENT.attributes, kinds: ['a', 'b'], colour: ['red'] },
    });
    expect(input).toMatchObject({ kinds: ['a', 'b'], colour: 'red' });
  });

  it('passes a journey’s date (day, month, year) through as the form reads it', () => {
    const seen = { day: '23', month: '11', year: '2026' };
    expect(composeAnswers(every, { ...CONTENT, attributes: { seen } }).seen).toEqual(seen);
  });
});

describe('unknownAttributes', () => {
  it('names codes that are not attributes, including questions the report fills itself', () => {
    expect(unknownAttributes(every, { plate: 'x', mail: 'y', home: 'z', nonsense: '1' })).toEqual([
      'mail',
      'home',
      'nonsense',
    ]);
  });
});

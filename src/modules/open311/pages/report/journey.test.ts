import { describe, expect, it } from 'vitest';
import {
  chooseProblem,
  firstIncomplete,
  mayVisit,
  nextStep,
  placeAt,
  previousStep,
  readState,
  type Facts,
  type JourneyState,
} from './journey.js';

const ALL: Facts = {
  problemKnown: true,
  placeFound: true,
  placesToPick: true,
  detailsAsked: true,
  detailsValid: true,
  contactValid: true,
};
const DONE: JourneyState = {
  code: 'report-a-pothole',
  where: { postcode: 'GL5 4UB' },
  pick: { near: true },
  details: { surface: 'road' },
  contact: { name: '', email: '', phone: '' },
};

describe('firstIncomplete', () => {
  it('is each step in turn as the state fills up', () => {
    expect(firstIncomplete({}, { ...ALL, problemKnown: false })).toBe('problem');
    expect(firstIncomplete({ code: 'report-a-pothole' }, ALL)).toBe('where');
    expect(firstIncomplete({ ...DONE, pick: undefined }, ALL)).toBe('place');
    expect(firstIncomplete({ ...DONE, details: undefined }, ALL)).toBe('details');
    expect(firstIncomplete({ ...DONE, contact: undefined }, ALL)).toBe('contact');
    expect(firstIncomplete(DONE, ALL)).toBe('check');
  });

  it('goes back to what a change made incomplete: the place, the details, the contact details', () => {
    expect(firstIncomplete(DONE, { ...ALL, placeFound: false })).toBe('where');
    expect(firstIncomplete(DONE, { ...ALL, detailsValid: false })).toBe('details');
    expect(firstIncomplete(DONE, { ...ALL, contactValid: false })).toBe('contact');
  });

  it('needs no pick for a point, nor details when the form asks none', () => {
    const point: JourneyState = {
      ...DONE,
      where: { latitude: 51.7, longitude: -2.2 },
      pick: undefined,
    };
    expect(firstIncomplete({ ...point, details: undefined }, { ...ALL, detailsAsked: false })).toBe(
      'check',
    );
  });
});

describe('mayVisit and nextStep', () => {
  it('refuses any step after the first incomplete one', () => {
    const state: JourneyState = { code: 'report-a-pothole' };
    expect(mayVisit('where', state, ALL)).toBe(true);
    expect(mayVisit('coordinates', state, ALL)).toBe(true);
    expect(mayVisit('details', state, ALL)).toBe(false);
    expect(mayVisit('check', state, ALL)).toBe(false);
  });

  it('offers the place picker only after a postcode with places', () => {
    expect(mayVisit('place', DONE, ALL)).toBe(true);
    expect(mayVisit('place', DONE, { ...ALL, placesToPick: false })).toBe(false);
    const point: JourneyState = { ...DONE, where: { latitude: 51.7, longitude: -2.2 } };
    expect(mayVisit('place', point, ALL)).toBe(false);
  });

  it('moves on to the next step that applies, or back to one a change made incomplete', () => {
    const point: JourneyState = { code: 'x', where: { latitude: 51.7, longitude: -2.2 } };
    expect(nextStep('coordinates', point, { ...ALL, detailsValid: false })).toBe('details');
    expect(nextStep('where', { ...DONE, pick: undefined }, ALL)).toBe('place');
    expect(nextStep('contact', DONE, ALL)).toBe('check');
    expect(nextStep('contact', DONE, { ...ALL, detailsValid: false })).toBe('details');
    expect(nextStep('problem', DONE, ALL)).toBe('where');
  });

  it('goes back past steps that do not apply', () => {
    const point: JourneyState = { ...DONE, where: { latitude: 51.7, longitude: -2.2 } };
    expect(previousStep('details', point, ALL)).toBe('where');
    expect(previousStep('details', DONE, ALL)).toBe('place');
    expect(previousStep('coordinates', DONE, ALL)).toBe('where');
    expect(previousStep('problem', DONE, ALL)).toBeUndefined();
  });
});

describe('events', () => {
  it('choosing another problem keeps the place and contact details but drops the old answers', () => {
    const changed = chooseProblem(DONE, 'report-graffiti');
    expect(changed).toEqual({ ...DONE, code: 'report-graffiti', details: undefined });
    expect(changed).not.toHaveProperty('details');
    expect(chooseProblem(DONE, DONE.code!)).toBe(DONE);
  });

  it('a new place drops the old pick', () => {
    expect(placeAt(DONE, { postcode: 'GL50 1PP' })).not.toHaveProperty('pick');
  });
});

describe('readState', () => {
  it('keeps what is well formed and drops anything else', () => {
    expect(readState(JSON.parse(JSON.stringify(DONE)))).toEqual(DONE);
    expect(
      readState({
        code: 7,
        where: { latitude: '51', longitude: -2 },
        pick: { street: { street: 'High Street', town: 'Stroud' } },
        details: ['x'],
        contact: { name: 'x' },
      }),
    ).toEqual({ pick: { street: { street: 'High Street', locality: null, town: 'Stroud' } } });
    expect(readState(null)).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { ANNOUNCED_CHANGES, bankHolidays, easterSunday, isBankHoliday } from './bank-holidays.js';

/** The England and Wales lists GOV.UK published (www.gov.uk/bank-holidays), written out by hand. */
const PUBLISHED: Record<number, string[]> = {
  2019: [
    '2019-01-01',
    '2019-04-19',
    '2019-04-22',
    '2019-05-06',
    '2019-05-27',
    '2019-08-26',
    '2019-12-25',
    '2019-12-26',
  ],
  2020: [
    '2020-01-01',
    '2020-04-10',
    '2020-04-13',
    '2020-05-08', // early May moved to Friday for VE day's 75th anniversary
    '2020-05-25',
    '2020-08-31',
    '2020-12-25',
    '2020-12-28', // Boxing Day (substitute day)
  ],
  2021: [
    '2021-01-01',
    '2021-04-02',
    '2021-04-05',
    '2021-05-03',
    '2021-05-31',
    '2021-08-30',
    '2021-12-27', // Christmas Day (substitute day)
    '2021-12-28', // Boxing Day (substitute day)
  ],
  2022: [
    '2022-01-03', // New Year's Day (substitute day)
    '2022-04-15',
    '2022-04-18',
    '2022-05-02',
    '2022-06-02', // spring bank holiday moved to Thursday
    '2022-06-03', // Platinum Jubilee
    '2022-08-29',
    '2022-09-19', // State Funeral of Queen Elizabeth II
    '2022-12-26',
    '2022-12-27', // Christmas Day (substitute day)
  ],
  2023: [
    '2023-01-02', // New Year's Day (substitute day)
    '2023-04-07',
    '2023-04-10',
    '2023-05-01',
    '2023-05-08', // coronation of King Charles III
    '2023-05-29',
    '2023-08-28',
    '2023-12-25',
    '2023-12-26',
  ],
  2024: [
    '2024-01-01',
    '2024-03-29',
    '2024-04-01',
    '2024-05-06',
    '2024-05-27',
    '2024-08-26',
    '2024-12-25',
    '2024-12-26',
  ],
  2025: [
    '2025-01-01',
    '2025-04-18',
    '2025-04-21',
    '2025-05-05',
    '2025-05-26',
    '2025-08-25',
    '2025-12-25',
    '2025-12-26',
  ],
  2026: [
    '2026-01-01',
    '2026-04-03',
    '2026-04-06',
    '2026-05-04',
    '2026-05-25',
    '2026-08-31',
    '2026-12-25',
    '2026-12-28', // Boxing Day (substitute day)
  ],
  2027: [
    '2027-01-01',
    '2027-03-26',
    '2027-03-29',
    '2027-05-03',
    '2027-05-31',
    '2027-08-30',
    '2027-12-27', // Christmas Day (substitute day)
    '2027-12-28', // Boxing Day (substitute day)
  ],
};

describe('bankHolidays', () => {
  for (const [year, expected] of Object.entries(PUBLISHED)) {
    it(`matches GOV.UK's list for ${year}`, () => {
      expect(bankHolidays(Number(year)).map((h) => h.date)).toEqual(expected);
    });
  }

  it('names substitute days as GOV.UK does', () => {
    expect(bankHolidays(2022).find((h) => h.date === '2022-12-27')?.name).toBe(
      'Christmas Day (substitute day)',
    );
    expect(bankHolidays(2023)[0]).toEqual({
      date: '2023-01-02',
      name: 'New Year’s Day (substitute day)',
    });
  });

  it('finds Easter Sunday by the anonymous Gregorian algorithm, early and late', () => {
    expect(easterSunday(2008)).toBe('2008-03-23');
    expect(easterSunday(2011)).toBe('2011-04-24');
    expect(easterSunday(2038)).toBe('2038-04-25');
    expect(easterSunday(2285)).toBe('2285-03-22');
  });

  it('applies every announced change in its year, and the usual rules in years without one', () => {
    for (const change of ANNOUNCED_CHANGES) {
      const year = Number((change.kind === 'moved' ? change.to : change.date).slice(0, 4));
      const dates = bankHolidays(year).map((h) => h.date);
      if (change.kind === 'moved') {
        expect(dates).toContain(change.to);
        expect(dates).not.toContain(change.from);
      } else expect(dates).toContain(change.date);
    }
    expect(bankHolidays(2028).map((h) => h.date)).toEqual([
      '2028-01-03',
      '2028-04-14',
      '2028-04-17',
      '2028-05-01',
      '2028-05-29',
      '2028-08-28',
      '2028-12-25',
      '2028-12-26',
    ]);
  });

  it('has eight days a year at least, every one a weekday', () => {
    for (let year = 2000; year <= 2100; year++) {
      const days = bankHolidays(year);
      expect(days.length).toBeGreaterThanOrEqual(8);
      for (const { date } of days)
        expect(new Date(`${date}T12:00:00Z`).getUTCDay() % 6).not.toBe(0);
      expect(new Set(days.map((d) => d.date)).size).toBe(days.length);
    }
  });

  it('answers whether a date is one', () => {
    expect(isBankHoliday('2023-05-08')).toBe(true);
    expect(isBankHoliday('2023-05-09')).toBe(false);
  });

  it('refuses a year it cannot know', () => {
    expect(() => bankHolidays(1200)).toThrow(RangeError);
    expect(() => bankHolidays(2026.5)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, loadMessages, translator } from './i18n.js';

describe('messages', () => {
  it('has a Welsh message for every English one, and no Welsh message without an English one', async () => {
    const messages = await loadMessages();
    const english = Object.keys(messages.en).sort();
    expect(english.length).toBeGreaterThan(20);
    expect(Object.keys(messages.cy).sort()).toEqual(english);
    for (const key of english) expect(messages.cy[key], key).not.toBe('');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator({ en: { hi: 'Hello {name} {other}' }, cy: {} }, 'cy');
    expect(t('hi', { name: 'Aled' })).toBe('Hello Aled {other}');
    expect(t('missing.key')).toBe('missing.key');
  });
});

describe('dates', () => {
  it('writes dates as GOV.UK does, in UK time, in both languages', () => {
    expect(formatDate('2026-12-03', 'en')).toBe('3 December 2026');
    expect(formatDate('2026-12-03', 'cy')).toBe('3 Rhagfyr 2026');
    expect(formatDate('2026-12-01', 'en', { weekday: true })).toBe('Tuesday 1 December 2026');
    expect(formatDate('2026-12-01', 'cy', { weekday: true })).toBe('Dydd Mawrth 1 Rhagfyr 2026');
    expect(formatDateTime(new Date('2026-11-24T10:02:00Z'), 'en')).toBe('24 November 2026, 10:02');
    expect(formatDateTime(new Date('2026-07-01T23:30:00Z'), 'en')).toBe('2 July 2026, 00:30');
  });
});

import { describe, expect, it } from 'vitest';
import { calendarFile, escapeText, foldLine, icsTime } from './ics.js';

describe('calendar files', () => {
  it('writes UTC times and escapes text as RFC 5545 says', () => {
    expect(icsTime(new Date('2026-07-01T08:00:00.000Z'))).toBe('20260701T080000Z');
    expect(escapeText('Hall; stage, bar\\back\nline')).toBe('Hall\\; stage\\, bar\\\\back\\nline');
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const folded = foldLine(`DESCRIPTION:${'ŵ'.repeat(60)}`);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(lines.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(
      `DESCRIPTION:${'ŵ'.repeat(60)}`,
    );
  });

  it('ends every line with CRLF and has one event with UID and DTSTAMP', () => {
    const text = calendarFile({
      uid: 'abc@example.gov.uk',
      stamp: new Date('2026-06-01T12:00:00Z'),
      start: new Date('2026-07-01T08:00:00Z'),
      end: new Date('2026-07-01T09:00:00Z'),
      summary: 'Hall',
      location: 'George Street, Stroud',
      description: 'BK-1',
      cancelled: false,
    });
    expect(
      text
        .split('\r\n')
        .slice(0, -1)
        .every((l) => !/[\r\n]/.test(l)),
    ).toBe(true);
    expect(text).toContain('\r\nUID:abc@example.gov.uk\r\n');
    expect(text).toContain('\r\nDTSTAMP:20260601T120000Z\r\n');
    expect(text).toContain('\r\nDTSTART:20260701T080000Z\r\nDTEND:20260701T090000Z\r\n');
    expect(text).toContain('LOCATION:George Street\\, Stroud');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorView, formText, safeReturnPath } from './forms.js';

describe('safeReturnPath', () => {
  it('keeps a path on this site', () => {
    expect(safeReturnPath('/services/bulky-waste/start?x=1')).toBe(
      '/services/bulky-waste/start?x=1',
    );
  });

  it('refuses other sites, protocol-relative and backslash tricks', () => {
    for (const bad of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '',
      42,
    ]) {
      expect(safeReturnPath(bad, '/home')).toBe('/home');
    }
  });

  it('never returns anything that leaves the site, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const result = safeReturnPath(value);
        expect(result.startsWith('/')).toBe(true);
        expect(result.startsWith('//')).toBe(false);
        expect(result.startsWith('/\\')).toBe(false);
      }),
    );
  });
});

describe('form helpers', () => {
  it('trims text and ignores arrays', () => {
    expect(formText({ a: '  x ' }, 'a')).toBe('x');
    expect(formText({ a: ['x'] }, 'a')).toBe('');
    expect(formText(undefined, 'a')).toBe('');
  });

  it('links each error in the summary to its field and keeps the first error per field', () => {
    const view = errorView(
      [
        { field: 'email', message: 'first' },
        { field: 'email', message: 'second' },
      ],
      (key) => key.toUpperCase(),
    );
    expect(view.errorList).toEqual([
      { text: 'FIRST', href: '#email' },
      { text: 'SECOND', href: '#email' },
    ]);
    expect(view.fieldErrors.email).toEqual({ text: 'FIRST' });
  });
});

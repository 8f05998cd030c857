import { describe, expect, it } from 'vitest';
import { contentProblems } from './content.js';
import { withDefaults } from './publish-service.js';

const ENGLISH_ONLY = withDefaults({
  organisationId: '00000000-0000-0000-0000-000000000000',
  slug: 'english-only',
  title: 'Hire a marquee',
  titleCy: '',
  summary: 'Hire the council’s marquee for a community event.',
  summaryCy: '',
  body: 'Book at least 4 weeks ahead.',
  bodyCy: '',
});

describe('what a service needs before it is published', () => {
  it('accepts a service written only in English, so Welsh can follow', () => {
    expect(contentProblems(ENGLISH_ONLY)).toEqual([]);
  });

  it('still needs the English title and summary', () => {
    const problems = contentProblems({ ...ENGLISH_ONLY, title: ' ', summary: '' });
    expect(problems).toEqual([
      { field: 'title', message: 'catalogue.staff.error.title' },
      { field: 'summary', message: 'catalogue.staff.error.summary' },
    ]);
  });

  it('refuses a Welsh title longer than 120 characters', () => {
    const problems = contentProblems({ ...ENGLISH_ONLY, titleCy: 'a'.repeat(121) });
    expect(problems).toEqual([{ field: 'title', message: 'catalogue.staff.error.titleLength' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { fileIdsOf, readAnswer, readQuestion, readReviewReasons } from './form.js';

const TODAY = '2026-03-02';
const date = (day: string, month: string, year: string) => ({
  'replyBy-day': day,
  'replyBy-month': month,
  'replyBy-year': year,
});

describe('reading "Ask the applicant for information"', () => {
  it('takes a question without a reply-by date', () => {
    expect(readQuestion({ question: '  Send a photo  ' }, TODAY)).toEqual({
      ok: true,
      question: { question: 'Send a photo', replyBy: null },
    });
  });

  it('takes a reply-by date from tomorrow to a year ahead', () => {
    const read = readQuestion({ question: 'Q', ...date('3', '3', '2026') }, TODAY);
    expect(read).toEqual({ ok: true, question: { question: 'Q', replyBy: '2026-03-03' } });
    expect(readQuestion({ question: 'Q', ...date('3', '3', '2027') }, TODAY).ok).toBe(true);
  });

  it('refuses a missing or over-long question', () => {
    expect(readQuestion({ question: ' ' }, TODAY)).toEqual({
      ok: false,
      errors: [{ field: 'question', message: 'casework.information.errors.questionRequired' }],
    });
    expect(readQuestion({ question: 'x'.repeat(2001) }, TODAY)).toMatchObject({
      ok: false,
      errors: [{ field: 'question', message: 'casework.information.errors.questionTooLong' }],
    });
    expect(readQuestion({ question: 'x'.repeat(2000) }, TODAY).ok).toBe(true);
  });

  it('refuses a reply-by date today or before, over a year ahead, part-given or unreal', () => {
    const problem = (day: string, month: string, year: string) => {
      const read = readQuestion({ question: 'Q', ...date(day, month, year) }, TODAY);
      return read.ok ? null : read.errors.map((e) => `${e.field} ${e.message}`);
    };
    const key = (name: string) => [`replyBy-day casework.information.errors.${name}`];
    expect(problem('2', '3', '2026')).toEqual(key('replyByPast'));
    expect(problem('4', '3', '2027')).toEqual(key('replyByTooFar'));
    expect(problem('', '3', '2026')).toEqual(key('replyBy.incomplete'));
    expect(problem('31', '2', '2027')).toEqual(key('replyBy.invalid'));
  });

  it('reports every problem at once, in the order of the page', () => {
    const read = readQuestion({ question: '', ...date('1', '1', '2020') }, TODAY);
    expect(read.ok ? [] : read.errors.map((e) => e.field)).toEqual(['question', 'replyBy-day']);
  });
});

describe('reading an answer', () => {
  it('takes the text, trimmed, up to 5,000 characters', () => {
    expect(readAnswer({ answer: ' Yes ' })).toEqual({ ok: true, answer: 'Yes' });
    expect(readAnswer({ answer: 'x'.repeat(5000) }).ok).toBe(true);
  });

  it('refuses an empty or over-long answer', () => {
    expect(readAnswer({ answer: '' })).toMatchObject({ ok: false, errors: [{ field: 'answer' }] });
    expect(readAnswer({})).toMatchObject({ ok: false, errors: [{ field: 'answer' }] });
    expect(readAnswer({ answer: 'x'.repeat(5001) })).toMatchObject({
      ok: false,
      errors: [{ message: 'casework.information.errors.answerTooLong' }],
    });
  });

  it('reads the uploaded files’ ids once each, whatever the form sent', () => {
    expect(fileIdsOf({ files: ['a', 'b', 'a', ''] })).toEqual(['a', 'b']);
    expect(fileIdsOf({ files: 'a' })).toEqual(['a']);
    expect(fileIdsOf({})).toEqual([]);
    expect(fileIdsOf({ files: [{ id: 'a' }] })).toEqual([]);
  });
});

describe('reading a request for review', () => {
  it('takes the reasons and refuses none or too many', () => {
    expect(readReviewReasons({ reasons: ' It was wrong ' })).toEqual({
      ok: true,
      reasons: 'It was wrong',
    });
    expect(readReviewReasons({ reasons: '' })).toMatchObject({ ok: false });
    expect(readReviewReasons({ reasons: 'x'.repeat(5001) })).toMatchObject({ ok: false });
  });
});

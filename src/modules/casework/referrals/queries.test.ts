import { describe, expect, it } from 'vitest';
import { fileAnswers, sharedAnswers } from './queries.js';

const letter = { id: 'a1', name: 'gp-letter.pdf', type: 'application/pdf', size: 2048 };
const photo = { id: 'b2', name: 'stairs.jpg', type: 'image/jpeg', size: 9000 };
const submission = {
  answers: {
    values: { reasons: 'Too dear', evidence: [letter], rooms: [{ room: 'Hall', photos: [photo] }] },
    summary: {
      en: [
        { question: 'Why?', answer: 'Too dear' },
        { question: 'Evidence', answer: 'gp-letter.pdf' },
        { question: 'Photos', answer: 'stairs.jpg\nnot a file' },
      ],
      cy: [{ question: 'Pam?', answer: 'Rhy ddrud' }],
    },
  },
};

describe('the shared answers', () => {
  it('finds file answers at any depth, repeated groups included', () => {
    expect(fileAnswers(submission.answers.values)).toEqual([
      { id: 'a1', name: 'gp-letter.pdf' },
      { id: 'b2', name: 'stairs.jpg' },
    ]);
    expect(fileAnswers({ name: 'not a file', id: 'x' })).toEqual([]);
  });

  it('withholds the names of files when the attachments are not shared', () => {
    expect(sharedAnswers(submission, 'en', false, '[file]')).toEqual([
      { question: 'Why?', answer: 'Too dear' },
      { question: 'Evidence', answer: '[file]' },
      { question: 'Photos', answer: '[file]\nnot a file' },
    ]);
  });

  it('shows the answers as sent, in the reader’s language, when the attachments are shared too', () => {
    expect(sharedAnswers(submission, 'en', true, '[file]')).toEqual(submission.answers.summary.en);
    expect(sharedAnswers(submission, 'cy', false, '[ffeil]')).toEqual(
      submission.answers.summary.cy,
    );
  });
});

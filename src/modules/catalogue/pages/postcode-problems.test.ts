import { describe, expect, it } from 'vitest';
import { loadMessages, translator } from '../../../platform/i18n/i18n.js';
import { POSTCODE_PROBLEM_KEYS, postcodeProblemView } from './postcode-problems.js';

describe('postcode problems', () => {
  it('has an English and a Welsh message for every reason a postcode gives no body', async () => {
    const messages = await loadMessages();
    for (const key of Object.values(POSTCODE_PROBLEM_KEYS)) {
      expect(messages.en[key], key).toBeTruthy();
      expect(messages.cy[key], key).toBeTruthy();
    }
  });

  it('names the month a postcode stopped being used, in the reader’s language', async () => {
    const messages = await loadMessages();
    const failure = {
      ok: false,
      problem: 'terminated',
      postcode: 'GL5 2ZZ',
      terminated: '201504',
    } as const;
    const en = postcodeProblemView(failure, 'gl52zz', {
      t: translator(messages, 'en'),
      locale: 'en',
    });
    const cy = postcodeProblemView(failure, 'gl52zz', {
      t: translator(messages, 'cy'),
      locale: 'cy',
    });
    expect(en.errorList[0]!.text).toMatch(/^GL5 2ZZ stopped being used in April 2015\./);
    expect(cy.fieldErrors.postcode.text).toMatch(/^Daeth GL5 2ZZ i ben ym mis Ebrill 2015\./);
  });

  it('shows the postcode as typed when it could not be read, and links the summary to the box', async () => {
    const t = translator(await loadMessages(), 'en');
    const view = postcodeProblemView({ ok: false, problem: 'unknown' }, ' gl5 9zz ', {
      t,
      locale: 'en',
    });
    expect(view.errorList).toEqual([
      { text: 'We cannot find the postcode gl5 9zz. Check it and try again', href: '#postcode' },
    ]);
    expect(view.fieldErrors.postcode).toEqual({
      text: 'We cannot find the postcode gl5 9zz. Check it and try again',
      visuallyHiddenText: 'Error',
    });
  });
});

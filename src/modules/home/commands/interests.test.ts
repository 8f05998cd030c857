import { describe, expect, it } from 'vitest';
import { readInterests } from './interests.js';

describe('reading what a person tells us', () => {
  it('keeps each known value once, in the order of the vocabulary', () => {
    expect(
      readInterests({
        lifeEvents: ['retiring', 'having-a-baby', 'retiring'],
        customerGroups: 'carers',
      }),
    ).toEqual({
      ok: true,
      interests: { lifeEvents: ['having-a-baby', 'retiring'], customerGroups: ['carers'] },
    });
  });

  it('takes nothing ticked as telling us nothing', () => {
    expect(readInterests({ lifeEvents: undefined, customerGroups: undefined })).toEqual({
      ok: true,
      interests: { lifeEvents: [], customerGroups: [] },
    });
  });

  it('refuses the whole form when one value is not in the list, naming the group it was in', () => {
    expect(
      readInterests({ lifeEvents: ['retiring', 'winning-the-lottery'], customerGroups: [] }),
    ).toEqual({
      ok: false,
      errors: [{ field: 'lifeEvents', message: 'home.interests.errors.lifeEvents' }],
    });
    expect(readInterests({ lifeEvents: [], customerGroups: ['carers', 'Carers'] })).toEqual({
      ok: false,
      errors: [{ field: 'customerGroups', message: 'home.interests.errors.customerGroups' }],
    });
  });

  it('refuses values that are not text, such as a nested object from a crafted form', () => {
    const outcome = readInterests({ lifeEvents: [{ value: 'retiring' }], customerGroups: 42 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.errors.map((e) => e.field)).toEqual(['lifeEvents', 'customerGroups']);
  });
});

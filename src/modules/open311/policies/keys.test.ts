import { describe, expect, it } from 'vitest';
import { HUB_KEY_SCOPES } from '../../submissions/index.js';
import { mayReport } from './keys.js';

describe('mayReport', () => {
  it('lets an open311 key send reports', () => {
    expect(mayReport({ scope: 'open311' })).toBe(true);
  });

  it('refuses every other kind of hub key', () => {
    for (const scope of HUB_KEY_SCOPES.filter((s) => s !== 'open311'))
      expect(mayReport({ scope }), scope).toBe(false);
  });
});

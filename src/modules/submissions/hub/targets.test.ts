import { describe, expect, it } from 'vitest';
import { ttlCache } from './targets.js';

describe('the submit route’s short-lived cache', () => {
  it('answers from memory until the time is up, then looks again', async () => {
    let clock = 0;
    let loads = 0;
    const cache = ttlCache<string>(5_000, () => clock);
    const load = async () => `v${++loads}`;
    expect(await cache('bulky-waste', load)).toBe('v1');
    clock = 4_999;
    expect(await cache('bulky-waste', load)).toBe('v1');
    clock = 5_000;
    expect(await cache('bulky-waste', load)).toBe('v2');
  });

  it('shares one lookup between requests that arrive together', async () => {
    let loads = 0;
    const cache = ttlCache<number>(5_000, () => 0);
    const load = async () => ++loads;
    expect(await Promise.all([cache('a', load), cache('a', load), cache('a', load)])).toEqual([
      1, 1, 1,
    ]);
  });

  it('does not remember a service not found, a failed lookup or a value not worth keeping', async () => {
    const cache = ttlCache<string>(
      5_000,
      () => 0,
      (value) => value !== 'no form yet',
    );
    expect(await cache('a', async () => undefined)).toBeUndefined();
    expect(await cache('a', async () => 'found')).toBe('found');
    await expect(cache('b', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache('b', async () => 'back')).toBe('back');
    expect(await cache('c', async () => 'no form yet')).toBe('no form yet');
    expect(await cache('c', async () => 'published')).toBe('published');
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, contrastAgainstWhite, loadConfig } from './config.js';

const LIVE_SECRET = 'a-live-site-needs-its-own-secret-0123456789';

describe('loadConfig', () => {
  it('gives safe-to-run defaults and warns about the development ones', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.warnings.join(' ')).toMatch(/SESSION_SECRET/);
    expect(config.warnings.join(' ')).toMatch(/SMTP_URL/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', BRAND_COLOUR: '#ffff00' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/DATABASE_URL/);
      expect(problems).toMatch(/BRAND_COLOUR: must have 4.5:1 contrast/);
    }
  });

  it('refuses the public development SESSION_SECRET on a site that is not this machine', () => {
    expect(() => loadConfig({ BASE_URL: 'https://services.example.gov.uk' })).toThrow(
      /SESSION_SECRET: must be your own/,
    );
    expect(loadConfig({ BASE_URL: 'http://localhost:3000' }).warnings.join(' ')).toMatch(
      /SESSION_SECRET is the development default/,
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('allows webhooks to private addresses by default only on a development site, and warns when a live one allows them', () => {
    expect(loadConfig({}).hubAllowPrivateWebhooks).toBe(true);
    expect(loadConfig({ BASE_URL: 'http://127.0.0.1:3000' }).hubAllowPrivateWebhooks).toBe(true);
    const live = loadConfig({
      BASE_URL: 'https://services.example.gov.uk',
      SESSION_SECRET: LIVE_SECRET,
    });
    expect(live.hubAllowPrivateWebhooks).toBe(false);
    expect(live.warnings.join(' ')).not.toMatch(/HUB_ALLOW_PRIVATE_WEBHOOKS/);
    const opened = loadConfig({
      BASE_URL: 'https://services.example.gov.uk',
      SESSION_SECRET: LIVE_SECRET,
      HUB_ALLOW_PRIVATE_WEBHOOKS: 'true',
    });
    expect(opened.hubAllowPrivateWebhooks).toBe(true);
    expect(opened.warnings.join(' ')).toMatch(/HUB_ALLOW_PRIVATE_WEBHOOKS is true/);
    expect(loadConfig({ HUB_ALLOW_PRIVATE_WEBHOOKS: 'false' }).hubAllowPrivateWebhooks).toBe(false);
  });

  it('reads SESSION_SECRETS_PREVIOUS as a comma-separated list held to the rules of SESSION_SECRET', () => {
    const old = 'the-secret-this-site-had-before-0123456789';
    const older = 'the-secret-this-site-had-before-that-01234';
    expect(loadConfig({}).SESSION_SECRETS_PREVIOUS).toEqual([]);
    const rotated = loadConfig({ SESSION_SECRETS_PREVIOUS: ` ${old} , ${older},` });
    expect(rotated.SESSION_SECRETS_PREVIOUS).toEqual([old, older]);
    expect(Object.isFrozen(rotated.SESSION_SECRETS_PREVIOUS)).toBe(true);
    expect(() => loadConfig({ SESSION_SECRETS_PREVIOUS: `${old},too-short` })).toThrow(
      /SESSION_SECRETS_PREVIOUS\.1: each must be at least 32 characters/,
    );
    expect(() =>
      loadConfig({
        BASE_URL: 'https://services.example.gov.uk',
        SESSION_SECRET: LIVE_SECRET,
        SESSION_SECRETS_PREVIOUS: 'joinedup-development-session-secret-change-me',
      }),
    ).toThrow(/SESSION_SECRETS_PREVIOUS: must not hold the public development secret/);
  });

  it('requires a second factor of staff by default everywhere but a development site, and warns when a live site turns it off', () => {
    expect(loadConfig({}).staffSecondFactor).toBe(false);
    expect(loadConfig({ STAFF_SECOND_FACTOR: 'required' }).staffSecondFactor).toBe(true);
    const live = { BASE_URL: 'https://services.example.gov.uk', SESSION_SECRET: LIVE_SECRET };
    expect(loadConfig(live).staffSecondFactor).toBe(true);
    expect(loadConfig(live).warnings.join(' ')).not.toMatch(/STAFF_SECOND_FACTOR/);
    const off = loadConfig({ ...live, STAFF_SECOND_FACTOR: 'off' });
    expect(off.staffSecondFactor).toBe(false);
    expect(off.warnings.join(' ')).toMatch(/STAFF_SECOND_FACTOR is off/);
    expect(() => loadConfig({ STAFF_SECOND_FACTOR: 'sometimes' })).toThrow(/STAFF_SECOND_FACTOR/);
  });
});

describe('contrastAgainstWhite', () => {
  it('matches the WCAG figures for black and the GOV.UK link blue', () => {
    expect(contrastAgainstWhite('#000000')).toBeCloseTo(21, 0);
    expect(contrastAgainstWhite('#1d70b8')).toBeGreaterThan(4.5);
    expect(contrastAgainstWhite('#ffffff')).toBeCloseTo(1, 5);
  });
});

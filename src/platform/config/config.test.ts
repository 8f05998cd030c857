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
});

describe('contrastAgainstWhite', () => {
  it('matches the WCAG figures for black and the GOV.UK link blue', () => {
    expect(contrastAgainstWhite('#000000')).toBeCloseTo(21, 0);
    expect(contrastAgainstWhite('#1d70b8')).toBeGreaterThan(4.5);
    expect(contrastAgainstWhite('#ffffff')).toBeCloseTo(1, 5);
  });
});

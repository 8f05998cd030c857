import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Browser journeys need Debian's Chromium; without it they are left out, and said so.
const chromium = existsSync('/usr/bin/chromium');
if (!chromium)
  console.warn(
    'Browser tests skipped: /usr/bin/chromium is missing (apt-get install -y chromium).',
  );

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', ...(chromium ? [] : ['test/browser/**'])],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: 'silent' },
  },
});

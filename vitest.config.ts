import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Browser journeys need Debian's Chromium; without it they are left out, and said so.
// BROWSER_TESTS=off leaves them out on purpose (CI runs them once, on PGlite).
const chromium = existsSync('/usr/bin/chromium');
const browsers = chromium && process.env.BROWSER_TESTS !== 'off';
if (!chromium)
  console.warn(
    'Browser tests skipped: /usr/bin/chromium is missing (apt-get install -y chromium).',
  );

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', ...(browsers ? [] : ['test/browser/**'])],
    pool: 'forks',
    // Most test files wait on a database, a child process or Chromium rather than the CPU, so one
    // more worker than cores (vitest's default is one fewer) keeps a 2-core machine busy.
    maxWorkers: availableParallelism() + 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: 'silent' },
  },
});

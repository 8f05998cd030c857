import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Browser journeys need Debian's Chromium; without it they are left out, and said so.
// BROWSER_TESTS=off leaves them out on purpose (CI runs them once, on PGlite).
const chromium = existsSync('/usr/bin/chromium');
const browsers = chromium && process.env.BROWSER_TESTS !== 'off';
if (!chromium)
  console.warn(
    'Browser tests skipped: /usr/bin/chromium is missing (apt-get install -y chromium).',
  );

const include = ['src/**/*.test.ts', 'test/**/*.test.ts'];
// Tests that never touch the database a run is pointed at (property tests of the Open311 XML
// writer, the answer validator, the rule evaluator and identifier validators, thousands of cases
// each; the ASVS checklist's check) run in the PGlite pass only. With DATABASE_URL they would prove the same thing again, and CI, which
// runs both passes, has no time to spare. (Other such files skip themselves: fuzz, injection sweep.)
const DATABASE_FREE = [
  'src/modules/open311/xml/xml.test.ts',
  'src/modules/forms/validate.property.test.ts',
  'src/modules/rules/evaluate.property.test.ts',
  'src/modules/references/validation/identifiers.property.test.ts',
  'test/security/asvs-checklist.test.ts',
];
const exclude = [
  'node_modules/**',
  'dist/**',
  ...(browsers ? [] : ['test/browser/**']),
  ...(process.env.DATABASE_URL ? DATABASE_FREE : []),
];
// Test files that replace a module (vi.mock) need a module graph of their own.
const mocking = ['src/modules/identity/commands/authenticate.integration.test.ts'];

// Files that run child processes or Chromium take a minute or more each. Started last, one of
// them would keep a worker busy long after the others finished; started first, the short files
// fill in around them. (Vitest orders by last run's durations when it has them, and a fresh
// checkout in CI has none.)
const LONG =
  /test\/(durability|browser)\/|test\/integration\/operations\.|test\/security\/(authorisation|injection-everywhere)\./;
class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const long = (spec: TestSpecification) => LONG.test(spec.moduleId);
    return [...sorted.filter(long), ...sorted.filter((spec) => !long(spec))];
  }
}

export default defineConfig({
  test: {
    // Migrates and seeds once; each test file starts from a copy.
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    sequence: { sequencer: LongFilesFirst },
    // Most test files wait on a database, a child process or Chromium rather than the CPU, so one
    // more worker than cores (vitest's default is one fewer) keeps a 2-core machine busy.
    maxWorkers: availableParallelism() + 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: 'silent' },
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include,
          // Passwords hashed at argon2id's cheapest (see the file). Not in 'isolated': its file
          // mocks the passwords module, which this would load first.
          setupFiles: ['test/helpers/cheap-hashes.ts'],
          exclude: [...exclude, ...mocking],
          // A worker keeps the modules it has loaded for its next test file: loading the whole
          // platform again for every file cost more than half the suite's time. Every file
          // still builds its own app over its own database (test/helpers/app.ts).
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: mocking, exclude } },
    ],
  },
});

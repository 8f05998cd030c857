/**
 * The load figures CI measures (issue 14): `npx tsx bench/ci-figures.ts --out FILE`, run by
 * `.ci/run` after the test suite, on the CI machine's PostgreSQL. It runs two of the benchmarks
 * briefly (2 s a scenario) as separate processes, one after the other, nothing else running:
 *
 *   bench/run.ts          the citizen's journey: a service page, a question page sent (session,
 *                         CSRF, validation, draft saved) and an application submitted, against a
 *                         bare Fastify page;
 *   bench/submissions.ts  the submission hub API and its webhook deliveries, against a bare
 *                         INSERT (PostgreSQL only here).
 *
 * Both databases keep `synchronous_commit = on`, as production must (see
 * docs/operations/production.md). From their results it writes FILE (Markdown: the figures, the
 * machine, the commit, and the county, region and nation sizing worked from those figures), and
 * prints it. docs/operations/load-figures.md is the file a CI run wrote, committed as it was.
 *
 * Like every bench it asserts no timing: it exits 1 only if a bench fails or records nothing.
 *
 * @example DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/ci-figures.ts --out /tmp/load.md
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Row } from './lib.js';

const SECONDS = 2;
const DELIVERIES = 300;

/** What the sizing assumes of an area's people (docs/operations/production.md says why). */
const TRANSACTIONS_A_YEAR_EACH = 12;
const PAGES_A_TRANSACTION = 15;
const MESSAGES_A_TRANSACTION = 2;
const PEAK_OVER_AVERAGE = 10;
const HOURS_A_YEAR = 8_760;
const AREAS = [
  { area: 'County (e.g. Gloucestershire)', people: 650_000 },
  { area: 'Region (e.g. South West)', people: 5_700_000 },
  { area: 'Nation (England)', people: 57_000_000 },
];

interface Recorded {
  bench: string;
  database: string;
  seconds: number;
  rows: Row[];
  extra: Record<string, number>;
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function onServer<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Runs one bench as its own process; its output goes to ours. */
function runBench(script: string, args: string[], env: Record<string, string>): void {
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join('bench', script), ...args],
    {
      stdio: 'inherit',
      env: { ...process.env, BENCH_SECONDS: String(SECONDS), BENCH_WARMUP: '1', ...env },
    },
  );
  console.log(`(${script}: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (result.status !== 0) throw new Error(`bench/${script} failed (exit ${result.status})`);
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function scenario(results: Recorded[], bench: string, name: string): Row {
  const row = results.find((r) => r.bench === bench)?.rows.find((r) => r.scenario === name);
  if (!row) throw new Error(`No result for ${bench} › ${name}`);
  return row;
}

function figuresTable(results: Recorded[]): string {
  const lines = [
    '| Bench › scenario | req/s | p50 ms | p99 ms | ratio to its baseline |',
    '| ---------------- | ----: | -----: | -----: | --------------------: |',
  ];
  for (const { bench, rows } of results) {
    const baseline = rows[0]!.reqPerSec;
    for (const row of rows)
      lines.push(
        `| ${bench} › ${row.scenario} | ${n(row.reqPerSec)} | ${row.p50 < 1 ? '<1' : n(row.p50)} | ` +
          `${row.p99 < 1 ? '<1' : n(row.p99)} | ${(row.reqPerSec / baseline).toFixed(3)} |`,
      );
  }
  return lines.join('\n');
}

/** The county, region and nation sizing, worked from this run's heavy page and deliveries. */
function sizing(heavyPagesPerSecond: number, deliveriesPerSecond: number, cpus: number): string {
  const msPerPage = (cpus * 1000) / heavyPagesPerSecond;
  const rows = AREAS.map(({ area, people }) => {
    const perHour = (people * TRANSACTIONS_A_YEAR_EACH) / HOURS_A_YEAR;
    const pages = ((perHour * PAGES_A_TRANSACTION) / 3600) * PEAK_OVER_AVERAGE;
    const messages = ((perHour * MESSAGES_A_TRANSACTION) / 3600) * PEAK_OVER_AVERAGE;
    const vcpu = (pages * msPerPage) / 1000;
    const workers = Math.max(1, Math.ceil(messages / deliveriesPerSecond));
    return (
      `| ${area} | ${n(people / 1e6, 2)} M | ${n((people * TRANSACTIONS_A_YEAR_EACH) / 1e6, 1)} M | ` +
      `${n(pages, 1)} | ${n(vcpu, 1)} | ${n(messages, 1)} | ${workers} |`
    );
  });
  return [
    `A heavy page (a question page sent: session, CSRF check, validation, draft saved, redirect) cost`,
    `**${cpus} vCPUs ÷ ${n(heavyPagesPerSecond)} pages/s = ${n(msPerPage, 1)} vCPU-ms**, database`,
    `included. With ${TRANSACTIONS_A_YEAR_EACH} transactions a person a year, ${PAGES_A_TRANSACTION} heavy pages and`,
    `${MESSAGES_A_TRANSACTION} outbox messages a transaction, and a busiest hour ${PEAK_OVER_AVERAGE} times the average:`,
    '',
    '| Area | People | Transactions a year | Peak heavy pages/s | Peak vCPU | Peak messages/s | 2-vCPU workers |',
    '| ---- | -----: | ------------------: | -----------------: | --------: | --------------: | -------------: |',
    ...rows,
    '',
    `Workers: one 2-vCPU machine delivered ${n(deliveriesPerSecond)} webhooks a second in this run.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const out = option('out');
  const serverUrl = process.env.DATABASE_URL;
  if (!out || !serverUrl) {
    console.error('Usage: DATABASE_URL=postgres://… npx tsx bench/ci-figures.ts --out FILE');
    process.exit(2);
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'joinedup-ci-figures-'));
  const resultsFile = path.join(scratch, 'results.jsonl');
  const loadBefore = os.loadavg()[0]!;
  const version = await onServer(
    serverUrl,
    async (c) =>
      (await c.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0]!.v,
  );
  // The journey bench seeds the demo into an empty database of its own.
  const journeyDb = `ju_load_${randomBytes(6).toString('hex')}`;
  const journeyUrl = new URL(serverUrl);
  journeyUrl.pathname = `/${journeyDb}`;
  await onServer(serverUrl, (c) => c.query(`create database ${journeyDb}`));
  try {
    const env = { BENCH_RESULTS: resultsFile, BENCH_DURABLE_COMMIT: 'on' };
    runBench('run.ts', [], { ...env, DATABASE_URL: journeyUrl.toString() });
    // Two turns each of the baseline and the hub (a second each), not the bench's five.
    runBench('submissions.ts', ['--deliveries', String(DELIVERIES), '--rounds', '2'], {
      ...env,
      DATABASE_URL: serverUrl,
      BENCH_ONLY: 'postgres',
    });
  } finally {
    await onServer(serverUrl, (c) => c.query(`drop database if exists ${journeyDb} with (force)`));
  }

  const results = readFileSync(resultsFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Recorded);
  rmSync(scratch, { recursive: true, force: true });
  const heavy = scenario(results, 'journey', 'form page POST');
  const hub = scenario(results, 'submissions', 'hub submit');
  const deliveries = results.find((r) => r.bench === 'submissions')!.extra
    .webhookDeliveriesPerSecond!;
  const cpus = os.cpus().length;
  const text = [
    '# Load figures, measured by CI',
    '',
    '<!-- Written by bench/ci-figures.ts in a run of .ci/run; do not edit by hand. -->',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at commit \`${commit()}\` by`,
    `\`.ci/run\` (its "Load figures" step), after the test suite, nothing else running: ${cpus} CPUs,`,
    `Node ${process.version}, PostgreSQL ${version} on the same machine with \`synchronous_commit = on\`,`,
    `one-minute load average ${loadBefore.toFixed(1)} when it began (still counting the tests just ended);`,
    `${SECONDS} s a scenario after 1 s of warm-up,`,
    `10 connections, the load generator in the benchmark's own process. What each scenario does:`,
    '[benchmarks.md](benchmarks.md) (journey: `npm run bench`; submissions: `npm run bench:submissions`).',
    '',
    figuresTable(results),
    '',
    `Webhook deliveries (the outbox worker, to a local receiver checking each signature): ${n(deliveries)} a second.`,
    `The hub took ${n(hub.reqPerSec)} submissions a second (p99 ${n(hub.p99)} ms).`,
    '',
    '## Sizing from these figures',
    '',
    sizing(heavy.reqPerSec, deliveries, cpus),
    '',
    'How to read and apply this: [production.md › How big](production.md#how-big-county-region-nation).',
    '',
  ].join('\n');
  writeFileSync(out, text);
  console.log(`\n${text}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

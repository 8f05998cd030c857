/**
 * What the benchmarks (bench/run.ts, bench/identity.ts, bench/notify.ts) share: the settings,
 * progress on stderr, one autocannon run with a response check, a cookie-keeping visitor for
 * setting the scene through the real pages, the platform on a random port, and the results table.
 *
 * Environment:
 *   BENCH_SECONDS       seconds measured per scenario (default 5)
 *   BENCH_WARMUP        seconds of warm-up per scenario, not measured (default 1)
 *   BENCH_CONNECTIONS   concurrent connections (default 10)
 *   BENCH_LEAD_IN       seconds each turn of measureInTurns runs before it is counted (default 1)
 *   DATABASE_URL        bench a PostgreSQL database instead of PGlite (it must be empty: demo data is seeded)
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import { createPlatform, type Platform } from '../src/main/platform.js';
import { seedDemo } from '../src/main/seed.js';
import { loadConfig } from '../src/platform/config/config.js';

export const SECONDS = positive('BENCH_SECONDS', 5);
export const WARMUP = Math.max(0, Number(process.env.BENCH_WARMUP ?? 1) || 0);
export const CONNECTIONS = positive('BENCH_CONNECTIONS', 10);
/** Seconds each turn of measureInTurns runs uncounted before it is measured (0: none). */
export const LEAD_IN = Math.max(0, Number(process.env.BENCH_LEAD_IN ?? 1) || 0);

/** Progress on stderr, so stdout holds only the results. */
export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export interface Row {
  scenario: string;
  measures: string;
  /** The scenario this one is compared with, besides the baseline (the first row). */
  against?: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  /** Responses that were the expected outcome, e.g. 303 to the confirmation page. */
  expected: number;
  errors: number;
  /** 2xx answers in warm-up and lead-in runs, which the row's figures leave out (measureInTurns). */
  uncounted?: number;
  note?: string;
}

/** What a response must be for a scenario to count it as done. */
export type Check = (
  status: number,
  headers: Record<string, string | string[]>,
  body: string,
) => boolean;

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * A warm-up run (thrown away) of BENCH_WARMUP seconds, optionally stopped after some requests;
 * gives how many 2xx answers it had (what a check of stored rows must count too).
 */
export async function warmUp(
  url: string,
  request: autocannon.Request,
  limits: { maxOverallRequests?: number; seconds?: number } = {},
): Promise<number> {
  const { seconds = WARMUP, ...rest } = limits;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    ...rest,
    requests: [request],
  });
  return result['2xx'];
}

/** What one scenario asks for, and what it counts as done. */
export interface Scenario {
  url: string;
  scenario: string;
  measures: string;
  request: autocannon.Request;
  check: Check;
  /** The scenario this one is compared with, besides the baseline (the first row). */
  against?: string;
}

/** What some measured autocannon runs of one scenario added up to. */
class Tally {
  requests = 0;
  seconds = 0;
  expected = 0;
  errors = 0;
  cpuMicros = 0;
  readonly p50s: number[] = [];
  readonly p99s: number[] = [];
  readonly other = new Map<string, number>();

  /** One measured run of `seconds`, its responses checked; this process's CPU time noted. */
  async run(
    scenario: Scenario,
    seconds: number,
    options: { maxRequests?: number } = {},
  ): Promise<void> {
    const onResponse: autocannon.Request['onResponse'] = (status, body, _context, headers) => {
      if (scenario.check(status, (headers ?? {}) as Record<string, string | string[]>, body ?? ''))
        this.expected++;
      else this.other.set(String(status), (this.other.get(String(status)) ?? 0) + 1);
    };
    const cpuBefore = process.cpuUsage();
    const result = await autocannon({
      url: scenario.url,
      connections: CONNECTIONS,
      duration: seconds,
      ...(options.maxRequests ? { maxOverallRequests: options.maxRequests } : {}),
      requests: [{ ...scenario.request, onResponse }],
    });
    const cpu = process.cpuUsage(cpuBefore);
    this.cpuMicros += cpu.user + cpu.system;
    this.requests += result.requests.total;
    this.seconds += result.duration;
    this.errors += result.errors + result.timeouts;
    this.p50s.push(result.latency.p50);
    this.p99s.push(result.latency.p99);
  }

  /** The row: req/s over all runs, the middle run's p50, the worst run's p99. */
  row(scenario: Scenario, options: { cpu?: boolean } = {}): Row {
    const unexpected = [...this.other].map(([status, n]) => `${n}×${status}`).join(', ');
    const p50s = [...this.p50s].sort((a, b) => a - b);
    const notes = [
      ...(unexpected ? [`unexpected responses: ${unexpected}`] : []),
      ...(options.cpu
        ? [
            `Node CPU ${(this.cpuMicros / 1000 / Math.max(1, this.requests)).toFixed(2)} ms a request, load generator included`,
          ]
        : []),
    ];
    return {
      scenario: scenario.scenario,
      measures: scenario.measures,
      ...(scenario.against ? { against: scenario.against } : {}),
      reqPerSec: this.requests / this.seconds,
      p50: p50s[Math.floor((p50s.length - 1) / 2)] ?? 0,
      p99: Math.max(0, ...this.p99s),
      requests: this.requests,
      expected: this.expected,
      errors: this.errors,
      ...(notes.length ? { note: notes.join('; ') } : {}),
    };
  }
}

/** One autocannon run: warm-up (thrown away) then the measured run. */
export async function measure(
  url: string,
  scenario: string,
  measures: string,
  request: autocannon.Request,
  check: Check,
  options: { warmup?: boolean; maxRequests?: number; against?: string } = {},
): Promise<Row> {
  const wanted: Scenario = {
    url,
    scenario,
    measures,
    request,
    check,
    ...(options.against ? { against: options.against } : {}),
  };
  const warm = options.warmup !== false && WARMUP > 0;
  progress(`${scenario}: ${warm ? `${WARMUP} s warm-up, then ` : ''}${SECONDS} s`);
  if (warm) await warmUp(url, request);
  const tally = new Tally();
  await tally.run(wanted, SECONDS, options);
  return tally.row(wanted);
}

/**
 * Scenarios measured in turns: each warmed up, then `rounds` rounds in which each runs for its
 * share of SECONDS in the order given. This machine's speed drifts while a bench runs (other
 * work on the host: the same bare INSERT has measured 2,100 and 4,100 a second a minute apart),
 * and a ratio between two scenarios measured minutes apart measures the drift as much as the
 * code; in turns, each is measured through the same drift. Each turn starts with LEAD_IN
 * seconds uncounted: the scenarios share one process, and a turn measured from its first request
 * measures what the turn before left behind (its garbage to collect, shared code such as
 * Fastify's and pg's tuned by V8 to the other scenario's requests). Without it, the hub measured
 * against itself in alternate turns was 20–25% slower in the turn after the baseline than in
 * the turn after itself; with one second, within 8% (either way round). Rows as `measure`
 * gives, over all rounds (req/s over the whole time, the middle round's p50, the worst round's
 * p99), with `cpu` this process's CPU time per request noted, and `uncounted` the 2xx answers
 * of the warm-up and the lead-ins.
 */
export async function measureInTurns(
  scenarios: Scenario[],
  options: { rounds: number; cpu?: boolean },
): Promise<Row[]> {
  const rounds = Math.max(1, Math.floor(options.rounds));
  const seconds = SECONDS / rounds;
  const tallies = scenarios.map(() => new Tally());
  const uncounted = scenarios.map(() => 0);
  for (const [i, { url, scenario, request }] of scenarios.entries()) {
    if (WARMUP > 0) {
      progress(`${scenario}: ${WARMUP} s warm-up`);
      uncounted[i]! += await warmUp(url, request);
    }
  }
  for (let round = 1; round <= rounds; round++) {
    progress(
      `round ${round} of ${rounds}: ${scenarios.map((s) => s.scenario).join(', ')}, ${seconds} s each` +
        (LEAD_IN > 0 ? ` after ${LEAD_IN} s uncounted` : ''),
    );
    for (const [i, scenario] of scenarios.entries()) {
      if (LEAD_IN > 0)
        uncounted[i]! += await warmUp(scenario.url, scenario.request, { seconds: LEAD_IN });
      await tallies[i]!.run(scenario, seconds);
    }
  }
  return scenarios.map((scenario, i) => ({
    ...tallies[i]!.row(scenario, options),
    uncounted: uncounted[i]!,
  }));
}

/** Appends notes to a row's, after any it already has. */
export function addNotes(row: Row, notes: string[]): void {
  row.note = [row.note, ...notes].filter(Boolean).join('; ');
}

/** A tiny cookie-keeping client for setting the scene through the real pages. */
export class Visitor {
  readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async send(method: 'GET' | 'POST', pathname: string, form?: Record<string, string | string[]>) {
    const body = form ? encodeForm(form) : undefined;
    const response = await fetch(new URL(pathname, this.base), {
      method,
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...(body ? FORM : {}) },
      body,
    });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0]!;
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line))
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: response.status,
      location: response.headers.get('location') ?? '',
      html: await response.text(),
    };
  }
}

export function encodeForm(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
  }
  return params.toString();
}

export function hiddenInput(html: string, name: string): string {
  const match =
    new RegExp(`name="${name}"\\s+value="([^"]+)"`).exec(html) ??
    new RegExp(`value="([^"]+)"\\s+name="${name}"`).exec(html);
  if (!match) throw new Error(`No hidden input ${name} in the page`);
  return match[1]!
    .replace(/&#x2F;|&#47;/g, '/')
    .replace(/&#x3D;|&#61;/g, '=')
    .replace(/&#43;/g, '+')
    .replace(/&amp;/g, '&');
}

/** Lets requests the load generator abandoned at the end of a run finish on the server. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** The baseline's one route: GET / answering a small HTML string. */
export function serveSmallPage(app: FastifyInstance): void {
  const smallPage =
    '<!doctype html><html lang="en"><head><title>Hello</title></head><body><p>Hello, world</p></body></html>';
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(smallPage));
}

/**
 * The real platform, as `joinedup serve` builds it (in-memory PGlite or DATABASE_URL, outbox
 * worker on, demo data seeded), listening on a random port.
 */
export async function startPlatform(
  settings: Record<string, string> = {},
): Promise<{ platform: Platform; base: string }> {
  const config = loadConfig({
    DATA_DIR: ':memory:',
    WORKER: 'on',
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...settings,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  });
  const platform = await createPlatform(config);
  try {
    await seedDemo(platform.database.db);
    return { platform, base: await listen(platform.app) };
  } catch (error) {
    await platform.close();
    throw error;
  }
}

/**
 * Moves into a new temporary folder (and, with `tmpdir`, points TMPDIR at it), so the
 * development mailbox does not write into the project or a shared folder. Returns the way back.
 */
export function enterScratch(prefix: string, options: { tmpdir?: boolean } = {}): () => void {
  const scratch = mkdtempSync(path.join(os.tmpdir(), prefix));
  const projectDir = process.cwd();
  const tmpdirBefore = process.env.TMPDIR;
  process.chdir(scratch);
  if (options.tmpdir) process.env.TMPDIR = scratch;
  return () => {
    process.chdir(projectDir);
    if (options.tmpdir) {
      if (tmpdirBefore === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdirBefore;
    }
    rmSync(scratch, { recursive: true, force: true });
  };
}

/**
 * Keeps a bench's results for bench/ci-figures.ts (which writes docs/operations/load-figures.md
 * from CI's run): one JSON line appended to the file `BENCH_RESULTS` names, when it names one.
 */
export function recordResults(
  bench: string,
  database: string,
  rows: Row[],
  extra: Record<string, number> = {},
): void {
  const file = process.env.BENCH_RESULTS;
  if (!file) return;
  appendFileSync(file, JSON.stringify({ bench, database, seconds: SECONDS, rows, extra }) + '\n');
}

/** The settings of this run, for the line above the table. */
export function describeRun(kind: string): string {
  return (
    `${SECONDS} s per scenario after ${WARMUP} s warm-up, ${CONNECTIONS} connections, ` +
    `database ${kind}, Node ${process.version}, ${os.cpus().length} CPUs`
  );
}

/** autocannon records whole milliseconds: 0 means under one. */
export function milliseconds(value: number): string {
  return value < 1 ? '<1' : value.toFixed(0);
}

function ratio(value: number, of: number): string {
  return `${(value / of).toFixed(3)} (${((value / of) * 100).toFixed(1)}%)`;
}

/**
 * The results: the header, a table (ratios to the first row, the baseline, and — when any row
 * names one with `against` — to that row), what each scenario measures, then the footer.
 */
export function printTable(rows: Row[], header: string, footer: string): void {
  const baseline = rows[0]!.reqPerSec;
  const byName = new Map(rows.map((row) => [row.scenario, row]));
  const withFloor = rows.some((row) => row.against);
  const table = rows.map((row) => {
    const against = row.against ? byName.get(row.against) : undefined;
    return {
      scenario: row.scenario,
      'req/s': row.reqPerSec.toFixed(0),
      'p50 ms': milliseconds(row.p50),
      'p99 ms': milliseconds(row.p99),
      'ratio to baseline': ratio(row.reqPerSec, baseline),
      ...(withFloor
        ? {
            'ratio to its floor': against
              ? `${ratio(row.reqPerSec, against.reqPerSec)} of ${against.scenario}`
              : '',
          }
        : {}),
      'as expected': `${row.expected}/${row.requests}`,
      errors: String(row.errors),
    } as Record<string, string>;
  });
  const columns = Object.keys(table[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...table.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  console.log(`\n${header}\n`);
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of table) console.log(line(columns.map((c) => row[c]!)));
  console.log('\nWhat each scenario measures:');
  for (const row of rows)
    console.log(`  ${row.scenario}: ${row.measures}${row.note ? `\n    (${row.note})` : ''}`);
  console.log(`\n${footer}`);
}

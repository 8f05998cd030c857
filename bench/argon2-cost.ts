/**
 * How long one argon2id password hash takes on this machine, for choosing the parameters in
 * `src/modules/identity/passwords.ts` (see docs/adr/0006-argon2id-parameters.md):
 * `npx tsx bench/argon2-cost.ts`. Not part of `npm test`; it measures, prints and exits 0.
 *
 * For each memory cost (19 MiB, OWASP's minimum, up to 64 MiB) × time cost (2…4), parallelism 1,
 * it hashes a password ARGON2_RUNS times (default 10) one after another — so one hash at a time,
 * on one core — after one unmeasured warm-up hash, and prints the median, the fastest and the
 * slowest. Cells whose median falls in the 20–50 ms band are marked. The parameters Joinedup
 * uses now are marked too.
 *
 * On a shared or busy machine the median moves with the neighbours: run it a few times and
 * trust the quieter (lower) figures. The fastest run is the best estimate of the cost itself.
 *
 * Environment:
 *   ARGON2_RUNS      measured hashes per cell (default 10)
 *   ARGON2_MEMORY    memory costs in MiB, comma-separated (default 19,24,32,40,46,56,64)
 *   ARGON2_TIME      time costs, comma-separated (default 2,3,4)
 */
import os from 'node:os';
import { hash } from '@node-rs/argon2';
import { PASSWORD_HASH_OPTIONS } from '../src/modules/identity/passwords.js';

const BAND = { low: 20, high: 50 } as const;
const RUNS = positiveInteger(process.env.ARGON2_RUNS, 10);
const MEMORY_MIB = list(process.env.ARGON2_MEMORY, [19, 24, 32, 40, 46, 56, 64]);
const TIME_COSTS = list(process.env.ARGON2_TIME, [2, 3, 4]);
const PASSWORD = 'correct horse battery staple';

function positiveInteger(text: string | undefined, fallback: number): number {
  const value = Number(text ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function list(text: string | undefined, fallback: number[]): number[] {
  if (!text) return fallback;
  const values = text.split(',').map((part) => Number(part.trim()));
  return values.every((v) => Number.isInteger(v) && v > 0) ? values : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Cell {
  memoryMiB: number;
  timeCost: number;
  median: number;
  fastest: number;
  slowest: number;
}

async function measureCell(memoryMiB: number, timeCost: number): Promise<Cell> {
  const options = { memoryCost: memoryMiB * 1024, timeCost, parallelism: 1 };
  await hash(PASSWORD, options); // warm-up: allocator, thread pool
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    await hash(PASSWORD, options);
    times.push(performance.now() - started);
  }
  return {
    memoryMiB,
    timeCost,
    median: median(times),
    fastest: Math.min(...times),
    slowest: Math.max(...times),
  };
}

async function main(): Promise<void> {
  const cells: Cell[] = [];
  for (const memoryMiB of MEMORY_MIB) {
    for (const timeCost of TIME_COSTS) {
      process.stderr.write(`argon2: m=${memoryMiB} MiB t=${timeCost} p=1 …\n`);
      cells.push(await measureCell(memoryMiB, timeCost));
    }
  }
  const chosen = PASSWORD_HASH_OPTIONS;
  const rows = cells.map((cell) => {
    const inBand = cell.median >= BAND.low && cell.median <= BAND.high;
    const isChosen =
      cell.memoryMiB * 1024 === chosen.memoryCost &&
      cell.timeCost === chosen.timeCost &&
      chosen.parallelism === 1;
    return {
      'm (MiB)': String(cell.memoryMiB),
      t: String(cell.timeCost),
      p: '1',
      'median ms': cell.median.toFixed(1),
      'fastest ms': cell.fastest.toFixed(1),
      'slowest ms': cell.slowest.toFixed(1),
      [`${BAND.low}–${BAND.high} ms`]: inBand ? 'yes' : cell.median < BAND.low ? 'under' : 'over',
      '': isChosen ? '← Joinedup now' : '',
    };
  });
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === columns.length - 1 ? cell : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const load = os.loadavg().map((l) => l.toFixed(2));
  console.log(
    `\nargon2id (@node-rs/argon2) hash time: median of ${RUNS} hashes per cell, one at a time (one core), ` +
      `after one warm-up hash.\nNode ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ` +
      `load average ${load.join(' ')} at the end.\n`,
  );
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => row[c]!)));
  console.log(
    `\nJoinedup now: m=${chosen.memoryCost / 1024} MiB (${chosen.memoryCost} KiB), t=${chosen.timeCost}, ` +
      `p=${chosen.parallelism}. OWASP's minimum for argon2id is m=19 MiB, t=2, p=1.\n` +
      'A busy machine makes every figure slower; run this a few times and trust the quieter figures.',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * The rules benchmark (issue 16): `npm run bench:rules` (tsx bench/rules.ts). It measures,
 * prints and exits 0 unless a scene gives a wrong answer; it never asserts timings.
 *
 * In ONE process, for the same random answers:
 *   baseline   a bare lookup: the same 50 fee bands as a plain array of [from, to, pence] walked
 *              with a for loop — what a hand-written if/else chain does;
 *   evaluate   the rules module's `evaluate` on a 50-row decision table (25 age bands × yes/no
 *              for a concession, money outcomes): answers checked against the inputs' domains,
 *              every row tried (so "exactly one" is checked, not assumed), the explanation
 *              rendered in English and Welsh, and the inputs used listed;
 *   analyse    the check a table gets when it is saved (overlaps and gaps, exact), per table.
 * Each scene runs BENCH_SECONDS (default 3) after BENCH_WARMUP (default 1) seconds; every call is
 * timed for the p50 and p99. The ratio is the baseline's rate over the scene's.
 *
 * The other half of issue 16's benchmark — evidence round trips per second through the hub to a
 * local answering body, against a bare baseline in the same run — is in
 * bench/evidence-round-trip.ts (the evidence module's `evidenceRoundTrip` seam): its scenes are
 * asynchronous, run one round trip at a time after the rules' scenes, and are printed in their
 * own table with the bare baseline as their ratio's base. BENCH_EVIDENCE=off leaves them out.
 */
import {
  analyseTable,
  evaluate,
  type DecisionTable,
  type Row as TableRow,
} from '../src/modules/rules/index.js';
import { evidenceScenes, type AsyncScene } from './evidence-round-trip.js';

const SECONDS = positive('BENCH_SECONDS', 3);
const WARMUP = Math.max(0, Number(process.env.BENCH_WARMUP ?? 1) || 0);

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** 25 age bands of 4 years (0–99, then 100 and over folded into the last) × concession yes/no. */
const BANDS = Array.from({ length: 25 }, (_, i) => ({
  from: i * 4,
  to: i === 24 ? 131 : (i + 1) * 4,
  pence: 1000 + i * 150,
}));

function table(): DecisionTable {
  const rows: TableRow[] = [];
  for (const band of BANDS)
    for (const concession of [true, false])
      rows.push({
        when: { age: { min: band.from, max: band.to }, concession: { equals: concession } },
        outcome: { type: 'fee', pence: concession ? Math.floor(band.pence / 2) : band.pence },
        explanation: {
          en: 'The fee for someone aged {age} is this because {concession}.',
          cy: 'Dyma’r ffi i rywun {age} oed oherwydd {concession}.',
        },
      });
  return {
    purpose: 'fee',
    title: { en: 'Swimming lessons', cy: 'Gwersi nofio' },
    hitPolicy: 'unique',
    inputs: [
      { name: 'age', type: 'number', label: { en: 'Age', cy: 'Oed' }, min: 0, max: 130 },
      {
        name: 'concession',
        type: 'yesno',
        label: { en: 'Concession?', cy: 'Consesiwn?' },
        yesText: { en: 'you have a concession', cy: 'mae gennych gonsesiwn' },
        noText: { en: 'you have no concession', cy: 'nid oes gennych gonsesiwn' },
      },
    ],
    rows,
  };
}

const TABLE = table();
const ANSWERS = Array.from({ length: 4096 }, (_, i) => ({
  age: (i * 7919) % 131,
  concession: i % 3 === 0,
}));

/** The bare lookup: a plain array walked with a for loop. */
const LOOKUP = BANDS.map((b) => [b.from, b.to, b.pence] as const);
function bareFee(age: number, concession: boolean): number {
  for (let i = 0; i < LOOKUP.length; i++) {
    const band = LOOKUP[i]!;
    if (age >= band[0] && age < band[1]) return concession ? Math.floor(band[2] / 2) : band[2];
  }
  return -1;
}

/** One benchmarked thing: `run(i)` does one unit of work and says whether its answer was right. */
interface Scene {
  name: string;
  measures: string;
  run(i: number): boolean;
}

const SCENES: Scene[] = [
  {
    name: 'baseline',
    measures: 'array lookup of 50 fee bands',
    run(i) {
      const a = ANSWERS[i & 4095]!;
      return bareFee(a.age, a.concession) > 0;
    },
  },
  {
    name: 'evaluate',
    measures: 'evaluate() on a 50-row table',
    run(i) {
      const a = ANSWERS[i & 4095]!;
      const result = evaluate(TABLE, a);
      return (
        result.ok &&
        result.outcome.type === 'fee' &&
        result.outcome.pence === bareFee(a.age, a.concession) &&
        result.inputsUsed.length === 2
      );
    },
  },
  {
    name: 'analyse',
    measures: 'overlap and gap check of the 50-row table',
    run() {
      return analyseTable(TABLE).ok;
    },
  },
];

function runScene(scene: Scene): { rate: number; p50: number; p99: number; count: number } {
  let i = 0;
  const warmUntil = performance.now() + WARMUP * 1000;
  while (performance.now() < warmUntil)
    if (!scene.run(i++)) throw new Error(`${scene.name} gave a wrong answer`);
  const samples: number[] = [];
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let now = start;
  while (now < end) {
    const before = performance.now();
    if (!scene.run(i++)) throw new Error(`${scene.name} gave a wrong answer`);
    now = performance.now();
    samples.push(now - before);
  }
  const elapsed = now - start;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return {
    rate: (samples.length / elapsed) * 1000,
    p50: at(0.5),
    p99: at(0.99),
    count: samples.length,
  };
}

/** An asynchronous scene (one evidence round trip a call), timed the same way. */
async function runAsyncScene(
  scene: AsyncScene,
): Promise<{ rate: number; p50: number; p99: number; count: number }> {
  let i = 0;
  const warmUntil = performance.now() + WARMUP * 1000;
  while (performance.now() < warmUntil)
    if (!(await scene.run(i++))) throw new Error(`${scene.name} gave a wrong answer`);
  const samples: number[] = [];
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let now = start;
  while (now < end) {
    const before = performance.now();
    if (!(await scene.run(i++))) throw new Error(`${scene.name} gave a wrong answer`);
    now = performance.now();
    samples.push(now - before);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return {
    rate: (samples.length / (now - start)) * 1000,
    p50: at(0.5),
    p99: at(0.99),
    count: samples.length,
  };
}

const micro = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;
const milli = (ms: number) => `${ms.toFixed(2)} ms`;

const results = SCENES.map((scene) => {
  process.stderr.write(`bench: ${scene.name}…\n`);
  return { scene, ...runScene(scene) };
});
const baseline = results[0]!;
console.log(
  `Rules as data: ${TABLE.rows.length}-row table, ${SECONDS} s per scene, node ${process.version}`,
);
console.log('');
console.log(['scenario', 'measures', 'per second', 'p50', 'p99', 'baseline ÷ this'].join(' | '));
for (const r of results)
  console.log(
    [
      r.scene.name,
      r.scene.measures,
      Math.round(r.rate).toLocaleString('en-GB'),
      micro(r.p50),
      micro(r.p99),
      (baseline.rate / r.rate).toFixed(1),
    ].join(' | '),
  );
console.log('');
console.log('Timings include ~0.05 µs of performance.now() per call; the ratio is what matters.');

if (process.env.BENCH_EVIDENCE !== 'off') {
  process.stderr.write('bench: starting the platform and a local answering body…\n');
  const evidence = await evidenceScenes();
  try {
    const timed = [];
    for (const scene of evidence.scenes) {
      process.stderr.write(`bench: ${scene.name}…\n`);
      timed.push({ scene, ...(await runAsyncScene(scene)) });
    }
    const bare = timed[0]!;
    console.log('');
    console.log(
      `Evidence round trips through the hub to a local answering body (webhook on 127.0.0.1), one at a time, ${SECONDS} s per scene, database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
    );
    console.log('');
    console.log(
      ['scenario', 'measures', 'per second', 'p50', 'p99', 'round trips', 'bare ÷ this'].join(
        ' | ',
      ),
    );
    for (const r of timed)
      console.log(
        [
          r.scene.name,
          r.scene.measures,
          Math.round(r.rate).toLocaleString('en-GB'),
          milli(r.p50),
          milli(r.p99),
          r.count.toLocaleString('en-GB'),
          (bare.rate / r.rate).toFixed(1),
        ].join(' | '),
      );
  } finally {
    await evidence.close();
  }
}

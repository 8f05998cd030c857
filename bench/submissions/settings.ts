/**
 * The settings of bench/submissions.ts, from its command line and environment. Imported before
 * bench/lib.ts on purpose: `--duration` becomes BENCH_SECONDS, which lib.ts reads when it loads
 * (so the parser it uses, bench/options.ts, must not import lib.ts).
 *
 *   --duration S     seconds measured per scenario (BENCH_SECONDS; default 10 for this bench)
 *   --deliveries N   submissions queued for the webhook run (BENCH_DELIVERIES; default 2,000)
 *   --rounds N       turns the baseline and the hub take, each with its share of the seconds
 *                    (BENCH_ROUNDS; default 5)
 *
 * PostgreSQL commits durably (`synchronous_commit = on`, production's setting, for the baseline
 * and the hub alike) unless BENCH_DURABLE_COMMIT=off: the hub answers 202 only for what a crash
 * cannot lose, and that is the hub this bench measures. The test suite's databases do not wait
 * for the disk (see freshDatabase).
 */
import { count } from '../options.js';

export const DELIVERIES = count('deliveries', 'BENCH_DELIVERIES', 2_000);
export const ROUNDS = count('rounds', 'BENCH_ROUNDS', 5);
process.env.BENCH_SECONDS = String(count('duration', 'BENCH_SECONDS', 10));
process.env.BENCH_DURABLE_COMMIT ??= 'on';

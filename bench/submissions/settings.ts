/**
 * The settings of bench/submissions.ts, from its command line and environment. Imported before
 * bench/lib.ts on purpose: `--duration` becomes BENCH_SECONDS, which lib.ts reads when it loads
 * (so the parser it uses, bench/options.ts, must not import lib.ts).
 *
 *   --duration S     seconds measured per scenario (BENCH_SECONDS; default 10 for this bench)
 *   --deliveries N   submissions queued for the webhook run (BENCH_DELIVERIES; default 2,000)
 */
import { count } from '../options.js';

export const DELIVERIES = count('deliveries', 'BENCH_DELIVERIES', 2_000);
process.env.BENCH_SECONDS = String(count('duration', 'BENCH_SECONDS', 10));

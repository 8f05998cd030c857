/**
 * The settings of bench/front-door.ts, from its command line and environment. Imported before
 * bench/lib.ts on purpose: `--duration` becomes BENCH_SECONDS, which lib.ts reads when it loads
 * (so the parser it uses, bench/options.ts, must not import lib.ts).
 *
 *   --postcodes N   postcodes to generate and import (BENCH_POSTCODES; default 2,700,000)
 *   --services N    services to publish (BENCH_SERVICES; default 10,000)
 *   --duration S    seconds measured per scenario (BENCH_SECONDS; default 10 for this bench)
 */
import { count } from '../options.js';

export const POSTCODES = count('postcodes', 'BENCH_POSTCODES', 2_700_000);
export const SERVICES = count('services', 'BENCH_SERVICES', 10_000);
process.env.BENCH_SECONDS = String(count('duration', 'BENCH_SECONDS', 10));

/**
 * The settings of bench/front-door.ts, from its command line and environment. Imported before
 * bench/lib.ts on purpose: `--duration` becomes BENCH_SECONDS, which lib.ts reads when it loads.
 *
 *   --postcodes N   postcodes to generate and import (BENCH_POSTCODES; default 2,700,000)
 *   --services N    services to publish (BENCH_SERVICES; default 10,000)
 *   --duration S    seconds measured per scenario (BENCH_SECONDS; default 10 for this bench)
 */
function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function count(name: string, env: string, fallback: number): number {
  const raw = flag(name) ?? process.env[env];
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} (or ${env}) must be a whole number above 0, not “${raw}”`);
  return value;
}

export const POSTCODES = count('postcodes', 'BENCH_POSTCODES', 2_700_000);
export const SERVICES = count('services', 'BENCH_SERVICES', 10_000);
process.env.BENCH_SECONDS = String(count('duration', 'BENCH_SECONDS', 10));

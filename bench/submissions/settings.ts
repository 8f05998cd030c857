/**
 * The settings of bench/submissions.ts, from its command line and environment. Imported before
 * bench/lib.ts on purpose: `--duration` becomes BENCH_SECONDS, which lib.ts reads when it loads.
 *
 *   --duration S     seconds measured per scenario (BENCH_SECONDS; default 10 for this bench)
 *   --deliveries N   submissions queued for the webhook run (BENCH_DELIVERIES; default 2,000)
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

export const DELIVERIES = count('deliveries', 'BENCH_DELIVERIES', 2_000);
process.env.BENCH_SECONDS = String(count('duration', 'BENCH_SECONDS', 10));

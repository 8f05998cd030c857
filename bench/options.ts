/**
 * A bench's own settings, from its command line or else its environment. Kept apart from
 * bench/lib.ts on purpose, with no imports: a bench's settings file imports this before lib.ts
 * loads, so that it can turn `--duration` into BENCH_SECONDS, which lib.ts reads when it loads.
 *
 * @example export const DELIVERIES = count('deliveries', 'BENCH_DELIVERIES', 2_000);
 */

/** The value of `--name V` or `--name=V` on the command line, if given. */
export function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/**
 * A whole number above 0 from `--name`, else the environment variable `env`, else `fallback`;
 * `_` and `,` may group digits (2_700_000). Anything else stops the bench with a reason.
 */
export function count(name: string, env: string, fallback: number): number {
  const raw = flag(name) ?? process.env[env];
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} (or ${env}) must be a whole number above 0, not “${raw}”`);
  return value;
}

/**
 * Pence as people read money, always with pence: "£60.00", "£1,850.05" (bills and instalments
 * are sums of money owed, shown as a statement shows them).
 */
export function pounds(pence: number): string {
  const whole = Math.floor(pence / 100).toLocaleString('en-GB');
  return `£${whole}.${String(pence % 100).padStart(2, '0')}`;
}

/** The most a bill or a plan may be, in pence (£100,000: the payments limit). */
export const MAX_PENCE = 10_000_000;

/**
 * Pounds as a member of staff types them ("70", "£1,850.50") in pence, or undefined when it is
 * not an amount of money.
 */
export function parseAmount(input: string): number | undefined {
  const value = input.trim().replace(/^£\s*/, '');
  if (value.length > 20) return undefined;
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return undefined;
  const pence =
    Number(match[1]!.replaceAll(',', '')) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(pence) ? pence : undefined;
}

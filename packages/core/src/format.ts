/**
 * Money and durations as every Cloudscapes panel shows them.
 */

export type CurrencyDisplay = 'symbol' | 'narrowSymbol' | 'code' | 'name';

/**
 * "$0.42" (or "USD 0.42", "0.42 US dollars" for other displays). Amounts under
 * one cent keep enough digits to be non-zero, so rates like $0.004/h stay
 * visible. An unknown currency code falls back to "0.42 XYZ".
 */
export function formatMoney(
  amount: number,
  currency: string,
  display: CurrencyDisplay = 'symbol',
  locale?: string
): string {
  const small = amount !== 0 && Math.abs(amount) < 0.01;
  try {
    return new Intl.NumberFormat(locale ?? 'en-US', {
      style: 'currency',
      currency,
      currencyDisplay: display,
      minimumFractionDigits: 2,
      maximumFractionDigits: small ? 4 : 2
    }).format(amount);
  } catch {
    return `${amount.toFixed(small ? 4 : 2)} ${currency}`;
  }
}

/**
 * Compact duration: "45s", "12m", "3h 5m", "2d 4h".
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) {
    return `${s}s`;
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    return `${minutes}m`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours}h ${rest}m` : `${hours}h`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours ? `${days}d ${restHours}h` : `${days}d`;
}

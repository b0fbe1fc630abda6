/**
 * Money, durations and sizes as every Cloudscapes panel shows them.
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

/**
 * How `formatBytes` writes a size.
 */
export interface IFormatBytesOptions {
  /**
   * Powers of 1024 with KiB, MiB, … (as Dask states worker memory) instead of
   * SI powers of 1000 with kB, MB, … (as disks and downloads are sized).
   */
  binary?: boolean;
  /**
   * `short` (the default): one decimal under 100, a trailing zero dropped
   * ("2.1 GB", "8 GB"). `long`: two decimals under 10, one under 100, kept
   * ("1.20 GB", "12.5 MB"), for sizes compared in a list.
   */
  precision?: 'short' | 'long';
}

const SI_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * The unit that suits `bytes`, as its scale and name: 2.1e9 -> [1e9, 'GB'].
 */
export function byteUnit(bytes: number, binary = false): [number, string] {
  const base = binary ? 1024 : 1000;
  const units = binary ? BINARY_UNITS : SI_UNITS;
  let index = 0;
  while (index < units.length - 1 && Math.abs(bytes) >= base ** (index + 1)) {
    index++;
  }
  return [base ** index, units[index]];
}

/**
 * `value` with at most `digits` decimals, without trailing zeros (8.0 -> "8").
 */
export function trimmedNumber(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/**
 * A size for people: "2.1 GB" (or "7.5 GiB", "1.20 GB", see the options);
 * `''` for a size that is not known (null, undefined, NaN).
 */
export function formatBytes(
  bytes: number | null | undefined,
  options: IFormatBytesOptions = {}
): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) {
    return '';
  }
  const [scale, unit] = byteUnit(bytes, options.binary);
  const value = bytes / scale;
  if (options.precision === 'long') {
    const digits =
      scale === 1 || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
    return `${value.toFixed(digits)} ${unit}`;
  }
  return `${trimmedNumber(value, Math.abs(value) >= 100 ? 0 : 1)} ${unit}`;
}

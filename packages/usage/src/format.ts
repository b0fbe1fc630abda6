/**
 * Formatting of usage figures for people: bytes, money, durations, the cull window.
 * Pure functions, so they are unit-tested without a server.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { Usage } from '@cloudscapes/core';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/**
 * The SI unit (powers of 1000) that suits `bytes`: e.g. 2.1e9 -> [1e9, 'GB'].
 */
export function byteUnit(bytes: number): [number, string] {
  let index = 0;
  while (index < UNITS.length - 1 && Math.abs(bytes) >= 1000 ** (index + 1)) {
    index++;
  }
  return [1000 ** index, UNITS[index]];
}

function trimmed(value: number, digits: number): string {
  // 8.0 -> "8", 2.14 -> "2.1"
  return String(Number(value.toFixed(digits)));
}

/**
 * "2.1 GB".
 */
export function formatBytes(bytes: number): string {
  const [scale, unit] = byteUnit(bytes);
  const value = bytes / scale;
  return `${trimmed(value, value >= 100 ? 0 : 1)} ${unit}`;
}

/**
 * "2.1/8 GB": both in the unit of the larger figure.
 */
export function formatBytePair(used: number, total: number): string {
  const [scale, unit] = byteUnit(Math.max(used, total));
  const digits = total / scale >= 100 ? 0 : 1;
  return `${trimmed(used / scale, digits)}/${trimmed(total / scale, digits)} ${unit}`;
}

export type CurrencyDisplay = 'symbol' | 'narrowSymbol' | 'code' | 'name';

/**
 * "$0.42" (or "USD 0.42", "0.42 US dollars" for other displays). Amounts under
 * one cent keep enough digits to be non-zero, so rates like $0.004/h stay visible.
 */
export function formatMoney(
  amount: number,
  currency: string,
  display: CurrencyDisplay = 'symbol',
  locale?: string
): string {
  const small = amount !== 0 && Math.abs(amount) < 0.01;
  return new Intl.NumberFormat(locale ?? 'en-US', {
    style: 'currency',
    currency,
    currencyDisplay: display,
    minimumFractionDigits: 2,
    maximumFractionDigits: small ? 4 : 2
  }).format(amount);
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
 * Minutes between two ISO times, rounded.
 */
function minutesBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 60000);
}

/**
 * The cull window in plain words, relative to the last activity:
 * "about 55–70 minutes after your last activity", or a sentence saying no
 * culler is known.
 */
export function cullWindowText(
  activity: Usage['activity'],
  trans: TranslationBundle
): string {
  const window = activity.cull_window;
  if (!window) {
    return trans.__('No idle culler is configured for this server.');
  }
  const earliest = minutesBetween(activity.last_activity, window.earliest);
  const latest = minutesBetween(activity.last_activity, window.latest);
  if (earliest === latest) {
    return trans.__('about %1 minutes after your last activity', earliest);
  }
  return trans.__(
    'about %1–%2 minutes after your last activity',
    earliest,
    latest
  );
}

/**
 * Minutes from `now` until the cull window opens (negative once it is open),
 * or `null` without a culler.
 */
export function minutesUntilCull(
  usage: Usage,
  now: number = Date.now()
): number | null {
  const window = usage.activity.cull_window;
  if (!window) {
    return null;
  }
  return (Date.parse(window.earliest) - now) / 60000;
}

/**
 * What the status bar item shows.
 */
export interface ICompactOptions {
  showCost: boolean;
  showMemory: boolean;
  showIdle: boolean;
  currencyDisplay: CurrencyDisplay;
}

/**
 * "$0.42 · 2.1/8 GB · inactive 12m". ("inactive", not "idle": Galata's
 * `page.notebook.run()` waits for the text "Idle" in the status bar, which would
 * then match this item and break every notebook UI test of a lab that has it.)
 */
export function compactText(
  usage: Usage,
  options: ICompactOptions,
  trans: TranslationBundle
): string {
  const parts: string[] = [];
  if (options.showCost && usage.cost.accrued !== null) {
    parts.push(
      formatMoney(
        usage.cost.accrued,
        usage.cost.currency,
        options.currencyDisplay
      )
    );
  }
  if (options.showMemory) {
    parts.push(formatBytePair(usage.memory.used, usage.memory.limit));
  }
  if (options.showIdle) {
    parts.push(
      trans.__('inactive %1', formatDuration(usage.activity.idle_seconds))
    );
  }
  return parts.join(' · ');
}

/**
 * Formatting of usage figures for people: bytes, money, durations, the cull window.
 * Pure functions, so they are unit-tested without a server.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import { formatDuration, formatMoney } from '@cloudscapes/core';
import type { CurrencyDisplay, Usage } from '@cloudscapes/core';

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

export { formatDuration, formatMoney };
export type { CurrencyDisplay };

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

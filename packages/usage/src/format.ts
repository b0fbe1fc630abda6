/**
 * Formatting of usage figures for people: bytes, money, durations, the cull window.
 * Pure functions, so they are unit-tested without a server.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import {
  byteUnit,
  formatBytes,
  formatDuration,
  formatMoney,
  trimmedNumber
} from '@cloudscapes/core';
import type { CurrencyDisplay, Usage } from '@cloudscapes/core';

/**
 * "2.1/8 GB": both in the unit of the larger figure.
 */
export function formatBytePair(used: number, total: number): string {
  const [scale, unit] = byteUnit(Math.max(used, total));
  const digits = total / scale >= 100 ? 0 : 1;
  return `${trimmedNumber(used / scale, digits)}/${trimmedNumber(total / scale, digits)} ${unit}`;
}

export { byteUnit, formatBytes, formatDuration, formatMoney };

/**
 * An ISO time as the user's clock shows it ("14:05").
 */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit'
  });
}
export type { CurrencyDisplay };

/**
 * Minutes between two ISO times, rounded.
 */
function minutesBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 60000);
}

/**
 * The cull window in plain words, relative to the activity it counts from:
 * "about 55–70 minutes after your last activity" (the server's own), "… after
 * the last activity the hub saw", "… after the last request to your server"
 * (a hub that counts proxy traffic), or a sentence saying no culler is known.
 */
export function cullWindowText(
  activity: Usage['activity'],
  trans: TranslationBundle
): string {
  const window = activity.cull_window;
  if (!window) {
    return trans.__('No idle culler is configured for this server.');
  }
  const earliest = minutesBetween(window.counted_from, window.earliest);
  const latest = minutesBetween(window.counted_from, window.latest);
  const span =
    earliest === latest
      ? trans.__('about %1 minutes', earliest)
      : trans.__('about %1–%2 minutes', earliest, latest);
  switch (window.source) {
    case 'hub':
      return trans.__('%1 after the last activity the hub saw', span);
    case 'proxy':
      return trans.__('%1 after the last request to your server', span);
    default:
      return trans.__('%1 after your last activity', span);
  }
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

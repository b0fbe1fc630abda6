/**
 * Warning logic: when a figure crosses its threshold, warn once; warn again only
 * after it has gone back below (with a margin, so a value hovering at the
 * threshold does not nag).
 */
import type { Usage } from '@cloudscapes/core';

import { minutesUntilCull } from './format';

export type WarningKind = 'memory' | 'disk' | 'cull';

/**
 * Thresholds in force: the user's settings, else the admin's from the server.
 */
export interface IThresholds {
  memory: number;
  disk: number;
  /**
   * Warn this many minutes before the cull window opens (0: never).
   */
  cullMinutes: number;
}

/**
 * Margin below a threshold that re-arms its warning (fraction of the limit).
 */
export const REARM_MARGIN = 0.05;

export function thresholdsFor(
  usage: Usage,
  settings: {
    memoryWarning: number | null;
    diskWarning: number | null;
    cullWarningMinutes: number;
  }
): IThresholds {
  return {
    memory: settings.memoryWarning ?? usage.thresholds.memory,
    disk: settings.diskWarning ?? usage.thresholds.disk,
    cullMinutes: settings.cullWarningMinutes
  };
}

export function memoryFraction(usage: Usage): number {
  return usage.memory.limit > 0 ? usage.memory.used / usage.memory.limit : 0;
}

export function diskFraction(usage: Usage): number {
  return usage.disk.total > 0 ? usage.disk.used / usage.disk.total : 0;
}

/**
 * Level of a fraction against its threshold, for colouring bars.
 */
export function level(
  fraction: number,
  threshold: number
): 'normal' | 'warn' | 'error' {
  if (fraction >= Math.max(threshold, 0.98)) {
    return 'error';
  }
  return fraction >= threshold ? 'warn' : 'normal';
}

/**
 * Remembers which warnings are raised; `update` returns the ones that have just
 * crossed (each once per crossing).
 */
export class CrossingTracker {
  private _raised = new Set<WarningKind>();

  /**
   * The warnings that are raised now.
   */
  get raised(): ReadonlySet<WarningKind> {
    return this._raised;
  }

  update(
    usage: Usage,
    thresholds: IThresholds,
    now: number = Date.now()
  ): WarningKind[] {
    const fresh: WarningKind[] = [];
    const check = (kind: WarningKind, over: boolean, clear: boolean) => {
      if (over && !this._raised.has(kind)) {
        this._raised.add(kind);
        fresh.push(kind);
      } else if (clear) {
        this._raised.delete(kind);
      }
    };
    const memory = memoryFraction(usage);
    check(
      'memory',
      memory >= thresholds.memory,
      memory < thresholds.memory - REARM_MARGIN
    );
    const disk = diskFraction(usage);
    check(
      'disk',
      disk >= thresholds.disk,
      disk < thresholds.disk - REARM_MARGIN
    );
    const minutes = minutesUntilCull(usage, now);
    const cullSoon =
      thresholds.cullMinutes > 0 &&
      minutes !== null &&
      minutes <= thresholds.cullMinutes;
    // Activity (or a keep-alive) pushes the window back out: re-arm then.
    check('cull', cullSoon, !cullSoon);
    return fresh;
  }
}

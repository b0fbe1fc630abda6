/**
 * The order of a cluster's dashboard plots in the "Dashboard" menu.
 */
import type { Plot } from './model';

/**
 * The plots people open first (by the name Dask gives them), in this order.
 */
export const FIRST_PLOTS: ReadonlyArray<string> = [
  'individual-task-stream',
  'individual-progress',
  'individual-workers-memory'
];

function rank(plot: Plot): number {
  const index = FIRST_PLOTS.indexOf(plot.name);
  return index === -1 ? FIRST_PLOTS.length : index;
}

/**
 * Task stream, progress and worker memory first; the others after, by title.
 * The input is not changed.
 */
export function orderPlots(plots: ReadonlyArray<Plot>): Plot[] {
  return [...plots].sort(
    (a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title, 'en')
  );
}

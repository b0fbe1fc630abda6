/**
 * Formatting of cluster figures for people: memory, money, workers, durations.
 * Pure functions, so they are unit-tested without a server.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import {
  formatBytes as formatSize,
  formatDuration,
  formatMoney
} from '@cloudscapes/core';

import type { Cluster } from './model';

/**
 * Memory in binary units, as Dask states worker memory: "7.5 GiB" (core's one
 * `formatBytes`).
 */
export function formatBytes(bytes: number): string {
  return formatSize(bytes, { binary: true });
}

export { formatDuration, formatMoney };

/**
 * "2 workers", "1 of 2 workers" while workers join, "3 workers, scaling down
 * to 1" while they leave, and
 * "3 workers (adaptive, 1–10)" for an adaptive cluster.
 */
export function workersText(
  cluster: Pick<Cluster, 'workers' | 'requested_workers' | 'adapt'>,
  trans: TranslationBundle
): string {
  const { workers, requested_workers: requested, adapt } = cluster;
  let text: string;
  if (workers === null) {
    text =
      requested === null
        ? trans.__('workers unknown')
        : trans._n('%1 worker requested', '%1 workers requested', requested);
  } else if (requested !== null && requested < workers) {
    text = trans._n(
      '%1 worker, scaling down to %2',
      '%1 workers, scaling down to %2',
      workers,
      requested
    );
  } else if (requested !== null && requested !== workers) {
    text = trans._n('%2 of %1 worker', '%2 of %1 workers', requested, workers);
  } else {
    text = trans._n('%1 worker', '%1 workers', workers);
  }
  if (adapt) {
    text += ` ${trans.__('(adaptive, %1–%2)', adapt.minimum, adapt.maximum)}`;
  }
  return text;
}

/**
 * What a cluster costs per hour: "$0.42 per hour", "included in server" for a
 * local cluster (its resources are the server's, already paid for), "price
 * not set" when the admin set no prices.
 */
export function clusterCostText(
  cluster: Pick<Cluster, 'cost_per_hour' | 'currency' | 'backend'>,
  trans: TranslationBundle
): string {
  const cost = cluster.cost_per_hour;
  if (cost === null) {
    return trans.__('price not set');
  }
  if (cost === 0 && cluster.backend === 'local') {
    return trans.__('included in server');
  }
  return trans.__('%1 per hour', formatMoney(cost, cluster.currency));
}

/**
 * The total line: "$1.20 per hour", "included in server" when every running
 * cluster is local, "price not set" when any running cluster is unpriced.
 */
export function totalCostText(
  cost: number | null,
  currency: string,
  trans: TranslationBundle
): string {
  if (cost === null) {
    return trans.__('price not set');
  }
  if (cost === 0) {
    return trans.__('included in server');
  }
  return trans.__('%1 per hour', formatMoney(cost, currency));
}

/**
 * "after 30m without work", or "none" when the cluster never shuts itself down
 * (or it is not known).
 */
export function idleText(
  seconds: number | null,
  trans: TranslationBundle
): string {
  if (seconds === null || seconds <= 0) {
    return trans.__('none');
  }
  return trans.__('after %1 without work', formatDuration(seconds));
}

/**
 * Cores of a cluster (threads over its workers): "4", "0.5".
 */
export function formatCores(cores: number): string {
  return String(Number(cores.toFixed(1)));
}

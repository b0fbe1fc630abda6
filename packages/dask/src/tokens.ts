import type { Adapt, Cluster, CreateRequest, Plot } from './model';

/**
 * What the panel's buttons do. Actions that need a dialog, a notebook or a
 * notification are the plugin's (commands), so the palette and the panel behave
 * the same.
 */
export interface IPanelActions {
  /**
   * Start a cluster; resolves `true` when the server accepted it.
   */
  create(request: CreateRequest): Promise<boolean>;
  scale(cluster: Cluster, workers: number): Promise<void>;
  adapt(cluster: Cluster, adapt: Adapt): Promise<void>;
  /**
   * Shut a cluster down (after confirming, when the settings say so).
   */
  shutdown(cluster: Cluster): void;
  /**
   * Remove a failed cluster from the list (nothing runs, nothing to confirm).
   */
  remove(cluster: Cluster): void;
  shutdownAll(): void;
  insertCode(cluster: Cluster): void;
  openPlot(cluster: Cluster, plot: Plot): void;
}

/**
 * The id of the "New cluster" form: the panel's button controls it, its
 * fields' ids start with it.
 */
export const FORM_ID = 'cs-dask-new-cluster';

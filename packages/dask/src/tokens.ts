import { Token } from '@lumino/coreutils';

import type { ILazyView } from '@cloudscapes/core';

import type { Adapt, Cluster, CreateRequest, DaskModel, Plot } from './model';
import type { DaskPanel } from './panel';

/**
 * The plugin that owns the settings (schema/plugin.json) and the panel.
 */
export const PLUGIN_ID = '@cloudscapes/dask:plugin';

/**
 * The panel's DOM id (and layout-restorer name).
 */
export const PANEL_ID = 'cloudscapes-dask-panel';

export namespace CommandIDs {
  export const open = 'cloudscapes-dask:open';
  export const newCluster = 'cloudscapes-dask:new-cluster';
  export const shutdownAll = 'cloudscapes-dask:shutdown-all';
  export const insertCode = 'cloudscapes-dask:insert-connect-code';
  export const openDashboard = 'cloudscapes-dask:open-dashboard';
}

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

/**
 * The model and the panel, once the panel's chunk has loaded.
 */
export interface IDaskView {
  readonly model: DaskModel;
  readonly panel: DaskPanel;
}

/**
 * The Dask panel in the sidebar. Its view (model, panel, "New cluster" form) is
 * a chunk of its own, loaded when the panel is first shown or a command needs
 * it (the dashboards are another chunk), so JupyterLab's start fetches none of it.
 */
export type IDaskClusters = ILazyView<IDaskView>;

export const IDaskClusters = new Token<IDaskClusters>(
  '@cloudscapes/dask:IDaskClusters',
  'The Dask panel of Cloudscapes: its view loads on first use.'
);

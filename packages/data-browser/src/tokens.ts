import { Token } from '@lumino/coreutils';

import type { ILazyView } from '@cloudscapes/core';

import type { DataBrowserModel } from './model';
import type { DataBrowserPanel } from './panel';

/**
 * The plugin that owns the settings (schema/plugin.json) and the panel.
 */
export const PLUGIN_ID = '@cloudscapes/data-browser:plugin';

/**
 * The panel's DOM id (and layout-restorer name).
 */
export const PANEL_ID = 'cloudscapes-data-browser';

export namespace CommandIDs {
  export const open = 'cloudscapes-data:open';
  export const search = 'cloudscapes-data:search';
  export const browseS3 = 'cloudscapes-data:browse-s3';
  export const insertCode = 'cloudscapes-data:insert-code';
  export const download = 'cloudscapes-data:download';
  export const copyS3 = 'cloudscapes-data:copy-s3-urls';
  export const copyHttps = 'cloudscapes-data:copy-https-urls';
}

/**
 * What the panel's action buttons do: they run the commands (so the palette,
 * context menu and buttons behave the same).
 */
export interface IPanelActions {
  insertCode(): void;
  download(): void;
  copyS3(): void;
  copyHttps(): void;
}

/**
 * The model and the panel, once the panel's chunk has loaded.
 */
export interface IDataBrowserView {
  readonly model: DataBrowserModel;
  readonly panel: DataBrowserPanel;
}

/**
 * The data browser in the sidebar. Its view (model, panel, map, lists) is a
 * chunk of its own, loaded when the panel is first shown or a command needs
 * it, so that JupyterLab's start fetches none of it.
 */
export type IDataBrowser = ILazyView<IDataBrowserView>;

export const IDataBrowser = new Token<IDataBrowser>(
  '@cloudscapes/data-browser:IDataBrowser',
  'The Data panel of Cloudscapes: its view loads on first use.'
);

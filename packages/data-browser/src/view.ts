/**
 * The data browser's view: the chunk that the sidebar loads on first show
 * (`import('./view')`), with the model, the panel and its components.
 */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { TranslationBundle } from '@jupyterlab/translation';

import { JobTracker, followSettings } from '@cloudscapes/core';

import {
  DEFAULT_SETTINGS,
  DataBrowserModel,
  IDataBrowserSettings
} from './model';
import { DataBrowserPanel } from './panel';
import { IDataBrowserView, IPanelActions, PLUGIN_ID } from './tokens';

/**
 * Build the model (with the user's settings applied) and the panel.
 */
export async function createView(options: {
  settingRegistry: ISettingRegistry | null;
  trans: TranslationBundle;
  actions: IPanelActions;
}): Promise<IDataBrowserView> {
  const model = new DataBrowserModel(
    DEFAULT_SETTINGS,
    new JobTracker(),
    options.trans
  );
  let first = true;
  await followSettings<IDataBrowserSettings>(
    options.settingRegistry,
    PLUGIN_ID,
    DEFAULT_SETTINGS,
    values => {
      model.settings = values;
      if (first) {
        // the admin's default of "Cloud hosted only", once; later it is the user's
        model.setFilters({ cloudHosted: values.cloudHostedOnly });
        first = false;
      }
    }
  );
  const panel = new DataBrowserPanel(model, options.trans, options.actions);
  return { model, panel };
}

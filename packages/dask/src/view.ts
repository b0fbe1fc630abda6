/**
 * The Dask panel's view: the chunk that the sidebar loads on first show
 * (`import('./view')`), with the model, the panel and its components.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { TranslationBundle } from '@jupyterlab/translation';

import { JobTracker, followSettings } from '@cloudscapes/core';

import { panelActions } from './actions';
import { DEFAULT_SETTINGS, DaskModel, IDaskSettings } from './model';
import { DaskPanel } from './panel';
import { IDaskView, PLUGIN_ID } from './tokens';

/**
 * Build the model (with the user's settings applied) and the panel.
 */
export async function createView(options: {
  settingRegistry: ISettingRegistry | null;
  trans: TranslationBundle;
  commands: JupyterFrontEnd['commands'];
}): Promise<IDaskView> {
  const model = new DaskModel(
    DEFAULT_SETTINGS,
    new JobTracker(),
    options.trans
  );
  await followSettings<IDaskSettings>(
    options.settingRegistry,
    PLUGIN_ID,
    DEFAULT_SETTINGS,
    values => (model.settings = values)
  );
  const panel: DaskPanel = new DaskPanel(
    model,
    options.trans,
    panelActions({
      model,
      commands: options.commands,
      trans: options.trans,
      panel: () => panel
    })
  );
  return { model, panel };
}

/**
 * The Git panel's view: the chunk that the sidebar loads on first show
 * (`import('./view')`), with the model, the panel, its components and
 * actions. The model follows the file browser's folder and refreshes soon
 * after any file is saved, created, renamed or deleted through JupyterLab.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { FileBrowser } from '@jupyterlab/filebrowser';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { TranslationBundle } from '@jupyterlab/translation';

import { JobTracker, followSettings } from '@cloudscapes/core';

import { panelActions } from './actions';
import { gitAPI } from './api';
import { DEFAULT_SETTINGS, GitModel, IGitSettings } from './model';
import { GitPanel } from './panel';
import { IGitView, PLUGIN_ID } from './tokens';

export async function createView(options: {
  app: JupyterFrontEnd;
  settingRegistry: ISettingRegistry | null;
  trans: TranslationBundle;
  fileBrowser: FileBrowser | null;
}): Promise<IGitView> {
  const { app, trans, fileBrowser } = options;
  const model = new GitModel(DEFAULT_SETTINGS, gitAPI, new JobTracker(), trans);
  await followSettings<IGitSettings>(
    options.settingRegistry,
    PLUGIN_ID,
    DEFAULT_SETTINGS,
    values => (model.settings = values)
  );
  if (fileBrowser) {
    model.setPath(fileBrowser.model.path);
    fileBrowser.model.pathChanged.connect((_, change) =>
      model.setPath(change.newValue ?? '')
    );
  }
  app.serviceManager?.contents?.fileChanged.connect(() => model.refreshSoon());
  const goTo = (path: string) => {
    if (fileBrowser) {
      void fileBrowser.model.cd(`/${path}`);
    } else {
      void app.commands.execute('filebrowser:go-to-path', { path: `/${path}` });
    }
  };
  const actions = panelActions({
    app,
    model,
    trans,
    panel: () => panel,
    goTo
  });
  const panel: GitPanel = new GitPanel(model, trans, actions);
  return { model, panel, actions };
}

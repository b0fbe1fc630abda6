/**
 * @cloudscapes/git: a learner-friendly git panel in the left sidebar — the
 * repository of the file browser's folder, its changes and commit box, the
 * history with its graph, branches, tags, stashes and remotes, push and pull
 * as server jobs, GitHub sign-in by device flow and "Update the tutorial".
 *
 * Small plugins, one concern each: the panel (whose view loads when it is
 * first shown, and then follows the file browser and refreshes after saves)
 * and the commands (palette, Git menu, shortcuts and the file browser's
 * context menu, declared in schema/plugin.json). Diffs, conflicts and dialogs
 * are chunks of their own, loaded on first use. None of them waits on the
 * network; all stay out of the way when the server's `git` feature is disabled.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { FileBrowser, IDefaultFileBrowser } from '@jupyterlab/filebrowser';

import {
  CloudscapesFeature,
  featurePlugin,
  lazySidebarPlugin
} from '@cloudscapes/core';

import { PALETTE_COMMANDS, addCommands } from './commands';
import { gitIcon } from './icon';
import { IGitPanel, IGitView, PANEL_ID, PLUGIN_ID } from './tokens';

export { CommandIDs, IGitPanel, PLUGIN_ID } from './tokens';
export type { IGitView } from './tokens';
export { gitIcon } from './icon';

/**
 * The server feature (core's list of features does not name it yet).
 */
const FEATURE: CloudscapesFeature = 'git';

/**
 * The default file browser, when the page has one.
 */
async function defaultBrowser(
  app: JupyterFrontEnd
): Promise<FileBrowser | null> {
  const resolve = (
    app as {
      resolveOptionalService?: JupyterFrontEnd['resolveOptionalService'];
    }
  ).resolveOptionalService;
  if (!resolve) {
    return null;
  }
  const browser = await resolve.call(app, IDefaultFileBrowser);
  return (browser as FileBrowser | null) ?? null;
}

/**
 * The Git panel in the left sidebar; its view is built on first show.
 */
const panelPlugin = lazySidebarPlugin<IGitView>({
  id: PLUGIN_ID,
  description:
    'The Git panel: changes, commits, history, branches, push and pull.',
  feature: FEATURE,
  provides: IGitPanel,
  panelId: PANEL_ID,
  rank: 300,
  icon: gitIcon,
  caption: trans => trans.__('Git'),
  build: async ({ app, settingRegistry, trans }) => {
    const [{ createView }, fileBrowser] = await Promise.all([
      import('./view'),
      defaultBrowser(app)
    ]);
    return createView({ app, settingRegistry, trans, fileBrowser });
  }
});

/**
 * The Git commands: palette ("Git"), the Git menu, shortcuts, and the file
 * browser's context menu.
 */
const commandsPlugin = featurePlugin<IGitPanel>({
  id: '@cloudscapes/git:commands',
  description:
    'Commands of the Git panel: clone, commit, pull, push, update the tutorial, branches, and file-browser entries.',
  view: IGitPanel,
  optional: [ICommandPalette, IDefaultFileBrowser],
  activate: (
    app,
    git,
    { trans },
    palette: ICommandPalette | null,
    fileBrowser: FileBrowser | null
  ) => {
    addCommands(app, git, { trans, fileBrowser });
    if (palette) {
      const category = trans.__('Git');
      for (const command of PALETTE_COMMANDS) {
        palette.addItem({ command, category });
      }
    }
  }
});

export default [panelPlugin, commandsPlugin];

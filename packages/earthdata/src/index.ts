/**
 * @cloudscapes/earthdata: sign in to NASA Earthdata Login once from a
 * left-sidebar panel; HTTPS (netrc) and in-region S3 access (DAAC temporary
 * credentials, AWS profiles) then work in every kernel. Commands insert a login
 * cell without secrets, show the panel and sign out.
 *
 * Small plugins, one concern each: the model (with the settings), the shared
 * `IEarthdataModel`, the commands and the panel. None waits on the network
 * while it activates: the model asks for the session once the settings are
 * in. With the server's `earthdata` feature disabled they add nothing (one
 * console line).
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import {
  addShowCommand,
  addSidebarPanel,
  cloudscapesTrans,
  findShellWidget,
  reportWhenHidden,
  requireFeature,
  startWithSettings
} from '@cloudscapes/core';

import { CommandIDs, addCommands, openCommand } from './commands';
import { EarthdataPanel } from './components/panel';
import { hintsIn } from './hints';
import { earthdataIcon } from './icon';
import { DEFAULT_SETTINGS, EarthdataModel } from './model';
import { IEarthdataModel, IEarthdataService } from './tokens';

/**
 * The model's plugin; its id names the settings (schema/plugin.json).
 */
export const PLUGIN_ID = '@cloudscapes/earthdata:plugin';

const PANEL_ID = 'cloudscapes-earthdata-panel';

export { CommandIDs } from './commands';
export { EarthdataModel, DEFAULT_SETTINGS } from './model';
export type {
  IEarthdataSettings,
  Session,
  SignInRequest,
  DaacCredentials,
  AwsProfiles,
  Region
} from './model';
export { EarthdataPanel } from './components/panel';
export { loginCellSource } from './loginCell';
export { IEarthdataModel, IEarthdataService } from './tokens';
export { earthdataIcon } from './icon';
export * from './format';

/**
 * The Earthdata model, following the settings; it loads the session and the
 * region once they are in (not awaited: activation does not wait).
 */
const modelPlugin: JupyterFrontEndPlugin<EarthdataModel> = {
  id: PLUGIN_ID,
  description:
    'The Earthdata Login model: session, DAAC S3 credentials, AWS profiles and the region.',
  autoStart: true,
  provides: IEarthdataService,
  optional: [ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    registry: ISettingRegistry | null
  ): EarthdataModel => {
    const model = new EarthdataModel();
    if (requireFeature('earthdata', PLUGIN_ID)) {
      void startWithSettings(registry, PLUGIN_ID, DEFAULT_SETTINGS, model);
    }
    return model;
  }
};

/**
 * The Earthdata state for the other Cloudscapes packages.
 */
const sessionPlugin: JupyterFrontEndPlugin<IEarthdataModel> = {
  id: '@cloudscapes/earthdata:session',
  description:
    'Provides the Earthdata Login session, DAAC credentials and region to other parts.',
  autoStart: true,
  provides: IEarthdataModel,
  requires: [IEarthdataService],
  activate: (app: JupyterFrontEnd, model: EarthdataModel) => model
};

/**
 * Sign out, renew, AWS profiles, the login cell.
 */
const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/earthdata:commands',
  description:
    'Commands to sign out, renew the token, set up AWS profiles and insert a login cell.',
  autoStart: true,
  requires: [IEarthdataService],
  optional: [INotebookTracker, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    model: EarthdataModel,
    notebooks: INotebookTracker | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    if (!requireFeature('earthdata', '@cloudscapes/earthdata:commands')) {
      return;
    }
    const trans = cloudscapesTrans(translator);
    addCommands(app, model, {
      trans,
      translator: translator ?? undefined,
      notebooks,
      palette,
      // failures show in the panel; from the palette or a menu (panel
      // hidden) they also become notifications
      report: reportWhenHidden(
        () => findShellWidget(app, PANEL_ID),
        hintsIn(trans)
      )
    });
  }
};

/**
 * The sign-in panel in the left sidebar, and "Show Earthdata Login".
 */
const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/earthdata:panel',
  description: 'The Earthdata Login panel in the left sidebar.',
  autoStart: true,
  requires: [IEarthdataService],
  optional: [ILabShell, ILayoutRestorer, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    model: EarthdataModel,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    if (!requireFeature('earthdata', '@cloudscapes/earthdata:panel')) {
      return;
    }
    const trans = cloudscapesTrans(translator);
    const run = (command: string) => void app.commands.execute(command);
    const panel = new EarthdataPanel(model, trans, {
      signOut: () => run(CommandIDs.signOut),
      renew: () => run(CommandIDs.renew),
      writeProfiles: () => run(CommandIDs.writeProfiles)
    });
    const show = addSidebarPanel(app, panel, {
      id: PANEL_ID,
      area: 'left',
      rank: 450,
      icon: earthdataIcon,
      caption: trans.__('Earthdata Login'),
      labShell,
      restorer
    });
    addShowCommand(app, CommandIDs.open, show, openCommand(trans), palette);
  }
};

const plugins: JupyterFrontEndPlugin<any>[] = [
  modelPlugin,
  sessionPlugin,
  commandsPlugin,
  panelPlugin
];

export default plugins;

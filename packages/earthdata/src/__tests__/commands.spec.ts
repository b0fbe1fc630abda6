import { ILabShell } from '@jupyterlab/application';
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { nullTranslator } from '@jupyterlab/translation';

import { CloudscapesRequestError, FEATURES_OPTION } from '@cloudscapes/core';

import { CommandIDs, addCommands } from '../commands';
import plugins from '../index';
import { EarthdataModel } from '../model';
import { IEarthdataModel } from '../tokens';
import { activateWith, testApp } from '../../../core/src/__tests__/app';
import { signedIn, signedOut } from './fixture';

jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showDialog: jest.fn()
}));

const trans = nullTranslator.load('cloudscapes');
const dialog = showDialog as jest.MockedFunction<typeof showDialog>;

function setup() {
  const app = testApp();
  const model = new EarthdataModel();
  const report = jest.fn();
  const palette = { addItem: jest.fn() };
  addCommands(app, model, {
    trans,
    notebooks: null,
    palette: palette as any,
    report
  });
  return { app, model, report, palette };
}

function confirm(revoke: boolean) {
  dialog.mockResolvedValueOnce({
    button: Dialog.warnButton(),
    isChecked: revoke,
    value: null
  });
}

describe('Earthdata commands', () => {
  afterEach(() => jest.restoreAllMocks());

  it('are on only when they can do something', () => {
    const { app, model } = setup();
    const changed: string[] = [];
    app.commands.commandChanged.connect((_, args) => changed.push(args.id!));
    model.setSession(signedOut());
    expect(app.commands.isEnabled(CommandIDs.signOut)).toBe(false);
    expect(app.commands.isEnabled(CommandIDs.renew)).toBe(false);
    // no notebook open: nothing to insert into
    expect(app.commands.isEnabled(CommandIDs.insertLoginCell)).toBe(false);
    model.setSession(signedIn());
    expect(app.commands.isEnabled(CommandIDs.signOut)).toBe(true);
    expect(app.commands.isEnabled(CommandIDs.renew)).toBe(true);
    // menus and the palette are told to look again
    expect(changed).toContain(CommandIDs.signOut);
  });

  it('sign out after asking, revoking the token when the user says so', async () => {
    const { app, model } = setup();
    model.setSession(signedIn());
    const signOut = jest
      .spyOn(model, 'signOut')
      .mockResolvedValue(signedOut({ notice: 'Token revoked.' }));
    const emit = jest.spyOn(Notification, 'emit').mockReturnValue('');
    dialog.mockResolvedValueOnce({
      button: Dialog.cancelButton(),
      isChecked: true,
      value: null
    });
    await app.commands.execute(CommandIDs.signOut);
    expect(signOut).not.toHaveBeenCalled();
    // a password sign-in offers to revoke the token it made
    expect(
      (dialog.mock.calls[0][0] as Dialog.IOptions<unknown>).checkbox?.checked
    ).toBe(true);
    confirm(true);
    await app.commands.execute(CommandIDs.signOut);
    expect(signOut).toHaveBeenCalledWith(true);
    expect(emit).toHaveBeenCalledWith('Token revoked.', 'info', {
      autoClose: 4000
    });
  });

  it('keep a failed revocation on screen', async () => {
    const { app, model } = setup();
    model.setSession(signedIn());
    jest
      .spyOn(model, 'signOut')
      .mockResolvedValue(
        signedOut({ notice: 'Signed out; the token was not revoked.' })
      );
    const emit = jest.spyOn(Notification, 'emit').mockReturnValue('');
    confirm(false);
    await app.commands.execute(CommandIDs.signOut);
    expect(emit.mock.calls[0][1]).toBe('warning');
    expect(emit.mock.calls[0][2]).toEqual({ autoClose: false });
  });

  it('report what failed', async () => {
    const { app, model, report } = setup();
    model.setSession(signedIn());
    const error = new CloudscapesRequestError(
      502,
      'edl_unreachable',
      'Earthdata Login did not answer.'
    );
    jest.spyOn(model, 'renew').mockRejectedValue(error);
    await app.commands.execute(CommandIDs.renew);
    expect(report).toHaveBeenCalledWith('The token was not renewed.', error);
  });

  it('are in the palette under Earthdata', () => {
    const { palette } = setup();
    expect(palette.addItem.mock.calls.map(c => c[0].command)).toEqual([
      CommandIDs.insertLoginCell,
      CommandIDs.renew,
      CommandIDs.writeProfiles,
      CommandIDs.signOut
    ]);
    expect(palette.addItem.mock.calls[0][0].category).toBe('Earthdata');
  });
});

describe('Earthdata plugins', () => {
  afterEach(() => {
    PageConfig.setOption(FEATURES_OPTION, '');
    jest.restoreAllMocks();
  });

  async function start(features: string) {
    const shell = { add: jest.fn() };
    const { app, provided } = await activateWith(
      features,
      plugins,
      new Map<any, unknown>([[ILabShell, shell]])
    );
    const model = provided.get(IEarthdataModel) as EarthdataModel;
    return { app, shell, model };
  }

  it('add the panel and every command with the feature on', async () => {
    const { app, shell, model } = await start('usage,earthdata');
    for (const id of Object.values(CommandIDs)) {
      expect(app.commands.hasCommand(id)).toBe(true);
    }
    expect(shell.add.mock.calls[0][0].id).toBe('cloudscapes-earthdata-panel');
    expect(shell.add.mock.calls[0][1]).toBe('left');
    expect(model).toBeInstanceOf(EarthdataModel);
    model.dispose();
  });

  it('stay out of the way when the server has the feature off', async () => {
    const log = jest.spyOn(console, 'info').mockImplementation(() => {});
    const { app, shell, model } = await start('usage');
    expect(app.commands.listCommands()).toEqual([]);
    expect(shell.add).not.toHaveBeenCalled();
    // the shared model exists but never asks the server
    expect(model.session).toBeNull();
    expect(log).toHaveBeenCalledTimes(1);
  });
});

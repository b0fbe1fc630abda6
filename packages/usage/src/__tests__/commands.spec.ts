import { ILabShell } from '@jupyterlab/application';
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { IStatusBar } from '@jupyterlab/statusbar';
import { nullTranslator } from '@jupyterlab/translation';

import {
  CloudscapesRequestError,
  FEATURES_OPTION,
  ICloudscapesUsage,
  addShowCommand
} from '@cloudscapes/core';

import { CommandIDs, addCommands, openCommand } from '../commands';
import plugins from '../index';
import { UsageModel } from '../model';
import { activateWith, testApp } from '../../../core/src/__tests__/app';
import { makeUsage } from './fixture';

jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showDialog: jest.fn()
}));

const trans = nullTranslator.load('cloudscapes');
const dialog = showDialog as jest.MockedFunction<typeof showDialog>;

function palette() {
  return { addItem: jest.fn() } as any;
}

function setup() {
  const app = testApp();
  const model = new UsageModel();
  model.setUsage(makeUsage());
  const pal = palette();
  addCommands(app, model, trans, pal);
  return { app, model, pal };
}

describe('usage commands', () => {
  afterEach(() => jest.restoreAllMocks());

  it('are in the palette under Server Usage', () => {
    const { pal } = setup();
    expect(pal.addItem.mock.calls.map((c: any[]) => c[0])).toEqual([
      { command: CommandIDs.keepAlive, category: 'Server Usage' },
      { command: CommandIDs.endKeepAlive, category: 'Server Usage' },
      { command: CommandIDs.stop, category: 'Server Usage' }
    ]);
  });

  it('keep the server alive for the first choice, and say until when', async () => {
    const { app, model } = setup();
    const keepAlive = jest
      .spyOn(model, 'keepAlive')
      .mockResolvedValue({ keepalive_until: '2026-11-21T13:00:00Z' } as any);
    const success = jest.spyOn(Notification, 'success').mockReturnValue('');
    expect(app.commands.label(CommandIDs.keepAlive, { minutes: 60 })).toBe(
      'Keep Server Alive for 60 Minutes'
    );
    await app.commands.execute(CommandIDs.keepAlive);
    // the first of the settings' choices (30), within the hub's 240
    expect(keepAlive).toHaveBeenCalledWith(30);
    expect(success.mock.calls[0][0]).toMatch(
      /^Your server is kept alive until/
    );
    await app.commands.execute(CommandIDs.keepAlive, { minutes: 120 });
    expect(keepAlive).toHaveBeenLastCalledWith(120);
  });

  it('report a failed keep-alive with the server’s message and hint', async () => {
    const { app, model } = setup();
    jest
      .spyOn(model, 'keepAlive')
      .mockRejectedValue(
        new CloudscapesRequestError(
          400,
          'keepalive_too_long',
          'At most 240 minutes.',
          'Choose a shorter time.'
        )
      );
    const error = jest.spyOn(Notification, 'error').mockReturnValue('');
    await app.commands.execute(CommandIDs.keepAlive, { minutes: 999 });
    expect(error).toHaveBeenCalledWith(
      'Keep-alive failed. At most 240 minutes. Choose a shorter time.',
      { autoClose: false }
    );
  });

  it('end keep-alive only while one runs', () => {
    const { app, model } = setup();
    expect(app.commands.isEnabled(CommandIDs.endKeepAlive)).toBe(false);
    const usage = makeUsage();
    model.setUsage({
      ...usage,
      activity: { ...usage.activity, keepalive_until: '2026-11-21T13:00:00Z' }
    });
    expect(app.commands.isEnabled(CommandIDs.endKeepAlive)).toBe(true);
  });

  it('stop the server only after the user confirms', async () => {
    const { app, model } = setup();
    const stop = jest
      .spyOn(model, 'stopServer')
      .mockResolvedValue({ redirect: null } as any);
    const info = jest.spyOn(Notification, 'info').mockReturnValue('');
    dialog.mockResolvedValueOnce({
      button: Dialog.cancelButton(),
      isChecked: null,
      value: null
    });
    await app.commands.execute(CommandIDs.stop);
    expect(stop).not.toHaveBeenCalled();
    dialog.mockResolvedValueOnce({
      button: Dialog.warnButton(),
      isChecked: null,
      value: null
    });
    await app.commands.execute(CommandIDs.stop);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0][0]).toBe(
      'Your server is shutting down. You can close this tab.'
    );
    // under a hub that refuses, the command is off
    model.setUsage({
      ...makeUsage(),
      hub: { ...makeUsage().hub, can_stop: false }
    });
    expect(app.commands.isEnabled(CommandIDs.stop)).toBe(false);
  });

  it('show the panel', async () => {
    const app = testApp();
    const show = jest.fn();
    addShowCommand(app, CommandIDs.open, show, openCommand(trans), null);
    await app.commands.execute(CommandIDs.open);
    expect(show).toHaveBeenCalledTimes(1);
  });
});

describe('usage plugins', () => {
  afterEach(() => {
    PageConfig.setOption(FEATURES_OPTION, '');
    jest.restoreAllMocks();
  });

  async function start(features: string) {
    const bar = { registerStatusItem: jest.fn() };
    const shell = { add: jest.fn() };
    const { app, provided } = await activateWith(
      features,
      plugins,
      new Map<any, unknown>([
        [IStatusBar, bar],
        [ILabShell, shell]
      ])
    );
    const usage = provided.get(ICloudscapesUsage) as UsageModel;
    return { app, bar, shell, usage };
  }

  it('add the commands, panel, status item and shared model with the feature on', async () => {
    const { app, bar, shell, usage } = await start('usage,dask');
    for (const id of Object.values(CommandIDs)) {
      expect(app.commands.hasCommand(id)).toBe(true);
    }
    expect(bar.registerStatusItem).toHaveBeenCalledTimes(1);
    expect(shell.add.mock.calls[0][0].id).toBe('cloudscapes-usage-panel');
    expect(usage).toBeInstanceOf(UsageModel);
    usage.dispose();
  });

  it('stay out of the way when the server has the usage feature off', async () => {
    const log = jest.spyOn(console, 'info').mockImplementation(() => {});
    const { app, bar, shell, usage } = await start('dask');
    expect(app.commands.listCommands()).toEqual([]);
    expect(bar.registerStatusItem).not.toHaveBeenCalled();
    expect(shell.add).not.toHaveBeenCalled();
    // the shared model exists but never asks the server
    expect(usage.usage).toBeNull();
    expect(log).toHaveBeenCalledTimes(1);
  });
});

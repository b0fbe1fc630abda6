import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { CloudscapesRequestError, requestAPI } from '@cloudscapes/core';

import { addCommands } from '../commands';
import { DataBrowserModel } from '../model';
import type { DataBrowserPanel } from '../panel';
import { CommandIDs, IDataBrowser, IDataBrowserView } from '../tokens';
import { sources, withGranules } from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;
const trans = nullTranslator.load('cloudscapes');

/**
 * The commands over a real model; the panel is the part they call (its
 * visibility decides whether failures become notifications). The view is
 * "loaded" on the first load() or show(), as the sidebar does.
 */
function setUp(visible = true) {
  const commands = new CommandRegistry();
  const model = new DataBrowserModel();
  const panel = { isVisible: visible, focusSearch: jest.fn() };
  const view: IDataBrowserView = {
    model,
    panel: panel as unknown as DataBrowserPanel
  };
  let loaded: IDataBrowserView | null = null;
  let resolveReady: (view: IDataBrowserView) => void = () => undefined;
  const ready = new Promise<IDataBrowserView>(r => (resolveReady = r));
  const load = jest.fn(async () => {
    loaded = view;
    resolveReady(view);
    return view;
  });
  const shown = jest.fn();
  const browser: IDataBrowser = {
    get view() {
      return loaded;
    },
    ready,
    load,
    show: async () => {
      shown();
      return load();
    }
  };
  const insert = jest.fn(async (_code: string) => undefined);
  addCommands({ commands } as unknown as JupyterFrontEnd, browser, {
    trans,
    insert
  });
  return { commands, model, panel, browser, load, shown, insert };
}

describe('data browser commands', () => {
  beforeEach(() => request.mockReset());

  it('registers every command with a label', () => {
    const { commands } = setUp();
    for (const id of Object.values(CommandIDs)) {
      expect(commands.hasCommand(id)).toBe(true);
      expect(commands.label(id)).not.toBe('');
    }
    expect(commands.label(CommandIDs.insertCode, { isPalette: true })).toBe(
      'Insert Code for Data Selection'
    );
  });

  it('open and search show the panel; search focuses the keyword box', async () => {
    const { commands, model, panel, shown, load } = setUp();
    model.tab = 's3';
    await commands.execute(CommandIDs.open);
    expect(shown).toHaveBeenCalledTimes(1);
    await commands.execute(CommandIDs.search);
    expect(model.tab).toBe('search');
    expect(panel.focusSearch).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('browse S3 switches to the S3 tab and lists the sources', async () => {
    const { commands, model } = setUp();
    request.mockResolvedValueOnce({ sources: sources() });
    await commands.execute(CommandIDs.browseS3);
    expect(model.tab).toBe('s3');
    await Promise.resolve();
    expect(request).toHaveBeenCalledWith('data/s3/sources');
  });

  it('the selection commands are disabled before the view loads and without a selection', async () => {
    const { commands, model, browser } = setUp();
    expect(commands.isEnabled(CommandIDs.insertCode)).toBe(false);
    await browser.load();
    await withGranules(model, request, 2);
    for (const id of [
      CommandIDs.insertCode,
      CommandIDs.download,
      CommandIDs.copyS3
    ]) {
      expect(commands.isEnabled(id)).toBe(false);
    }
    const changed = jest.fn();
    commands.commandChanged.connect((_, args) => changed(args.id));
    model.clickGranule('G2001-NSIDC_CPRD', false);
    expect(changed).toHaveBeenCalledWith(CommandIDs.insertCode);
    expect(commands.isEnabled(CommandIDs.insertCode)).toBe(true);
    expect(commands.isEnabled(CommandIDs.download)).toBe(true);
    expect(commands.isEnabled(CommandIDs.copyHttps)).toBe(true);
  });

  it('insert code asks the server for code and inserts it', async () => {
    const { commands, model, browser, insert } = setUp();
    await browser.load();
    await withGranules(model, request, 2);
    model.selectAllLoaded();
    request.mockResolvedValueOnce({
      code: 'import earthaccess',
      access: 's3',
      template: 'granules'
    });
    await commands.execute(CommandIDs.insertCode);
    expect(request.mock.calls[0][0]).toBe('data/code');
    expect(insert).toHaveBeenCalledWith('import earthaccess');
  });

  it('a failure while the panel is hidden becomes a notification with the hint', async () => {
    const { commands, model, browser, insert } = setUp(false);
    await browser.load();
    await withGranules(model, request, 1);
    model.selectAllLoaded();
    request.mockRejectedValueOnce(
      new CloudscapesRequestError(429, 'cmr_busy', 'NASA CMR refused.')
    );
    const error = jest.spyOn(Notification, 'error').mockReturnValue('n');
    await commands.execute(CommandIDs.insertCode);
    expect(insert).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith(
      'No code was generated. NASA CMR refused. NASA CMR is busy; wait a minute, then try again.',
      { autoClose: false }
    );
    expect(model.actionError?.code).toBe('cmr_busy');
    error.mockRestore();
  });

  it('copy S3 URL copies the s3:// URLs of the selection, one a line', async () => {
    const { commands, model, browser } = setUp();
    await browser.load();
    await withGranules(model, request, 2);
    model.selectAllLoaded();
    const copy = jest
      .spyOn(Clipboard, 'copyToSystem')
      .mockImplementation(() => undefined);
    const info = jest.spyOn(Notification, 'info').mockReturnValue('n');
    await commands.execute(CommandIDs.copyS3);
    expect(copy).toHaveBeenCalledWith(
      model.selectedGranules.flatMap(g => g.s3_urls).join('\n')
    );
    expect(info).toHaveBeenCalledWith(
      expect.stringMatching(/URLs copied/),
      expect.anything()
    );
    copy.mockRestore();
    info.mockRestore();
  });
});

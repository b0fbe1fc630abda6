import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { CloudscapesRequestError, requestAPI } from '@cloudscapes/core';

import { addCommands } from '../commands';
import { DataBrowserModel } from '../model';
import type { DataBrowserPanel } from '../panel';
import { CommandIDs, IDataBrowser, IDataBrowserView } from '../tokens';
import type { Code } from '../model';
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

function format(id: string, label: string, files: number) {
  return { id, label, files, opened: true };
}

function codeAnswer(
  code: string,
  formats: Code['formats'],
  leftOut: Code['left_out'] = []
): Code {
  return {
    code,
    access: 's3',
    template: 'granules',
    formats,
    left_out: leftOut
  };
}

/**
 * The element matching `selector` once it is in the page (a dialog opens
 * after the code request is answered).
 */
async function waitFor(selector: string): Promise<HTMLElement> {
  for (let i = 0; i < 50; i++) {
    const found = document.querySelector<HTMLElement>(selector);
    if (found) {
      await new Promise(resolve => requestAnimationFrame(resolve));
      return found;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error(`${selector} did not appear`);
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
    request.mockResolvedValueOnce(
      codeAnswer('import earthaccess', [format('netcdf', 'NetCDF / HDF5', 2)])
    );
    await commands.execute(CommandIDs.insertCode);
    // one format: inserted at once, no question
    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0][0]).toBe('data/code');
    expect(document.querySelector('.jp-Dialog')).toBeNull();
    expect(insert).toHaveBeenCalledWith('import earthaccess');
  });

  describe('a selection of several formats', () => {
    const mixed = () =>
      codeAnswer(
        'ds_netcdf = ...\nda_geotiff = ...\ntext = ...',
        [
          format('netcdf', 'NetCDF / HDF5', 3),
          format('geotiff', 'GeoTIFF', 3),
          format('text', 'Text', 3)
        ],
        [{ name: 'DEMO_1.nc.sha256', reason: 'checksum' }]
      );

    async function askedWith(answer: Code) {
      const { commands, model, browser, insert } = setUp();
      await browser.load();
      await withGranules(model, request, 3);
      model.selectAllLoaded();
      request.mockResolvedValueOnce(answer);
      const done = commands.execute(CommandIDs.insertCode);
      const dialog = await waitFor('.jp-Dialog');
      const boxes = Array.from(
        dialog.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')
      );
      const accept = dialog.querySelector<HTMLButtonElement>(
        '.jp-Dialog-button.jp-mod-accept'
      )!;
      return { done, dialog, boxes, accept, insert };
    }

    afterEach(() => {
      document.body.innerHTML = '';
    });

    it('asks which to open, all checked, then inserts the code for the chosen ones', async () => {
      const { done, dialog, boxes, accept, insert } = await askedWith(mixed());
      expect(dialog.querySelector('.jp-Dialog-header')!.textContent).toBe(
        'Open which formats?'
      );
      expect(
        Array.from(dialog.querySelectorAll('.cs-FormatsDialog-format')).map(
          l => l.textContent
        )
      ).toEqual([
        'NetCDF / HDF5 (3 files)',
        'GeoTIFF (3 files)',
        'Text (3 files)'
      ]);
      expect(boxes.map(b => b.checked)).toEqual([true, true, true]);
      expect(dialog.textContent).toContain(
        '1 other file is left out: checksum: DEMO_1.nc.sha256.'
      );
      // the keyboard reaches the first checkbox at once
      expect(document.activeElement).toBe(boxes[0]);
      boxes[1].click(); // GeoTIFF off
      boxes[2].click(); // Text off
      request.mockResolvedValueOnce(
        codeAnswer('ds = xr.open_mfdataset(...)', [
          { ...format('netcdf', 'NetCDF / HDF5', 3) },
          { ...format('geotiff', 'GeoTIFF', 3), opened: false },
          { ...format('text', 'Text', 3), opened: false }
        ])
      );
      accept.click();
      await done;
      expect(request).toHaveBeenCalledTimes(2);
      const body = JSON.parse(request.mock.calls[1][1]!.body as string);
      expect(body).toEqual({
        granules: ['G2001-NSIDC_CPRD', 'G2002-NSIDC_CPRD', 'G2003-NSIDC_CPRD'],
        formats: ['netcdf']
      });
      expect(insert).toHaveBeenCalledTimes(1);
      expect(insert).toHaveBeenCalledWith('ds = xr.open_mfdataset(...)');
    });

    it('inserts the first answer when every format stays checked (Enter accepts)', async () => {
      const { done, dialog, insert } = await askedWith(mixed());
      dialog.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })
      );
      await done;
      expect(request).toHaveBeenCalledTimes(1);
      expect(insert).toHaveBeenCalledWith(
        'ds_netcdf = ...\nda_geotiff = ...\ntext = ...'
      );
    });

    it('cannot be accepted with no format checked, and Cancel inserts nothing', async () => {
      const { done, dialog, boxes, accept, insert } = await askedWith(mixed());
      for (const box of boxes) {
        box.click();
      }
      expect(accept.disabled).toBe(true);
      expect(dialog.querySelector('[role="alert"]')!.textContent).toBe(
        'Choose at least one format to open.'
      );
      accept.click();
      expect(document.querySelector('.jp-Dialog')).not.toBeNull();
      boxes[0].click();
      expect(accept.disabled).toBe(false);
      dialog
        .querySelector<HTMLButtonElement>('.jp-Dialog-button.jp-mod-reject')!
        .click();
      await done;
      expect(request).toHaveBeenCalledTimes(1);
      expect(insert).not.toHaveBeenCalled();
    });

    it('shows format labels from the server as text', async () => {
      const xss = '<img src=x onerror="window.__xss=1">';
      const { done, dialog } = await askedWith(
        codeAnswer(
          'x',
          [format('netcdf', xss, 1), format('text', 'Text', 1)],
          [{ name: xss, reason: xss }]
        )
      );
      expect(dialog.querySelector('img')).toBeNull();
      expect(dialog.textContent).toContain(`${xss} (1 file)`);
      dialog
        .querySelector<HTMLButtonElement>('.jp-Dialog-button.jp-mod-reject')!
        .click();
      await done;
    });
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

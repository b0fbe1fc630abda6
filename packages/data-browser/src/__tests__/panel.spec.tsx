import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import {
  CloudscapesRequestError,
  JobTracker,
  requestAPI
} from '@cloudscapes/core';

import { DEFAULT_SETTINGS, DataBrowserModel } from '../model';
import { DataBrowserPanel } from '../panel';
import type { IPanelActions } from '../tokens';
import {
  collection,
  config,
  granule,
  job,
  objectPage,
  sources
} from './fixture';
import { attached, layoutLists, settle } from './render';

layoutLists();

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

// Leaflet is exercised by the UI tests; here the lazy map is a stand-in.
jest.mock('../map/MapView', () => ({
  __esModule: true,
  default: (props: { label: string }) =>
    React.createElement('div', {
      className: 'cs-DataMap-canvas',
      'aria-label': props.label
    })
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;
const trans = nullTranslator.load('cloudscapes');

function actions(): jest.Mocked<IPanelActions> {
  return {
    insertCode: jest.fn(),
    download: jest.fn(),
    copyS3: jest.fn(),
    copyHttps: jest.fn()
  };
}

async function rendered(model: DataBrowserModel, panelActions = actions()) {
  const panel = await attached(
    new DataBrowserPanel(model, trans, panelActions)
  );
  const $ = <T extends Element = HTMLElement>(selector: string) =>
    panel.node.querySelector(selector) as T;
  const $$ = <T extends Element = HTMLElement>(selector: string) =>
    Array.from(panel.node.querySelectorAll(selector)) as T[];
  return { panel, $, $$, actions: panelActions };
}

function page<T>(items: T[], cursor: string | null, hits = 0) {
  return { items, cursor, hits, took_ms: 5, timed_out: false };
}

describe('DataBrowserPanel', () => {
  beforeEach(() => request.mockReset());

  it('loads the region when shown and says how code reads data', async () => {
    request.mockResolvedValueOnce(config({ in_region: false }));
    const model = new DataBrowserModel();
    const { panel, $ } = await rendered(model);
    await settle();
    expect(request).toHaveBeenCalledWith('data/config', {}, { track: false });
    expect($('.cs-DataBrowser-region').textContent).toBe(
      'Out of region: HTTPS links'
    );
    expect($('.cs-DataBrowser-region').classList).toContain('cs-mod-out');
    panel.dispose();
  });

  it('searches and shows the hits and the windowed results', async () => {
    request.mockResolvedValueOnce(config());
    const model = new DataBrowserModel();
    const { panel, $, $$ } = await rendered(model);
    expect($('[role="tab"][aria-selected="true"]').textContent).toBe(
      'Earthdata search'
    );
    request.mockResolvedValueOnce(
      page([collection(1), collection(2)], 'next', 12345)
    );
    $<HTMLFormElement>('.cs-DataForm').dispatchEvent(
      new Event('submit', { bubbles: true, cancelable: true })
    );
    await settle();
    await settle();
    expect($('.cs-PagedResults-count').textContent).toBe(
      '12,345 results, 2 loaded'
    );
    const rows = $$('.cs-CollectionResults-list .cs-DataList-row');
    expect(rows.map(r => r.dataset.key)).toEqual([
      'C1001-NSIDC_CPRD',
      'C1002-NSIDC_CPRD'
    ]);
    expect($('.cs-DataMap-canvas')).not.toBeNull();
    panel.dispose();
  });

  it('shows granule sizes, "size unknown" when the server does not know one, and stops at the hits', async () => {
    request.mockResolvedValueOnce(config());
    const model = new DataBrowserModel();
    const { panel, $, $$ } = await rendered(model);
    request.mockResolvedValueOnce(page([collection(1)], null, 1));
    await model.search();
    // CMR's last page still carries a search-after cursor
    request.mockImplementation(async (endPoint: string) =>
      endPoint.endsWith('/granules')
        ? page(
            [
              granule(1),
              granule(2, {
                size_bytes: null,
                files: [{ name: 'ATL06_2.h5', size_bytes: null }]
              })
            ],
            'after-last',
            2
          )
        : collection(1)
    );
    await model.openCollection(model.collections.items[0]);
    await settle();
    const meta = $$('.cs-CollectionView-granules .cs-DataList-rowMeta').map(
      m => m.textContent
    );
    expect(meta).toEqual([
      '2024-09-01 – 2024-09-01 01:00 UTC · 1.50 MB',
      '2024-09-01 – 2024-09-01 01:00 UTC · size unknown'
    ]);
    expect($$('.cs-PagedResults-count').map(c => c.textContent)).toContain(
      '2 results'
    );
    expect(model.granules.done).toBe(true);
    const calls = request.mock.calls.length;
    await model.granules.loadMore();
    expect(request.mock.calls.length).toBe(calls);
    expect($('.cs-DataList-footer')).toBeNull();
    panel.dispose();
  });

  it("shows the server's message and hint when a search fails (429)", async () => {
    request.mockResolvedValueOnce(config());
    const model = new DataBrowserModel();
    const { panel, $ } = await rendered(model);
    request.mockRejectedValueOnce(
      new CloudscapesRequestError(
        429,
        'cmr_throttled',
        'NASA CMR is throttling this server.',
        'Wait 30 seconds, then search again.'
      )
    );
    await model.search();
    await settle();
    expect($('.cs-ErrorBanner-message').textContent).toBe(
      'NASA CMR is throttling this server.'
    );
    expect($('.cs-ErrorBanner-hint').textContent).toContain(
      'Wait 30 seconds, then search again.'
    );
    expect($('.cs-ErrorBanner').dataset.code).toBe('cmr_throttled');
    expect($('.cs-ErrorView-retry')).not.toBeNull();
    panel.dispose();
  });

  it('browses S3 with breadcrumbs and a count of what is loaded', async () => {
    request.mockResolvedValueOnce(config());
    const model = new DataBrowserModel();
    model.tab = 's3';
    request.mockResolvedValueOnce({ sources: sources() });
    const { panel, $, $$ } = await rendered(model);
    await settle();
    request.mockResolvedValueOnce(objectPage('a/b/', 0, 2));
    model.s3['_sourceId'] = 'public:noaa-goes18';
    await model.s3.browse('noaa-goes18', 'a/b/');
    await settle();
    expect($$('.cs-S3View-crumb').map(c => c.textContent)).toEqual([
      'noaa-goes18',
      'a',
      'b'
    ]);
    expect($('.cs-S3View-crumb[aria-current]').textContent).toBe('b');
    expect($('.cs-PagedResults-count').textContent).toBe('4 of many loaded');
    const rows = $$('.cs-S3Listing-list .cs-DataList-row');
    expect(rows[0].dataset.key).toBe('a/b/sub/');
    expect(rows[0].classList).not.toContain('cs-mod-selectable');
    expect(rows[1].classList).toContain('cs-mod-selectable');
    expect($('.cs-S3Listing-list').getAttribute('aria-label')).toBe(
      'Objects in s3://noaa-goes18/a/b/'
    );
    panel.dispose();
  });

  it('asks for a bucket name for sources without one', async () => {
    request.mockResolvedValueOnce(config());
    const model = new DataBrowserModel();
    model.tab = 's3';
    request.mockResolvedValueOnce({ sources: sources() });
    const { panel, $ } = await rendered(model);
    await settle();
    await model.s3.selectSource('earthdata:nsidc');
    await settle();
    expect($('.cs-S3View-bucket')).not.toBeNull();
    expect($<HTMLButtonElement>('.cs-S3View-openBucket').disabled).toBe(true);
    panel.dispose();
  });

  it('runs the actions on the selection from the toolbar', async () => {
    request.mockResolvedValueOnce(config());
    const model = new DataBrowserModel();
    const panelActions = actions();
    const { panel, $ } = await rendered(model, panelActions);
    expect($<HTMLButtonElement>('.cs-SelectionBar-insertCode').disabled).toBe(
      true
    );
    jest.spyOn(model, 'selectionCount', 'get').mockReturnValue(2);
    model.stateChanged.emit();
    await settle();
    expect($('.cs-SelectionBar-count').textContent).toBe('2 granules selected');
    $<HTMLButtonElement>('.cs-SelectionBar-insertCode').click();
    $<HTMLButtonElement>('.cs-SelectionBar-download').click();
    expect(panelActions.insertCode).toHaveBeenCalled();
    expect(panelActions.download).toHaveBeenCalled();
    panel.dispose();
  });

  it('shows downloads with progress and a Cancel button', async () => {
    request.mockResolvedValueOnce(config());
    const tracker = new JobTracker({ interval: 60 * 1000 });
    const model = new DataBrowserModel(DEFAULT_SETTINGS, tracker);
    const { panel, $ } = await rendered(model);
    tracker.track(job());
    await settle();
    const bar = $('.cs-Downloads-job [role="progressbar"]');
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(bar.getAttribute('aria-valuetext')).toBe('250 B of 1.00 kB');
    // the DELETE itself is tested with the tracker in packages/core
    const cancel = jest
      .spyOn(tracker, 'cancel')
      .mockImplementation(async id => {
        const cancelled = job({ id, status: 'cancelled' });
        tracker.track(cancelled);
        return cancelled;
      });
    $<HTMLButtonElement>('.cs-Downloads-cancel').click();
    await settle();
    expect(cancel).toHaveBeenCalledWith('job1');
    expect($('.cs-Downloads-job').dataset.status).toBe('cancelled');
    expect($('.cs-Downloads-cancel')).toBeNull();
    tracker.dispose();
    panel.dispose();
  });

  it("opens a download's log on demand and shows its lines as they come", async () => {
    request.mockResolvedValueOnce(config());
    const tracker = new JobTracker({ interval: 60 * 1000 });
    const model = new DataBrowserModel(DEFAULT_SETTINGS, tracker);
    const { panel, $ } = await rendered(model);
    const logLine = (n: number, text: string) => ({
      n,
      time: '2024-09-01T00:00:01Z',
      stream: 'info' as const,
      text
    });
    tracker.track(
      job({
        log: {
          lines: [logLine(1, 'Saved data/ATL06_1.h5')],
          dropped: 0,
          next: 2
        }
      })
    );
    await settle();
    const toggle = $<HTMLButtonElement>('.cs-Downloads-logToggle');
    expect(toggle.textContent).toBe('Log');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect($('[role="log"]')).toBeNull();
    toggle.click();
    await settle();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const region = $(`#${toggle.getAttribute('aria-controls')}`);
    expect(
      region.querySelector('[role="log"]')?.getAttribute('aria-label')
    ).toBe('Log of Download ATL06_1.h5');
    // the log view's code loads on this first show
    for (let i = 0; i < 20 && !region.querySelector('.cs-LogView-line'); i++) {
      await settle();
    }
    expect(region.textContent).toContain('Saved data/ATL06_1.h5');
    tracker.track(
      job({
        updated: '2024-09-01T00:00:02Z',
        log: {
          lines: [logLine(2, 'Saved data/ATL06_2.h5')],
          dropped: 0,
          next: 3
        }
      })
    );
    await settle();
    expect(region.textContent).toContain('Saved data/ATL06_2.h5');
    toggle.click();
    await settle();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect($('[role="log"]')).toBeNull();
    tracker.dispose();
    panel.dispose();
  });

  it("shows a failed download's message and hint", async () => {
    request.mockResolvedValueOnce(config());
    const tracker = new JobTracker({ interval: 60 * 1000 });
    const model = new DataBrowserModel(DEFAULT_SETTINGS, tracker);
    const { panel, $ } = await rendered(model);
    tracker.track(
      job({
        status: 'failed',
        error: {
          error: {
            code: 'download_no_space',
            message: 'The disk is full.',
            hint: 'Delete files you no longer need.'
          }
        }
      })
    );
    await settle();
    expect($('.cs-Downloads-job .cs-ErrorBanner-message').textContent).toBe(
      'The disk is full.'
    );
    expect($('.cs-Downloads-job .cs-ErrorBanner-hint').textContent).toBe(
      'Delete files you no longer need.'
    );
    tracker.dispose();
    panel.dispose();
  });
});

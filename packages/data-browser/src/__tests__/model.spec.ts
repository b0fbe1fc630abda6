import {
  CloudscapesRequestError,
  JobTracker,
  requestAPI
} from '@cloudscapes/core';

import { DEFAULT_SETTINGS, DataBrowserModel, searchParams } from '../model';
import pluginSchema from '../../schema/plugin.json';
import {
  collection,
  granule,
  job,
  objectPage,
  sources,
  withGranules
} from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

function page<T>(items: T[], cursor: string | null, hits = 0) {
  return { items, cursor, hits, took_ms: 5, timed_out: false };
}

function paramsOf(call: number): Record<string, string> {
  return (request.mock.calls[call][2]?.params ?? {}) as Record<string, string>;
}

describe('default settings', () => {
  it('are the settings schema defaults', () => {
    const defaults = Object.fromEntries(
      Object.entries(pluginSchema.properties).map(([name, spec]) => [
        name,
        spec.default
      ])
    );
    expect(DEFAULT_SETTINGS).toEqual(defaults);
  });

  it("offer ORNL under the DAAC table's name, ornldaac", () => {
    // the server's provider table maps ORNL_CLOUD to the DAAC "ornldaac"
    expect(DEFAULT_SETTINGS.providers).toContain('ornldaac');
    expect(DEFAULT_SETTINGS.providers).not.toContain('ornl');
  });
});

describe('searchParams', () => {
  it('sends only the filters that are set', () => {
    expect(
      searchParams(
        {
          keyword: ' sea ice ',
          start: '2024-01-01',
          end: '2024-01-31',
          bbox: [170, -10, -170, 10],
          cloudHosted: true,
          provider: 'nsidc'
        },
        100,
        'abc'
      )
    ).toEqual({
      keyword: 'sea ice',
      provider: 'nsidc',
      cloud_hosted: 'true',
      temporal_start: '2024-01-01T00:00:00Z',
      temporal_end: '2024-01-31T23:59:59Z',
      bbox: '170,-10,-170,10',
      page_size: '100',
      cursor: 'abc'
    });
    expect(
      searchParams(
        {
          keyword: '',
          start: '',
          end: '',
          bbox: null,
          cloudHosted: false,
          provider: ''
        },
        50,
        null
      )
    ).toEqual({ page_size: '50' });
  });
});

describe('DataBrowserModel search', () => {
  beforeEach(() => request.mockReset());

  it('pages collections with the filters of the search, not of the form', async () => {
    const model = new DataBrowserModel({ ...DEFAULT_SETTINGS, pageSize: 2 });
    model.setFilters({ keyword: 'ice' });
    request
      .mockResolvedValueOnce(page([collection(1), collection(2)], 'cur1', 3))
      .mockResolvedValueOnce(page([collection(2), collection(3)], null, 3));
    await model.search();
    expect(request.mock.calls[0][0]).toBe('data/collections');
    expect(paramsOf(0)).toEqual({
      keyword: 'ice',
      cloud_hosted: 'true',
      page_size: '2'
    });
    // the user edits the form before scrolling: the next page keeps the search's filters
    model.setFilters({ keyword: 'snow' });
    await model.collections.loadMore();
    expect(paramsOf(1)).toEqual({
      keyword: 'ice',
      cloud_hosted: 'true',
      page_size: '2',
      cursor: 'cur1'
    });
    expect(model.collections.keys).toEqual([
      'C1001-NSIDC_CPRD',
      'C1002-NSIDC_CPRD',
      'C1003-NSIDC_CPRD'
    ]);
    expect(model.collections.hits).toBe(3);
    expect(model.collections.done).toBe(true);
    await model.collections.loadMore();
    expect(request).toHaveBeenCalledTimes(2);
    model.dispose();
  });

  it('opens a collection: full record, granules with the time and box', async () => {
    const model = new DataBrowserModel();
    model.setFilters({ start: '2024-09-01', bbox: [-20, 60, 10, 70] });
    request.mockResolvedValueOnce(page([collection(1)], null, 1));
    await model.search();
    request.mockImplementation(async (endPoint: string) =>
      endPoint.endsWith('/granules')
        ? page([granule(1), granule(2)], 'g1', 4)
        : collection(1, { abstract: 'full' })
    );
    await model.openCollection(model.collections.items[0]);
    const granuleCall = request.mock.calls.find(c =>
      String(c[0]).endsWith('/granules')
    )!;
    expect(granuleCall[0]).toBe('data/collections/C1001-NSIDC_CPRD/granules');
    expect(granuleCall[2]?.params).toEqual({
      page_size: '100',
      temporal_start: '2024-09-01T00:00:00Z',
      bbox: '-20,60,10,70'
    });
    expect(model.collection?.abstract).toBe('full');
    expect(model.granules.keys).toHaveLength(2);
    model.clickGranule('G2001-NSIDC_CPRD', false);
    model.clickGranule('G2002-NSIDC_CPRD', true);
    expect(model.selectedGranules.map(g => g.concept_id)).toEqual([
      'G2001-NSIDC_CPRD',
      'G2002-NSIDC_CPRD'
    ]);
    expect(model.codeRequest()).toEqual({
      granules: ['G2001-NSIDC_CPRD', 'G2002-NSIDC_CPRD']
    });
    expect(model.s3Urls()).toEqual([
      's3://nsidc-cumulus-prod-protected/ATL06_1.h5',
      's3://nsidc-cumulus-prod-protected/ATL06_2.h5'
    ]);
    model.closeCollection();
    expect(model.selectionCount).toBe(0);
    model.dispose();
  });
});

describe('DataBrowserModel S3', () => {
  beforeEach(() => request.mockReset());

  async function browsing() {
    const model = new DataBrowserModel();
    model.tab = 's3';
    request.mockResolvedValueOnce({ sources: sources() });
    await model.s3.loadSources();
    request.mockResolvedValueOnce(objectPage('', 0, 3));
    await model.s3.selectSource('public:noaa-goes18');
    return model;
  }

  it('lists a fixed bucket at once and pages with the continuation token', async () => {
    const model = await browsing();
    expect(request.mock.calls[1][0]).toBe('data/s3/objects');
    expect(paramsOf(1)).toEqual({
      source: 'public:noaa-goes18',
      bucket: 'noaa-goes18',
      prefix: '',
      delimiter: '/'
    });
    request.mockResolvedValueOnce(objectPage('', 1, 3));
    await model.s3.objects.loadMore();
    expect(paramsOf(2)).toEqual({
      source: 'public:noaa-goes18',
      bucket: 'noaa-goes18',
      prefix: '',
      delimiter: '/',
      cursor: 'token-1'
    });
    // folders first, then objects
    expect(model.s3.objects.items[0].kind).toBe('folder');
    expect(
      model.s3.objects.items.slice(1).every(i => i.kind === 'object')
    ).toBe(true);
    model.dispose();
  });

  it('filters by narrowing the prefix sent to the server', async () => {
    const model = await browsing();
    request.mockResolvedValueOnce(objectPage('sub/', 0, 1));
    await model.s3.openFolder('sub/');
    request.mockResolvedValueOnce(objectPage('sub/', 0, 1));
    await model.s3.setFilter('file-0');
    expect(paramsOf(3).prefix).toBe('sub/file-0');
    expect(model.s3.location?.folder).toBe('sub/');
    model.dispose();
  });

  it('hides the folder marker object and selects objects only', async () => {
    const model = new DataBrowserModel();
    model.tab = 's3';
    request.mockResolvedValueOnce({ sources: sources() });
    await model.s3.loadSources();
    const answer = objectPage('sub/', 0, 1);
    answer.objects.unshift({
      key: 'sub/',
      name: '',
      size: 0,
      last_modified: '2024-09-01T00:00:00Z'
    });
    request.mockResolvedValueOnce(answer);
    model.s3['_sourceId'] = 'public:noaa-goes18';
    await model.s3.browse('noaa-goes18', 'sub');
    expect(model.s3.objects.keys).not.toContain('sub/');
    model.s3.clickObject('sub/file-0-0.nc', false);
    model.s3.clickObject('sub/file-0-2.nc', true);
    expect(model.s3.selectedObjects.map(o => o.name)).toEqual([
      'file-0-0.nc',
      'file-0-1.nc',
      'file-0-2.nc'
    ]);
    expect(model.codeRequest()).toEqual({
      objects: [
        {
          source: 'public:noaa-goes18',
          bucket: 'noaa-goes18',
          key: 'sub/file-0-0.nc'
        },
        {
          source: 'public:noaa-goes18',
          bucket: 'noaa-goes18',
          key: 'sub/file-0-1.nc'
        },
        {
          source: 'public:noaa-goes18',
          bucket: 'noaa-goes18',
          key: 'sub/file-0-2.nc'
        }
      ]
    });
    expect(model.httpsUrls()[0]).toBe(
      'https://noaa-goes18.s3.amazonaws.com/sub/file-0-0.nc'
    );
    model.dispose();
  });

  it('"Show in S3" opens the earthdata:<daac> source at the prefix', async () => {
    const model = new DataBrowserModel();
    request
      .mockResolvedValueOnce({ sources: sources() })
      .mockResolvedValueOnce(objectPage('ATLAS/ATL06/006/', 0, 1));
    await model.showInS3(
      collection(1),
      'nsidc-cumulus-prod-protected',
      'ATLAS/ATL06/006/'
    );
    expect(model.tab).toBe('s3');
    expect(model.s3.sourceId).toBe('earthdata:nsidc');
    expect(paramsOf(1)).toEqual({
      source: 'earthdata:nsidc',
      bucket: 'nsidc-cumulus-prod-protected',
      prefix: 'ATLAS/ATL06/006/',
      delimiter: '/'
    });
    model.dispose();
  });

  it('shows an object detail and keeps a failure with its hint', async () => {
    const model = await browsing();
    request.mockRejectedValueOnce(
      new CloudscapesRequestError(
        403,
        's3_access_denied',
        'S3 refused.',
        'Sign in.'
      )
    );
    await model.s3.showDetail('file-0-0.nc');
    expect(model.s3.detailError?.hint).toBe('Sign in.');
    model.dispose();
  });
});

describe('DataBrowserModel actions', () => {
  beforeEach(() => request.mockReset());

  it('asks the server for code for the selection', async () => {
    const model = new DataBrowserModel();
    await withGranules(model, request, 2);
    model.selectAllLoaded();
    request.mockResolvedValueOnce({
      code: 'import earthaccess',
      access: 's3',
      template: 'granules'
    });
    const code = await model.generateCode();
    expect(code.code).toBe('import earthaccess');
    expect(request).toHaveBeenCalledWith('data/code', {
      method: 'POST',
      body: JSON.stringify({
        granules: ['G2001-NSIDC_CPRD', 'G2002-NSIDC_CPRD']
      })
    });
    model.dispose();
  });

  it('refuses more than 100 items before asking the server', async () => {
    const model = new DataBrowserModel();
    await withGranules(model, request, 101);
    model.selectAllLoaded();
    await expect(model.generateCode()).rejects.toThrow('at most 100');
    expect(request).not.toHaveBeenCalled();
    expect(model.actionError?.hint).toContain('Select fewer');
    model.dispose();
  });

  it('starts one download per item and tracks its job', async () => {
    const tracker = new JobTracker({ interval: 60 * 1000 });
    const model = new DataBrowserModel(DEFAULT_SETTINGS, tracker);
    await withGranules(model, request, 2);
    model.selectAllLoaded();
    request
      .mockResolvedValueOnce({ job: job({ id: 'a' }) })
      .mockResolvedValueOnce({ job: job({ id: 'b' }) });
    const started = await model.downloadSelection();
    expect(started.map(j => j.id)).toEqual(['a', 'b']);
    expect(request.mock.calls[0]).toEqual([
      'data/downloads',
      {
        method: 'POST',
        body: JSON.stringify({ granule: 'G2001-NSIDC_CPRD', overwrite: false })
      }
    ]);
    expect(tracker.jobs.map(j => j.id).sort()).toEqual(['a', 'b']);
    tracker.dispose();
    model.dispose();
  });

  it('records a refused download with message and hint', async () => {
    const model = new DataBrowserModel();
    await withGranules(model, request, 1);
    model.selectAllLoaded();
    request.mockRejectedValueOnce(
      new CloudscapesRequestError(
        409,
        'download_no_space',
        'Not enough free space for 1.5 MB.',
        'Free some space in your home folder.'
      )
    );
    await expect(model.downloadSelection()).rejects.toThrow('free space');
    expect(model.actionError?.code).toBe('download_no_space');
    expect(model.busy).toBe(false);
    model.dispose();
  });
});

import type { Job, requestAPI } from '@cloudscapes/core';
import { makeJob } from '../../../core/src/__tests__/fixtures';

import type {
  Collection,
  DataConfig,
  Granule,
  ObjectPage,
  S3Source
} from '../model';
import type { DataBrowserModel } from '../model';

export function config(overrides: Partial<DataConfig> = {}): DataConfig {
  return {
    in_region: true,
    region_source: 'imds',
    cmr_url: 'https://cmr.earthdata.nasa.gov/search/',
    earthdata_signed_in: true,
    download_dir: 'data',
    max_page_size: 2000,
    ...overrides
  };
}

export function collection(
  n = 1,
  overrides: Partial<Collection> = {}
): Collection {
  return {
    concept_id: `C${1000 + n}-NSIDC_CPRD`,
    provider: 'NSIDC_CPRD',
    short_name: `ATL0${n}`,
    version: '006',
    title: `ATLAS/ICESat-2 product ${n}`,
    abstract: 'Elevations.',
    doi: '10.5067/ATLAS/ATL06.006',
    cloud_hosted: true,
    daac: 'nsidc',
    time_start: '2018-10-14T00:00:00Z',
    time_end: null,
    bbox: [-180, -90, 180, 90],
    s3_prefixes: [
      { bucket: 'nsidc-cumulus-prod-protected', prefix: 'ATLAS/ATL06/006/' }
    ],
    s3_credentials_endpoint:
      'https://data.nsidc.earthdatacloud.nasa.gov/s3credentials',
    ...overrides
  };
}

export function granule(n = 1, overrides: Partial<Granule> = {}): Granule {
  return {
    concept_id: `G${2000 + n}-NSIDC_CPRD`,
    title: `ATL06_2024090${n}_x.h5`,
    collection_concept_id: 'C1001-NSIDC_CPRD',
    time_start: '2024-09-01T00:00:00Z',
    time_end: '2024-09-01T01:00:00Z',
    size_bytes: 1.5e6 * n,
    files: [{ name: `ATL06_${n}.h5`, size_bytes: 1.5e6 * n }],
    footprint: {
      kind: 'polygon',
      approximate: false,
      note: null,
      bbox: [170, -10, -170, 10],
      polygons: [
        [
          [170, -10],
          [-170, -10],
          [-170, 10],
          [170, 10],
          [170, -10]
        ]
      ]
    },
    media_types: {},
    https_urls: [`https://data.nsidc.earthdatacloud.nasa.gov/ATL06_${n}.h5`],
    s3_urls: [`s3://nsidc-cumulus-prod-protected/ATL06_${n}.h5`],
    browse_url: null,
    ...overrides
  };
}

export function sources(): S3Source[] {
  return [
    {
      id: 'public:noaa-goes18',
      label: 'NOAA GOES-18',
      kind: 'public',
      bucket: 'noaa-goes18',
      prefix: '',
      access: 'unsigned',
      daac: null,
      description: 'Public, read without credentials.'
    },
    {
      id: 'earthdata:nsidc',
      label: 'NSIDC (Earthdata)',
      kind: 'earthdata',
      bucket: null,
      prefix: '',
      access: 'earthdata',
      daac: 'nsidc',
      description: 'With your Earthdata Login.'
    }
  ];
}

/**
 * Page `page` (0-based) of a listing of `keys` keys under `prefix`, 1000 a page.
 */
export function objectPage(
  prefix: string,
  page: number,
  pages: number,
  overrides: Partial<ObjectPage> = {}
): ObjectPage {
  const objects = Array.from({ length: 3 }, (_, i) => ({
    key: `${prefix}file-${page}-${i}.nc`,
    name: `file-${page}-${i}.nc`,
    size: 1000 * (i + 1),
    last_modified: '2024-09-01T00:00:00Z'
  }));
  return {
    source: 'public:noaa-goes18',
    bucket: 'noaa-goes18',
    prefix,
    delimiter: '/',
    folders: page === 0 ? [{ prefix: `${prefix}sub/`, name: 'sub/' }] : [],
    objects,
    cursor: page + 1 < pages ? `token-${page + 1}` : null,
    ...overrides
  };
}

export function job(overrides: Partial<Job> = {}): Job {
  return makeJob({
    id: 'job1',
    title: 'Download ATL06_1.h5',
    progress: { done: 250, total: 1000, unit: 'bytes' },
    message: 'Downloading',
    updated: '2024-09-01T00:00:01Z',
    ...overrides
  });
}

/**
 * A search with one collection, opened, whose first page holds `n` granules
 * (answered by the mocked `request`, which is reset afterwards).
 */
export async function withGranules(
  model: DataBrowserModel,
  request: jest.MockedFunction<typeof requestAPI>,
  n: number
): Promise<void> {
  const page = <T>(items: T[], hits: number) => ({
    items,
    cursor: null,
    hits,
    took_ms: 5,
    timed_out: false
  });
  request.mockResolvedValueOnce(page([collection(1)], 1));
  await model.search();
  request.mockImplementation(async (endPoint: string) =>
    endPoint.endsWith('/granules')
      ? page(
          Array.from({ length: n }, (_, i) => granule(i + 1)),
          n
        )
      : collection(1)
  );
  await model.openCollection(model.collections.items[0]);
  request.mockReset();
}

/**
 * The Earthdata search's filters and the query parameters they become.
 */
import { BBox, formatBBox } from './geo';

/**
 * The filters of a collection search.
 */
export interface ISearchFilters {
  keyword: string;
  /**
   * `YYYY-MM-DD` or empty.
   */
  start: string;
  end: string;
  bbox: BBox | null;
  cloudHosted: boolean;
  /**
   * A DAAC name or CMR provider id; empty for any.
   */
  provider: string;
}

export const EMPTY_FILTERS: ISearchFilters = {
  keyword: '',
  start: '',
  end: '',
  bbox: null,
  cloudHosted: true,
  provider: ''
};

/**
 * The query parameters of a collection search.
 */
export function searchParams(
  filters: ISearchFilters,
  pageSize: number,
  cursor: string | null
): Record<string, string> {
  const params: Record<string, string> = { page_size: String(pageSize) };
  if (filters.keyword.trim()) {
    params.keyword = filters.keyword.trim();
  }
  if (filters.provider) {
    params.provider = filters.provider;
  }
  if (filters.cloudHosted) {
    params.cloud_hosted = 'true';
  }
  Object.assign(params, temporalParams(filters));
  if (filters.bbox) {
    params.bbox = formatBBox(filters.bbox);
  }
  if (cursor) {
    params.cursor = cursor;
  }
  return params;
}

/**
 * `temporal_start`/`temporal_end` of the filters (whole days, UTC).
 */
export function temporalParams(
  filters: Pick<ISearchFilters, 'start' | 'end'>
): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.start) {
    params.temporal_start = `${filters.start}T00:00:00Z`;
  }
  if (filters.end) {
    params.temporal_end = `${filters.end}T23:59:59Z`;
  }
  return params;
}

/**
 * What a collection's granules are filtered by (the search's time and box).
 */
export interface IGranuleFilters {
  collection: string;
  start: string;
  end: string;
  bbox: BBox | null;
}

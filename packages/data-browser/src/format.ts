/**
 * Numbers, sizes and times as the data browser shows them.
 */
import { formatBytes as formatSize } from '@cloudscapes/core';

/**
 * A count with grouping ("12,345").
 */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * A size in bytes as the data browser shows it ("1.20 GB": decimal units, up
 * to three significant digits); core's one `formatBytes`.
 */
export function formatBytes(bytes: number | null | undefined): string {
  return formatSize(bytes, { precision: 'long' });
}

/**
 * An ISO time as a short UTC date-time ("2024-09-01 12:00 UTC"), or ''.
 */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const text = date.toISOString();
  return text.endsWith('T00:00:00.000Z')
    ? text.slice(0, 10)
    : `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/**
 * A time range ("2024-09-01 – 2024-09-02"); an open end is left empty.
 */
export function formatRange(
  start: string | null | undefined,
  end: string | null | undefined
): string {
  const a = formatTime(start);
  const b = formatTime(end);
  if (!a && !b) {
    return '';
  }
  if (a === b) {
    return a;
  }
  return `${a} – ${b}`;
}

/**
 * The folder a job's result lives in, for "Open folder": `directory`, else the
 * folder of `path` or of the first of `paths` (relative to the server root).
 */
export function jobResultFolder(result: unknown): string | null {
  if (!result || typeof result !== 'object') {
    return null;
  }
  const r = result as Record<string, unknown>;
  const dirOf = (path: string) => {
    const cut = path.replace(/\/+$/, '').lastIndexOf('/');
    return cut < 0 ? '' : path.slice(0, cut);
  };
  if (typeof r.directory === 'string') {
    return r.directory;
  }
  if (typeof r.path === 'string') {
    return dirOf(r.path);
  }
  if (Array.isArray(r.paths) && typeof r.paths[0] === 'string') {
    return dirOf(r.paths[0]);
  }
  return null;
}

/**
 * What a job produced, in words (its `path`, `paths` or `directory`).
 */
export function jobResultPath(result: unknown): string | null {
  if (!result || typeof result !== 'object') {
    return null;
  }
  const r = result as Record<string, unknown>;
  if (typeof r.path === 'string') {
    return r.path;
  }
  if (Array.isArray(r.paths) && r.paths.length > 0) {
    return r.paths.filter(p => typeof p === 'string').join(', ');
  }
  if (typeof r.directory === 'string') {
    return r.directory;
  }
  return null;
}

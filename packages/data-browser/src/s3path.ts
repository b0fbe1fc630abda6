/**
 * S3 keys, prefixes and URLs as the S3 view uses them (pure, unit-tested).
 */

/**
 * One step of the breadcrumb: a label and the prefix it opens.
 */
export interface ICrumb {
  label: string;
  prefix: string;
}

/**
 * The breadcrumb of `prefix` below the source's starting prefix `root`:
 * first the root (labelled `rootLabel`, usually the bucket), then one crumb
 * per folder. A prefix outside `root` is shown from the bucket's top.
 */
export function breadcrumbs(
  prefix: string,
  rootLabel: string,
  root = ''
): ICrumb[] {
  const base = root && prefix.startsWith(root) ? root : '';
  const crumbs: ICrumb[] = [{ label: rootLabel, prefix: base }];
  const rest = prefix.slice(base.length);
  let current = base;
  for (const part of rest.split('/')) {
    if (!part) {
      continue;
    }
    current += `${part}/`;
    if (current.length > prefix.length) {
      // a partial last segment (no trailing slash) is still a crumb
      current = prefix;
    }
    crumbs.push({ label: part, prefix: current });
  }
  return crumbs;
}

/**
 * The folder above `prefix` ("a/b/" → "a/", "a/" → "", "" → "").
 */
export function parentPrefix(prefix: string): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const cut = trimmed.lastIndexOf('/');
  return cut < 0 ? '' : trimmed.slice(0, cut + 1);
}

/**
 * A folder prefix as the server expects it: no leading slash, one trailing
 * slash (empty stays empty).
 */
export function normalizeFolder(prefix: string): string {
  const cleaned = prefix.replace(/^\/+/, '').replace(/\/{2,}/g, '/');
  if (!cleaned) {
    return '';
  }
  return cleaned.endsWith('/') ? cleaned : `${cleaned}/`;
}

/**
 * The `prefix` sent to the server: the folder, narrowed by what the user typed
 * in the filter box (the server lists only keys starting with it; nothing is
 * filtered in the browser).
 */
export function listingPrefix(folder: string, filter: string): string {
  return folder + filter.replace(/^\/+/, '');
}

/**
 * The part of `key` below `folder` ("a/b/c.nc" in "a/" → "b/c.nc").
 */
export function relativeName(key: string, folder: string): string {
  return key.startsWith(folder) ? key.slice(folder.length) : key;
}

/**
 * `s3://bucket/key`.
 */
export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/**
 * The public HTTPS URL of an object (virtual-hosted style; only public buckets
 * can be read through it).
 */
export function httpsUrl(bucket: string, key: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `https://${bucket}.s3.amazonaws.com/${path}`;
}

/**
 * `s3://bucket/prefix` (or `bucket/prefix`) as its parts, or `null`.
 */
export function parseS3Url(
  url: string
): { bucket: string; prefix: string } | null {
  const match =
    /^(?:s3:\/\/)?([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(
      url.trim()
    );
  if (!match) {
    return null;
  }
  return { bucket: match[1], prefix: match[2] ?? '' };
}

/**
 * The folder to open for a collection's bucket prefix: a prefix naming a
 * folder ("x/y/" or "x/y") opens that folder.
 */
export function folderOf(prefix: string): string {
  return normalizeFolder(prefix);
}

/**
 * URLs from the server (dashboard links, redirects, links in hints and admin
 * settings) before they reach an `href`, an iframe's `src` or a navigation: only
 * http(s) URLs pass, so a `javascript:`, `data:` or `vbscript:` URL never runs
 * script in the page (which holds the `_xsrf` token).
 */

export interface ISafeUrlOptions {
  /**
   * Resolve relative URLs (`/user/me/proxy/8787/status`) against this base
   * (default: the page's `document.baseURI`); `false`: only absolute URLs pass.
   */
  base?: string | false;
}

/**
 * `url` as an absolute http(s) URL with a host, or `null` when it is anything
 * else (another scheme, unparsable, empty).
 */
export function safeUrl(
  url: string | null | undefined,
  options: ISafeUrlOptions = {}
): string | null {
  if (typeof url !== 'string' || url.trim() === '') {
    return null;
  }
  const base =
    options.base === false
      ? undefined
      : (options.base ??
        (typeof document !== 'undefined' ? document.baseURI : undefined));
  let parsed: URL;
  try {
    parsed = base === undefined ? new URL(url) : new URL(url, base);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return null;
  }
  if (!parsed.hostname) {
    return null;
  }
  return parsed.href;
}

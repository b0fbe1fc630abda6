/**
 * Following "Stop my server" to its end under a hub.
 *
 * A hub stops a server by removing its proxy route and interrupting it, so the
 * server answers the stop (202 "stopping") before it asks the hub, and the page
 * then watches until the server is gone: the server's own `GET usage/stop`
 * reports the hub's answer while it still runs; once it is gone the proxy
 * answers 503, the hub 424 or its login page, or nothing answers at all.
 */
import { PageConfig, URLExt } from '@jupyterlab/coreutils';

import {
  CloudscapesRequestError,
  UsageComponents,
  requestAPI,
  safeUrl,
  toRequestError
} from '@cloudscapes/core';

export type StopResult = UsageComponents['schemas']['StopResult'];
export type StopState = UsageComponents['schemas']['StopState'];

/**
 * How a followed stop ended: the server stopped answering (`gone`), the hub said
 * it stopped (`stopped`), or it was still stopping at the deadline (`timeout`).
 */
export type StopEnd = 'gone' | 'stopped' | 'timeout';

/**
 * Whether a failed request means this server no longer answers: nothing
 * answered, or something other than Cloudscapes did — the proxy's 503, the hub's
 * 424 or its login page carry no Cloudscapes error body. A 502 or 504 *with* one
 * is this server's own (the hub could not be reached to check the stop's scope):
 * the server is still there and the stop did not begin.
 */
export function serverIsGone(error: CloudscapesRequestError): boolean {
  return error.code === 'network_error' || error.code === 'unexpected_response';
}

/**
 * Options of {@link followStop}.
 */
export interface IFollowOptions {
  /**
   * Milliseconds between two looks (default 1000).
   */
  interval?: number;
  /**
   * Milliseconds to follow a slow stop (a spawner that takes long) before giving
   * up on seeing its end (default 120000).
   */
  timeout?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * Watch the stop until the server is gone or the hub reports it stopped.
 * Rejects with the hub's refusal when the server reports one (`failed`).
 */
export async function followStop(
  options: IFollowOptions = {}
): Promise<StopEnd> {
  const interval = options.interval ?? 1000;
  const deadline = Date.now() + (options.timeout ?? 120000);
  while (Date.now() < deadline) {
    await sleep(interval);
    let state: StopState | null;
    try {
      state = await requestAPI<StopState | null>(
        'usage/stop',
        {},
        { track: false }
      );
    } catch (reason) {
      if (serverIsGone(toRequestError(reason))) {
        return 'gone';
      }
      continue; // this server answered an error: still there, look again
    }
    if (!state || typeof state.status !== 'string') {
      return 'gone'; // a page that is not this server's (the hub's login page)
    }
    if (state.status === 'stopped') {
      return 'stopped';
    }
    if (state.status === 'failed' && state.error) {
      throw CloudscapesRequestError.fromResponse(502, state);
    }
    if (state.status === 'running') {
      // this server answers and was never asked to stop (its answer was lost)
      throw new CloudscapesRequestError(
        409,
        'stop_not_started',
        'The server is still running: the stop did not reach it.',
        'Try "Stop my server" again, or stop it from the hub\'s home page.'
      );
    }
  }
  return 'timeout';
}

/**
 * The hub's home page: `{hubHost}{hubPrefix}home` from the page's config (which
 * JupyterLab fills under a hub), else `fallback` (the server's answer); as an
 * absolute http(s) URL, or `null` when it is not one (a `javascript:` redirect
 * is never followed).
 */
export function hubHomeUrl(fallback: string | null): string | null {
  const prefix = PageConfig.getOption('hubPrefix');
  if (!prefix) {
    return safeUrl(fallback);
  }
  return safeUrl(PageConfig.getOption('hubHost') + URLExt.join(prefix, 'home'));
}

/**
 * Where the page goes (a seam for tests: jsdom cannot navigate).
 */
export const navigation = {
  go(url: string): void {
    window.location.assign(url);
  }
};

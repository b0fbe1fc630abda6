/**
 * How the git views and dialogs talk to the server: four verbs over core's
 * `requestAPI`, each route relative to `cloudscapes/git/`. The views take an
 * `IGitRequests` instead of calling `requestAPI` themselves so the panel's
 * model can hand them its own client (structural typing: any object with these
 * four methods will do), and so every request still goes through
 * `ServerConnection.makeRequest` (the `_xsrf` header, the page's base URL).
 */
import type { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '@cloudscapes/core';

/**
 * Query parameters; `null` and `undefined` ones are left out.
 */
export type GitParams = Record<
  string,
  string | number | boolean | null | undefined
>;

/**
 * The git routes as the views call them.
 */
export interface IGitRequests {
  /**
   * `GET cloudscapes/git/<route>?<params>`; `track: false` adds
   * `no_track_activity=1` (polls), so it never counts as user activity.
   */
  get<T>(
    route: string,
    params?: GitParams,
    options?: { track?: boolean }
  ): Promise<T>;
  post<T>(route: string, body?: unknown): Promise<T>;
  put<T>(route: string, body?: unknown): Promise<T>;
  del<T>(route: string, body?: unknown): Promise<T>;
}

function definedParams(
  params: GitParams = {}
): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) {
      result[key] = value;
    }
  }
  return result;
}

/**
 * The git routes over core's `requestAPI` (JSON bodies, errors as
 * `CloudscapesRequestError` with the server's message and hint).
 */
export function gitRequests(
  settings?: ServerConnection.ISettings
): IGitRequests {
  const send = <T>(method: string, route: string, body?: unknown) =>
    requestAPI<T>(
      `git/${route}`,
      {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      },
      { settings }
    );
  return {
    get: <T>(
      route: string,
      params?: GitParams,
      options: { track?: boolean } = {}
    ) =>
      requestAPI<T>(
        `git/${route}`,
        { method: 'GET' },
        { settings, params: definedParams(params), track: options.track }
      ),
    post: <T>(route: string, body?: unknown) => send<T>('POST', route, body),
    put: <T>(route: string, body?: unknown) => send<T>('PUT', route, body),
    del: <T>(route: string, body?: unknown) => send<T>('DELETE', route, body)
  };
}

import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import type { components } from './api/common';

/**
 * The body of every Cloudscapes error answer.
 */
export type ErrorBody = components['schemas']['ErrorBody'];

/**
 * A failed Cloudscapes request, carrying what the server said: `message` (what
 * went wrong, in plain words) and `hint` (what to do). Views show both.
 */
export class CloudscapesRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string = ''
  ) {
    super(message);
    this.name = 'CloudscapesRequestError';
  }

  /**
   * Build the error from a response whose status is not 2xx.
   */
  static fromResponse(status: number, body: unknown): CloudscapesRequestError {
    const error = (body as Partial<ErrorBody> | null)?.error;
    if (error && typeof error.message === 'string') {
      return new CloudscapesRequestError(
        status,
        error.code ?? 'unknown',
        error.message,
        error.hint ?? ''
      );
    }
    return new CloudscapesRequestError(
      status,
      'unexpected_response',
      `The server answered ${status} without an explanation.`,
      'Check that the Cloudscapes server extension is installed and enabled.'
    );
  }
}

/**
 * Options of a Cloudscapes request.
 */
export interface IRequestOptions {
  /**
   * Whether the request counts as user activity for the idle culler.
   * Pollers pass `false` (the default is `true`).
   */
  track?: boolean;
  /**
   * Query parameters.
   */
  params?: Record<string, string | number | boolean>;
  /**
   * Server connection settings (defaults to the page's).
   */
  settings?: ServerConnection.ISettings;
}

/**
 * The URL of a Cloudscapes route, `{baseUrl}/cloudscapes/{endPoint}`.
 */
export function cloudscapesUrl(
  endPoint: string,
  options: Pick<IRequestOptions, 'params' | 'settings' | 'track'> = {}
): string {
  const settings = options.settings ?? ServerConnection.makeSettings();
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.params ?? {})) {
    params[key] = String(value);
  }
  if (options.track === false) {
    params['no_track_activity'] = '1';
  }
  const query = URLExt.objectToQueryString(params);
  return URLExt.join(settings.baseUrl, 'cloudscapes', endPoint) + query;
}

/**
 * Call a Cloudscapes route; resolves with the parsed JSON body, rejects with a
 * `CloudscapesRequestError` (network failures included) whose message and hint
 * can be shown as they are.
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  options: IRequestOptions = {}
): Promise<T> {
  const settings = options.settings ?? ServerConnection.makeSettings();
  const url = cloudscapesUrl(endPoint, { ...options, settings });
  const headers = new Headers(init.headers);
  if (init.body !== undefined && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json');
  }
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(
      url,
      { ...init, headers },
      settings
    );
  } catch (reason) {
    throw new CloudscapesRequestError(
      0,
      'network_error',
      'The Jupyter server could not be reached.',
      'Check your connection; if your server was stopped, reload the page.'
    );
  }
  const text = await response.text();
  let data: unknown = null;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    throw CloudscapesRequestError.fromResponse(response.status, data);
  }
  return data as T;
}

/**
 * Any rejection as a `CloudscapesRequestError`, so views can always show a message.
 */
export function toRequestError(reason: unknown): CloudscapesRequestError {
  if (reason instanceof CloudscapesRequestError) {
    return reason;
  }
  return new CloudscapesRequestError(
    0,
    'client_error',
    reason instanceof Error ? reason.message : String(reason)
  );
}

/**
 * The git jobs (clone, fetch, pull, push, update) as the panel explains them:
 * a failed job's error as a request error (message and hint), and the host a
 * remote that asked for a sign-in lives on (for the GitHub card or the
 * credentials dialog).
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import {
  CloudscapesRequestError,
  Job,
  jobError as coreJobError
} from '@cloudscapes/core';

export function jobError(
  job: Job,
  trans: TranslationBundle
): CloudscapesRequestError {
  return coreJobError(job, {
    cancelled: trans.__('%1 was cancelled.', job.title),
    failed: trans.__('%1 did not finish.', job.title)
  });
}

/**
 * The host of a remote URL: `https://host[:port]/…`, `ssh://user@host/…` or
 * scp-like `user@host:path`; `null` for a local path or nothing.
 */
export function urlHost(url: string | null | undefined): string | null {
  if (!url) {
    return null;
  }
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/?#]+)/i.exec(url);
  if (scheme) {
    return scheme[1].toLowerCase();
  }
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)/.exec(url);
  return scp ? scp[1].toLowerCase() : null;
}

/**
 * The host a job that failed with `auth_required` needs credentials for: the
 * error's `details.host` when the server sends it, else the remote's URL.
 */
export function remoteHost(job: Job, remoteUrl: string | null): string | null {
  const details = (job.error?.error as { details?: { host?: unknown } })
    ?.details;
  if (details && typeof details.host === 'string' && details.host) {
    return details.host;
  }
  const url = (job.result as { url?: string } | null)?.url ?? remoteUrl;
  return urlHost(url);
}

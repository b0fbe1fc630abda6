import type { TranslationBundle } from '@jupyterlab/translation';

import { CloudscapesRequestError, Job } from '@cloudscapes/core';

/**
 * The error of a failed job as a request error (message and hint to show).
 */
export function jobError(
  job: Job,
  trans: TranslationBundle
): CloudscapesRequestError {
  const error = job.error?.error;
  if (error) {
    return new CloudscapesRequestError(
      0,
      error.code,
      error.message,
      error.hint
    );
  }
  return new CloudscapesRequestError(
    0,
    job.status === 'cancelled' ? 'job_cancelled' : 'job_failed',
    job.status === 'cancelled'
      ? trans.__('The cluster start was cancelled.')
      : trans.__('The cluster did not start.'),
    ''
  );
}

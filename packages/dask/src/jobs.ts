import type { TranslationBundle } from '@jupyterlab/translation';

import {
  CloudscapesRequestError,
  Job,
  jobError as coreJobError
} from '@cloudscapes/core';

/**
 * The error of a failed cluster start as a request error (message and hint to show).
 */
export function jobError(
  job: Job,
  trans: TranslationBundle
): CloudscapesRequestError {
  return coreJobError(job, {
    cancelled: trans.__('The cluster start was cancelled.'),
    failed: trans.__('The cluster did not start.')
  });
}

import type { TranslationBundle } from '@jupyterlab/translation';

import type { CloudscapesRequestError, HintFor } from '@cloudscapes/core';

/**
 * The data browser's own hints, for errors whose answer carries none (the
 * server's hint always wins, see core's `errorHint`).
 */
export function dataHints(trans: TranslationBundle): HintFor {
  return (error: CloudscapesRequestError) => {
    if (error.status === 429) {
      return trans.__('NASA CMR is busy; wait a minute, then try again.');
    }
    if (error.status === 504) {
      return trans.__('The search took too long; narrow it and try again.');
    }
    return '';
  };
}

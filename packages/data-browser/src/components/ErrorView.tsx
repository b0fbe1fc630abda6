import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { CloudscapesRequestError, ErrorBanner } from '@cloudscapes/core';

/**
 * A hint of our own when the server gave none (the server's always wins).
 */
export function hintFor(
  error: CloudscapesRequestError,
  trans: TranslationBundle
): string {
  if (error.hint) {
    return error.hint;
  }
  if (error.status === 429) {
    return trans.__('NASA CMR is busy; wait a minute, then try again.');
  }
  if (error.status === 504) {
    return trans.__('The search took too long; narrow it and try again.');
  }
  return '';
}

export function ErrorView(props: {
  error: CloudscapesRequestError;
  trans: TranslationBundle;
  onDismiss?: () => void;
  onRetry?: () => void;
}): JSX.Element {
  return (
    <div className="cs-data-error">
      <ErrorBanner
        message={props.error.message}
        hint={hintFor(props.error, props.trans)}
        code={props.error.code}
        prominent={props.error.status === 429}
        onDismiss={props.onDismiss}
        dismissLabel={props.trans.__('Dismiss')}
      />
      {props.onRetry ? (
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject cs-data-retry"
          onClick={props.onRetry}
        >
          {props.trans.__('Try again')}
        </button>
      ) : null}
    </div>
  );
}

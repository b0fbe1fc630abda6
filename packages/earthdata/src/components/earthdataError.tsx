import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ErrorView } from '@cloudscapes/core';
import type { CloudscapesRequestError } from '@cloudscapes/core';

import { hintsIn, isProminent } from '../hints';

/**
 * A failed Earthdata request: the server's message and hint, else
 * Earthdata's own hint; the account-lockout hint stands out.
 */
export function EarthdataError(props: {
  error: CloudscapesRequestError;
  trans: TranslationBundle;
  onDismiss?: () => void;
}): JSX.Element {
  return (
    <ErrorView
      error={props.error}
      trans={props.trans}
      hintFor={hintsIn(props.trans)}
      prominent={isProminent}
      onDismiss={props.onDismiss}
    />
  );
}

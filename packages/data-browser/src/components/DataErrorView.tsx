import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { CloudscapesRequestError, ErrorView } from '@cloudscapes/core';

import { dataHints } from '../hints';

/**
 * Core's error view with the data browser's hints; "NASA CMR is busy" (429)
 * stands out.
 */
export function DataErrorView(props: {
  error: CloudscapesRequestError;
  trans: TranslationBundle;
  onDismiss?: () => void;
  onRetry?: () => void;
}): JSX.Element {
  return (
    <ErrorView
      {...props}
      hintFor={dataHints(props.trans)}
      prominent={error => error.status === 429}
    />
  );
}

import * as React from 'react';

import type { ILogViewProps } from './logview';

export type { ILogViewProps } from './logview';

/**
 * The log view's code (and its list library) as a chunk of its own: core is
 * loaded by every Cloudscapes extension at page start, the log view only where
 * a job's log is shown.
 */
const LogViewImpl = React.lazy(() =>
  import('./logview').then(module => ({ default: module.LogView }))
);

/**
 * A job's log: windowed, following the tail, with Copy (see `./logview`).
 * The first render fetches its code; until then an empty log region stands in.
 */
export function LogView(props: ILogViewProps): JSX.Element {
  const fallback = (
    <div
      className={`cs-LogView cs-mod-loading ${props.className ?? ''}`.trim()}
      role="log"
      aria-label={props.label}
      aria-busy="true"
    />
  );
  return (
    <React.Suspense fallback={fallback}>
      <LogViewImpl {...props} />
    </React.Suspense>
  );
}

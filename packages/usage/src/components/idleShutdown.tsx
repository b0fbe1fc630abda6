import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Usage } from '@cloudscapes/core';

import { clockTime, cullWindowText, formatDuration } from '../format';

/**
 * How long the server has been idle and when the hub may stop it.
 */
export function IdleShutdown(props: {
  usage: Usage;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const activity = props.usage.activity;
  return (
    <>
      <p className="cs-UsagePanel-idle">
        {trans.__('Idle for %1.', formatDuration(activity.idle_seconds))}
      </p>
      <p className="cs-UsagePanel-cull">
        {activity.cull_window
          ? trans.__(
              'The hub stops idle servers %1 (between %2 and %3 if you stay idle).',
              cullWindowText(activity, trans),
              clockTime(activity.cull_window.earliest),
              clockTime(activity.cull_window.latest)
            )
          : cullWindowText(activity, trans)}
      </p>
      {activity.max_age_at ? (
        <p className="cs-UsagePanel-maxage">
          {trans.__(
            'Stopped at %1 at the latest, even when active.',
            clockTime(activity.max_age_at)
          )}
        </p>
      ) : null}
    </>
  );
}

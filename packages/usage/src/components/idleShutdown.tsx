import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Usage } from '@cloudscapes/core';

import { clockTime, cullWindowText, formatDuration } from '../format';

/**
 * How long the server has been idle and when the hub may stop it; under a hub
 * that counts proxy traffic, that an open tab keeps the server alive, and what
 * the hub admin can set about it.
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
      {activity.proxy_activity_interval !== null ? (
        <p className="cs-UsagePanel-proxy">
          {trans.__(
            'This hub counts every request to your server as activity (every %1): while a JupyterLab tab is open and refreshing, the server is not stopped as idle.',
            formatDuration(activity.proxy_activity_interval)
          )}{' '}
          <span className="cs-UsagePanel-proxyAdmin">
            {trans.__(
              'Hub admins: the idle culler’s --timeout and --cull-every set the window; Cloudscapes’ own refreshes stand by once the page is left untouched (@cloudscapes/usage:idle). See Cloudscapes’ docs/hub-install.md before changing c.JupyterHub.last_activity_interval: on Zero to JupyterHub it is also the proxy’s route check.'
            )}
          </span>
        </p>
      ) : null}
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

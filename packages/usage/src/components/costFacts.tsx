import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Usage } from '@cloudscapes/core';

import { clockTime } from '../format';

/**
 * The profile and what it costs: the server's rate, the Dask Gateway
 * clusters' on top, the total and what has been spent since the start.
 */
export function CostFacts(props: {
  usage: Usage;
  money: (amount: number) => string;
  trans: TranslationBundle;
}): JSX.Element {
  const { usage, money, trans } = props;
  const cost = usage.cost;
  return (
    <dl className="cs-Facts cs-UsagePanel-facts">
      <dt>{trans.__('Profile')}</dt>
      <dd className="cs-UsagePanel-profile">
        {usage.profile.display_name ?? trans.__('unknown')}
      </dd>
      <dt>{trans.__('Rate')}</dt>
      <dd className="cs-UsagePanel-rate">
        {cost.rate_per_hour === null
          ? trans.__('not set by your hub admin')
          : trans.__('%1 per hour', money(cost.rate_per_hour))}
      </dd>
      {cost.extras.map(extra => (
        <React.Fragment key={extra.source}>
          <dt>
            {extra.source === 'dask'
              ? trans._n(
                  '%1 Dask Gateway cluster',
                  '%1 Dask Gateway clusters',
                  extra.count
                )
              : `${extra.label} (${extra.count})`}
          </dt>
          <dd className="cs-UsagePanel-extra">
            {extra.rate_per_hour === null
              ? trans.__('price not set by your hub admin')
              : trans.__('+ %1 per hour', money(extra.rate_per_hour))}
          </dd>
        </React.Fragment>
      ))}
      {cost.extras.length > 0 && cost.total_rate_per_hour !== null ? (
        <>
          <dt>{trans.__('Total rate')}</dt>
          <dd className="cs-UsagePanel-total">
            {trans.__('%1 per hour', money(cost.total_rate_per_hour))}
          </dd>
        </>
      ) : null}
      <dt>{trans.__('Cost so far')}</dt>
      <dd className="cs-UsagePanel-accrued">
        {cost.accrued === null
          ? trans.__('unknown')
          : trans.__('%1 since %2', money(cost.accrued), clockTime(cost.since))}
      </dd>
    </dl>
  );
}

import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Usage } from '@cloudscapes/core';

import { clockTime } from '../format';

/**
 * "Keep alive for [1 hour] [Keep alive]", or "Kept alive until 14:05. [End
 * keep-alive]"; nothing when the hub allows no keep-alive. The choices are
 * the user's setting, cut at the hub's maximum.
 */
export function KeepAlive(props: {
  usage: Usage;
  choices: number[];
  busy: boolean;
  trans: TranslationBundle;
  onKeepAlive: (minutes: number) => void;
  onEnd: () => void;
}): JSX.Element | null {
  const { trans, busy } = props;
  const activity = props.usage.activity;
  const max = activity.keepalive_max_minutes;
  const selectId = `cs-UsagePanel-keepalive-${React.useId().replace(/:/g, '')}`;
  const [choice, setChoice] = React.useState<number | null>(null);
  if (max <= 0) {
    return null;
  }
  if (activity.keepalive_until) {
    return (
      <div className="cs-UsagePanel-keepalive">
        <span>
          {trans.__(
            'Kept alive until %1.',
            clockTime(activity.keepalive_until)
          )}
        </span>
        <button
          className="jp-Button jp-mod-styled jp-mod-reject"
          disabled={busy}
          onClick={props.onEnd}
        >
          {trans.__('End keep-alive')}
        </button>
      </div>
    );
  }
  const choices = props.choices.filter(m => m > 0 && m <= max);
  if (choices.length === 0) {
    choices.push(Math.min(30, max));
  }
  const chosen = choice && choices.includes(choice) ? choice : choices[0];
  return (
    <div className="cs-UsagePanel-keepalive">
      <label htmlFor={selectId}>{trans.__('Keep alive for')}</label>
      <select
        id={selectId}
        className="jp-mod-styled"
        value={chosen}
        onChange={event => setChoice(Number(event.target.value))}
      >
        {choices.map(m => (
          <option key={m} value={m}>
            {m % 60 === 0
              ? trans._n('%1 hour', '%1 hours', m / 60)
              : trans.__('%1 minutes', m)}
          </option>
        ))}
      </select>
      <button
        className="jp-Button jp-mod-styled jp-mod-accept"
        disabled={busy}
        onClick={() => props.onKeepAlive(chosen)}
      >
        {trans.__('Keep alive')}
      </button>
    </div>
  );
}

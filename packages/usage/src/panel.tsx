import { TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorBanner, Loading, ProgressBar, Usage } from '@cloudscapes/core';

import {
  cullWindowText,
  formatBytePair,
  formatBytes,
  formatDuration,
  formatMoney
} from './format';
import { UsageModel } from './model';
import {
  diskFraction,
  level,
  memoryFraction,
  thresholdsFor
} from './thresholds';

/**
 * What the panel's buttons do (commands, so they also live in the palette).
 */
export interface IPanelActions {
  keepAlive(minutes: number): void;
  endKeepAlive(): void;
  stop(): void;
}

function time(iso: string): string {
  return new Date(iso).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit'
  });
}

/**
 * The usage details: profile and cost, resource bars, idle culling, keep-alive, stop.
 */
export class UsagePanel extends VDomRenderer<UsageModel> {
  constructor(
    model: UsageModel,
    private _trans: TranslationBundle,
    private _actions: IPanelActions
  ) {
    super(model);
    this.addClass('cs-UsagePanel');
  }

  render(): JSX.Element {
    const trans = this._trans;
    const usage = this.model.usage;
    const error = this.model.error;
    return (
      <div className="cs-UsagePanel-body">
        <h2 className="cs-UsagePanel-title">{trans.__('Server usage')}</h2>
        {error ? (
          <ErrorBanner message={error.message} hint={error.hint} />
        ) : null}
        {usage ? (
          this._details(usage)
        ) : error ? null : (
          <Loading label={trans.__('Measuring…')} />
        )}
      </div>
    );
  }

  private _details(usage: Usage): JSX.Element {
    const trans = this._trans;
    const settings = this.model.settings;
    const thresholds = thresholdsFor(usage, settings);
    const money = (amount: number) =>
      formatMoney(amount, usage.cost.currency, settings.currencyDisplay);
    const memory = memoryFraction(usage);
    const disk = diskFraction(usage);
    const cores = usage.cpu.limit;
    const cpu = cores > 0 ? usage.cpu.percent / (cores * 100) : 0;
    const activity = usage.activity;
    return (
      <>
        <section
          className="cs-UsagePanel-section"
          aria-label={trans.__('Profile and cost')}
        >
          <dl className="cs-Facts cs-UsagePanel-facts">
            <dt>{trans.__('Profile')}</dt>
            <dd className="cs-UsagePanel-profile">
              {usage.profile.display_name ?? trans.__('unknown')}
            </dd>
            <dt>{trans.__('Rate')}</dt>
            <dd className="cs-UsagePanel-rate">
              {usage.cost.rate_per_hour === null
                ? trans.__('not set by your hub admin')
                : trans.__('%1 per hour', money(usage.cost.rate_per_hour))}
            </dd>
            {usage.cost.extras.map(extra => (
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
            {usage.cost.extras.length > 0 &&
            usage.cost.total_rate_per_hour !== null ? (
              <>
                <dt>{trans.__('Total rate')}</dt>
                <dd className="cs-UsagePanel-total">
                  {trans.__(
                    '%1 per hour',
                    money(usage.cost.total_rate_per_hour)
                  )}
                </dd>
              </>
            ) : null}
            <dt>{trans.__('Cost so far')}</dt>
            <dd className="cs-UsagePanel-accrued">
              {usage.cost.accrued === null
                ? trans.__('unknown')
                : trans.__(
                    '%1 since %2',
                    money(usage.cost.accrued),
                    time(usage.cost.since)
                  )}
            </dd>
          </dl>
        </section>
        <section
          className="cs-UsagePanel-section"
          aria-label={trans.__('Resources')}
        >
          <div className="cs-UsagePanel-meter">
            <span>{trans.__('Memory')}</span>
            <span>{formatBytePair(usage.memory.used, usage.memory.limit)}</span>
          </div>
          <ProgressBar
            value={memory}
            label={trans.__('Memory')}
            valueText={trans.__(
              '%1 of %2',
              formatBytes(usage.memory.used),
              formatBytes(usage.memory.limit)
            )}
            level={level(memory, thresholds.memory)}
          />
          <div className="cs-UsagePanel-meter">
            <span>{trans.__('CPU')}</span>
            <span>
              {trans.__(
                '%1% of %2 cores',
                Math.round(cpu * 100),
                String(Number(cores.toFixed(2)))
              )}
            </span>
          </div>
          <ProgressBar
            value={cpu}
            label={trans.__('CPU')}
            valueText={trans.__(
              '%1% of %2 cores',
              Math.round(cpu * 100),
              cores
            )}
            level={cpu >= 0.95 ? 'warn' : 'normal'}
          />
          <div className="cs-UsagePanel-meter">
            <span title={usage.disk.path}>{trans.__('Disk')}</span>
            <span>{formatBytePair(usage.disk.used, usage.disk.total)}</span>
          </div>
          <ProgressBar
            value={disk}
            label={trans.__('Disk (%1)', usage.disk.path)}
            valueText={trans.__(
              '%1 of %2',
              formatBytes(usage.disk.used),
              formatBytes(usage.disk.total)
            )}
            level={level(disk, thresholds.disk)}
          />
        </section>
        <section
          className="cs-UsagePanel-section"
          aria-label={trans.__('Idle shutdown')}
        >
          <p className="cs-UsagePanel-idle">
            {trans.__('Idle for %1.', formatDuration(activity.idle_seconds))}
          </p>
          <p className="cs-UsagePanel-cull">
            {activity.cull_window
              ? trans.__(
                  'The hub stops idle servers %1 (between %2 and %3 if you stay idle).',
                  cullWindowText(activity, trans),
                  time(activity.cull_window.earliest),
                  time(activity.cull_window.latest)
                )
              : cullWindowText(activity, trans)}
          </p>
          {activity.max_age_at ? (
            <p className="cs-UsagePanel-maxage">
              {trans.__(
                'Stopped at %1 at the latest, even when active.',
                time(activity.max_age_at)
              )}
            </p>
          ) : null}
          {this._keepAlive(usage)}
        </section>
        <section className="cs-UsagePanel-section cs-UsagePanel-actions">
          {usage.hub.can_stop ? (
            <button
              className="jp-Button jp-mod-styled jp-mod-warn cs-UsagePanel-stop"
              disabled={this.model.busy}
              onClick={() => this._actions.stop()}
            >
              {trans.__('Stop my server')}
            </button>
          ) : usage.hub.present ? (
            <p className="cs-UsagePanel-nostop">
              {trans.__(
                'Stop your server from the hub control panel (File > Hub Control Panel).'
              )}
            </p>
          ) : null}
        </section>
      </>
    );
  }

  private _keepAlive(usage: Usage): JSX.Element | null {
    const trans = this._trans;
    const activity = usage.activity;
    const max = activity.keepalive_max_minutes;
    if (max <= 0) {
      return null;
    }
    if (activity.keepalive_until) {
      return (
        <div className="cs-UsagePanel-keepalive">
          <span>
            {trans.__('Kept alive until %1.', time(activity.keepalive_until))}
          </span>
          <button
            className="jp-Button jp-mod-styled jp-mod-reject"
            disabled={this.model.busy}
            onClick={() => this._actions.endKeepAlive()}
          >
            {trans.__('End keep-alive')}
          </button>
        </div>
      );
    }
    const choices = this.model.settings.keepAliveChoices.filter(
      m => m > 0 && m <= max
    );
    if (choices.length === 0) {
      choices.push(Math.min(30, max));
    }
    const selectId = `cs-UsagePanel-keepalive-${this.id}`;
    return (
      <div className="cs-UsagePanel-keepalive">
        <label htmlFor={selectId}>{trans.__('Keep alive for')}</label>
        <select
          id={selectId}
          className="jp-mod-styled"
          value={
            this._choice && choices.includes(this._choice)
              ? this._choice
              : choices[0]
          }
          onChange={event => {
            this._choice = Number(event.target.value);
            this.update();
          }}
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
          disabled={this.model.busy}
          onClick={() =>
            this._actions.keepAlive(
              this._choice && choices.includes(this._choice)
                ? this._choice
                : choices[0]
            )
          }
        >
          {trans.__('Keep alive')}
        </button>
      </div>
    );
  }

  private _choice: number | null = null;
}

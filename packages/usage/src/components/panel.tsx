import type { TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorView, Loading } from '@cloudscapes/core';
import type { Usage } from '@cloudscapes/core';

import { formatMoney } from '../format';
import { UsageModel } from '../model';
import { CostFacts } from './costFacts';
import { IdleShutdown } from './idleShutdown';
import { KeepAlive } from './keepAlive';
import { Resources } from './resources';

/**
 * What the panel's buttons do (commands, so they also live in the palette).
 */
export interface IPanelActions {
  keepAlive(minutes: number): void;
  endKeepAlive(): void;
  stop(): void;
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
        <h2 className="cs-PanelTitle cs-UsagePanel-title">
          {trans.__('Server usage')}
        </h2>
        {error ? <ErrorView error={error} trans={trans} /> : null}
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
    const model = this.model;
    const settings = model.settings;
    const money = (amount: number) =>
      formatMoney(amount, usage.cost.currency, settings.currencyDisplay);
    return (
      <>
        <section
          className="cs-UsagePanel-section"
          aria-label={trans.__('Profile and cost')}
        >
          <CostFacts usage={usage} money={money} trans={trans} />
        </section>
        <section
          className="cs-UsagePanel-section"
          aria-label={trans.__('Resources')}
        >
          <Resources usage={usage} settings={settings} trans={trans} />
        </section>
        <section
          className="cs-UsagePanel-section"
          aria-label={trans.__('Idle shutdown')}
        >
          <IdleShutdown usage={usage} trans={trans} />
          <KeepAlive
            usage={usage}
            choices={settings.keepAliveChoices}
            busy={model.busy}
            trans={trans}
            onKeepAlive={minutes => this._actions.keepAlive(minutes)}
            onEnd={() => this._actions.endKeepAlive()}
          />
        </section>
        <section className="cs-UsagePanel-section cs-UsagePanel-actions">
          {usage.hub.can_stop ? (
            <button
              className="jp-Button jp-mod-styled jp-mod-warn cs-UsagePanel-stop"
              disabled={model.busy}
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
}

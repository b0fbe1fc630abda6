import { TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import * as React from 'react';

import { compactText, formatBytes, formatMoney } from '../format';
import { UsageModel } from '../model';
import {
  diskFraction,
  level,
  memoryFraction,
  thresholdsFor
} from '../thresholds';

/**
 * The compact status bar item: "$0.42 · 2.1/8 GB · inactive 12m". A button: Enter,
 * Space or a click opens the usage panel.
 */
export class UsageStatus extends VDomRenderer<UsageModel> {
  constructor(
    model: UsageModel,
    private _trans: TranslationBundle,
    private _open: () => void
  ) {
    super(model);
    this.addClass('cs-UsageStatus');
    this.addClass('jp-StatusBar-TextItem');
  }

  render(): JSX.Element {
    const trans = this._trans;
    const usage = this.model.usage;
    const settings = this.model.settings;
    let text: string;
    let label: string;
    let state = 'normal';
    if (usage) {
      text = compactText(usage, settings, trans);
      const thresholds = thresholdsFor(usage, settings);
      const levels = [
        level(memoryFraction(usage), thresholds.memory),
        level(diskFraction(usage), thresholds.disk)
      ];
      state = levels.includes('error')
        ? 'error'
        : levels.includes('warn')
          ? 'warn'
          : 'normal';
      const cost =
        usage.cost.accrued === null
          ? trans.__('cost unknown')
          : trans.__(
              '%1 so far',
              formatMoney(
                usage.cost.accrued,
                usage.cost.currency,
                settings.currencyDisplay
              )
            );
      label = trans.__(
        'Server usage: %1; memory %2 of %3. Open details.',
        cost,
        formatBytes(usage.memory.used),
        formatBytes(usage.memory.limit)
      );
    } else if (this.model.error) {
      text = trans.__('usage unavailable');
      label = trans.__(
        'Server usage unavailable: %1',
        this.model.error.message
      );
      state = 'error';
    } else {
      text = trans.__('usage…');
      label = trans.__('Server usage loading');
    }
    if (!text) {
      text = trans.__('usage');
    }
    return (
      <span
        className={`cs-UsageStatus-text cs-mod-${state}`}
        role="button"
        tabIndex={0}
        aria-label={label}
        title={label}
        data-state={state}
        onClick={this._open}
        onKeyDown={event => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            this._open();
          }
        }}
      >
        {text}
      </span>
    );
  }
}

import type { TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import * as React from 'react';

import { TabList } from '@cloudscapes/core';

import { Downloads } from './components/Downloads';
import { ErrorView } from './components/ErrorView';
import { RegionBadge } from './components/RegionBadge';
import { S3View } from './components/S3View';
import { SearchView } from './components/SearchView';
import { SelectionBar } from './components/SelectionBar';
import { DataBrowserModel, DataTab } from './model';

/**
 * What the panel's action buttons do: they run the commands (so the palette,
 * context menu and buttons behave the same).
 */
export interface IPanelActions {
  insertCode(): void;
  download(): void;
  copyS3(): void;
  copyHttps(): void;
}

/**
 * The left-sidebar panel: region badge, "Earthdata search" and "S3" tabs,
 * the selection's actions and the downloads.
 */
export class DataBrowserPanel extends VDomRenderer<DataBrowserModel> {
  constructor(
    model: DataBrowserModel,
    private _trans: TranslationBundle,
    private _actions: IPanelActions
  ) {
    super(model);
    this.addClass('cs-DataBrowser');
    this.node.setAttribute('aria-label', _trans.__('Data browser'));
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.start();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this.model.start();
    }
  }

  /**
   * Move keyboard focus to the keyword box (command "Search Earthdata").
   */
  focusSearch(): void {
    requestAnimationFrame(() => {
      (
        this.node.querySelector('.cs-data-keyword') as HTMLInputElement | null
      )?.focus();
    });
  }

  render(): JSX.Element {
    const trans = this._trans;
    const model = this.model;
    const tab = model.tab;
    const selectTab = (value: DataTab) => {
      model.tab = value;
      if (value === 's3' && model.sources === null) {
        void model.loadSources();
      }
    };
    return (
      <div className="cs-DataBrowser-body">
        <div className="cs-PanelHeader">
          <h2 className="cs-PanelTitle">{trans.__('Data')}</h2>
          {model.configChecked ? (
            <RegionBadge inRegion={model.inRegion} trans={trans} />
          ) : null}
        </div>
        <TabList
          label={trans.__('Data sources')}
          idPrefix="cs-data"
          tabs={[
            { value: 'search', label: trans.__('Earthdata search') },
            { value: 's3', label: trans.__('S3') }
          ]}
          selected={tab}
          onSelect={selectTab}
        />
        {model.actionError ? (
          <ErrorView
            error={model.actionError}
            trans={trans}
            onDismiss={() => model.setActionError(null)}
          />
        ) : null}
        <div
          className="cs-data-tabpanel"
          role="tabpanel"
          id={`cs-data-panel-${tab}`}
          aria-labelledby={`cs-data-tab-${tab}`}
        >
          {tab === 'search' ? (
            <SearchView model={model} trans={trans} />
          ) : (
            <S3View model={model} trans={trans} />
          )}
        </div>
        <SelectionBar model={model} trans={trans} actions={this._actions} />
        <Downloads model={model} trans={trans} />
      </div>
    );
  }
}

import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ModelPanel, TabList } from '@cloudscapes/core';

import { Downloads } from './components/Downloads';
import { DataErrorView } from './components/DataErrorView';
import { DataRegionBadge } from './components/DataRegionBadge';
import { S3View } from './components/S3View';
import { SearchView } from './components/SearchView';
import { SelectionBar } from './components/SelectionBar';
import { DataBrowserModel, DataTab } from './model';
import type { IPanelActions } from './tokens';

/**
 * The left-sidebar panel: region badge, "Earthdata search" and "S3" tabs,
 * the selection's actions and the downloads. Its model starts (region
 * check) when the panel is first shown.
 */
export class DataBrowserPanel extends ModelPanel<DataBrowserModel> {
  constructor(
    model: DataBrowserModel,
    private _trans: TranslationBundle,
    private _actions: IPanelActions
  ) {
    super(model);
    this.addClass('cs-DataBrowser');
    this.addClass('cs-SidebarPanel');
    this.node.setAttribute('aria-label', _trans.__('Data browser'));
  }

  /**
   * Move keyboard focus to the keyword box (command "Search Earthdata").
   */
  focusSearch(): void {
    requestAnimationFrame(() => {
      (
        this.node.querySelector(
          '.cs-DataSearch-keyword'
        ) as HTMLInputElement | null
      )?.focus();
    });
  }

  render(): JSX.Element {
    const trans = this._trans;
    const model = this.model;
    const tab = model.tab;
    const selectTab = (value: DataTab) => {
      model.tab = value;
      if (value === 's3' && model.s3.sources === null) {
        void model.s3.loadSources();
      }
    };
    return (
      <div className="cs-SidebarPanel-body">
        <div className="cs-PanelHeader">
          <h2 className="cs-PanelTitle">{trans.__('Data')}</h2>
          {model.configChecked ? (
            <DataRegionBadge inRegion={model.inRegion} trans={trans} />
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
          <DataErrorView
            error={model.actionError}
            trans={trans}
            onDismiss={() => model.setActionError(null)}
          />
        ) : null}
        <div
          className="cs-DataBrowser-tabpanel"
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

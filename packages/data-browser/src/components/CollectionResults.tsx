import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { EmptyState } from '@cloudscapes/core';

import { DataList } from './DataList';
import { Collection, DataBrowserModel } from '../model';
import { ListFooter } from './ListFooter';
import { PagedResults } from './PagedResults';

export function CollectionResults(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const list = model.collections;
  const items = list.items;
  const onNearEnd = React.useCallback(() => void list.loadMore(), [list]);
  if (!model.searched) {
    return (
      <EmptyState title={trans.__('Search NASA Earthdata')}>
        {trans.__(
          'Find collections by keyword, time and place; open one to see and select its granules.'
        )}
      </EmptyState>
    );
  }
  return (
    <PagedResults
      list={list}
      trans={trans}
      className="cs-PagedResults"
      loadingLabel={trans.__('Searching NASA Earthdata…')}
      empty={
        <EmptyState title={trans.__('No collections match')}>
          {trans.__('Try other words, a longer time range or a larger box.')}
        </EmptyState>
      }
    >
      <DataList
        label={trans.__('Collections')}
        className="cs-CollectionResults-list"
        count={items.length}
        rowHeight={44}
        keyAt={i => items[i].concept_id}
        onActivate={i => void model.openCollection(items[i])}
        onNearEnd={onNearEnd}
        footer={<ListFooter list={list} trans={trans} />}
        renderRow={i => <CollectionRow collection={items[i]} trans={trans} />}
      />
    </PagedResults>
  );
}

function CollectionRow(props: {
  collection: Collection;
  trans: TranslationBundle;
}): JSX.Element {
  const { collection: c, trans } = props;
  return (
    <div className="cs-DataList-rowText">
      <div className="cs-DataList-rowTitle" title={c.title}>
        {c.title}
      </div>
      <div className="cs-DataList-rowMeta">
        {`${c.short_name} v${c.version} · ${c.provider}`}
        {c.cloud_hosted ? ` · ${trans.__('cloud')}` : ''}
      </div>
    </div>
  );
}

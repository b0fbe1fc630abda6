import type { TranslationBundle } from '@jupyterlab/translation';
import { fileIcon, folderIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { EmptyState } from '@cloudscapes/core';

import { formatBytes } from '../format';
import { DataList } from './DataList';
import { DataBrowserModel, S3Item, s3ItemKey } from '../model';
import { ListFooter } from './ListFooter';
import { PagedResults } from './PagedResults';

export function S3Listing(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const list = model.s3.objects;
  const items = list.items as S3Item[];
  const selection = model.s3.objectSelection;
  const folder = model.s3.location?.folder ?? '';
  const onNearEnd = React.useCallback(() => void list.loadMore(), [list]);
  return (
    <PagedResults
      list={list}
      trans={trans}
      className="cs-PagedResults"
      loadingLabel={trans.__('Listing…')}
      empty={
        <EmptyState title={trans.__('Nothing here')}>
          {model.s3.filter
            ? trans.__(
                'No key starts with “%1” in this folder.',
                model.s3.filter
              )
            : trans.__('This folder is empty.')}
        </EmptyState>
      }
    >
      <DataList
        label={trans.__(
          'Objects in %1',
          `s3://${model.s3.location?.bucket}/${folder}`
        )}
        className="cs-S3Listing-list"
        count={items.length}
        rowHeight={28}
        keyAt={i => s3ItemKey(items[i])}
        isSelectable={i => items[i].kind === 'object'}
        isSelected={i => selection.selected.has(s3ItemKey(items[i]))}
        onToggle={(i, shift) => {
          const item = items[i];
          model.s3.clickObject(item.kind === 'object' ? item.key : '', shift);
          if (item.kind === 'object' && !shift) {
            void model.s3.showDetail(item.key);
          }
        }}
        onExtend={i => model.s3.extendObjects(s3ItemKey(items[i]))}
        onActivate={i => {
          const item = items[i];
          if (item.kind === 'folder') {
            void model.s3.openFolder(item.prefix);
          } else {
            void model.s3.showDetail(item.key);
          }
        }}
        onSelectAll={() => model.selectAllLoaded()}
        onContextRow={i => {
          if (items[i].kind === 'object') {
            model.selectForMenu(s3ItemKey(items[i]));
          }
        }}
        onNearEnd={onNearEnd}
        footer={<ListFooter list={list} trans={trans} />}
        renderRow={i => <S3Row item={items[i]} folder={folder} />}
      />
    </PagedResults>
  );
}

function S3Row(props: { item: S3Item; folder: string }): JSX.Element {
  const { item } = props;
  if (item.kind === 'folder') {
    return (
      <div className="cs-DataList-rowText cs-mod-folder">
        <folderIcon.react tag="span" className="cs-DataList-rowIcon" />
        <span className="cs-DataList-rowName">{item.name}</span>
      </div>
    );
  }
  return (
    <div className="cs-DataList-rowText cs-mod-object">
      <fileIcon.react tag="span" className="cs-DataList-rowIcon" />
      <span className="cs-DataList-rowName" title={item.key}>
        {item.name}
      </span>
      <span className="cs-DataList-rowSize">{formatBytes(item.size)}</span>
    </div>
  );
}

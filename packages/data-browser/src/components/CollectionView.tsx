import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { EmptyState } from '@cloudscapes/core';

import { formatBytes, formatRange } from '../format';
import { DataList } from './DataList';
import { Collection, DataBrowserModel, Granule } from '../model';
import { s3Url } from '../s3path';
import { DataErrorView } from './DataErrorView';
import { ListFooter } from './ListFooter';
import { PagedResults } from './PagedResults';

export function CollectionView(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
  collection: Collection;
}): JSX.Element {
  const { model, trans, collection: c } = props;
  const list = model.granules;
  const items = list.items;
  const selection = model.granuleSelection;
  const onNearEnd = React.useCallback(() => void list.loadMore(), [list]);
  return (
    <div className="cs-CollectionView">
      <button
        type="button"
        className="jp-Button jp-mod-minimal cs-CollectionView-back"
        onClick={() => model.closeCollection()}
      >
        {trans.__('← Collections')}
      </button>
      <h3 className="cs-CollectionView-title">{c.title}</h3>
      <dl className="cs-Facts cs-DataBrowser-facts">
        <dt>{trans.__('Short name')}</dt>
        <dd className="cs-CollectionView-shortName">{`${c.short_name} v${c.version}`}</dd>
        <dt>{trans.__('Provider')}</dt>
        <dd>{c.daac ? `${c.provider} (${c.daac})` : c.provider}</dd>
        {c.doi ? (
          <>
            <dt>{trans.__('DOI')}</dt>
            <dd>
              <a
                className="cs-Link"
                href={`https://doi.org/${encodeURI(c.doi.replace(/^doi:/i, ''))}`}
                target="_blank"
                rel="noopener noreferrer"
              >
                {c.doi}
              </a>
            </dd>
          </>
        ) : null}
        <dt>{trans.__('Cloud hosted')}</dt>
        <dd>{c.cloud_hosted ? trans.__('yes') : trans.__('no')}</dd>
        {c.time_start || c.time_end ? (
          <>
            <dt>{trans.__('Time')}</dt>
            <dd>{formatRange(c.time_start, c.time_end)}</dd>
          </>
        ) : null}
        {c.s3_prefixes.length > 0 ? (
          <>
            <dt>{trans.__('S3')}</dt>
            <dd>
              <ul className="cs-CollectionView-prefixes">
                {c.s3_prefixes.map(p => (
                  <li key={`${p.bucket}/${p.prefix}`}>
                    <code>{s3Url(p.bucket, p.prefix)}</code>{' '}
                    <button
                      type="button"
                      className="jp-Button jp-mod-minimal cs-CollectionView-showInS3"
                      onClick={() => void model.showInS3(c, p.bucket, p.prefix)}
                    >
                      {trans.__('Show in S3')}
                    </button>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {model.collectionError ? (
        <DataErrorView error={model.collectionError} trans={trans} />
      ) : null}
      <h4 className="cs-DataBrowser-subtitle">{trans.__('Granules')}</h4>
      <PagedResults
        list={list}
        trans={trans}
        loadingLabel={trans.__('Loading granules…')}
        empty={
          <EmptyState title={trans.__('No granules match')}>
            {trans.__('Widen the time range or the box.')}
          </EmptyState>
        }
      >
        <DataList
          label={trans.__('Granules')}
          className="cs-CollectionView-granules"
          count={items.length}
          rowHeight={44}
          keyAt={i => items[i].concept_id}
          isSelectable={() => true}
          isSelected={i => selection.selected.has(items[i].concept_id)}
          onToggle={(i, shift) =>
            model.clickGranule(items[i].concept_id, shift)
          }
          onExtend={i => model.extendGranules(items[i].concept_id)}
          onActivate={i => model.clickGranule(items[i].concept_id, false)}
          onSelectAll={() => model.selectAllLoaded()}
          onContextRow={i => model.selectForMenu(items[i].concept_id)}
          onNearEnd={onNearEnd}
          footer={<ListFooter list={list} trans={trans} />}
          renderRow={i => <GranuleRow granule={items[i]} trans={trans} />}
        />
      </PagedResults>
    </div>
  );
}

function GranuleRow(props: {
  granule: Granule;
  trans: TranslationBundle;
}): JSX.Element {
  const g = props.granule;
  // null: a file's size is unknown (CMR gave none, or a unit such as "NA")
  const size =
    g.size_bytes === null
      ? props.trans.__('size unknown')
      : formatBytes(g.size_bytes);
  const time = formatRange(g.time_start, g.time_end);
  return (
    <div className="cs-DataList-rowText">
      <div className="cs-DataList-rowTitle" title={g.title}>
        {g.title}
      </div>
      <div className="cs-DataList-rowMeta">
        {[time, size].filter(Boolean).join(' · ')}
      </div>
    </div>
  );
}

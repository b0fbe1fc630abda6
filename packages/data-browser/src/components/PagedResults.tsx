import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { Loading } from '@cloudscapes/core';

import { formatCount } from '../format';
import { PagedList } from '../paging';
import { DataErrorView } from './DataErrorView';

function countText(
  list: PagedList<any, any>,
  trans: TranslationBundle
): string {
  const loaded = list.items.length;
  if (list.hits !== null) {
    return loaded < list.hits
      ? trans.__(
          '%1 results, %2 loaded',
          formatCount(list.hits),
          formatCount(loaded)
        )
      : trans._n('%1 result', '%1 results', list.hits, formatCount(list.hits));
  }
  return list.done
    ? trans._n('%1 item', '%1 items', loaded, formatCount(loaded))
    : trans.__('%1 of many loaded', formatCount(loaded));
}
function ListError(props: {
  list: PagedList<any, any>;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { list, trans } = props;
  if (!list.error) {
    return null;
  }
  return (
    <DataErrorView
      error={list.error}
      trans={trans}
      onRetry={() => void list.retry()}
    />
  );
}

/**
 * A paged list's states, the same for collections, granules and S3 listings:
 * loading (or its error) until the first page, then the count, the list (or
 * `empty` when there is nothing) and the error of a later page.
 */
export function PagedResults(props: {
  list: PagedList<any, any>;
  trans: TranslationBundle;
  loadingLabel: string;
  empty: JSX.Element;
  className?: string;
  children: JSX.Element;
}): JSX.Element {
  const { list, trans } = props;
  if (!list.loaded) {
    return list.error ? (
      <ListError list={list} trans={trans} />
    ) : (
      <Loading label={props.loadingLabel} />
    );
  }
  const content = (
    <>
      <div className="cs-PagedResults-count" role="status" aria-live="polite">
        {countText(list, trans)}
      </div>
      {list.items.length === 0 ? props.empty : props.children}
      <ListError list={list} trans={trans} />
    </>
  );
  return props.className ? (
    <div className={props.className}>{content}</div>
  ) : (
    content
  );
}

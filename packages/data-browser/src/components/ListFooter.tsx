import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { Loading } from '@cloudscapes/core';

import { PagedList } from '../paging';

export function ListFooter(props: {
  list: PagedList<any, any>;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { list, trans } = props;
  if (list.loading && list.loaded) {
    return (
      <div className="cs-DataList-footer">
        <Loading label={trans.__('Loading more…')} />
      </div>
    );
  }
  return null;
}

import type { TranslationBundle } from '@jupyterlab/translation';
import { closeIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { formatBytes, formatCount, formatTime } from '../format';
import { DataBrowserModel } from '../model';
import { DataErrorView } from './DataErrorView';

export function ObjectDetailView(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { model, trans } = props;
  const detail = model.s3.detail;
  if (model.s3.detailError) {
    return (
      <DataErrorView
        error={model.s3.detailError}
        trans={trans}
        onDismiss={() => model.s3.closeDetail()}
      />
    );
  }
  if (!detail) {
    return null;
  }
  return (
    <section
      className="cs-ObjectDetail"
      aria-label={trans.__('Object details')}
    >
      <div className="cs-ObjectDetail-head">
        <h4 className="cs-DataBrowser-subtitle">
          {detail.key.split('/').pop()}
        </h4>
        <button
          type="button"
          className="jp-Button jp-mod-minimal cs-ObjectDetail-close"
          aria-label={trans.__('Close details')}
          title={trans.__('Close details')}
          onClick={() => model.s3.closeDetail()}
        >
          <closeIcon.react tag="span" />
        </button>
      </div>
      <dl className="cs-Facts cs-DataBrowser-facts">
        <dt>{trans.__('Size')}</dt>
        <dd>{`${formatBytes(detail.size)} (${formatCount(detail.size)} B)`}</dd>
        <dt>{trans.__('Modified')}</dt>
        <dd>{formatTime(detail.last_modified)}</dd>
        <dt>{trans.__('Content type')}</dt>
        <dd>{detail.content_type ?? trans.__('unknown')}</dd>
        <dt>{trans.__('S3 URL')}</dt>
        <dd>
          <code className="cs-ObjectDetail-s3Url">{detail.s3_url}</code>
        </dd>
      </dl>
    </section>
  );
}

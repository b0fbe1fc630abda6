import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { EmptyState, Loading } from '@cloudscapes/core';

import { DataBrowserModel } from '../model';
import { breadcrumbs } from '../s3path';
import { DataErrorView } from './DataErrorView';
import { ObjectDetailView } from './ObjectDetail';
import { S3Listing } from './S3Listing';

export function S3View(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const source = model.s3.source;
  const location = model.s3.location;
  const [bucket, setBucket] = React.useState('');
  const [filter, setFilter] = React.useState(model.s3.filter);
  const timer = React.useRef<number | null>(null);
  React.useEffect(
    () => setFilter(model.s3.filter),
    [model.s3.filter, location]
  );
  React.useEffect(() => {
    if (model.s3.sources === null && !model.s3.sourcesError) {
      void model.s3.loadSources();
    }
    return () => {
      if (timer.current !== null) {
        window.clearTimeout(timer.current);
      }
    };
  }, []);

  const applyFilter = (value: string) => {
    if (timer.current !== null) {
      window.clearTimeout(timer.current);
      timer.current = null;
    }
    if (value !== model.s3.filter) {
      void model.s3.setFilter(value);
    }
  };

  return (
    <div className="cs-S3View">
      {model.s3.sourcesError ? (
        <DataErrorView
          error={model.s3.sourcesError}
          trans={trans}
          onRetry={() => void model.s3.loadSources()}
        />
      ) : null}
      {model.s3.sources === null ? (
        model.s3.sourcesError ? null : (
          <Loading label={trans.__('Loading S3 sources…')} />
        )
      ) : (
        <label className="cs-DataForm-field">
          <span>{trans.__('Source')}</span>
          <select
            className="jp-mod-styled cs-DataForm-input cs-S3View-source"
            value={model.s3.sourceId}
            onChange={event => void model.s3.selectSource(event.target.value)}
          >
            <option value="" disabled>
              {trans.__('Choose a source…')}
            </option>
            {model.s3.sources.map(s => (
              <option key={s.id} value={s.id} title={s.description}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {source && source.bucket === null ? (
        <form
          className="cs-DataForm-row cs-S3View-bucketForm"
          onSubmit={event => {
            event.preventDefault();
            if (bucket.trim()) {
              void model.s3.browse(bucket.trim(), source.prefix);
            }
          }}
        >
          <input
            type="text"
            className="jp-mod-styled cs-DataForm-input cs-S3View-bucket"
            placeholder={trans.__('Bucket name')}
            aria-label={trans.__('Bucket name')}
            value={bucket}
            onChange={event => setBucket(event.target.value)}
          />
          <button
            type="submit"
            className="jp-Button jp-mod-styled jp-mod-accept cs-S3View-openBucket"
            disabled={!bucket.trim()}
          >
            {trans.__('Open')}
          </button>
        </form>
      ) : null}
      {source ? (
        <div className="cs-S3View-sourceDescription">{source.description}</div>
      ) : null}
      {location ? (
        <>
          <nav
            className="cs-S3View-breadcrumbs"
            aria-label={trans.__('S3 path')}
          >
            {breadcrumbs(
              location.folder,
              location.bucket,
              source?.bucket === location.bucket ? source.prefix : ''
            ).map((crumb, i, all) => (
              <React.Fragment key={crumb.prefix}>
                {i > 0 ? (
                  <span className="cs-S3View-crumbSep" aria-hidden="true">
                    /
                  </span>
                ) : null}
                <button
                  type="button"
                  className="cs-S3View-crumb"
                  data-prefix={crumb.prefix}
                  aria-current={i === all.length - 1 ? 'location' : undefined}
                  onClick={() => void model.s3.openFolder(crumb.prefix)}
                >
                  {crumb.label}
                </button>
              </React.Fragment>
            ))}
          </nav>
          <input
            type="search"
            className="jp-mod-styled cs-DataForm-input cs-S3View-filter"
            placeholder={trans.__('Filter by prefix')}
            aria-label={trans.__('Filter by prefix')}
            value={filter}
            onChange={event => {
              const value = event.target.value;
              setFilter(value);
              if (timer.current !== null) {
                window.clearTimeout(timer.current);
              }
              timer.current = window.setTimeout(() => applyFilter(value), 400);
            }}
            onKeyDown={event => {
              if (event.key === 'Enter') {
                applyFilter(filter);
              }
            }}
          />
          <S3Listing model={model} trans={trans} />
          <ObjectDetailView model={model} trans={trans} />
        </>
      ) : model.s3.sources !== null && !source ? (
        <EmptyState title={trans.__('Browse S3')}>
          {trans.__(
            'Choose a bucket source: public datasets, your scratch and persistent buckets, or NASA DAAC buckets with your Earthdata Login.'
          )}
        </EmptyState>
      ) : null}
    </div>
  );
}

import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { EmptyState, Loading } from '@cloudscapes/core';

import type { EarthdataModel } from '../model';
import { DaacRow } from './daacRow';
import { EarthdataError } from './earthdataError';

/**
 * The DAACs' temporary S3 credentials: status, countdown, refresh, AWS profile.
 */
export function DaacList(props: {
  model: EarthdataModel;
  trans: TranslationBundle;
  now: number;
  onWriteProfiles: () => void;
}): JSX.Element {
  const { model, trans, now } = props;
  const rows = model.credentials === null ? null : model.shownCredentials;
  return (
    <section
      className="cs-EarthdataDaacs"
      aria-label={trans.__('S3 credentials by DAAC')}
    >
      <h3 className="cs-EarthdataPanel-subtitle">
        {trans.__('S3 credentials by DAAC')}
      </h3>
      {model.credentialsError ? (
        <EarthdataError error={model.credentialsError} trans={trans} />
      ) : null}
      {rows === null ? (
        model.credentialsError ? null : (
          <Loading label={trans.__('Loading DAACs…')} />
        )
      ) : rows.length === 0 ? (
        <EmptyState title={trans.__('No DAACs')}>
          {model.settings.daacs.length > 0
            ? trans.__(
                'None of the DAACs in your settings (%1) is known to this server.',
                model.settings.daacs.join(', ')
              )
            : trans.__('This server lists no DAACs.')}
        </EmptyState>
      ) : (
        <ul className="cs-EarthdataDaacs-list">
          {rows.map(row => (
            <DaacRow
              key={row.daac}
              row={row}
              trans={trans}
              now={now}
              busy={model.daacBusy(row.daac)}
              error={model.daacError(row.daac)}
              onRefresh={() =>
                void model.refreshDaac(row.daac).catch(() => undefined)
              }
            />
          ))}
        </ul>
      )}
      {rows && rows.length > 0 ? (
        <div className="cs-EarthdataDaacs-profiles">
          <button
            className="jp-Button jp-mod-styled jp-mod-accept cs-EarthdataDaacs-setup"
            disabled={model.busy}
            onClick={props.onWriteProfiles}
            title={trans.__(
              'Write earthdata-<daac> profiles into ~/.aws/config; boto3, s3fs and Dask workers then read S3 with them.'
            )}
          >
            {trans.__('Set up AWS profiles')}
          </button>
          {model.profilesError ? (
            <EarthdataError error={model.profilesError} trans={trans} />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

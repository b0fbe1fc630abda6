import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { CloudscapesRequestError } from '@cloudscapes/core';

import { absoluteTime, daacStatusText, expiryLevel } from '../format';
import type { DaacCredentials } from '../model';
import { EarthdataError } from './earthdataError';

/**
 * DAAC credentials expiring sooner than this are shown in warning colours.
 */
const DAAC_SOON_SECONDS = 10 * 60;

export function DaacRow(props: {
  row: DaacCredentials;
  trans: TranslationBundle;
  now: number;
  busy: boolean;
  error: CloudscapesRequestError | null;
  onRefresh: () => void;
}): JSX.Element {
  const { row, trans, now } = props;
  const name = row.daac.toUpperCase();
  const level =
    row.status === 'error' || props.error
      ? 'error'
      : row.status === 'none'
        ? 'none'
        : expiryLevel(row.expiration, DAAC_SOON_SECONDS, now);
  const serverError = row.error?.error ?? null;
  const error =
    props.error ??
    (serverError
      ? new CloudscapesRequestError(
          0,
          serverError.code,
          serverError.message,
          serverError.hint
        )
      : null);
  return (
    <li
      className="cs-EarthdataDaac"
      data-daac={row.daac}
      data-status={row.status}
    >
      <div className="cs-EarthdataDaac-head">
        <span className="cs-EarthdataDaac-name" title={row.endpoint}>
          {name}
        </span>
        <button
          className="jp-Button jp-mod-styled cs-EarthdataDaac-refresh"
          disabled={props.busy}
          aria-label={trans.__('Refresh %1 S3 credentials', name)}
          onClick={props.onRefresh}
        >
          {props.busy ? trans.__('Refreshing…') : trans.__('Refresh')}
        </button>
      </div>
      <div
        className={`cs-EarthdataDaac-status cs-mod-${level}`}
        title={row.expiration ? absoluteTime(row.expiration) : undefined}
      >
        {props.error ? trans.__('failed') : daacStatusText(row, trans, now)}
      </div>
      <div
        className={`cs-EarthdataDaac-profile${row.profile ? ' cs-mod-present' : ''}`}
      >
        {row.profile
          ? trans.__('AWS profile %1', row.profile)
          : trans.__('No AWS profile yet (earthdata-%1)', row.daac)}
      </div>
      {error ? <EarthdataError error={error} trans={trans} /> : null}
    </li>
  );
}

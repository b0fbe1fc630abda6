import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { RegionBadge, regionState } from '@cloudscapes/core';

/**
 * "In region: S3 links" / "Out of region: HTTPS links" / "Region unknown":
 * what the inserted code reads the data with.
 */
export function DataRegionBadge(props: {
  inRegion: boolean | null;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const state = regionState(props.inRegion);
  const [text, title] =
    state === 'in'
      ? [
          trans.__('In region: S3 links'),
          trans.__(
            'This server runs in the archive’s AWS region: inserted code reads data directly from S3.'
          )
        ]
      : state === 'out'
        ? [
            trans.__('Out of region: HTTPS links'),
            trans.__(
              'This server runs outside the archive’s AWS region: inserted code reads data over HTTPS.'
            )
          ]
        : [
            trans.__('Region unknown'),
            trans.__(
              'Whether this server can read the archive’s S3 buckets directly is not known; inserted code uses HTTPS.'
            )
          ];
  return (
    <RegionBadge
      state={state}
      text={text}
      title={title}
      label={title}
      className="cs-DataBrowser-region"
    />
  );
}

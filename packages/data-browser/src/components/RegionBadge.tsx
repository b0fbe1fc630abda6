import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { REGION_TONE } from '@cloudscapes/core';

/**
 * "In region: S3 links" / "Out of region: HTTPS links" / "Region unknown".
 */
export function RegionBadge(props: {
  inRegion: boolean | null;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const [mod, text, title] =
    props.inRegion === true
      ? [
          'in',
          trans.__('In region: S3 links'),
          trans.__(
            'This server runs in the archive’s AWS region: inserted code reads data directly from S3.'
          )
        ]
      : props.inRegion === false
        ? [
            'out',
            trans.__('Out of region: HTTPS links'),
            trans.__(
              'This server runs outside the archive’s AWS region: inserted code reads data over HTTPS.'
            )
          ]
        : [
            'unknown',
            trans.__('Region unknown'),
            trans.__(
              'Whether this server can read the archive’s S3 buckets directly is not known; inserted code uses HTTPS.'
            )
          ];
  return (
    <span
      className={`cs-Badge cs-data-region cs-mod-${mod}`}
      data-tone={REGION_TONE[mod]}
      title={title}
      aria-label={title}
      role="status"
    >
      {text}
    </span>
  );
}

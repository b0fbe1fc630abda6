import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { RegionBadge } from '@cloudscapes/core';

import { regionBadge } from '../format';
import type { Region } from '../model';

/**
 * "In us-west-2 (direct S3 access)" / "Outside us-west-2: use HTTPS links" /
 * "Region unknown", with how that is known in its title and label.
 */
export function EarthdataRegion(props: {
  region: Region | null;
  trans: TranslationBundle;
}): JSX.Element {
  const badge = regionBadge(props.region, props.trans);
  return (
    <RegionBadge
      state={badge.state}
      text={badge.text}
      title={badge.title}
      className="cs-EarthdataPanel-region"
    />
  );
}

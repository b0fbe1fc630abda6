import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ProgressBar } from '@cloudscapes/core';
import type { Usage } from '@cloudscapes/core';

import { formatBytePair, formatBytes } from '../format';
import type { IUsageSettings } from '../model';
import {
  diskFraction,
  level,
  memoryFraction,
  thresholdsFor
} from '../thresholds';

/**
 * Memory, CPU and disk as bars, coloured at the warning thresholds.
 */
export function Resources(props: {
  usage: Usage;
  settings: IUsageSettings;
  trans: TranslationBundle;
}): JSX.Element {
  const { usage, trans } = props;
  const thresholds = thresholdsFor(usage, props.settings);
  const memory = memoryFraction(usage);
  const disk = diskFraction(usage);
  const cores = usage.cpu.limit;
  const cpu = cores > 0 ? usage.cpu.percent / (cores * 100) : 0;
  return (
    <>
      <div className="cs-UsagePanel-meter">
        <span>{trans.__('Memory')}</span>
        <span>{formatBytePair(usage.memory.used, usage.memory.limit)}</span>
      </div>
      <ProgressBar
        value={memory}
        label={trans.__('Memory')}
        valueText={trans.__(
          '%1 of %2',
          formatBytes(usage.memory.used),
          formatBytes(usage.memory.limit)
        )}
        level={level(memory, thresholds.memory)}
      />
      <div className="cs-UsagePanel-meter">
        <span>{trans.__('CPU')}</span>
        <span>
          {trans.__(
            '%1% of %2 cores',
            Math.round(cpu * 100),
            String(Number(cores.toFixed(2)))
          )}
        </span>
      </div>
      <ProgressBar
        value={cpu}
        label={trans.__('CPU')}
        valueText={trans.__('%1% of %2 cores', Math.round(cpu * 100), cores)}
        level={cpu >= 0.95 ? 'warn' : 'normal'}
      />
      <div className="cs-UsagePanel-meter">
        <span title={usage.disk.path}>{trans.__('Disk')}</span>
        <span>{formatBytePair(usage.disk.used, usage.disk.total)}</span>
      </div>
      <ProgressBar
        value={disk}
        label={trans.__('Disk (%1)', usage.disk.path)}
        valueText={trans.__(
          '%1 of %2',
          formatBytes(usage.disk.used),
          formatBytes(usage.disk.total)
        )}
        level={level(disk, thresholds.disk)}
      />
    </>
  );
}

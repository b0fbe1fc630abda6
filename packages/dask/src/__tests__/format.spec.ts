import { nullTranslator } from '@jupyterlab/translation';

import {
  clusterCostText,
  formatBytes,
  formatCores,
  formatDuration,
  formatMoney,
  idleText,
  totalCostText,
  workersText
} from '../format';
import { cluster } from './fixture';

const trans = nullTranslator.load('cloudscapes');
const GiB = 1024 ** 3;

describe('formatting', () => {
  it('formats memory in binary units, as Dask does', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(4 * GiB)).toBe('4 GiB');
    expect(formatBytes(7.45 * GiB)).toBe('7.5 GiB');
    expect(formatBytes(250 * GiB)).toBe('250 GiB');
    expect(formatBytes(2 * 1024 * GiB)).toBe('2 TiB');
  });

  it('formats cores and durations compactly', () => {
    expect(formatCores(4)).toBe('4');
    expect(formatCores(0.5)).toBe('0.5');
    expect(formatCores(2.9999)).toBe('3');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(1800)).toBe('30m');
    expect(formatDuration(5400)).toBe('1h 30m');
    expect(formatDuration(2 * 86400 + 4 * 3600)).toBe('2d 4h');
  });

  it('formats money with the currency, keeping sub-cent rates visible', () => {
    expect(formatMoney(0.42, 'USD')).toBe('$0.42');
    expect(formatMoney(1.2, 'EUR')).toBe('€1.20');
    expect(formatMoney(0.004, 'USD')).toBe('$0.004');
  });

  it('says what a cluster costs per hour', () => {
    expect(clusterCostText(cluster({ cost_per_hour: 0.42 }), trans)).toBe(
      '$0.42 per hour'
    );
    expect(clusterCostText(cluster({ cost_per_hour: 0 }), trans)).toBe(
      'included in server'
    );
    expect(
      clusterCostText(
        cluster({ backend: 'gateway', cost_per_hour: null }),
        trans
      )
    ).toBe('price not set');
    expect(
      clusterCostText(
        cluster({ backend: 'gateway', cost_per_hour: 0, currency: 'EUR' }),
        trans
      )
    ).toBe('€0.00 per hour');
  });

  it('says what all running clusters cost per hour', () => {
    expect(totalCostText(1.2, 'USD', trans)).toBe('$1.20 per hour');
    expect(totalCostText(0, 'USD', trans)).toBe('included in server');
    expect(totalCostText(null, 'USD', trans)).toBe('price not set');
  });

  it('counts workers, saying when they are still joining or leaving', () => {
    const text = (overrides: Parameters<typeof cluster>[0]) =>
      workersText(cluster(overrides), trans);
    expect(text({ workers: 2, requested_workers: 2 })).toBe('2 workers');
    expect(text({ workers: 1, requested_workers: 1 })).toBe('1 worker');
    expect(text({ workers: 1, requested_workers: 2 })).toBe('1 of 2 workers');
    expect(text({ workers: 0, requested_workers: 1 })).toBe('0 of 1 worker');
    expect(text({ workers: 3, requested_workers: 1 })).toBe(
      '3 workers, scaling down to 1'
    );
    expect(
      text({
        workers: 3,
        requested_workers: null,
        adapt: { minimum: 1, maximum: 10 }
      })
    ).toBe('3 workers (adaptive, 1–10)');
    expect(text({ workers: null, requested_workers: 4 })).toBe(
      '4 workers requested'
    );
    expect(text({ workers: null, requested_workers: null })).toBe(
      'workers unknown'
    );
  });

  it('says when an idle cluster shuts itself down', () => {
    expect(idleText(1800, trans)).toBe('after 30m without work');
    expect(idleText(null, trans)).toBe('none');
    expect(idleText(0, trans)).toBe('none');
  });
});

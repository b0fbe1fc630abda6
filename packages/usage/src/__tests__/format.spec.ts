import { nullTranslator } from '@jupyterlab/translation';

import {
  compactText,
  cullWindowText,
  formatBytePair,
  formatBytes,
  formatDuration,
  formatMoney,
  minutesUntilCull
} from '../format';
import { makeUsage } from './fixture';

const trans = nullTranslator.load('cloudscapes');
const ALL = {
  showCost: true,
  showMemory: true,
  showIdle: true,
  currencyDisplay: 'symbol' as const
};

describe('formatting', () => {
  it('formats bytes in SI units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(2.14e9)).toBe('2.1 GB');
    expect(formatBytes(250e9)).toBe('250 GB');
  });

  it('formats used/limit pairs in the unit of the limit', () => {
    expect(formatBytePair(2.1e9, 8e9)).toBe('2.1/8 GB');
    expect(formatBytePair(512e6, 8e9)).toBe('0.5/8 GB');
    expect(formatBytePair(120e9, 500e9)).toBe('120/500 GB');
  });

  it('formats money with the chosen currency display', () => {
    expect(formatMoney(0.42, 'USD')).toBe('$0.42');
    expect(formatMoney(12, 'EUR')).toBe('€12.00');
    expect(formatMoney(0.42, 'USD', 'code')).toMatch(/^USD\s0\.42$/);
    expect(formatMoney(0.42, 'USD', 'name')).toBe('0.42 US dollars');
    // sub-cent amounts stay visible
    expect(formatMoney(0.0042, 'USD')).toBe('$0.0042');
    expect(formatMoney(0, 'USD')).toBe('$0.00');
  });

  it('formats durations compactly', () => {
    expect(formatDuration(-5)).toBe('0s');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(720)).toBe('12m');
    expect(formatDuration(3600)).toBe('1h');
    expect(formatDuration(11100)).toBe('3h 5m');
    expect(formatDuration(2 * 86400 + 4 * 3600 + 59)).toBe('2d 4h');
  });

  it('describes the cull window relative to the last activity', () => {
    const usage = makeUsage();
    expect(cullWindowText(usage.activity, trans)).toBe(
      'about 55–70 minutes after your last activity'
    );
    const none = makeUsage();
    none.activity = {
      ...none.activity,
      cull_window: null,
      cull_timeout_seconds: null
    };
    expect(cullWindowText(none.activity, trans)).toBe(
      'No idle culler is configured for this server.'
    );
  });

  it('counts minutes until the cull window opens', () => {
    const usage = makeUsage();
    expect(minutesUntilCull(usage, Date.parse('2026-11-21T12:32:30Z'))).toBe(
      10
    );
    expect(minutesUntilCull(usage, Date.parse('2026-11-21T12:52:30Z'))).toBe(
      -10
    );
  });

  it('builds the compact status text from the chosen parts', () => {
    const usage = makeUsage();
    expect(compactText(usage, ALL, trans)).toBe(
      '$0.42 · 2.1/8 GB · inactive 12m'
    );
    expect(compactText(usage, { ...ALL, showCost: false }, trans)).toBe(
      '2.1/8 GB · inactive 12m'
    );
    expect(
      compactText(
        usage,
        { ...ALL, showIdle: false, currencyDisplay: 'code' },
        trans
      )
    ).toMatch(/^USD\s0\.42 · 2\.1\/8 GB$/);
    const unpriced = makeUsage({
      cost: { ...usage.cost, rate_per_hour: null, accrued: null }
    });
    expect(compactText(unpriced, ALL, trans)).toBe('2.1/8 GB · inactive 12m');
  });
});

import { nullTranslator } from '@jupyterlab/translation';

import {
  absoluteTime,
  countdown,
  daacStatusText,
  displayName,
  expiryLevel,
  formatSpan,
  methodText,
  regionBadge,
  relativeTime,
  storageText
} from '../format';
import { daac, region } from './fixture';

const trans = nullTranslator.load('cloudscapes');
const NOW = Date.parse('2026-11-21T12:00:00Z');
const MIN = 60;
const HOUR = 3600;
const DAY = 86400;

function at(seconds: number): string {
  return new Date(NOW + seconds * 1000).toISOString();
}

describe('expiry formatting', () => {
  it('formats spans, rounding down', () => {
    expect(formatSpan(-3, trans)).toBe('less than a minute');
    expect(formatSpan(59, trans)).toBe('less than a minute');
    expect(formatSpan(42 * MIN + 59, trans)).toBe('42 min');
    expect(formatSpan(3 * HOUR, trans)).toBe('3 h');
    expect(formatSpan(3 * HOUR + 5 * MIN, trans)).toBe('3 h 5 min');
    expect(formatSpan(47 * HOUR, trans)).toBe('47 h');
    expect(formatSpan(2 * DAY, trans)).toBe('2 days');
    expect(formatSpan(59 * DAY + 23 * HOUR, trans)).toBe('59 days');
  });

  it('says when a token expires relative to now', () => {
    expect(relativeTime(at(59 * DAY + 10), trans, NOW)).toBe('in 59 days');
    expect(relativeTime(at(-2 * HOUR), trans, NOW)).toBe('2 h ago');
    expect(relativeTime(null, trans, NOW)).toBe('unknown');
    expect(relativeTime('not a date', trans, NOW)).toBe('unknown');
  });

  it('counts down DAAC credentials', () => {
    expect(countdown(at(42 * MIN + 30), trans, NOW)).toBe('expires in 42 min');
    expect(countdown(at(20), trans, NOW)).toBe('expires in less than a minute');
    expect(countdown(at(-5 * MIN), trans, NOW)).toBe('expired 5 min ago');
    expect(countdown(null, trans, NOW)).toBe('expiry unknown');
  });

  it('grades expiry for colours', () => {
    expect(expiryLevel(at(42 * MIN), 600, NOW)).toBe('ok');
    expect(expiryLevel(at(5 * MIN), 600, NOW)).toBe('soon');
    expect(expiryLevel(at(-1), 600, NOW)).toBe('expired');
    expect(expiryLevel(null, 600, NOW)).toBe('unknown');
  });

  it('shows the absolute date in the given locale and zone', () => {
    expect(
      absoluteTime('2027-01-19T11:30:00Z', 'en-US', 'UTC').replace(/\s/g, ' ')
    ).toBe('Jan 19, 2027, 11:30 AM');
  });

  it('describes each DAAC status', () => {
    const row = daac({ expiration: at(42 * MIN + 1) });
    expect(daacStatusText(row, trans, NOW)).toBe('expires in 42 min');
    expect(
      daacStatusText(
        { ...row, status: 'expired', expiration: at(-90) },
        trans,
        NOW
      )
    ).toBe('expired 1 min ago');
    expect(
      daacStatusText({ ...row, status: 'none', expiration: null }, trans, NOW)
    ).toBe('not fetched yet');
    expect(daacStatusText({ ...row, status: 'error' }, trans, NOW)).toBe(
      'failed'
    );
  });
});

describe('session wording', () => {
  it('names the user, else the uid', () => {
    expect(
      displayName({
        uid: 'alovelace',
        first_name: 'Ada',
        last_name: 'Lovelace'
      })
    ).toBe('Ada Lovelace');
    expect(displayName({ uid: 'alovelace', first_name: null })).toBe(
      'alovelace'
    );
    expect(displayName(null)).toBe('');
  });

  it('says where the credentials live', () => {
    expect(
      storageText({ stored_in: ['memory'], netrc_path: null }, trans)
    ).toEqual(["only in this server's memory (until it restarts)"]);
    expect(
      storageText(
        { stored_in: ['netrc', 'state'], netrc_path: '/home/jovyan/.netrc' },
        trans
      )
    ).toEqual(['~/.netrc (/home/jovyan/.netrc)', "Cloudscapes' token file"]);
  });

  it('says how the user signed in', () => {
    expect(methodText('env_token', trans)).toBe('EARTHDATA_TOKEN');
    expect(methodText('netrc', trans)).toBe('your ~/.netrc entry');
    expect(methodText(null, trans)).toBe('unknown');
  });
});

describe('region badge', () => {
  it('in region, with the source in the title', () => {
    const badge = regionBadge(region(), trans);
    expect(badge.text).toBe('In us-west-2 (direct S3 access)');
    expect(badge.state).toBe('in');
    expect(badge.title).toContain('instance metadata');
  });

  it('outside the region', () => {
    const badge = regionBadge(
      region({ in_region: false, region: 'eu-west-1', source: 'env' }),
      trans
    );
    expect(badge.text).toBe('Outside us-west-2: use HTTPS links');
    expect(badge.state).toBe('out');
    expect(badge.title).toContain('eu-west-1');
    expect(badge.title).toContain('environment variable');
  });

  it('unknown, also without an answer', () => {
    const badge = regionBadge(
      region({ in_region: null, region: null, source: 'unknown' }),
      trans
    );
    expect(badge.text).toBe('Region unknown');
    expect(badge.title).toContain('unknown');
    expect(regionBadge(null, trans).text).toBe('Region unknown');
    expect(regionBadge(region({ source: 'config' }), trans).title).toContain(
      'admin setting'
    );
  });
});

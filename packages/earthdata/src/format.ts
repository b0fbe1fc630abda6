/**
 * Formatting of Earthdata facts for people: how long until a token or a DAAC's
 * S3 credentials expire, where the credentials live, the region badge.
 * Pure functions, so they are unit-tested without a server.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { EarthdataComponents } from '@cloudscapes/core';

type Session = EarthdataComponents['schemas']['Session'];
type Region = EarthdataComponents['schemas']['Region'];
type DaacCredentials = EarthdataComponents['schemas']['DaacCredentials'];

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A length of time in words, rounded down to what matters: "less than a
 * minute", "42 min", "3 h 5 min", "59 days".
 */
export function formatSpan(seconds: number, trans: TranslationBundle): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < MINUTE) {
    return trans.__('less than a minute');
  }
  if (s < HOUR) {
    return trans.__('%1 min', Math.floor(s / MINUTE));
  }
  if (s < 2 * DAY) {
    const hours = Math.floor(s / HOUR);
    const minutes = Math.floor((s % HOUR) / MINUTE);
    return minutes > 0
      ? trans.__('%1 h %2 min', hours, minutes)
      : trans.__('%1 h', hours);
  }
  const days = Math.floor(s / DAY);
  return trans._n('%1 day', '%1 days', days);
}

/**
 * Seconds from `now` until `iso` (negative when past), or `null` without a time.
 */
export function secondsUntil(
  iso: string | null | undefined,
  now: number = Date.now()
): number | null {
  if (!iso) {
    return null;
  }
  const at = Date.parse(iso);
  if (Number.isNaN(at)) {
    return null;
  }
  return (at - now) / 1000;
}

/**
 * "in 59 days" / "3 h ago" / "unknown".
 */
export function relativeTime(
  iso: string | null | undefined,
  trans: TranslationBundle,
  now: number = Date.now()
): string {
  const seconds = secondsUntil(iso, now);
  if (seconds === null) {
    return trans.__('unknown');
  }
  return seconds >= 0
    ? trans.__('in %1', formatSpan(seconds, trans))
    : trans.__('%1 ago', formatSpan(-seconds, trans));
}

/**
 * A countdown for temporary credentials: "expires in 42 min", "expired 5 min ago".
 */
export function countdown(
  iso: string | null | undefined,
  trans: TranslationBundle,
  now: number = Date.now()
): string {
  const seconds = secondsUntil(iso, now);
  if (seconds === null) {
    return trans.__('expiry unknown');
  }
  return seconds > 0
    ? trans.__('expires in %1', formatSpan(seconds, trans))
    : trans.__('expired %1 ago', formatSpan(-seconds, trans));
}

/**
 * The absolute date and time, in the user's locale and time zone.
 */
export function absoluteTime(
  iso: string,
  locale?: string,
  timeZone?: string
): string {
  return new Date(iso).toLocaleString(locale ?? [], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone
  });
}

/**
 * How soon expiry matters: 'expired', 'soon' (under `soonSeconds`) or 'ok'.
 */
export function expiryLevel(
  iso: string | null | undefined,
  soonSeconds: number,
  now: number = Date.now()
): 'ok' | 'soon' | 'expired' | 'unknown' {
  const seconds = secondsUntil(iso, now);
  if (seconds === null) {
    return 'unknown';
  }
  if (seconds <= 0) {
    return 'expired';
  }
  return seconds < soonSeconds ? 'soon' : 'ok';
}

/**
 * The user's name from the EDL profile ("Ada Lovelace"), else the uid.
 */
export function displayName(profile: Session['profile']): string {
  if (!profile) {
    return '';
  }
  const name = [profile.first_name, profile.last_name]
    .filter(part => !!part && part.trim())
    .join(' ')
    .trim();
  return name || profile.uid;
}

/**
 * Where the credentials live, one phrase per place.
 */
export function storageText(
  session: Pick<Session, 'stored_in' | 'netrc_path'>,
  trans: TranslationBundle
): string[] {
  return session.stored_in.map(place => {
    switch (place) {
      case 'memory':
        return trans.__("only in this server's memory (until it restarts)");
      case 'netrc':
        return session.netrc_path
          ? trans.__('~/.netrc (%1)', session.netrc_path)
          : trans.__('~/.netrc');
      case 'state':
        return trans.__("Cloudscapes' token file");
      default:
        return String(place);
    }
  });
}

/**
 * How the user signed in, in words.
 */
export function methodText(
  method: Session['method'],
  trans: TranslationBundle
): string {
  switch (method) {
    case 'password':
      return trans.__('username and password');
    case 'token':
      return trans.__('a pasted token');
    case 'env_token':
      return trans.__('EARTHDATA_TOKEN');
    case 'env_password':
      return trans.__('EARTHDATA_USERNAME/PASSWORD');
    case 'netrc':
      return trans.__('your ~/.netrc entry');
    default:
      return trans.__('unknown');
  }
}

/**
 * The region badge: its text, its level (for colour) and its longer title.
 */
export function regionBadge(
  region: Region | null,
  trans: TranslationBundle
): { text: string; title: string; state: 'in' | 'out' | 'unknown' } {
  const archive = region?.archive_region || 'us-west-2';
  const source = regionSourceText(region?.source ?? 'unknown', trans);
  if (!region || region.in_region === null) {
    return {
      text: trans.__('Region unknown'),
      title: trans.__(
        'Whether this server runs in %1 is unknown (source: %2). HTTPS links always work; direct S3 access works only in %1.',
        archive,
        source
      ),
      state: 'unknown'
    };
  }
  const where = region.region ?? trans.__('unknown region');
  if (region.in_region) {
    return {
      text: trans.__('In %1 (direct S3 access)', archive),
      title: trans.__(
        'This server runs in %1 (source: %2): read Earthdata from S3 directly.',
        where,
        source
      ),
      state: 'in'
    };
  }
  return {
    text: trans.__('Outside %1: use HTTPS links', archive),
    title: trans.__(
      'This server runs in %1, not %2 (source: %3): DAAC S3 credentials only work in %2, so use HTTPS links.',
      where,
      archive,
      source
    ),
    state: 'out'
  };
}

/**
 * How the server knows its region, in words.
 */
export function regionSourceText(
  source: Region['source'],
  trans: TranslationBundle
): string {
  switch (source) {
    case 'config':
      return trans.__('admin setting');
    case 'env':
      return trans.__('environment variable');
    case 'imds':
      return trans.__('instance metadata');
    default:
      return trans.__('unknown');
  }
}

/**
 * The status of one DAAC's S3 credentials, in words.
 */
export function daacStatusText(
  row: DaacCredentials,
  trans: TranslationBundle,
  now: number = Date.now()
): string {
  switch (row.status) {
    case 'valid':
      return countdown(row.expiration, trans, now);
    case 'expired':
      return row.expiration
        ? countdown(row.expiration, trans, now)
        : trans.__('expired');
    case 'error':
      return trans.__('failed');
    default:
      return trans.__('not fetched yet');
  }
}

import type { DaacCredentials, Region, Session } from '../model';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

/**
 * An ISO time `ms` from now (a little extra so floors are stable while a test runs).
 */
export function fromNow(ms: number): string {
  return new Date(Date.now() + ms + (ms >= 0 ? 30 * 1000 : -30 * 1000))
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * A signed-out session as the server answers it; tests override parts.
 */
export function signedOut(overrides: Partial<Session> = {}): Session {
  return {
    signed_in: false,
    environment: 'prod',
    environments: ['prod'],
    edl_host: 'urs.earthdata.nasa.gov',
    method: null,
    remember: false,
    remember_default: true,
    stored_in: [],
    netrc_path: null,
    profile: null,
    token_expires: null,
    can_renew: false,
    sources: [],
    ...overrides
  };
}

/**
 * A signed-in session (password, remembered in ~/.netrc and the token file).
 */
export function signedIn(overrides: Partial<Session> = {}): Session {
  return {
    ...signedOut(),
    signed_in: true,
    method: 'password',
    remember: true,
    stored_in: ['netrc', 'state'],
    netrc_path: '/home/jovyan/.netrc',
    profile: {
      uid: 'alovelace',
      first_name: 'Ada',
      last_name: 'Lovelace',
      email_address: 'ada@example.org',
      affiliation: 'Analytical Engines Ltd'
    },
    token_expires: fromNow(59 * DAY),
    can_renew: true,
    ...overrides
  };
}

export function daac(
  overrides: Partial<DaacCredentials> = {}
): DaacCredentials {
  return {
    daac: 'nsidc',
    endpoint: 'https://data.nsidc.earthdatacloud.nasa.gov/s3credentials',
    status: 'valid',
    expiration: fromNow(42 * MINUTE),
    error: null,
    profile: 'earthdata-nsidc',
    ...overrides
  };
}

export function credentials(): DaacCredentials[] {
  return [
    daac(),
    daac({
      daac: 'podaac',
      endpoint: 'https://archive.podaac.earthdata.nasa.gov/s3credentials',
      status: 'none',
      expiration: null,
      profile: null
    }),
    daac({
      daac: 'lpdaac',
      endpoint: 'https://data.lpdaac.earthdatacloud.nasa.gov/s3credentials',
      status: 'error',
      expiration: null,
      profile: null,
      error: {
        error: {
          code: 'daac_eula_required',
          message:
            'LP DAAC needs you to accept its end-user license agreement.',
          hint: 'Accept it at https://urs.earthdata.nasa.gov/approve_app?client_id=abc, then click Refresh.'
        }
      }
    })
  ];
}

export function region(overrides: Partial<Region> = {}): Region {
  return {
    in_region: true,
    region: 'us-west-2',
    archive_region: 'us-west-2',
    source: 'imds',
    ...overrides
  };
}

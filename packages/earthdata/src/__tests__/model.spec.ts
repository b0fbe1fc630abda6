import { CloudscapesRequestError, requestAPI } from '@cloudscapes/core';

import { DEFAULT_SETTINGS, EarthdataModel } from '../model';
import { credentials, daac, signedIn, signedOut } from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

/**
 * Every string reachable from `value` (own fields, maps, sets, arrays).
 */
function strings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (!value || typeof value !== 'object' || seen.has(value)) {
    return [];
  }
  seen.add(value);
  const children =
    value instanceof Map
      ? [...value.keys(), ...value.values()]
      : value instanceof Set
        ? [...value]
        : Object.values(value);
  return children.flatMap(child => strings(child, seen));
}

describe('EarthdataModel', () => {
  beforeEach(() => request.mockReset());

  it('signs in, keeps the answer and not the password', async () => {
    const model = new EarthdataModel();
    model.setSession(signedOut());
    request.mockResolvedValueOnce(signedIn());
    const session = await model.signIn({
      username: 'alovelace',
      password: 'hunter2-secret',
      remember: true
    });
    expect(session.signed_in).toBe(true);
    expect(request).toHaveBeenCalledWith('earthdata/session', {
      method: 'POST',
      body: JSON.stringify({
        username: 'alovelace',
        password: 'hunter2-secret',
        remember: true
      })
    });
    expect(model.signedIn).toBe(true);
    expect(model.busy).toBe(false);
    expect(strings(model).some(s => s.includes('hunter2-secret'))).toBe(false);
    model.dispose();
  });

  it('records a refused sign-in with its code and hint', async () => {
    const model = new EarthdataModel();
    model.setSession(signedOut());
    const refused = new CloudscapesRequestError(
      401,
      'edl_invalid_credentials',
      'Earthdata Login refused the username or password.',
      'Repeated failures lock the account for 10 minutes.'
    );
    request.mockRejectedValueOnce(refused);
    await expect(
      model.signIn({ username: 'a', password: 'b', remember: false })
    ).rejects.toBe(refused);
    expect(model.error?.code).toBe('edl_invalid_credentials');
    expect(model.signedIn).toBe(false);
    expect(model.busy).toBe(false);
    model.dismissError();
    expect(model.error).toBeNull();
  });

  it('signs out with or without revoking', async () => {
    const model = new EarthdataModel();
    model.setSession(signedIn());
    model.setCredentials(credentials());
    request.mockResolvedValueOnce(signedOut());
    await model.signOut(true);
    expect(request).toHaveBeenCalledWith(
      'earthdata/session',
      { method: 'DELETE' },
      { params: { revoke: '1' } }
    );
    expect(model.signedIn).toBe(false);
    expect(model.credentials).toBeNull();
    request.mockResolvedValueOnce(signedOut());
    await model.signOut(false);
    expect(request).toHaveBeenLastCalledWith(
      'earthdata/session',
      { method: 'DELETE' },
      { params: { revoke: '0' } }
    );
  });

  it('renews the token', async () => {
    const model = new EarthdataModel();
    model.setSession(signedIn());
    const renewed = signedIn({ token_expires: '2027-03-01T00:00:00Z' });
    request.mockResolvedValueOnce(renewed);
    await model.renew();
    expect(request).toHaveBeenCalledWith('earthdata/session/renew', {
      method: 'POST'
    });
    expect(model.session?.token_expires).toBe('2027-03-01T00:00:00Z');
  });

  it('loads the session and the credentials without counting as activity', async () => {
    const model = new EarthdataModel();
    request.mockResolvedValueOnce(signedIn());
    await model.refresh();
    expect(request).toHaveBeenLastCalledWith(
      'earthdata/session',
      {},
      { track: false }
    );
    request.mockResolvedValueOnce({ daacs: credentials() });
    await model.refreshCredentials();
    expect(request).toHaveBeenLastCalledWith(
      'earthdata/credentials',
      {},
      { track: false }
    );
    expect(model.credentials).toHaveLength(3);
  });

  it('refreshes one DAAC, keeping a failure for its row', async () => {
    const model = new EarthdataModel();
    model.setSession(signedIn());
    model.setCredentials(credentials());
    const fresh = daac({ daac: 'podaac', profile: null });
    request.mockResolvedValueOnce(fresh);
    await model.refreshDaac('podaac');
    expect(request).toHaveBeenCalledWith('earthdata/credentials/podaac', {
      method: 'POST'
    });
    expect(model.credentials?.find(r => r.daac === 'podaac')?.status).toBe(
      'valid'
    );
    const eula = new CloudscapesRequestError(
      403,
      'daac_eula_required',
      'Accept the EULA.',
      'At https://urs.earthdata.nasa.gov/approve_app?client_id=x'
    );
    request.mockRejectedValueOnce(eula);
    await expect(model.refreshDaac('lpdaac')).rejects.toBe(eula);
    expect(model.daacError('lpdaac')?.code).toBe('daac_eula_required');
    expect(model.daacBusy('lpdaac')).toBe(false);
    expect(model.error).toBeNull();
  });

  it('writes AWS profiles for the shown DAACs', async () => {
    const model = new EarthdataModel({
      ...DEFAULT_SETTINGS,
      daacs: ['nsidc', 'podaac']
    });
    model.setSession(signedIn());
    model.setCredentials(credentials());
    request
      .mockResolvedValueOnce({
        path: '/home/jovyan/.aws/config',
        profiles: ['earthdata-nsidc', 'earthdata-podaac']
      })
      .mockResolvedValueOnce({ daacs: credentials() });
    const result = await model.writeProfiles();
    expect(result.path).toBe('/home/jovyan/.aws/config');
    expect(request).toHaveBeenNthCalledWith(1, 'earthdata/aws-profiles', {
      method: 'POST',
      body: JSON.stringify({ daacs: ['nsidc', 'podaac'] })
    });
    const notRemembered = new CloudscapesRequestError(
      409,
      'earthdata_not_remembered',
      'AWS profiles need a stored token.',
      'Sign in again with "Remember me on this server".'
    );
    request.mockRejectedValueOnce(notRemembered);
    await expect(model.writeProfiles()).rejects.toBe(notRemembered);
    expect(model.profilesError?.message).toBe(
      'AWS profiles need a stored token.'
    );
  });

  it('takes remember and environment defaults from settings, else the server', () => {
    const model = new EarthdataModel();
    expect(model.rememberDefault).toBe(false);
    model.setSession(signedOut({ remember_default: true }));
    expect(model.rememberDefault).toBe(true);
    model.settings = { ...DEFAULT_SETTINGS, remember: false };
    expect(model.rememberDefault).toBe(false);
    model.setSession(signedOut({ environments: ['prod', 'uat'] }));
    expect(model.environmentDefault).toBe('prod');
    model.settings = { ...DEFAULT_SETTINGS, environment: 'uat' };
    expect(model.environmentDefault).toBe('uat');
    model.settings = { ...DEFAULT_SETTINGS, environment: 'sit' };
    expect(model.environmentDefault).toBe('prod');
  });

  it('polls the credentials once signed in, and stops after signing out', async () => {
    const model = new EarthdataModel();
    request.mockImplementation(async (endPoint: string, init?: RequestInit) => {
      if (endPoint === 'earthdata/session') {
        return (init?.method === 'DELETE' ? signedOut() : signedIn()) as any;
      }
      if (endPoint === 'earthdata/region') {
        return {
          in_region: false,
          region: 'eu-west-1',
          archive_region: 'us-west-2',
          source: 'env'
        } as any;
      }
      if (endPoint === 'earthdata/credentials') {
        return { daacs: credentials() } as any;
      }
      throw new Error(`unexpected ${endPoint}`);
    });
    model.start();
    for (let i = 0; i < 50 && model.credentials === null; i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    expect(model.signedIn).toBe(true);
    expect(model.region?.in_region).toBe(false);
    expect(model.credentials).toHaveLength(3);
    expect(request).toHaveBeenCalledWith(
      'earthdata/credentials',
      {},
      { track: false }
    );
    await model.signOut(false);
    expect((model as any)._poll).toBeNull();
    model.dispose();
  });
});

describe('EarthdataModel.profiles', () => {
  it('lists existing profiles, working DAACs first', () => {
    const model = new EarthdataModel();
    model.setSession(signedIn());
    model.setCredentials([
      daac({ daac: 'lpdaac', status: 'error', profile: 'earthdata-lpdaac' }),
      daac({ daac: 'podaac', status: 'none', profile: 'earthdata-podaac' }),
      daac({ daac: 'ornldaac', status: 'valid', profile: null }),
      daac({ daac: 'nsidc', status: 'valid', profile: 'earthdata-nsidc' })
    ]);
    expect(model.profiles).toEqual([
      'earthdata-nsidc',
      'earthdata-podaac',
      'earthdata-lpdaac'
    ]);
  });
});

import { nullTranslator } from '@jupyterlab/translation';

import { CloudscapesRequestError } from '@cloudscapes/core';

import { DEFAULT_SETTINGS, EarthdataModel } from '../model';
import { EarthdataPanel, IPanelActions } from '../components/panel';
import { credentials, region, signedIn, signedOut } from './fixture';
import { attached, settle } from '../../../core/src/__tests__/render';

const trans = nullTranslator.load('cloudscapes');

function actions(): jest.Mocked<IPanelActions> {
  return {
    signOut: jest.fn(),
    renew: jest.fn(),
    writeProfiles: jest.fn()
  };
}

async function rendered(model: EarthdataModel, panelActions = actions()) {
  const panel = await attached(new EarthdataPanel(model, trans, panelActions));
  const $ = <T extends Element = HTMLElement>(selector: string) =>
    panel.node.querySelector(selector) as T;
  const $$ = <T extends Element = HTMLElement>(selector: string) =>
    Array.from(panel.node.querySelectorAll(selector)) as T[];
  return { panel, $, $$, actions: panelActions };
}

function submit(form: HTMLFormElement): void {
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

describe('EarthdataPanel while loading', () => {
  it('says it is checking, then offers a retry after a failure', async () => {
    const model = new EarthdataModel();
    const { panel, $ } = await rendered(model);
    expect($('.cs-Loading').textContent).toContain('Checking');
    (model as any)._error = new CloudscapesRequestError(
      0,
      'network_error',
      'The Jupyter server could not be reached.',
      'Reload the page.'
    );
    model.stateChanged.emit();
    await settle();
    expect($('.cs-ErrorBanner-message').textContent).toBe(
      'The Jupyter server could not be reached.'
    );
    expect($('.cs-EarthdataPanel-retry')).not.toBeNull();
    panel.dispose();
  });
});

describe('EarthdataPanel signed out', () => {
  it('shows the form with Password and Token tabs', async () => {
    const model = new EarthdataModel();
    model.setSession(signedOut());
    model.setRegion(region());
    const { panel, $, $$ } = await rendered(model);
    const tabs = $$('[role="tab"]');
    expect(tabs.map(t => t.textContent)).toEqual(['Password', 'Token']);
    expect(tabs[0].getAttribute('aria-selected')).toBe('true');
    expect(tabs[1].getAttribute('tabindex')).toBe('-1');
    expect($('input[name="username"]')).not.toBeNull();
    expect($<HTMLInputElement>('input[name="password"]').type).toBe('password');
    // the server's remember default (true) checks the box
    expect($<HTMLInputElement>('input[name="remember"]').checked).toBe(true);
    // one environment: no select
    expect($('select[name="environment"]')).toBeNull();
    // no sources detected: no buttons
    expect($('.cs-EarthdataSources')).toBeNull();
    expect($('.cs-EarthdataPanel-region').textContent).toBe(
      'In us-west-2 (direct S3 access)'
    );
    expect($('.cs-EarthdataPanel-region').getAttribute('aria-label')).toContain(
      'instance metadata'
    );
    panel.dispose();
  });

  it('switches tabs with a click and with arrow keys', async () => {
    const model = new EarthdataModel();
    model.setSession(signedOut());
    const { panel, $, $$ } = await rendered(model);
    $$('[role="tab"]')[1].click();
    await settle();
    expect($('input[name="token"]')).not.toBeNull();
    expect($('input[name="password"]')).toBeNull();
    const tab = $$('[role="tab"]')[1];
    expect(tab.getAttribute('aria-selected')).toBe('true');
    tab.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true })
    );
    await settle();
    expect($$('[role="tab"]')[0].getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe($$('[role="tab"]')[0]);
    expect($('input[name="password"]')).not.toBeNull();
    panel.dispose();
  });

  it('offers the credentials found on the server', async () => {
    const model = new EarthdataModel();
    model.setSession(
      signedOut({ sources: ['env_token', 'env_password', 'netrc'] })
    );
    const signIn = jest
      .spyOn(model, 'signIn')
      .mockResolvedValue(signedIn({ method: 'netrc' }));
    const { panel, $$ } = await rendered(model);
    const buttons = $$<HTMLButtonElement>('.cs-EarthdataSources-button');
    expect(buttons.map(b => b.textContent)).toEqual([
      'Use EARTHDATA_TOKEN',
      'Use EARTHDATA_USERNAME/PASSWORD',
      'Use my ~/.netrc entry'
    ]);
    buttons[2].click();
    expect(signIn).toHaveBeenCalledWith({ source: 'netrc', remember: true });
    panel.dispose();
  });

  it('submits the typed values and clears the password', async () => {
    const model = new EarthdataModel();
    model.setSession(signedOut({ remember_default: false }));
    const signIn = jest.spyOn(model, 'signIn').mockResolvedValue(signedIn());
    const { panel, $ } = await rendered(model);
    const user = $<HTMLInputElement>('input[name="username"]');
    const password = $<HTMLInputElement>('input[name="password"]');
    const remember = $<HTMLInputElement>('input[name="remember"]');
    expect(remember.checked).toBe(false);
    user.value = 'alovelace';
    password.value = 'correct horse battery staple';
    remember.click();
    await settle();
    submit($<HTMLFormElement>('form'));
    expect(signIn).toHaveBeenCalledTimes(1);
    expect(signIn).toHaveBeenCalledWith({
      username: 'alovelace',
      password: 'correct horse battery staple',
      remember: true
    });
    expect(password.value).toBe('');
    expect(user.value).toBe('alovelace');
    panel.dispose();
  });

  it('does not submit an empty password, and says what is missing', async () => {
    const model = new EarthdataModel();
    model.setSession(signedOut());
    const signIn = jest.spyOn(model, 'signIn').mockResolvedValue(signedIn());
    const { panel, $ } = await rendered(model);
    $<HTMLInputElement>('input[name="username"]').value = 'alovelace';
    submit($<HTMLFormElement>('form'));
    await settle();
    expect(signIn).not.toHaveBeenCalled();
    expect($('.cs-EarthdataForm-missing').textContent).toBe(
      'Enter your password.'
    );
    expect(document.activeElement).toBe($('input[name="password"]'));
    panel.dispose();
  });

  it('submits a pasted token with the chosen environment', async () => {
    const model = new EarthdataModel({ ...DEFAULT_SETTINGS, remember: false });
    model.setSession(
      signedOut({ environments: ['prod', 'uat'], remember_default: true })
    );
    const signIn = jest.spyOn(model, 'signIn').mockResolvedValue(signedIn());
    const { panel, $, $$ } = await rendered(model);
    $$('[role="tab"]')[1].click();
    await settle();
    const select = $<HTMLSelectElement>('select[name="environment"]');
    expect(Array.from(select.options).map(o => o.value)).toEqual([
      'prod',
      'uat'
    ]);
    expect(select.value).toBe('prod');
    select.value = 'uat';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    // the user's setting (false) wins over the server's default (true)
    expect($<HTMLInputElement>('input[name="remember"]').checked).toBe(false);
    const token = $<HTMLInputElement>('input[name="token"]');
    token.value = '  eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.c2ln \n';
    submit($<HTMLFormElement>('form'));
    expect(signIn).toHaveBeenCalledWith({
      token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.c2ln',
      remember: false,
      environment: 'uat'
    });
    expect(token.value).toBe('');
    panel.dispose();
  });

  it('preselects the environment from the settings', async () => {
    const model = new EarthdataModel({
      ...DEFAULT_SETTINGS,
      environment: 'uat'
    });
    model.setSession(signedOut({ environments: ['prod', 'uat'] }));
    const { panel, $ } = await rendered(model);
    expect($<HTMLSelectElement>('select[name="environment"]').value).toBe(
      'uat'
    );
    panel.dispose();
  });

  it('shows a lockout warning prominently after a refused password', async () => {
    const model = new EarthdataModel();
    model.setSession(signedOut());
    (model as any)._error = new CloudscapesRequestError(
      401,
      'edl_invalid_credentials',
      'Earthdata Login refused the username or password.',
      'Repeated failures lock the account for 10 minutes.'
    );
    const { panel, $ } = await rendered(model);
    const banner = $('.cs-ErrorBanner');
    expect(banner.dataset.code).toBe('edl_invalid_credentials');
    expect($('.cs-ErrorBanner-hint.cs-mod-prominent').textContent).toContain(
      '10 minutes'
    );
    (
      banner.querySelector('.cs-ErrorBanner-dismiss') as HTMLButtonElement
    ).click();
    await settle();
    expect($('.cs-ErrorBanner')).toBeNull();
    panel.dispose();
  });
});

describe('EarthdataPanel signed in', () => {
  it('shows the profile card and where the credentials live', async () => {
    const model = new EarthdataModel();
    model.setSession(signedIn());
    const { panel, $, actions } = await rendered(model);
    expect($('form')).toBeNull();
    expect($('.cs-EarthdataCard-name').textContent).toBe('Ada Lovelace');
    expect($('.cs-EarthdataCard-uid').textContent).toBe('alovelace');
    expect($('.cs-EarthdataCard-email').textContent).toBe('ada@example.org');
    expect($('.cs-EarthdataCard-affiliation').textContent).toBe(
      'Analytical Engines Ltd'
    );
    const storage = Array.from(
      $('.cs-EarthdataCard-storage').querySelectorAll('li')
    ).map(li => li.textContent);
    expect(storage).toEqual([
      '~/.netrc (/home/jovyan/.netrc)',
      "Cloudscapes' token file"
    ]);
    expect($('.cs-EarthdataCard-relative').textContent).toBe('in 59 days');
    expect($('.cs-EarthdataCard-absolute').textContent).toMatch(/\d{4}/);
    expect($('.cs-EarthdataCard-note')).toBeNull();
    $<HTMLButtonElement>('.cs-EarthdataCard-renew').click();
    $<HTMLButtonElement>('.cs-EarthdataCard-signout').click();
    expect(actions.renew).toHaveBeenCalledTimes(1);
    expect(actions.signOut).toHaveBeenCalledTimes(1);
    panel.dispose();
  });

  it('says so when the credentials live only in memory', async () => {
    const model = new EarthdataModel();
    model.setSession(
      signedIn({
        method: 'token',
        stored_in: ['memory'],
        netrc_path: null,
        can_renew: false
      })
    );
    const { panel, $ } = await rendered(model);
    expect($('.cs-EarthdataCard-storage').textContent).toBe(
      "only in this server's memory (until it restarts)"
    );
    expect($('.cs-EarthdataCard-note')).not.toBeNull();
    expect($('.cs-EarthdataCard-renew')).toBeNull();
    panel.dispose();
  });

  it('lists the DAACs with countdown, profile and errors', async () => {
    const model = new EarthdataModel();
    model.setSession(signedIn());
    model.setCredentials(credentials());
    const { panel, $, $$ } = await rendered(model);
    const rows = $$('.cs-EarthdataDaac');
    expect(rows.map(r => r.dataset.daac)).toEqual([
      'nsidc',
      'podaac',
      'lpdaac'
    ]);
    const [nsidc, podaac, lpdaac] = rows;
    expect(nsidc.querySelector('.cs-EarthdataDaac-name')?.textContent).toBe(
      'NSIDC'
    );
    expect(nsidc.querySelector('.cs-EarthdataDaac-status')?.textContent).toBe(
      'expires in 42 min'
    );
    expect(nsidc.querySelector('.cs-EarthdataDaac-profile')?.textContent).toBe(
      'AWS profile earthdata-nsidc'
    );
    expect(podaac.querySelector('.cs-EarthdataDaac-status')?.textContent).toBe(
      'not fetched yet'
    );
    expect(podaac.querySelector('.cs-EarthdataDaac-profile')?.textContent).toBe(
      'No AWS profile yet (earthdata-podaac)'
    );
    // the server's last error, with the EULA link
    const link = lpdaac.querySelector('.cs-ErrorBanner-hint a');
    expect(link?.getAttribute('href')).toBe(
      'https://urs.earthdata.nasa.gov/approve_app?client_id=abc'
    );
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(
      nsidc
        .querySelector('.cs-EarthdataDaac-refresh')
        ?.getAttribute('aria-label')
    ).toBe('Refresh NSIDC S3 credentials');
    expect($('.cs-EarthdataDaacs-setup').textContent).toBe(
      'Set up AWS profiles'
    );
    panel.dispose();
  });

  it('refreshes one DAAC and shows its failure inline', async () => {
    const model = new EarthdataModel();
    model.setSession(signedIn());
    model.setCredentials(credentials());
    const refresh = jest
      .spyOn(model, 'refreshDaac')
      .mockImplementation(async daac => {
        (model as any)._daacErrors.set(
          daac,
          new CloudscapesRequestError(
            403,
            'daac_forbidden',
            'PO.DAAC refused access.',
            'Ask for access at https://podaac.jpl.nasa.gov/.'
          )
        );
        model.stateChanged.emit();
        throw new Error('refused');
      });
    const { panel, $ } = await rendered(model);
    (
      $('[data-daac="podaac"] .cs-EarthdataDaac-refresh') as HTMLButtonElement
    ).click();
    expect(refresh).toHaveBeenCalledWith('podaac');
    await settle();
    const banner = $('[data-daac="podaac"] .cs-ErrorBanner');
    expect(banner.textContent).toContain('PO.DAAC refused access.');
    expect(banner.querySelector('a')?.getAttribute('href')).toBe(
      'https://podaac.jpl.nasa.gov/'
    );
    panel.dispose();
  });

  it('limits the DAACs to the setting, and sets up profiles through the action', async () => {
    const model = new EarthdataModel({ ...DEFAULT_SETTINGS, daacs: ['NSIDC'] });
    model.setSession(signedIn());
    model.setCredentials(credentials());
    const { panel, $, $$, actions } = await rendered(model);
    expect($$('.cs-EarthdataDaac').map(r => r.dataset.daac)).toEqual(['nsidc']);
    $<HTMLButtonElement>('.cs-EarthdataDaacs-setup').click();
    expect(actions.writeProfiles).toHaveBeenCalledTimes(1);
    expect(model.profiles).toEqual(['earthdata-nsidc']);
    panel.dispose();
  });

  it('says when no DAAC matches the setting', async () => {
    const model = new EarthdataModel({ ...DEFAULT_SETTINGS, daacs: ['ornl'] });
    model.setSession(signedIn());
    model.setCredentials(credentials());
    const { panel, $ } = await rendered(model);
    expect($('.cs-EmptyState').textContent).toContain('ornl');
    expect($('.cs-EarthdataDaacs-setup')).toBeNull();
    panel.dispose();
  });

  it('goes back to the form after signing out', async () => {
    const model = new EarthdataModel();
    model.setSession(signedIn());
    model.setCredentials(credentials());
    const { panel, $ } = await rendered(model);
    model.setSession(signedOut());
    await settle();
    expect(model.credentials).toBeNull();
    expect($('form')).not.toBeNull();
    expect($('.cs-EarthdataDaac')).toBeNull();
    panel.dispose();
  });
});

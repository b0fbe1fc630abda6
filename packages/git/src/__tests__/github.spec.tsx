import { Clipboard, Dialog } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { testApp } from '../../../core/src/__tests__/app';
import { gitRequests } from '../diff';
import {
  GitHubSignInCard,
  credentialsUrl,
  normalizeHost,
  signInOrAskCredentials
} from '../github';
import type { IGitHubDevice, IGitHubState } from '../github';
import { dialogButton, mount, openDialog, serveGit, until } from './diffServer';

const trans = nullTranslator.load('cloudscapes');

afterEach(() => {
  Dialog.flush();
  jest.restoreAllMocks();
  document.body.innerHTML = '';
});

const HOUR = 3600 * 1000;

function github(overrides: Partial<IGitHubState> = {}): IGitHubState {
  return {
    configured: true,
    host: 'github.com',
    signed_in: false,
    login: null,
    expires_at: null,
    repositories: null,
    device: null,
    ...overrides
  };
}

function device(
  state: IGitHubDevice['state'],
  overrides: Partial<IGitHubDevice> = {}
): IGitHubDevice {
  return {
    user_code: 'WDJB-MJHT',
    verification_uri: 'https://github.com/login/device',
    expires_at: new Date(Date.now() + 15 * 60 * 1000).toISOString(),
    interval: 5,
    state,
    message: null,
    ...overrides
  };
}

function card() {
  return (
    <GitHubSignInCard
      api={gitRequests()}
      trans={trans}
      pollInterval={10}
      idle={null}
    />
  );
}

describe('GitHubSignInCard', () => {
  it('follows the device flow: pending, slow_down, then signed in', async () => {
    const signedIn = github({
      signed_in: true,
      login: 'octo-learner',
      expires_at: new Date(Date.now() + 8 * HOUR).toISOString(),
      repositories: ['octo-learner/tutorial', 'octo-learner/thesis'],
      device: device('signed_in')
    });
    // what the server's task has seen of GitHub so far (the test moves it on)
    let now = github({ device: device('pending') });
    const { seen } = serveGit({
      'GET github': request =>
        request.params.no_track_activity === '1' ? now : github(),
      'POST github/device': () => github({ device: device('pending') })
    });
    const copy = jest
      .spyOn(Clipboard, 'copyToSystem')
      .mockImplementation(() => undefined);
    const { node, $ } = await mount(card());
    await until(() => !!$('.cs-GitHubCard-signIn'), 'the sign-in button');
    // the first look is the user's: it counts as activity
    expect(seen[0].params.no_track_activity).toBeUndefined();
    $<HTMLButtonElement>('.cs-GitHubCard-signIn')!.click();
    await until(() => !!$('.cs-GitHubCard-code'), 'the user code');
    expect(seen.find(r => r.method === 'POST')!.route).toBe('github/device');
    expect($('.cs-GitHubCard-code')!.textContent).toBe('WDJB-MJHT');
    const link = $<HTMLAnchorElement>('a.cs-GitHubCard-link')!;
    expect(link.href).toBe('https://github.com/login/device');
    expect(link.rel).toBe('noopener noreferrer');
    expect($('.cs-GitHubCard-status')!.textContent).toBe(
      'Waiting for you to enter the code on GitHub…'
    );
    $<HTMLButtonElement>('.cs-GitHubCard-copy')!.click();
    expect(copy).toHaveBeenCalledWith('WDJB-MJHT');
    await until(
      () => $('.cs-GitHubCard-copy')!.textContent === 'Copied',
      'Copied'
    );

    const polled = () =>
      seen.filter(r => r.params.no_track_activity === '1').length;
    await until(() => polled() >= 1, 'a poll');
    now = github({ device: device('slow_down') });
    await until(
      () =>
        ($('.cs-GitHubCard-status')?.textContent ?? '').includes('less often'),
      'slow_down'
    );
    expect($('.cs-GitHubCard-code')!.textContent).toBe('WDJB-MJHT');

    now = signedIn;
    await until(() => !!$('.cs-GitHubCard-who'), 'signed in');
    const who = $('.cs-GitHubCard-who')!.textContent!;
    expect(who).toMatch(
      /^Signed in as octo-learner, for these repositories: octo-learner\/tutorial, octo-learner\/thesis, until .+\.$/
    );
    // every look while waiting was a poll: no activity for the culler
    const looks = seen.filter(r => r.method === 'GET').slice(1);
    expect(looks.length).toBeGreaterThanOrEqual(3);
    expect(looks.every(r => r.params.no_track_activity === '1')).toBe(true);
    // signed in: the card stops asking
    const count = seen.length;
    await new Promise(resolve => setTimeout(resolve, 80));
    expect(seen.length).toBe(count);
    expect(node.querySelector('.cs-GitHubCard-signOut')).not.toBeNull();
  });

  it('offers "Try again" when the code expired, and starts a new flow', async () => {
    let posts = 0;
    const fresh = github({
      device: device('pending', { user_code: 'NEWC-ODE1' })
    });
    serveGit({
      'GET github': request =>
        request.params.no_track_activity === '1'
          ? fresh
          : github({ device: device('expired') }),
      'POST github/device': () => {
        posts++;
        return fresh;
      }
    });
    const { $ } = await mount(card());
    await until(() => !!$('.cs-GitHubCard-ended'), 'the expired notice');
    expect($('.cs-GitHubCard-ended')!.dataset.state).toBe('expired');
    expect($('.cs-GitHubCard-status')!.textContent).toContain('expired');
    $<HTMLButtonElement>('.cs-GitHubCard-retry')!.click();
    await until(() => !!$('.cs-GitHubCard-code'), 'a new code');
    expect(posts).toBe(1);
    expect($('.cs-GitHubCard-code')!.textContent).toBe('NEWC-ODE1');
  });

  it('says a refused sign-in in plain words, with "Try again"', async () => {
    serveGit({ 'GET github': [github({ device: device('denied') })] });
    const { $ } = await mount(card());
    await until(() => !!$('.cs-GitHubCard-ended'), 'the denied notice');
    expect($('.cs-GitHubCard-status')!.textContent).toBe(
      'The sign-in was cancelled on GitHub, so nothing was given access.'
    );
    expect($('.cs-GitHubCard-retry')!.textContent).toBe('Try again');
  });

  it('links only to an http(s) verification address', async () => {
    serveGit({
      'GET github': [
        github({
          device: device('pending', { verification_uri: 'javascript:alert(1)' })
        })
      ]
    });
    const { node, $ } = await mount(card());
    await until(() => !!$('.cs-GitHubCard-code'), 'the code');
    expect(node.querySelector('a')).toBeNull();
    expect(node.textContent).toContain('javascript:alert(1)');
  });

  it('renders a hostile login and repository names as text', async () => {
    const HOSTILE = '<img src=x onerror=alert(1)>';
    serveGit({
      'GET github': [
        github({ signed_in: true, login: HOSTILE, repositories: [HOSTILE] })
      ]
    });
    const { node, $ } = await mount(card());
    await until(() => !!$('.cs-GitHubCard-who'), 'signed in');
    expect(node.querySelector('img')).toBeNull();
    expect($('.cs-GitHubCard-who')!.textContent).toContain(
      `Signed in as ${HOSTILE}`
    );
  });

  it('signs out with DELETE github', async () => {
    const { seen } = serveGit({
      'GET github': [
        github({ signed_in: true, login: 'octo', repositories: [] })
      ],
      'DELETE github': () => github()
    });
    const { $ } = await mount(card());
    await until(() => !!$('.cs-GitHubCard-signOut'), 'signed in');
    $<HTMLButtonElement>('.cs-GitHubCard-signOut')!.click();
    await until(() => !!$('.cs-GitHubCard-signIn'), 'signed out');
    expect(seen.map(r => `${r.method} ${r.route}`)).toEqual([
      'GET github',
      'DELETE github'
    ]);
  });

  it('says when GitHub sign-in is not set up', async () => {
    serveGit({ 'GET github': [github({ configured: false })] });
    const { $ } = await mount(card());
    await until(() => !!$('[data-state="not_configured"]'), 'the notice');
    expect($('.cs-GitHubCard-signIn')).toBeNull();
  });
});

describe('signInOrAskCredentials', () => {
  it('opens the GitHub card for the configured GitHub host', async () => {
    serveGit({
      'GET github': [
        github({ host: 'github.com' }),
        github({ host: 'github.com' }),
        github({ signed_in: true, login: 'octo', repositories: [] })
      ]
    });
    const answer = signInOrAskCredentials(
      testApp(),
      gitRequests(),
      trans,
      'https://github.com/owner/repo.git'
    );
    await until(
      () => !!openDialog()?.querySelector('.cs-GitHubCard'),
      'the card'
    );
    expect(openDialog()!.querySelector('input[type="password"]')).toBeNull();
    dialogButton('Done').click();
    await expect(answer).resolves.toBe(true);
  });

  it('normalizes hosts and builds the credentials address', () => {
    expect(normalizeHost('https://git@GitHub.com:443/o/r.git')).toBe(
      'github.com'
    );
    expect(normalizeHost('gitlab.example.org')).toBe('gitlab.example.org');
    expect(credentialsUrl('gitlab.example.org')).toBe(
      'https://gitlab.example.org/'
    );
    expect(credentialsUrl('https://gitlab.example.org/g/r.git')).toBe(
      'https://gitlab.example.org/g/r.git'
    );
  });
});

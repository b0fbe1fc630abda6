import { Dialog } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { testApp } from '../../../core/src/__tests__/app';
import { settle } from '../../../core/src/__tests__/render';
import { gitRequests } from '../diff';
import {
  UpdateResult,
  askCredentials,
  askIdentity,
  checkCloneUrl,
  confirmDiscard,
  defaultFolderName,
  showCloneDialog
} from '../dialogs';
import { signInOrAskCredentials } from '../github';
import {
  dialogButton,
  mount,
  openDialog,
  serveGit,
  type,
  until
} from './diffServer';

const trans = nullTranslator.load('cloudscapes');
const HOSTILE = '<img src=x onerror=alert(1)>';

afterEach(() => {
  Dialog.flush();
  jest.restoreAllMocks();
  document.body.innerHTML = '';
});

function field(name: string): HTMLInputElement {
  const input = openDialog()?.querySelector<HTMLInputElement>(
    `input[name="${name}"]`
  );
  if (!input) {
    throw new Error(`No field ${name}`);
  }
  return input;
}

async function dialogShown(what: string): Promise<HTMLElement> {
  await until(
    () =>
      !!openDialog()?.querySelector(
        '.cs-GitClone, .cs-GitIdentity, .cs-GitCredentials, .cs-GitUpdate, .cs-GitDiscard'
      ),
    what
  );
  return openDialog()!;
}

describe('credentials dialog', () => {
  const PASSWORD = 's3cret-T0ken-zz';

  it('sends the password in the POST body and nowhere else', async () => {
    const { seen } = serveGit({
      'GET github': [
        {
          configured: true,
          host: 'github.com',
          signed_in: false,
          login: null,
          expires_at: null,
          repositories: null,
          device: null
        }
      ],
      'POST credentials': () => ({
        host: 'gitlab.example.org',
        remembered_until: '2026-12-02T20:00:00Z'
      })
    });
    const answer = signInOrAskCredentials(
      testApp(),
      gitRequests(),
      trans,
      'gitlab.example.org'
    );
    const dialog = await dialogShown('the credentials dialog');
    expect(dialog.textContent).toContain('Sign in to gitlab.example.org');
    const password = field('password');
    expect(password.type).toBe('password');
    // "remember for 1 hour" is the default, the file is opt-in with a warning
    const cache = dialog.querySelector<HTMLInputElement>(
      'input[value="cache"]'
    )!;
    const file = dialog.querySelector<HTMLInputElement>('input[value="file"]')!;
    expect(cache.checked).toBe(true);
    expect(file.checked).toBe(false);
    expect(cache.parentElement!.textContent).toBe('For 1 hour, in memory only');
    expect(dialog.textContent).toContain('is not encrypted');
    // nothing typed: Sign in is disabled
    expect(dialogButton('Sign in').disabled).toBe(true);
    type(field('username'), 'learner');
    type(password, PASSWORD);
    await settle();
    expect(dialogButton('Sign in').disabled).toBe(false);
    // the typed password is in the input's value only, not in the page's markup
    expect(password.getAttribute('value')).toBeNull();
    expect(document.documentElement.outerHTML).not.toContain(PASSWORD);
    dialogButton('Sign in').click();
    await expect(answer).resolves.toBe(true);

    const posts = seen.filter(r => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].route).toBe('credentials');
    expect(posts[0].body).toEqual({
      url: 'https://gitlab.example.org/',
      username: 'learner',
      password: PASSWORD,
      remember: 'cache'
    });
    // nowhere else: no URL, no other request, no header, no storage, no DOM left
    for (const request of seen) {
      expect(request.url).not.toContain(PASSWORD);
      expect(
        JSON.stringify(Array.from(new Headers(request.init.headers)))
      ).not.toContain(PASSWORD);
      if (request !== posts[0]) {
        expect(JSON.stringify(request.body ?? null)).not.toContain(PASSWORD);
      }
    }
    expect(document.documentElement.outerHTML).not.toContain(PASSWORD);
    expect(JSON.stringify({ ...localStorage })).not.toContain(PASSWORD);
    expect(JSON.stringify({ ...sessionStorage })).not.toContain(PASSWORD);
    expect(openDialog()).toBeNull();
  });

  it('asks for "save in a file" only when chosen, and answers null on Cancel', async () => {
    const first = askCredentials(trans, 'git.example.edu');
    await dialogShown('the dialog');
    type(field('username'), 'me');
    type(field('password'), PASSWORD);
    openDialog()!
      .querySelector<HTMLInputElement>('input[value="file"]')!
      .click();
    await settle();
    expect(
      openDialog()!.querySelector('[role="alert"]')!.textContent
    ).toContain('~/.git-credentials');
    dialogButton('Sign in').click();
    await expect(first).resolves.toEqual({
      username: 'me',
      password: PASSWORD,
      remember: 'file'
    });

    const second = askCredentials(trans, 'git.example.edu');
    await dialogShown('the dialog again');
    dialogButton('Cancel').click();
    await expect(second).resolves.toBeNull();
  });
});

describe('clone dialog', () => {
  it('explains what address it wants', () => {
    expect(checkCloneUrl('https://github.com/openscapes/tutorial.git')).toEqual(
      {
        ok: true,
        kind: 'https'
      }
    );
    expect(checkCloneUrl('git@github.com:openscapes/tutorial.git')).toEqual({
      ok: true,
      kind: 'ssh'
    });
    expect(checkCloneUrl('ssh://git@host/x.git')).toEqual({
      ok: true,
      kind: 'ssh'
    });
    expect(checkCloneUrl('')).toEqual({ ok: false, reason: 'empty' });
    expect(checkCloneUrl('git clone https://github.com/a/b')).toEqual({
      ok: false,
      reason: 'command'
    });
    expect(checkCloneUrl('https://me:ghp_token@github.com/a/b.git')).toEqual({
      ok: false,
      reason: 'password'
    });
    expect(checkCloneUrl('ext::sh -c touch% /tmp/pwned')).toEqual({
      ok: false,
      reason: 'spaces'
    });
    expect(checkCloneUrl('ext::sh')).toEqual({ ok: false, reason: 'unknown' });
    expect(checkCloneUrl('--upload-pack=x')).toEqual({
      ok: false,
      reason: 'spaces'
    });
    expect(
      defaultFolderName('https://github.com/openscapes/tutorial.git/')
    ).toBe('tutorial');
    expect(defaultFolderName('git@github.com:a/b.git')).toBe('b');
  });

  it('answers the typed address, with a hint while it is wrong', async () => {
    serveGit({});
    const answer = showCloneDialog(gitRequests(), trans, {
      githubSignedIn: false
    });
    const dialog = await dialogShown('the clone dialog');
    expect(dialog.querySelector('.cs-GitClone-repos')).toBeNull();
    expect(dialogButton('Clone').disabled).toBe(true);
    type(field('url'), 'https://me:pw@github.com/a/b.git');
    await settle();
    expect(dialogButton('Clone').disabled).toBe(true);
    expect(
      dialog.querySelector('.cs-GitDialog-hint.cs-mod-error')!.textContent
    ).toContain('Leave the user name, password or token out of the address');
    type(field('url'), 'https://github.com/openscapes/tutorial.git');
    await settle();
    expect(dialogButton('Clone').disabled).toBe(false);
    expect(field('name').placeholder).toBe('tutorial');
    dialogButton('Clone').click();
    await expect(answer).resolves.toEqual({
      url: 'https://github.com/openscapes/tutorial.git'
    });
  });

  it('lists my GitHub repositories once signed in, and picks one', async () => {
    const { seen } = serveGit({
      'GET github/repos': [
        {
          repositories: [
            {
              full_name: 'octo/tutorial',
              clone_url: 'https://github.com/octo/tutorial.git',
              private: false,
              description: 'The hackweek tutorial'
            },
            {
              full_name: `octo/${HOSTILE}`,
              clone_url: 'https://github.com/octo/x.git',
              private: true,
              description: HOSTILE
            }
          ]
        }
      ]
    });
    const answer = showCloneDialog(gitRequests(), trans, {
      githubSignedIn: true
    });
    const dialog = await dialogShown('the clone dialog');
    await until(
      () => dialog.querySelectorAll('.cs-GitClone-repo').length === 2,
      'the repos'
    );
    expect(seen[0].route).toBe('github/repos');
    expect(dialog.querySelector('img')).toBeNull();
    expect(dialog.textContent).toContain(`octo/${HOSTILE}`);
    type(
      dialog.querySelector<HTMLInputElement>('.cs-GitClone-filter')!,
      'hackweek'
    );
    await settle();
    const repos =
      dialog.querySelectorAll<HTMLButtonElement>('.cs-GitClone-repo');
    expect(repos).toHaveLength(1);
    repos[0].click();
    await settle();
    expect(field('url').value).toBe('https://github.com/octo/tutorial.git');
    expect(dialogButton('Clone').disabled).toBe(false);
    dialogButton('Clone').click();
    await expect(answer).resolves.toEqual({
      url: 'https://github.com/octo/tutorial.git',
      name: 'tutorial'
    });
  });
});

describe('identity dialog', () => {
  it('explains why git asks and answers the name and email', async () => {
    const answer = askIdentity(trans);
    const dialog = await dialogShown('the identity dialog');
    expect(dialog.textContent).toContain(
      'Git writes a name and an email address into every commit'
    );
    type(field('name'), 'Ada Lovelace');
    type(field('email'), 'not an email');
    await settle();
    expect(dialogButton('Save').disabled).toBe(true);
    type(field('email'), 'ada@example.org');
    await settle();
    expect(dialogButton('Save').disabled).toBe(false);
    dialogButton('Save').click();
    await expect(answer).resolves.toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.org'
    });
  });
});

describe('update result', () => {
  it('says in plain words what the update did, file names as text', async () => {
    const { node } = await mount(
      <UpdateResult
        trans={trans}
        result={{
          changed: ['README.md'],
          added: ['02-new.ipynb'],
          kept: [HOSTILE],
          renamed: [{ file: 'notes.md', to: 'notes (yours).md' }],
          beside: [{ file: '01-intro.ipynb', to: '01-intro.tutorial.ipynb' }],
          restored: [],
          removed: [],
          still_deleted: [],
          up_to_date: false,
          summary: 'The tutorial was updated; your edits in 1 file were kept.',
          backup_branch: 'backup/2026-12-02'
        }}
      />
    );
    expect(node.querySelector('.cs-GitUpdate-summary')!.textContent).toBe(
      'The tutorial was updated; your edits in 1 file were kept.'
    );
    const sections = Array.from(
      node.querySelectorAll<HTMLElement>('.cs-GitUpdate-section')
    );
    expect(sections.map(s => s.dataset.kind)).toEqual([
      'changed',
      'added',
      'kept',
      'beside',
      'renamed'
    ]);
    expect(sections[2].querySelector('h3')!.textContent).toBe(
      'Your changes, kept (1)'
    );
    expect(sections[2].querySelector('li')!.textContent).toBe(HOSTILE);
    expect(sections[3].querySelector('li')!.textContent).toBe(
      '01-intro.ipynb → 01-intro.tutorial.ipynb'
    );
    expect(sections[4].querySelector('li')!.textContent).toBe(
      'notes.md → notes (yours).md'
    );
    expect(node.querySelector('img')).toBeNull();
    expect(node.textContent).toContain('backup/2026-12-02');
  });
});

describe('confirmDiscard', () => {
  it('names the files and goes ahead only on Discard', async () => {
    const yes = confirmDiscard(trans, ['a.py', HOSTILE]);
    const dialog = await dialogShown('the discard dialog');
    expect(dialog.textContent).toContain('cannot be undone');
    expect(dialog.querySelector('img')).toBeNull();
    expect(
      Array.from(dialog.querySelectorAll('li')).map(li => li.textContent)
    ).toEqual(['a.py', HOSTILE]);
    dialogButton('Discard').click();
    await expect(yes).resolves.toBe(true);

    const no = confirmDiscard(trans, ['a.py']);
    await dialogShown('the discard dialog');
    dialogButton('Cancel').click();
    await expect(no).resolves.toBe(false);
  });
});

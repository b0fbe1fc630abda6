import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification, showDialog } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { requestAPI } from '@cloudscapes/core';

import { panelActions } from '../actions';
import { GitAPI } from '../api';
import { askIdentity, showUpdateResult } from '../dialogs';
import { signInOrAskCredentials } from '../github';
import { DEFAULT_SETTINGS, GitModel } from '../model';
import {
  gitError,
  gitJob,
  repoInfo,
  serve,
  status,
  statusFile
} from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));
jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showDialog: jest.fn()
}));
jest.mock('../dialogs', () => ({
  ...jest.requireActual('../dialogs'),
  askIdentity: jest.fn(),
  showUpdateResult: jest.fn(async () => undefined),
  showCloneDialog: jest.fn()
}));
jest.mock('../github', () => ({
  signInOrAskCredentials: jest.fn(),
  GitHubSignInCard: () => null
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;
const dialog = showDialog as jest.MockedFunction<typeof showDialog>;
const trans = nullTranslator.load('cloudscapes');
const MB = 1024 * 1024;

/**
 * A dialog answer: the button with `label` was pressed.
 */
function pressed(label: string, displayType = 'default', accept = true) {
  return {
    button: { label, accept, displayType },
    value: null,
    isChecked: null
  } as any;
}

async function setUp(routes: Parameters<typeof serve>[1]) {
  const seen = serve(request, {
    'GET repo': () => repoInfo(),
    'GET status': () => status(),
    ...routes
  });
  const model = new GitModel(DEFAULT_SETTINGS, new GitAPI());
  model.setPath('tutorial');
  await model.refresh();
  const commands = new CommandRegistry();
  const executed: Array<[string, unknown]> = [];
  commands.addCommand('terminal:create-new', {
    execute: args => void executed.push(['terminal:create-new', args])
  });
  const app = { commands, serviceManager: {} } as unknown as JupyterFrontEnd;
  const actions = panelActions({
    app,
    model,
    trans,
    panel: () => null,
    goTo: jest.fn()
  });
  return { seen, model, actions, executed };
}

describe('Git panel actions', () => {
  beforeEach(() => {
    request.mockReset();
    dialog.mockReset();
    jest.spyOn(Notification, 'success').mockReturnValue('n');
    jest.spyOn(Notification, 'error').mockReturnValue('n');
  });
  afterEach(() => jest.restoreAllMocks());

  it('asks for a name and email once when git needs them, saves them globally, then commits', async () => {
    let identity = false;
    const { seen, model, actions } = await setUp({
      'POST commit': () => {
        if (!identity) {
          throw gitError(409, 'identity_required', 'Tell git who you are.');
        }
        return { oid: 'abcdef1234', summary: 'Add plot' };
      },
      'PUT identity': body => {
        identity = true;
        return body;
      }
    });
    (askIdentity as jest.Mock).mockResolvedValue({
      name: 'Ada Lovelace',
      email: 'ada@example.org'
    });
    await expect(actions.commit('Add plot', 'Why', false)).resolves.toBe(true);
    const keys = seen.map(r => r.key).filter(k => k !== 'GET status');
    expect(keys).toEqual([
      'GET repo',
      'POST commit',
      'PUT identity',
      'POST commit'
    ]);
    expect(seen.find(r => r.key === 'PUT identity')!.body).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.org'
    });
    expect(seen.find(r => r.key === 'POST commit')!.body).toEqual({
      path: 'tutorial',
      message: 'Add plot\n\nWhy',
      amend: false
    });
    expect(model.actionError).toBeNull();
    expect(Notification.success).toHaveBeenCalledWith(
      'Committed abcdef1: Add plot',
      expect.anything()
    );
    model.dispose();
  });

  it('warns before committing a large file and ignores it when asked', async () => {
    const big = statusFile('data/big.nc', { group: 'staged', size: 120 * MB });
    const small = statusFile('plot.ipynb', { group: 'staged', size: MB });
    let staged = [big, small];
    const { seen, model, actions } = await setUp({
      'GET status': () => status(staged),
      'POST ignore': body => ({ pattern: body.pattern }),
      'POST unstage': body => {
        staged = staged.filter(f => !body.files.includes(f.file));
        return { counts: status(staged).counts };
      },
      'POST commit': () => ({ oid: '1234567abc', summary: 'Add plot' })
    });
    dialog.mockResolvedValue(pressed('Ignore it'));
    await expect(actions.commit('Add plot', '', false)).resolves.toBe(true);
    expect(dialog).toHaveBeenCalledTimes(1);
    expect(String(dialog.mock.calls[0][0]!.body)).toContain('120 MB');
    const posts = seen.filter(r => r.key.startsWith('POST'));
    expect(posts.map(r => [r.key, r.body])).toEqual([
      ['POST ignore', { path: 'tutorial', pattern: '/data/big.nc' }],
      ['POST unstage', { path: 'tutorial', files: ['data/big.nc'] }],
      ['POST commit', { path: 'tutorial', message: 'Add plot', amend: false }]
    ]);
    model.dispose();
  });

  it('cancelling the large-file warning commits nothing', async () => {
    const { seen, model, actions } = await setUp({
      'GET status': () =>
        status([statusFile('big.zip', { group: 'staged', size: 60 * MB })])
    });
    dialog.mockResolvedValue(pressed('Cancel', 'default', false));
    await expect(actions.commit('x', '', false)).resolves.toBe(false);
    expect(seen.some(r => r.key === 'POST commit')).toBe(false);
    model.dispose();
  });

  it('discards only after the user confirms', async () => {
    const { seen, model, actions } = await setUp({
      'POST discard': () => ({ counts: status().counts })
    });
    const file = statusFile('notes.md');
    dialog.mockResolvedValueOnce(pressed('Cancel', 'default', false));
    await actions.discard([file]);
    expect(seen.some(r => r.key === 'POST discard')).toBe(false);
    dialog.mockResolvedValueOnce(pressed('Discard', 'warn'));
    await actions.discard([file]);
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(dialog.mock.calls[1][0]!.title).toBe('Discard changes?');
    expect(seen.find(r => r.key === 'POST discard')!.body).toEqual({
      path: 'tutorial',
      files: ['notes.md'],
      confirm: true
    });
    model.dispose();
  });

  it('a push that needs a sign-in asks for it, then pushes again', async () => {
    let signedIn = false;
    const failed = gitJob({
      id: 'p1',
      status: 'failed',
      error: {
        error: {
          code: 'auth_required',
          message: 'The remote asks who you are.',
          hint: 'Sign in.'
        }
      }
    });
    const ok = gitJob({ id: 'p2', status: 'succeeded' });
    const { seen, model, actions } = await setUp({
      'POST push': () => ({ job: signedIn ? ok : failed }),
      'GET remotes': () => ({
        remotes: [
          {
            name: 'origin',
            url: 'https://127.0.0.1:9999/openscapes/tutorial.git',
            push_url: null
          }
        ]
      }),
      'GET branches': () => ({
        current: 'main',
        detached: false,
        branches: []
      }),
      'GET tags': () => ({ tags: [] }),
      'GET stash': () => ({ stashes: [] })
    });
    const update = jest.spyOn(Notification, 'update');
    (signInOrAskCredentials as jest.Mock).mockImplementation(async () => {
      signedIn = true;
      return true;
    });
    actions.push();
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(signInOrAskCredentials).toHaveBeenCalledWith(
      expect.anything(),
      model.api,
      trans,
      '127.0.0.1:9999'
    );
    expect(seen.filter(r => r.key === 'POST push')).toHaveLength(2);
    expect(update).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Pushed: your commits are on the remote.',
        type: 'success'
      })
    );
    model.dispose();
  });

  it('"Update the tutorial" shows what changed', async () => {
    const result = {
      changed: ['README.md'],
      added: ['02-new.ipynb'],
      kept: ['01-intro.ipynb'],
      renamed: [],
      restored: [],
      summary: 'Brought in 2 files; your edit of 01-intro.ipynb is kept.',
      backup_branch: null
    };
    const { model, actions } = await setUp({
      'POST update': () => ({
        job: gitJob({
          id: 'u1',
          kind: 'git-update',
          status: 'succeeded',
          result: result as any
        })
      })
    });
    actions.update();
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(showUpdateResult).toHaveBeenCalledWith(trans, result);
    model.dispose();
  });

  it('opens a terminal in the repository without typing into it', async () => {
    const { model, actions, executed } = await setUp({});
    actions.openTerminal();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(executed).toEqual([['terminal:create-new', { cwd: 'tutorial' }]]);
    model.dispose();
  });
});

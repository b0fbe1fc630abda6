import { nullTranslator } from '@jupyterlab/translation';

import { requestAPI } from '@cloudscapes/core';
import { attached, settle } from '../../../core/src/__tests__/render';

import { GitAPI } from '../api';
import { DEFAULT_SETTINGS, GitModel } from '../model';
import { GitPanel } from '../panel';
import type { IPanelActions } from '../tokens';
import { noRepo, repoInfo, serve, status, statusFile } from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;
const trans = nullTranslator.load('cloudscapes');

/**
 * jsdom lays nothing out: give the windowed lists a viewport so the
 * virtualizer renders the rows in view, as a browser would.
 */
beforeAll(() => {
  for (const [name, value] of [
    ['clientHeight', 360],
    ['clientWidth', 300],
    ['offsetHeight', 360],
    ['offsetWidth', 300]
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, name, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('cs-GitList') ? value : 0;
      }
    });
  }
});

function fakeActions(): jest.Mocked<IPanelActions> {
  const handler = {
    get: (target: Record<string, jest.Mock>, key: string) =>
      (target[key] ??= key === 'commit' ? jest.fn(async () => true) : jest.fn())
  };
  return new Proxy({}, handler) as unknown as jest.Mocked<IPanelActions>;
}

async function panelWith(routes: Parameters<typeof serve>[1]) {
  const seen = serve(request, {
    'GET github': () => ({ configured: false, host: 'github.com' }),
    'GET branches': () => ({ current: 'main', detached: false, branches: [] }),
    'GET tags': () => ({ tags: [] }),
    'GET stash': () => ({ stashes: [] }),
    'GET remotes': () => ({
      remotes: [
        {
          name: 'origin',
          url: 'https://github.com/openscapes/tutorial.git',
          push_url: null
        }
      ]
    }),
    ...routes
  });
  const model = new GitModel(DEFAULT_SETTINGS, new GitAPI());
  model.setPath('tutorial');
  const actions = fakeActions();
  const panel = new GitPanel(model, trans, actions);
  await model.refresh();
  await attached(panel);
  await settle();
  return { model, panel, actions, seen };
}

describe('GitPanel', () => {
  beforeEach(() => request.mockReset());
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('shows the repository, its branch and ahead/behind in words', async () => {
    const { panel, model } = await panelWith({
      'GET repo': () => repoInfo(),
      'GET status': () =>
        status([], {
          branch: { ...status().branch, ahead: 2, behind: 3 }
        })
    });
    await settle();
    const text = panel.node.textContent!;
    expect(text).toContain('tutorial');
    expect(text).toContain('main');
    expect(text).toContain('2 commits to push');
    expect(text).toContain(
      '3 new commits on GitHub — pull or Update the tutorial'
    );
    expect(panel.node.querySelector('.cs-Git-update')?.textContent).toBe(
      'Update the tutorial'
    );
    expect(text).toContain('No changes');
    panel.dispose();
    model.dispose();
  });

  it('lists the groups of changes with each file’s actions', async () => {
    const { panel, model, actions } = await panelWith({
      'GET repo': () => repoInfo(),
      'GET status': () =>
        status([
          statusFile('conflict.ipynb', {
            group: 'conflicted',
            status: 'conflicted'
          }),
          statusFile('analysis.ipynb', { group: 'staged' }),
          statusFile('notes/readme.md'),
          statusFile('data/', {
            group: 'untracked',
            status: 'untracked',
            folder: true
          })
        ])
    });
    const groups = [...panel.node.querySelectorAll('.cs-Git-group')].map(
      g => (g as HTMLElement).dataset.group
    );
    expect(groups).toEqual(['conflicted', 'staged', 'changed', 'untracked']);
    const list = panel.node.querySelector(
      '[role="list"][aria-label="Changed"]'
    )!;
    expect(list.querySelectorAll('[role="listitem"]')).toHaveLength(1);
    const stage = panel.node.querySelector<HTMLButtonElement>(
      '[aria-label="Stage notes/readme.md"]'
    )!;
    stage.click();
    expect(actions.stage).toHaveBeenCalledWith(['notes/readme.md']);
    panel.node
      .querySelector<HTMLButtonElement>(
        '[aria-label="Unstage analysis.ipynb"]'
      )!
      .click();
    expect(actions.unstage).toHaveBeenCalledWith(['analysis.ipynb']);
    panel.node
      .querySelector<HTMLButtonElement>(
        '[aria-label="Discard the changes to notes/readme.md"]'
      )!
      .click();
    expect(actions.discard).toHaveBeenCalledWith([
      expect.objectContaining({ file: 'notes/readme.md' })
    ]);
    panel.node
      .querySelector<HTMLButtonElement>('[aria-label^="Ignore data/"]')!
      .click();
    expect(actions.ignore).toHaveBeenCalledWith('data', true);
    // the conflict explains itself
    expect(panel.node.textContent).toContain('1 file has conflicts');
    panel.dispose();
    model.dispose();
  });

  it('stages a whole group, not only its loaded page, with "Stage all"', async () => {
    const { panel, model, actions } = await panelWith({
      'GET repo': () => repoInfo(),
      'GET status': () =>
        status([statusFile('a.txt'), statusFile('b.txt')], {
          counts: { staged: 0, changed: 600, untracked: 0, conflicted: 0 },
          next_offset: 2
        })
    });
    panel.node
      .querySelector<HTMLButtonElement>('[aria-label="Stage all: Changed"]')!
      .click();
    expect(actions.stage).toHaveBeenCalledWith({ group: 'changed' });
    panel.dispose();
    model.dispose();
  });

  it('renders a file named like HTML as text', async () => {
    const evil = '<img src=x onerror=alert(1)>.txt';
    const { panel, model } = await panelWith({
      'GET repo': () => repoInfo({ name: '<b>repo</b>' }),
      'GET status': () =>
        status([statusFile(evil, { group: 'untracked', status: 'untracked' })])
    });
    expect(panel.node.querySelector('img')).toBeNull();
    expect(panel.node.querySelector('b')).toBeNull();
    expect(panel.node.textContent).toContain(evil);
    expect(panel.node.textContent).toContain('<b>repo</b>');
    panel.dispose();
    model.dispose();
  });

  it('offers Clone and Init outside a repository', async () => {
    const { panel, model, actions } = await panelWith({
      'GET repo': () => noRepo()
    });
    expect(panel.node.textContent).toContain('Not a git repository');
    panel.node.querySelector<HTMLButtonElement>('.cs-Git-clone')!.click();
    panel.node.querySelector<HTMLButtonElement>('.cs-Git-init')!.click();
    expect(actions.clone).toHaveBeenCalled();
    expect(actions.init).toHaveBeenCalled();
    panel.dispose();
    model.dispose();
  });

  it('explains a detached HEAD', async () => {
    const { panel, model } = await panelWith({
      'GET repo': () => repoInfo(),
      'GET status': () =>
        status([], {
          branch: {
            ...status().branch,
            head: null,
            upstream: null,
            detached: true
          }
        })
    });
    expect(panel.node.textContent).toContain('detached HEAD');
    expect(panel.node.textContent).toContain('detached at 0123456');
    panel.dispose();
    model.dispose();
  });

  it('commits the summary and description, only with staged files', async () => {
    const { panel, model, actions } = await panelWith({
      'GET repo': () => repoInfo(),
      'GET status': () =>
        status([statusFile('analysis.ipynb', { group: 'staged' })])
    });
    const button =
      panel.node.querySelector<HTMLButtonElement>('.cs-Git-commit')!;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe('Commit 1 file');
    const summary =
      panel.node.querySelector<HTMLInputElement>('.cs-Git-summary')!;
    const setValue = Object.getOwnPropertyDescriptor(
      HTMLInputElement.prototype,
      'value'
    )!.set!;
    setValue.call(summary, 'Add the plot');
    summary.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(button.disabled).toBe(false);
    button.click();
    await settle();
    expect(actions.commit).toHaveBeenCalledWith('Add the plot', '', false);
    // committed: the box is empty again
    expect(summary.value).toBe('');
    panel.dispose();
    model.dispose();
  });

  it('shows the history with its graph, and a commit’s files', async () => {
    const { panel, model, actions } = await panelWith({
      'GET repo': () => repoInfo(),
      'GET status': () => status(),
      'GET log': () => ({
        commits: [
          {
            oid: 'bbbbbbbbbb',
            parents: ['aaaaaaaaaa'],
            author: 'Ada',
            email: 'ada@example.org',
            date: '2026-12-01T10:00:00Z',
            subject: '<i>Second</i>',
            refs: [{ name: 'main', kind: 'head' }]
          },
          {
            oid: 'aaaaaaaaaa',
            parents: [],
            author: 'Ada',
            email: 'ada@example.org',
            date: '2026-12-01T09:00:00Z',
            subject: 'First',
            refs: []
          }
        ],
        next_offset: null
      }),
      'GET commit/detail': () => ({
        oid: 'bbbbbbbbbb',
        parents: ['aaaaaaaaaa'],
        author: 'Ada',
        email: 'ada@example.org',
        date: '2026-12-01T10:00:00Z',
        message: 'Second\n\nwith a body',
        files: [
          {
            file: 'plot.ipynb',
            orig_file: null,
            status: 'modified',
            additions: 3,
            deletions: 1
          }
        ]
      })
    });
    panel.showTab('history');
    await settle();
    await settle();
    const rows = panel.node.querySelectorAll(
      '.cs-Git-commits [role="listitem"]'
    );
    expect(rows).toHaveLength(2);
    expect(panel.node.querySelectorAll('.cs-Git-graph')).toHaveLength(2);
    expect(panel.node.querySelector('i')).toBeNull();
    expect(rows[0].textContent).toContain('<i>Second</i>');
    panel.node
      .querySelector<HTMLButtonElement>('.cs-Git-commitButton')!
      .click();
    await settle();
    await settle();
    expect(panel.node.querySelector('.cs-Git-message')?.textContent).toBe(
      'Second\n\nwith a body'
    );
    panel.node
      .querySelector<HTMLButtonElement>('.cs-Git-commitFiles button')!
      .click();
    expect(actions.openCommitFile).toHaveBeenCalledWith(
      'bbbbbbbbbb',
      'aaaaaaaaaa',
      'plot.ipynb'
    );
    panel.dispose();
    model.dispose();
  });
});

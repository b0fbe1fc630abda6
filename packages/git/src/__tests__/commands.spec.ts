import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { FileBrowser } from '@jupyterlab/filebrowser';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { requestAPI } from '@cloudscapes/core';

import { GitAPI } from '../api';
import { PALETTE_COMMANDS, addCommands } from '../commands';
import { DEFAULT_SETTINGS, GitModel } from '../model';
import type { GitPanel } from '../panel';
import { CommandIDs, IGitPanel, IGitView, IPanelActions } from '../tokens';
import { repoInfo, serve, status, statusFile } from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;
const trans = nullTranslator.load('cloudscapes');

/**
 * The commands over a real model (answered by the fake server) whose actions
 * are recorded; the view "loads" on the first load() or show().
 */
function setUp(selected: string | null = null) {
  const commands = new CommandRegistry();
  const model = new GitModel(DEFAULT_SETTINGS, new GitAPI());
  model.setPath('tutorial');
  const calls: Array<[string, unknown[]]> = [];
  const actions = new Proxy(
    {},
    {
      get:
        (_, key: string) =>
        (...args: unknown[]) =>
          calls.push([key, args])
    }
  ) as IPanelActions;
  const panel = { focusCommit: jest.fn(), isVisible: true };
  const view: IGitView = {
    model,
    panel: panel as unknown as GitPanel,
    actions
  };
  let loaded: IGitView | null = null;
  const shown = jest.fn();
  const load = jest.fn(async () => (loaded = view));
  const git: IGitPanel = {
    get view() {
      return loaded;
    },
    ready: Promise.resolve(view),
    load,
    show: async () => {
      shown();
      return load();
    }
  };
  const browser = {
    selectedItems: function* () {
      if (selected) {
        yield { path: selected };
      }
    }
  } as unknown as FileBrowser;
  const executed: Array<[string, unknown]> = [];
  commands.addCommand('terminal:create-new', {
    execute: args => void executed.push(['terminal:create-new', args])
  });
  addCommands({ commands } as unknown as JupyterFrontEnd, git, {
    trans,
    fileBrowser: browser
  });
  return { commands, model, git, calls, panel, shown, executed };
}

const routes = {
  'GET repo': () => repoInfo(),
  'GET status': () =>
    status([
      statusFile('analysis.ipynb'),
      statusFile('new.csv', { group: 'untracked', status: 'untracked' })
    ]),
  'GET github': () => ({ configured: false })
};

describe('Git commands', () => {
  beforeEach(() => request.mockReset());

  it('registers every palette command with a label and a caption', () => {
    const { commands, model } = setUp();
    for (const id of PALETTE_COMMANDS) {
      expect(commands.hasCommand(id)).toBe(true);
      expect(commands.label(id)).not.toBe('');
      expect(commands.caption(id)).not.toBe('');
    }
    model.dispose();
  });

  it('loads the view, reads the status once and runs the panel’s action', async () => {
    const seen = serve(request, routes);
    const { commands, model, calls } = setUp();
    await commands.execute(CommandIDs.pull);
    await commands.execute(CommandIDs.stageAll);
    expect(calls).toEqual([
      ['pull', []],
      ['stage', ['all']]
    ]);
    expect(seen.filter(r => r.key === 'GET repo')).toHaveLength(1);
    expect(model.started).toBe(true);
    model.dispose();
  });

  it('commit shows the panel and focuses the summary', async () => {
    serve(request, routes);
    const { commands, model, panel, shown } = setUp();
    await commands.execute(CommandIDs.commit);
    expect(shown).toHaveBeenCalled();
    expect(panel.focusCommit).toHaveBeenCalled();
    model.dispose();
  });

  it('file-browser entries show only on the files they mean something for', async () => {
    serve(request, routes);
    const changed = setUp('tutorial/analysis.ipynb');
    const untracked = setUp('tutorial/new.csv');
    const outside = setUp('elsewhere/x.py');
    for (const s of [changed, untracked, outside]) {
      // unknown before the panel has loaded: hidden
      expect(s.commands.isVisible(CommandIDs.fileHistory)).toBe(false);
      await s.git.load();
      await s.model.refresh();
    }
    expect(changed.commands.isVisible(CommandIDs.fileDiff)).toBe(true);
    expect(changed.commands.isVisible(CommandIDs.fileDiscard)).toBe(true);
    expect(changed.commands.isVisible(CommandIDs.fileIgnore)).toBe(false);
    expect(changed.commands.isVisible(CommandIDs.fileHistory)).toBe(true);
    expect(untracked.commands.isVisible(CommandIDs.fileDiff)).toBe(false);
    expect(untracked.commands.isVisible(CommandIDs.fileIgnore)).toBe(true);
    expect(untracked.commands.isVisible(CommandIDs.fileHistory)).toBe(false);
    expect(outside.commands.isVisible(CommandIDs.fileHistory)).toBe(false);

    await changed.commands.execute(CommandIDs.fileDiff);
    expect(changed.calls[0][0]).toBe('openFile');
    expect(changed.calls[0][1][0]).toMatchObject({ file: 'analysis.ipynb' });
    await untracked.commands.execute(CommandIDs.fileIgnore);
    expect(untracked.calls).toEqual([['ignore', ['new.csv', false]]]);
    await changed.commands.execute(CommandIDs.fileHistory);
    expect(changed.calls[1]).toEqual(['showHistory', ['analysis.ipynb']]);
    for (const s of [changed, untracked, outside]) {
      s.model.dispose();
    }
  });

  it('update the tutorial is enabled only when an upstream is configured', async () => {
    let upstream = false;
    serve(request, {
      ...routes,
      'GET repo': () => repoInfo({ upstream_configured: upstream })
    });
    const { commands, model, git } = setUp();
    // not known yet: enabled (the action explains)
    expect(commands.isEnabled(CommandIDs.update)).toBe(true);
    await git.load();
    await model.refresh();
    expect(commands.isEnabled(CommandIDs.update)).toBe(false);
    upstream = true;
    model.setPath('tutorial/sub');
    model.setPath('x');
    model.setPath('tutorial');
    await model.refresh();
    expect(commands.isEnabled(CommandIDs.update)).toBe(true);
    model.dispose();
  });
});

import { ILabShell } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import type { Token } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

import { requestAPI } from '@cloudscapes/core';
import { activateWith } from '../../../core/src/__tests__/app';
import { FEATURES_OPTION } from '../../../core/src/features';
import { LazyPanel } from '../../../core/src/lazy';

import plugins from '../index';
import { CommandIDs, IGitPanel } from '../tokens';
import { repoInfo, serve, status } from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

async function activate(features: string) {
  const labShell = { add: jest.fn() };
  const { app, provided } = await activateWith(
    features,
    plugins,
    new Map<Token<any>, unknown>([[ILabShell, labShell]])
  );
  return {
    git: provided.get(IGitPanel) as IGitPanel | null,
    labShell,
    commands: app.commands
  };
}

describe('Git plugins', () => {
  beforeEach(() => request.mockReset());
  afterEach(() => PageConfig.setOption(FEATURES_OPTION, ''));

  it('are small plugins, one of which owns the settings', () => {
    expect(plugins.map(p => p.id)).toEqual([
      '@cloudscapes/git:plugin',
      '@cloudscapes/git:commands'
    ]);
  });

  it('add no panel and no command when the server has no git feature', async () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => {});
    const { git, labShell, commands } = await activate('usage,dask');
    expect(git).toBeNull();
    expect(labShell.add).not.toHaveBeenCalled();
    expect(commands.listCommands()).toEqual([]);
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining('"git" is disabled')
    );
    info.mockRestore();
  });

  it('activate without a request; the view loads and polls on first show', async () => {
    serve(request, {
      'GET repo': () => repoInfo({ path: '' }),
      'GET status': () => status(),
      'GET github': () => ({ configured: false }),
      'GET branches': () => ({
        current: 'main',
        detached: false,
        branches: []
      }),
      'GET tags': () => ({ tags: [] }),
      'GET stash': () => ({ stashes: [] }),
      'GET remotes': () => ({ remotes: [] })
    });
    const { git, labShell, commands } = await activate('usage,git');
    expect(git).not.toBeNull();
    expect(labShell.add).toHaveBeenCalledWith(expect.any(LazyPanel), 'left', {
      rank: 300
    });
    expect(commands.hasCommand(CommandIDs.open)).toBe(true);
    expect(commands.hasCommand(CommandIDs.fileDiff)).toBe(true);
    expect(request).not.toHaveBeenCalled();
    expect(git!.view).toBeNull();

    const host = labShell.add.mock.calls[0][0] as LazyPanel<Widget>;
    Widget.attach(host, document.body);
    const view = await git!.ready;
    await host.load();
    expect(host.node.contains(view.panel.node)).toBe(true);
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(view.model.started).toBe(true);
    const paths = request.mock.calls.map(c => c[0]);
    expect(paths).toContain('git/repo');
    for (const call of request.mock.calls) {
      if (call[0] === 'git/repo' || call[0] === 'git/status') {
        expect(call[2]).toMatchObject({ track: false });
      }
    }
    host.dispose();
    view.model.dispose();
  });
});

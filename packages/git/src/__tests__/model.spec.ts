import { requestAPI } from '@cloudscapes/core';

import { GitAPI } from '../api';
import { DEFAULT_SETTINGS, GitModel } from '../model';
import {
  gitError,
  gitJob,
  noRepo,
  repoInfo,
  serve,
  status,
  statusFile
} from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

function model(settings = DEFAULT_SETTINGS) {
  const m = new GitModel(settings, new GitAPI());
  m.setPath('tutorial/notebooks');
  return m;
}

describe('GitModel', () => {
  beforeEach(() => request.mockReset());

  it('finds the repository of the folder, then reads its status without counting as activity', async () => {
    const seen = serve(request, {
      'GET repo': () => repoInfo(),
      'GET status': () =>
        status([
          statusFile('a.ipynb', { group: 'staged' }),
          statusFile('a.ipynb'),
          statusFile('new.csv', { group: 'untracked', status: 'untracked' })
        ])
    });
    const m = model();
    await m.refresh();
    expect(seen.map(r => r.key)).toEqual(['GET repo', 'GET status']);
    for (const r of seen) {
      expect(r.params.path).toBe('tutorial/notebooks');
      expect(r.track).toBe(false);
    }
    expect(m.inRepo).toBe(true);
    expect(m.repoPath).toBe('tutorial');
    expect(m.files('staged').map(f => f.file)).toEqual(['a.ipynb']);
    expect(m.files('changed').map(f => f.file)).toEqual(['a.ipynb']);
    expect(m.count('untracked')).toBe(1);
    // the next refresh reads the status only
    await m.refresh();
    expect(seen.map(r => r.key)).toEqual([
      'GET repo',
      'GET status',
      'GET status'
    ]);
    m.dispose();
  });

  it('looks for the repository again when the file browser leaves it', async () => {
    let inRepo = true;
    const seen = serve(request, {
      'GET repo': () => (inRepo ? repoInfo() : noRepo()),
      'GET status': () => status()
    });
    const m = model();
    await m.refresh();
    // a subfolder of the same repository keeps what is known
    m.setPath('tutorial/data');
    expect(m.inRepo).toBe(true);
    inRepo = false;
    m.setPath('elsewhere');
    expect(m.repo).toBeNull();
    await m.refresh();
    expect(m.inRepo).toBe(false);
    expect(m.status).toBeNull();
    expect(
      seen.filter(r => r.key === 'GET repo').map(r => r.params.path)
    ).toEqual(['tutorial/notebooks', 'elsewhere']);
    m.dispose();
  });

  it('notices now and then a repository made outside the panel (git init in a terminal)', async () => {
    let made = false;
    const seen = serve(request, {
      'GET repo': () => (made ? repoInfo() : noRepo()),
      'GET status': () => status([statusFile('a.py')])
    });
    const m = model();
    await m.refresh();
    expect(m.inRepo).toBe(false);
    made = true;
    for (let i = 0; i < 4; i++) {
      await m.refresh();
    }
    // outside a repository a refresh costs nothing until the recheck
    expect(seen.map(r => r.key)).toEqual(['GET repo']);
    await m.refresh();
    expect(m.inRepo).toBe(true);
    expect(m.files('changed').map(f => f.file)).toEqual(['a.py']);
    m.dispose();
  });

  it('a repository above the server root is reported, not entered', async () => {
    const seen = serve(request, {
      'GET repo': () => repoInfo({ above_root: true, path: null })
    });
    const m = model();
    await m.refresh();
    expect(m.inRepo).toBe(false);
    expect(seen.map(r => r.key)).toEqual(['GET repo']);
    m.dispose();
  });

  it('forgets a repository that went away', async () => {
    let gone = false;
    serve(request, {
      'GET repo': () => repoInfo(),
      'GET status': () => {
        if (gone) {
          throw gitError(404, 'not_a_repository');
        }
        return status([statusFile('a.py')]);
      }
    });
    const m = model();
    await m.refresh();
    gone = true;
    await expect(m.refresh()).rejects.toMatchObject({
      code: 'not_a_repository'
    });
    expect(m.repo).toBeNull();
    expect(m.files('changed')).toEqual([]);
    m.dispose();
  });

  it('loads further pages of a long group as the user scrolls, and keeps them on refresh', async () => {
    const all = Array.from({ length: 30 }, (_, i) =>
      statusFile(`new-${i}.txt`, { group: 'untracked', status: 'untracked' })
    );
    const seen = serve(request, {
      'GET repo': () => repoInfo(),
      'GET status': (_, params) => {
        const offset = Number(params.offset ?? 0);
        const limit = Number(params.limit ?? 10);
        const files = all.slice(offset, offset + limit);
        return status(files, {
          counts: { staged: 0, changed: 0, untracked: 30, conflicted: 0 },
          offset,
          next_offset: offset + limit < 30 ? offset + limit : null
        });
      }
    });
    const m = model();
    await m.refresh();
    expect(m.files('untracked')).toHaveLength(10);
    expect(m.hasMore('untracked')).toBe(true);
    await m.loadMore('untracked');
    expect(m.files('untracked')).toHaveLength(20);
    const page = seen[seen.length - 1];
    expect(page.params).toMatchObject({ group: 'untracked', offset: 10 });
    await m.refresh();
    expect(m.files('untracked').map(f => f.file)).toEqual(
      all.slice(0, 20).map(f => f.file)
    );
    m.dispose();
  });

  it('stages, unstages and discards through the server, then refreshes', async () => {
    const seen = serve(request, {
      'GET repo': () => repoInfo(),
      'GET status': () => status(),
      'POST stage': () => ({ counts: status().counts }),
      'POST unstage': () => ({ counts: status().counts }),
      'POST discard': () => ({ counts: status().counts })
    });
    const m = model();
    await m.refresh();
    await m.stage(['a.py']);
    await m.unstage('all');
    await m.discard(['b.py']);
    const posts = seen.filter(r => r.key.startsWith('POST'));
    expect(posts.map(r => [r.key, r.body])).toEqual([
      ['POST stage', { path: 'tutorial/notebooks', files: ['a.py'] }],
      ['POST unstage', { path: 'tutorial/notebooks', all: true }],
      [
        'POST discard',
        { path: 'tutorial/notebooks', files: ['b.py'], confirm: true }
      ]
    ]);
    expect(seen.filter(r => r.key === 'GET status')).toHaveLength(4);
    m.dispose();
  });

  it('a commit that needs an identity fails with the server’s code, shown in the banner', async () => {
    serve(request, {
      'GET repo': () => repoInfo(),
      'GET status': () => status(),
      'POST commit': () => {
        throw gitError(409, 'identity_required', 'Who are you?');
      }
    });
    const m = model();
    await m.refresh();
    await expect(m.commit('Add plot')).rejects.toMatchObject({
      code: 'identity_required'
    });
    expect(m.actionError?.message).toBe('Who are you?');
    m.dispose();
  });

  it('runs a push as a job and resolves once it has ended', async () => {
    const running = gitJob({ status: 'running' });
    const done = gitJob({
      status: 'succeeded',
      updated: '2024-09-01T00:00:05Z'
    });
    let polls = 0;
    serve(request, {
      'GET repo': () => repoInfo(),
      'GET status': () => status(),
      'POST push': () => ({ job: running }),
      'GET jobs/gj1': () => (++polls > 1 ? done : running)
    });
    const m = model();
    await m.refresh();
    const finished = m.runJob('push', (api, path) => api.push(path));
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(m.runningJob('push')?.id).toBe('gj1');
    m.jobs.track(done);
    await expect(finished).resolves.toMatchObject({ status: 'succeeded' });
    expect(m.runningJob('push')).toBeNull();
    m.dispose();
  });

  it('stands by while the tab is hidden, unless the settings say otherwise', async () => {
    serve(request, {
      'GET repo': () => repoInfo(),
      'GET status': () => status(),
      'GET github': () => ({ configured: false })
    });
    const m = model();
    m.start();
    const poll = (m as any)._poll;
    const standby = poll.standby as () => unknown;
    expect(standby()).toBe('when-hidden');
    m.settings = { ...DEFAULT_SETTINGS, refreshIfHidden: true };
    expect((poll.standby as () => unknown)()).toBe(false);
    expect(poll.frequency.interval).toBe(10000);
    m.settings = { ...DEFAULT_SETTINGS, refreshInterval: 30000 };
    expect(poll.frequency.interval).toBe(30000);
    m.dispose();
  });

  it('refreshes once after a burst of saves, and never before polling started', async () => {
    jest.useFakeTimers();
    const seen = serve(request, {
      'GET repo': () => repoInfo(),
      'GET status': () => status(),
      'GET github': () => ({ configured: false })
    });
    const m = model();
    m.refreshSoon();
    jest.advanceTimersByTime(1000);
    expect(seen).toEqual([]);
    (m as any)._poll = { dispose: () => undefined };
    m.refreshSoon();
    m.refreshSoon();
    m.refreshSoon();
    jest.advanceTimersByTime(1000);
    jest.useRealTimers();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(seen.filter(r => r.key === 'GET repo')).toHaveLength(1);
    m.dispose();
  });
});

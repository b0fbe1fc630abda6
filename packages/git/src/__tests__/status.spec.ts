import { nullTranslator } from '@jupyterlab/translation';

import {
  aheadBehindWords,
  appendPage,
  clientPath,
  detachedExplanation,
  filesByGroup,
  ignorePattern,
  largeStagedFiles,
  repoFile,
  sizeText,
  stateExplanation
} from '../status';
import { status, statusFile } from './fixture';

const trans = nullTranslator.load('cloudscapes');

const branch = (ahead: number, behind: number, upstream = 'origin/main') => ({
  ...status().branch,
  ahead,
  behind,
  upstream
});

describe('status in words', () => {
  it('says ahead and behind as a learner reads it', () => {
    expect(aheadBehindWords(branch(2, 0), trans, 'GitHub')).toEqual([
      '2 commits to push'
    ]);
    expect(aheadBehindWords(branch(1, 0), trans, 'GitHub')).toEqual([
      '1 commit to push'
    ]);
    expect(aheadBehindWords(branch(0, 3), trans, 'GitHub', true)).toEqual([
      '3 new commits on GitHub — pull or Update the tutorial'
    ]);
    expect(aheadBehindWords(branch(0, 1), trans, 'origin')).toEqual([
      '1 new commit on origin — pull to bring it in'
    ]);
    const both = aheadBehindWords(branch(1, 2), trans, 'GitHub', true);
    expect(both).toHaveLength(3);
    expect(both[2]).toContain('pull first');
  });

  it('says nothing in step, or without an upstream', () => {
    expect(aheadBehindWords(branch(0, 0), trans, 'GitHub')).toEqual([]);
    expect(
      aheadBehindWords({ ...branch(2, 2), upstream: null }, trans, 'x')
    ).toEqual([]);
  });

  it('explains a detached HEAD with the commit and what to do', () => {
    const text = detachedExplanation(
      { ...branch(0, 0), detached: true, head: null, oid: 'abcdef1234567' },
      trans
    );
    expect(text).toContain('abcdef1');
    expect(text).toContain('create a new branch');
    expect(detachedExplanation(branch(0, 0), trans)).toBeNull();
  });

  it('explains a merge with conflicts, and one ready to commit', () => {
    expect(stateExplanation('merging', 2, trans)).toContain(
      'could not combine 2 files'
    );
    expect(stateExplanation('merging', 0, trans)).toContain('commit to finish');
    expect(stateExplanation(null, 1, trans)).toContain('1 file has conflicts');
    expect(stateExplanation(null, 0, trans)).toBeNull();
  });
});

describe('status files', () => {
  it('groups files, a file both staged and changed in both', () => {
    const files = [
      statusFile('a.py', { group: 'staged' }),
      statusFile('a.py', { group: 'changed' }),
      statusFile('new.txt', { group: 'untracked', status: 'untracked' }),
      statusFile('c.ipynb', { group: 'conflicted', status: 'conflicted' })
    ];
    const groups = filesByGroup(files);
    expect(groups.staged.map(f => f.file)).toEqual(['a.py']);
    expect(groups.changed.map(f => f.file)).toEqual(['a.py']);
    expect(groups.untracked.map(f => f.file)).toEqual(['new.txt']);
    expect(groups.conflicted.map(f => f.file)).toEqual(['c.ipynb']);
  });

  it('appends a page without repeating known files', () => {
    const first = [statusFile('a'), statusFile('b')];
    const page = [statusFile('b'), statusFile('c')];
    expect(appendPage(first, page).map(f => f.file)).toEqual(['a', 'b', 'c']);
  });

  it('finds staged files over the limit (sizes from the status)', () => {
    const MB = 1024 * 1024;
    const s = status([
      statusFile('big.csv', { group: 'staged', size: 120 * MB }),
      statusFile('small.csv', { group: 'staged', size: MB }),
      statusFile('big-unstaged.csv', { group: 'changed', size: 200 * MB }),
      statusFile('deleted.csv', { group: 'staged', size: null })
    ]);
    expect(largeStagedFiles(s, 50).map(f => f.file)).toEqual(['big.csv']);
    expect(largeStagedFiles(s, 0)).toEqual([]);
    expect(sizeText(120 * MB)).toBe('120 MB');
  });

  it('ignores exactly one file, special characters escaped', () => {
    expect(ignorePattern('data/big.csv')).toBe('/data/big.csv');
    expect(ignorePattern('out', true)).toBe('/out/');
    expect(ignorePattern('#notes[1]*.txt')).toBe('/\\#notes\\[1\\]\\*.txt');
    expect(ignorePattern('!important')).toBe('/\\!important');
    expect(ignorePattern('trailing ')).toBe('/trailing\\ ');
  });

  it('maps client paths and repo files both ways', () => {
    expect(clientPath('tutorial', 'a/b.py')).toBe('tutorial/a/b.py');
    expect(clientPath('', 'b.py')).toBe('b.py');
    expect(repoFile('tutorial', 'tutorial/a/b.py')).toBe('a/b.py');
    expect(repoFile('tutorial', '/tutorial/a.py')).toBe('a.py');
    expect(repoFile('tutorial', 'tutorial-2/a.py')).toBeNull();
    expect(repoFile('', 'x.py')).toBe('x.py');
    expect(repoFile(null, 'x.py')).toBeNull();
  });
});

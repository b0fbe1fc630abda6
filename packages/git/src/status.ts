/**
 * What the panel says about a repository's status, as pure functions of the
 * server's answer: the four groups of changes in the order a learner acts on
 * them (conflicts first), ahead/behind in words ("2 commits to push"), what a
 * detached HEAD or a merge in progress means and what to do, which staged
 * files are too large for GitHub, and the `.gitignore` line that ignores
 * exactly one file. Kept apart from the model so each is tested alone.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type {
  FileGroup,
  IBranchStatus,
  IStatus,
  IStatusFile,
  RepoState
} from './api';

/**
 * The groups in the order the panel shows them and the server pages them.
 */
export const GROUPS: readonly FileGroup[] = [
  'conflicted',
  'staged',
  'changed',
  'untracked'
];

export function groupLabel(group: FileGroup, trans: TranslationBundle): string {
  switch (group) {
    case 'conflicted':
      return trans.__('Conflicts');
    case 'staged':
      return trans.__('Staged');
    case 'changed':
      return trans.__('Changed');
    case 'untracked':
      return trans.__('New files');
  }
}

/**
 * What a group holds, in a sentence (the group's tooltip).
 */
export function groupHint(group: FileGroup, trans: TranslationBundle): string {
  switch (group) {
    case 'conflicted':
      return trans.__(
        'Files both sides changed in the same places: choose what to keep, then mark them as resolved.'
      );
    case 'staged':
      return trans.__('What the next commit will save.');
    case 'changed':
      return trans.__(
        'Files changed since the last commit, not staged yet: stage them to commit them.'
      );
    case 'untracked':
      return trans.__(
        'Files git does not track yet (untracked): stage them to add them, or ignore them.'
      );
  }
}

/**
 * The files of one status answer by group (a file both staged and changed is
 * in both, as the server lists it).
 */
export function filesByGroup(
  files: readonly IStatusFile[]
): Record<FileGroup, IStatusFile[]> {
  const out: Record<FileGroup, IStatusFile[]> = {
    conflicted: [],
    staged: [],
    changed: [],
    untracked: []
  };
  for (const file of files) {
    out[file.group]?.push(file);
  }
  return out;
}

/**
 * A status answer with a further page of `group` (`page`, asked with
 * `group=`) appended; files already known are not added twice.
 */
export function appendPage(
  loaded: readonly IStatusFile[],
  page: readonly IStatusFile[]
): IStatusFile[] {
  const key = (f: IStatusFile) => `${f.group}\0${f.file}`;
  const known = new Set(loaded.map(key));
  return [...loaded, ...page.filter(f => !known.has(key(f)))];
}

/**
 * A status letter for screen readers and the row's badge.
 */
export function statusLetter(file: IStatusFile): string {
  switch (file.status) {
    case 'added':
      return 'A';
    case 'modified':
      return 'M';
    case 'deleted':
      return 'D';
    case 'renamed':
      return 'R';
    case 'copied':
      return 'C';
    case 'typechange':
      return 'T';
    case 'untracked':
      return 'U';
    case 'conflicted':
      return '!';
  }
}

export function statusText(
  file: IStatusFile,
  trans: TranslationBundle
): string {
  switch (file.status) {
    case 'added':
      return trans.__('added');
    case 'modified':
      return trans.__('modified');
    case 'deleted':
      return trans.__('deleted');
    case 'renamed':
      return trans.__('renamed');
    case 'copied':
      return trans.__('copied');
    case 'typechange':
      return trans.__('type changed');
    case 'untracked':
      return file.folder ? trans.__('new folder') : trans.__('new');
    case 'conflicted':
      return trans.__('in conflict');
  }
}

/**
 * The remote part of an upstream (`origin/main` → `origin`).
 */
export function upstreamRemote(upstream: string | null): string | null {
  if (!upstream) {
    return null;
  }
  const slash = upstream.indexOf('/');
  return slash > 0 ? upstream.slice(0, slash) : upstream;
}

/**
 * Ahead/behind in words, or `[]` when in step (or without an upstream).
 * `where` names the remote as the learner knows it ("GitHub", "origin");
 * `canUpdate` says "Update the tutorial" is offered (an upstream is set).
 */
export function aheadBehindWords(
  branch: IBranchStatus,
  trans: TranslationBundle,
  where: string,
  canUpdate = false
): string[] {
  const words: string[] = [];
  if (!branch.upstream || branch.detached) {
    return words;
  }
  if (branch.ahead > 0) {
    words.push(
      trans._n('%1 commit to push', '%1 commits to push', branch.ahead)
    );
  }
  if (branch.behind > 0) {
    words.push(
      canUpdate
        ? trans._n(
            '%1 new commit on %2 — pull or Update the tutorial',
            '%1 new commits on %2 — pull or Update the tutorial',
            branch.behind,
            where
          )
        : trans._n(
            '%1 new commit on %2 — pull to bring it in',
            '%1 new commits on %2 — pull to bring them in',
            branch.behind,
            where
          )
    );
  }
  if (branch.ahead > 0 && branch.behind > 0) {
    words.push(
      trans.__(
        'Your branch and %1 have both moved on: pull first (or Update the tutorial), then push.',
        where
      )
    );
  }
  return words;
}

/**
 * What a detached HEAD means and what to do, or `null`.
 */
export function detachedExplanation(
  branch: IBranchStatus,
  trans: TranslationBundle
): string | null {
  if (!branch.detached) {
    return null;
  }
  return trans.__(
    'You are looking at an old commit (%1), not at a branch ("detached HEAD"). Commits made here belong to no branch and are easily lost: switch to a branch in the Branches tab, or create a new branch here to keep your work.',
    (branch.oid ?? '').slice(0, 7)
  );
}

/**
 * What an operation in progress (merge, rebase, …) means and what to do, or `null`.
 */
export function stateExplanation(
  state: RepoState,
  conflicted: number,
  trans: TranslationBundle
): string | null {
  if (!state) {
    return conflicted > 0
      ? trans._n(
          '%1 file has conflicts: open it, choose what to keep, then mark it as resolved.',
          '%1 files have conflicts: open each, choose what to keep, then mark it as resolved.',
          conflicted
        )
      : null;
  }
  const what = {
    merging: trans.__('A merge is in progress.'),
    rebasing: trans.__('A rebase is in progress.'),
    cherry_picking: trans.__('A cherry-pick is in progress.'),
    reverting: trans.__('A revert is in progress.')
  }[state];
  if (conflicted > 0) {
    return `${what} ${trans._n(
      'Git could not combine %1 file by itself (a conflict: both sides changed the same lines). Open it, choose what to keep, mark it as resolved, then commit. Or abort the merge to go back to where you were.',
      'Git could not combine %1 files by itself (a conflict: both sides changed the same lines). Open each, choose what to keep, mark it as resolved, then commit. Or abort the merge to go back to where you were.',
      conflicted
    )}`;
  }
  return `${what} ${trans.__('Every conflict is resolved: commit to finish.')}`;
}

/**
 * Staged files larger than `limitMB` megabytes (sizes from the status).
 */
export function largeStagedFiles(
  status: IStatus | null,
  limitMB: number
): IStatusFile[] {
  if (!status || limitMB <= 0) {
    return [];
  }
  const limit = limitMB * 1024 * 1024;
  return status.files.filter(
    f => f.group === 'staged' && f.size !== null && f.size > limit
  );
}

/**
 * The `.gitignore` line that ignores exactly `file` (repo-relative): anchored
 * at the top with a leading `/`, git's special characters escaped.
 */
export function ignorePattern(file: string, folder = false): string {
  let pattern = file.replace(/[\\*?[\]!#]/g, c => `\\${c}`);
  // trailing spaces are dropped by git unless escaped
  pattern = pattern.replace(/ +$/, spaces => spaces.replace(/ /g, '\\ '));
  pattern = `/${pattern.replace(/^\/+/, '')}`;
  return folder && !pattern.endsWith('/') ? `${pattern}/` : pattern;
}

/**
 * The client path (file-browser path) of a repo-relative file.
 */
export function clientPath(repoPath: string | null, file: string): string {
  const top = (repoPath ?? '').replace(/\/+$/, '');
  return top ? `${top}/${file}` : file;
}

/**
 * The repo-relative name of client path `path`, or `null` outside the repo.
 */
export function repoFile(repoPath: string | null, path: string): string | null {
  if (repoPath === null) {
    return null;
  }
  const top = repoPath.replace(/^\/+|\/+$/g, '');
  const clean = path.replace(/^\/+/, '');
  if (!top) {
    return clean || null;
  }
  return clean.startsWith(`${top}/`) ? clean.slice(top.length + 1) : null;
}

/**
 * A size in bytes, in words a learner reads ("120 MB").
 */
export function sizeText(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0
    ? `${bytes} bytes`
    : `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

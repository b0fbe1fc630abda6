/**
 * Plain words for what a diff compares. Learners meet "INDEX" and "HEAD" here
 * first, so each side is named for what it is to them (the staged version,
 * the last commit, the working copy) and a revision is shortened as git
 * shortens it.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

export const DEFAULT_FROM = 'INDEX';
export const DEFAULT_TO = 'WORKTREE';

/**
 * A revision as people read it: a full object id shortened to 7 characters,
 * anything else (a branch, `HEAD~1`, a tag) as it is.
 */
export function shortRev(rev: string): string {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(rev) ? rev.slice(0, 7) : rev;
}

/**
 * The name of one side of a diff.
 */
export function sideLabel(trans: TranslationBundle, ref: string): string {
  switch (ref) {
    case 'HEAD':
      return trans.__('Last commit');
    case 'INDEX':
      return trans.__('Staged');
    case 'WORKTREE':
      return trans.__('Working copy');
    default:
      return shortRev(ref);
  }
}

/**
 * What the whole diff shows, in one phrase.
 */
export function rangeLabel(
  trans: TranslationBundle,
  from: string = DEFAULT_FROM,
  to: string = DEFAULT_TO
): string {
  if (from === 'INDEX' && to === 'WORKTREE') {
    return trans.__('Changes not staged yet');
  }
  if (from === 'HEAD' && to === 'INDEX') {
    return trans.__('Staged changes');
  }
  if (from === 'HEAD' && to === 'WORKTREE') {
    return trans.__('All changes since the last commit');
  }
  return trans.__('%1 → %2', sideLabel(trans, from), sideLabel(trans, to));
}

/**
 * The last part of a repository-relative path.
 */
export function baseName(file: string): string {
  const parts = file.split('/').filter(Boolean);
  return parts.length ? parts[parts.length - 1] : file;
}

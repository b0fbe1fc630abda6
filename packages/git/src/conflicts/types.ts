/**
 * `GET git/conflict` and `POST git/resolve` as the conflict view reads them
 * (the `Conflict` and `Resolved` schemas of `schema/git-history.yaml`, written
 * here until core exports the generated git types).
 */

export type Side = 'ours' | 'theirs';

export interface IConflict {
  file: string;
  binary: boolean;
  /** The common ancestor's text (`null`: the file was added on both sides). */
  base: string | null;
  /** Our text (`null`: we deleted the file). */
  ours: string | null;
  /** Their text (`null`: they deleted the file). */
  theirs: string | null;
  /** The worktree file, with git's conflict markers (`null` when binary or gone). */
  merged: string | null;
  ours_label: string;
  theirs_label: string;
  /** What happened, in plain words. */
  explanation: string;
}

export interface IResolveAnswer {
  counts: {
    staged: number;
    changed: number;
    untracked: number;
    conflicted: number;
  };
  /** Files still in conflict. */
  remaining: string[];
}

export interface IConflictArgs {
  /** A folder inside the repository. */
  path: string;
  /** The conflicted file, repository-relative. */
  file: string;
}

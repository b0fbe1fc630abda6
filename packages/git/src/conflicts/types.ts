/**
 * `GET git/conflict` and `POST git/resolve` as the conflict view reads them
 * (the shared spec's field names, until `schema/git-history.yaml` types are
 * generated).
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
  /** The worktree file, with git's conflict markers. */
  merged: string;
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

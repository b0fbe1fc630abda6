/**
 * The branch graph of the History tab, computed from each commit's parents
 * (the log is in topological order, newest first). Each row gets the lanes
 * it draws: the node's lane, the lines of the top half (lanes arriving from
 * the row above, into the node or passing by) and of the bottom half (lanes
 * leaving towards the row below, from the node or passing by). Rows carry
 * everything they draw, so a windowed list renders any row alone.
 */
export interface IGraphRow {
  oid: string;
  /** The node's lane (0 = leftmost). */
  lane: number;
  /** Top half: lanes coming from above; `into` = they end at the node. */
  top: { lane: number; into: boolean }[];
  /** Bottom half: lanes going below; `from` = they start at the node. */
  bottom: { lane: number; from: boolean }[];
  /** Lanes in use in this row (the graph column's width). */
  width: number;
}

export interface IGraphCommit {
  oid: string;
  parents: readonly string[];
}

/**
 * The rows of `commits` (newest first). `lanes` carries on from an earlier
 * page: pass the `lanes` of the previous call's result to continue it.
 */
export function graphRows(
  commits: readonly IGraphCommit[],
  lanes: (string | null)[] = []
): { rows: IGraphRow[]; lanes: (string | null)[] } {
  const rows: IGraphRow[] = [];
  let current = [...lanes];
  for (const commit of commits) {
    const before = current;
    let lane = before.indexOf(commit.oid);
    const after = [...before];
    if (lane < 0) {
      lane = after.indexOf(null);
      if (lane < 0) {
        lane = after.length;
        after.push(null);
      }
    }
    const top = before
      .map((oid, i) => ({ oid, i }))
      .filter(({ oid }) => oid !== null)
      .map(({ oid, i }) => ({ lane: i, into: oid === commit.oid }));
    // lanes that converged on this commit end here
    for (let i = 0; i < after.length; i++) {
      if (after[i] === commit.oid) {
        after[i] = null;
      }
    }
    const starts = new Set<number>();
    const [first, ...others] = commit.parents;
    if (first !== undefined) {
      after[lane] = first;
      starts.add(lane);
    }
    for (const parent of others) {
      let j = after.indexOf(parent);
      if (j < 0) {
        j = after.indexOf(null);
        if (j < 0) {
          j = after.length;
          after.push(null);
        }
        after[j] = parent;
      }
      starts.add(j);
    }
    while (after.length && after[after.length - 1] === null) {
      after.pop();
    }
    const bottom = after
      .map((oid, i) => ({ oid, i }))
      .filter(({ oid }) => oid !== null)
      .map(({ i }) => ({ lane: i, from: starts.has(i) }));
    rows.push({
      oid: commit.oid,
      lane,
      top,
      bottom,
      width: Math.max(lane + 1, before.length, after.length)
    });
    current = after;
  }
  return { rows, lanes: current };
}

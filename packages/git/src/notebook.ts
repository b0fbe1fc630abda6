/**
 * "Clear notebook outputs before commit": outputs (plots, tables, data) make
 * commits large and diffs noisy, and may hold what a learner did not mean to
 * publish. Clearing works on the notebook's JSON as the contents API gives
 * it, like JupyterLab's "Clear All Outputs" then a save.
 */

export function isNotebook(file: string): boolean {
  return file.toLowerCase().endsWith('.ipynb');
}

interface ICell {
  cell_type?: string;
  outputs?: unknown[];
  execution_count?: number | null;
}

/**
 * `content` (a notebook's JSON) without outputs and execution counts, or
 * `null` when it has none to clear (nothing to save).
 */
export function clearOutputs(content: unknown): object | null {
  const notebook = content as { cells?: ICell[] } | null;
  if (!notebook || !Array.isArray(notebook.cells)) {
    return null;
  }
  let changed = false;
  const cells = notebook.cells.map(cell => {
    if (cell.cell_type !== 'code') {
      return cell;
    }
    const hasOutputs = Array.isArray(cell.outputs) && cell.outputs.length > 0;
    if (!hasOutputs && (cell.execution_count ?? null) === null) {
      return cell;
    }
    changed = true;
    return { ...cell, outputs: [], execution_count: null };
  });
  return changed ? { ...notebook, cells } : null;
}

import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

/**
 * The commit box: a one-line summary (what the commit does), an optional
 * description (why), "Amend the last commit", and Commit (also Ctrl/Cmd+Enter).
 * What is committed is the Staged group; without staged files the button
 * says so instead of failing.
 */
export function CommitBox(props: {
  trans: TranslationBundle;
  staged: number;
  busy: boolean;
  /** Resolves `true` when committed: the box then clears. */
  onCommit: (
    summary: string,
    description: string,
    amend: boolean
  ) => Promise<boolean>;
  /** Set by the panel to focus the summary (the "Commit" command). */
  summaryRef?: React.RefObject<HTMLInputElement>;
}): JSX.Element {
  const { trans, staged, busy } = props;
  const [summary, setSummary] = React.useState('');
  const [description, setDescription] = React.useState('');
  const [amend, setAmend] = React.useState(false);
  const canCommit = !busy && summary.trim().length > 0 && (staged > 0 || amend);
  const commit = async () => {
    if (!canCommit) {
      return;
    }
    if (await props.onCommit(summary, description, amend)) {
      setSummary('');
      setDescription('');
      setAmend(false);
    }
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void commit();
    }
  };
  return (
    <form
      className="cs-Git-commitBox"
      aria-label={trans.__('Commit')}
      onSubmit={event => {
        event.preventDefault();
        void commit();
      }}
    >
      <input
        ref={props.summaryRef}
        className="jp-mod-styled cs-Git-summary"
        type="text"
        value={summary}
        maxLength={500}
        placeholder={trans.__('Summary (what this commit does)')}
        aria-label={trans.__('Commit summary')}
        onChange={event => setSummary(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <textarea
        className="jp-mod-styled cs-Git-description"
        value={description}
        rows={2}
        placeholder={trans.__('Description (why; optional)')}
        aria-label={trans.__('Commit description')}
        onChange={event => setDescription(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="cs-Git-commitRow">
        <label className="cs-Git-amend">
          <input
            type="checkbox"
            checked={amend}
            onChange={event => setAmend(event.target.checked)}
          />
          {trans.__('Amend the last commit')}
        </label>
        <button
          type="submit"
          className="jp-Button jp-mod-styled jp-mod-accept cs-Git-commit"
          disabled={!canCommit}
          title={
            staged === 0 && !amend
              ? trans.__('Stage the files to commit first')
              : trans.__('Commit the staged files (Ctrl+Enter)')
          }
        >
          {amend
            ? trans.__('Amend')
            : trans._n('Commit %1 file', 'Commit %1 files', staged)}
        </button>
      </div>
    </form>
  );
}

import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { IStatusFile } from '../api';
import { sizeText, statusLetter, statusText } from '../status';
import type { IPanelActions } from '../tokens';

/**
 * A small row button: a glyph for the eye, the action and the file's name for
 * screen readers (and as the tooltip).
 */
function RowButton(props: {
  glyph: string;
  label: string;
  onClick: () => void;
  className: string;
}): JSX.Element {
  return (
    <button
      type="button"
      className={`jp-Button jp-mod-minimal cs-Git-rowButton ${props.className}`}
      aria-label={props.label}
      title={props.label}
      onClick={event => {
        event.stopPropagation();
        props.onClick();
      }}
    >
      <span aria-hidden="true">{props.glyph}</span>
    </button>
  );
}

/**
 * One changed file: its name (folder dimmed), what changed, and the actions
 * of its group. The name is React text: a file named `<img onerror=…>` shows
 * as those characters.
 */
export function FileRow(props: {
  file: IStatusFile;
  trans: TranslationBundle;
  actions: IPanelActions;
  /** Larger than the large-file warning's limit: its size is shown. */
  large?: boolean;
}): JSX.Element {
  const { file, trans, actions } = props;
  const slash = file.file.replace(/\/$/, '').lastIndexOf('/');
  const base = slash >= 0 ? file.file.slice(slash + 1) : file.file;
  const dir = slash >= 0 ? file.file.slice(0, slash) : '';
  const what = statusText(file, trans);
  const renamed =
    file.orig_file && file.orig_file !== file.file
      ? trans.__('renamed from %1', file.orig_file)
      : '';
  const name = file.file;
  const buttons: JSX.Element[] = [];
  const add = (
    key: string,
    glyph: string,
    label: string,
    onClick: () => void
  ) =>
    buttons.push(
      <RowButton
        key={key}
        glyph={glyph}
        label={label}
        onClick={onClick}
        className={`cs-Git-${key}`}
      />
    );
  switch (file.group) {
    case 'conflicted':
      add('resolve', '⚑', trans.__('Resolve the conflict in %1', name), () =>
        actions.openFile(file)
      );
      break;
    case 'staged':
      add('diff', '⇄', trans.__('Show the staged changes of %1', name), () =>
        actions.openDiff(file)
      );
      add('history', '☰', trans.__('Show the history of %1', name), () =>
        actions.showHistory(file.file)
      );
      add('unstage', '−', trans.__('Unstage %1', name), () =>
        actions.unstage([file.file])
      );
      break;
    case 'changed':
      add('diff', '⇄', trans.__('Show the changes of %1', name), () =>
        actions.openDiff(file)
      );
      add('history', '☰', trans.__('Show the history of %1', name), () =>
        actions.showHistory(file.file)
      );
      add('discard', '↶', trans.__('Discard the changes to %1', name), () =>
        actions.discard([file])
      );
      add('stage', '+', trans.__('Stage %1', name), () =>
        actions.stage([file.file])
      );
      break;
    case 'untracked':
      add(
        'ignore',
        '⊘',
        trans.__('Ignore %1 (add it to .gitignore)', name),
        () => actions.ignore(file.file.replace(/\/$/, ''), file.folder)
      );
      add('discard', '✕', trans.__('Delete %1', name), () =>
        actions.discard([file])
      );
      add('stage', '+', trans.__('Stage %1', name), () =>
        actions.stage([file.file])
      );
      break;
  }
  return (
    <div
      className={`cs-Git-file cs-mod-${file.group}`}
      data-file={file.file}
      data-status={file.status}
    >
      <button
        type="button"
        className="cs-Git-fileName"
        title={[name, what, renamed].filter(Boolean).join(' — ')}
        aria-label={trans.__('%1, %2', name, what)}
        onClick={() => actions.openFile(file)}
      >
        <span className="cs-Git-fileBase">{base}</span>
        {dir ? <span className="cs-Git-fileDir">{dir}</span> : null}
      </button>
      {props.large && file.size !== null ? (
        <span
          className="cs-Git-fileSize"
          title={trans.__('Large file: GitHub refuses files over 100 MB')}
        >
          {sizeText(file.size)}
        </span>
      ) : null}
      <span
        className={`cs-Git-status cs-mod-${file.status}`}
        aria-hidden="true"
        title={what}
      >
        {statusLetter(file)}
      </span>
      <span className="cs-Git-rowButtons">{buttons}</span>
    </div>
  );
}

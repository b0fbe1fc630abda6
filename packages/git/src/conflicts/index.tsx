/**
 * Merge conflicts in the main area: one tab per conflicted file, with the
 * three-way view and "Mark as resolved".
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, ReactWidget } from '@jupyterlab/apputils';
import * as React from 'react';

import type { IGitViewDeps } from '../diff';
import { baseName } from '../diff/labels';
import { ConflictView } from './ConflictView';
import type { IConflictArgs, IResolveAnswer } from './types';

export { ConflictView, hasConflictMarkers } from './ConflictView';
export type { IConflictViewProps } from './ConflictView';
export type * from './types';

/**
 * What the conflict view needs: the server client, translations, and what to
 * do after a file is resolved (the panel refreshes its status).
 */
export interface IConflictDeps extends IGitViewDeps {
  onResolved?: (answer: IResolveAnswer) => void;
}

export class ConflictWidget extends ReactWidget {
  constructor(
    readonly args: IConflictArgs,
    private readonly _deps: IConflictDeps,
    private readonly _open: (file: string) => void
  ) {
    super();
    this.addClass('cs-GitConflictWidget');
  }

  protected render(): JSX.Element {
    return (
      <ConflictView
        api={this._deps.api}
        trans={this._deps.trans}
        args={this.args}
        onResolved={this._deps.onResolved}
        onOpen={this._open}
      />
    );
  }
}

function conflictId(args: IConflictArgs): string {
  const key = `${args.path}\u0000${args.file}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `cs-git-conflict-${hash.toString(36)}`;
}

/**
 * Open (or bring forward) the three-way view of a conflicted file.
 */
export function openConflict(
  app: JupyterFrontEnd,
  args: IConflictArgs,
  deps: IConflictDeps
): MainAreaWidget<ConflictWidget> {
  const id = conflictId(args);
  for (const widget of app.shell.widgets('main')) {
    if (widget.id === id && widget instanceof MainAreaWidget) {
      app.shell.activateById(id);
      return widget as MainAreaWidget<ConflictWidget>;
    }
  }
  const { trans } = deps;
  const content = new ConflictWidget(args, deps, file =>
    openConflict(app, { path: args.path, file }, deps)
  );
  const widget = new MainAreaWidget({ content });
  widget.id = id;
  widget.addClass('cs-GitConflictPanel');
  widget.title.label = trans.__('%1 (conflict)', baseName(args.file));
  widget.title.caption = trans.__('Merge conflict in %1', args.file);
  widget.title.closable = true;
  app.shell.add(widget, 'main');
  app.shell.activateById(id);
  return widget;
}

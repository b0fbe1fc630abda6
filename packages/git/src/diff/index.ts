/**
 * Diffs in the main area: one tab per file and comparison (opening the same
 * diff again brings its tab to the front and refreshes it), with a text,
 * notebook or image view chosen by the server's answer.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { DiffView } from './DiffView';
import { baseName, rangeLabel } from './labels';
import type { IGitRequests } from './requests';
import type { IDiffArgs } from './types';

export { gitRequests } from './requests';
export type { GitParams, IGitRequests } from './requests';
export type * from './types';
export { DiffBody, DiffView } from './DiffView';
export { TextDiff, sideBySide, diffStats } from './TextDiff';
export { NotebookDiff } from './NotebookDiff';
export { ImageDiff, imageDataUrl } from './ImageDiff';
export { rangeLabel, sideLabel, shortRev } from './labels';

/**
 * What the git views need: the server client and the translations.
 */
export interface IGitViewDeps {
  api: IGitRequests;
  trans: TranslationBundle;
}

/**
 * A diff's React content; `refresh()` asks the server again.
 */
export class DiffWidget extends ReactWidget {
  constructor(
    readonly args: IDiffArgs,
    private readonly _deps: IGitViewDeps
  ) {
    super();
    this.addClass('cs-GitDiffWidget');
  }

  refresh(): void {
    this._reload++;
    this.update();
  }

  protected render(): JSX.Element {
    return React.createElement(DiffView, {
      api: this._deps.api,
      args: this.args,
      trans: this._deps.trans,
      reload: this._reload
    });
  }

  private _reload = 0;
}

/**
 * A short stable id for a diff tab (ids must not carry arbitrary file names).
 */
export function diffWidgetId(args: IDiffArgs): string {
  const key = [args.path, args.file, args.from ?? '', args.to ?? ''].join(
    '\u0000'
  );
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `cs-git-diff-${hash.toString(36)}`;
}

/**
 * Open (or bring forward and refresh) the diff of `args.file` in the main area.
 */
export function openDiff(
  app: JupyterFrontEnd,
  args: IDiffArgs,
  deps: IGitViewDeps
): MainAreaWidget<DiffWidget> {
  const id = diffWidgetId(args);
  for (const widget of app.shell.widgets('main')) {
    if (widget.id === id && widget instanceof MainAreaWidget) {
      const existing = widget as MainAreaWidget<DiffWidget>;
      existing.content.refresh();
      app.shell.activateById(id);
      return existing;
    }
  }
  const { trans } = deps;
  const content = new DiffWidget(args, deps);
  const widget = new MainAreaWidget({ content });
  widget.id = id;
  widget.addClass('cs-GitDiffPanel');
  widget.title.label = args.title ?? trans.__('%1 (diff)', baseName(args.file));
  widget.title.caption = `${args.file} — ${rangeLabel(trans, args.from, args.to)}`;
  widget.title.closable = true;
  app.shell.add(widget, 'main');
  app.shell.activateById(id);
  return widget;
}

/**
 * A dashboard plot of a cluster in a main-area tab (loaded on first use, as a
 * chunk of its own). Once the cluster has shut down or left the list, the
 * iframe is removed, so nothing keeps polling a dashboard that is gone, and the
 * tab says so.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { safeUrl } from '@cloudscapes/core';

import { daskIcon } from './icon';
import type { Cluster, DaskModel, Plot } from './model';

/**
 * What a dashboard tab shows.
 */
export interface IDashboardOptions {
  model: DaskModel;
  clusterId: string;
  clusterName: string;
  plot: Plot;
  trans: TranslationBundle;
}

/**
 * An iframe showing one plot while the cluster lives, then a notice.
 */
export class DashboardPane extends Widget {
  constructor(options: IDashboardOptions) {
    super();
    this._options = options;
    // the iframe loads only an http(s) address (never a javascript: URL)
    this._url = safeUrl(options.plot.url);
    this.addClass('cs-DaskDashboard');
    this.node.dataset.clusterId = options.clusterId;
    this.node.dataset.plot = options.plot.name;
    const { model } = options;
    model.start();
    if (model.isGone(options.clusterId)) {
      this._showGone();
    } else {
      this._showFrame();
      model.clustersChanged.connect(this._onClustersChanged, this);
      document.addEventListener('visibilitychange', this._onVisibility);
    }
  }

  /**
   * The hub's proxy counts every websocket frame as activity, so a dashboard
   * nobody looks at (browser tab hidden, or this tab behind another) must not
   * stay connected: its frame is blanked until it is seen again.
   */
  private _onVisibility = (): void => {
    this._setPaused(document.visibilityState === 'hidden' || !this.isVisible);
  };

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._setPaused(document.visibilityState === 'hidden');
  }

  protected onBeforeHide(msg: Message): void {
    super.onBeforeHide(msg);
    this._setPaused(true);
  }

  private _setPaused(paused: boolean): void {
    const frame = this._frame;
    if (!frame) {
      return;
    }
    const url = this._url;
    if (!url) {
      return;
    }
    if (paused && frame.src !== 'about:blank') {
      frame.src = 'about:blank';
    } else if (!paused && frame.getAttribute('src') !== url) {
      frame.src = url;
    }
  }

  /**
   * Whether the dashboard is disconnected because nobody can see it.
   */
  get isPaused(): boolean {
    return !!this._frame && this._frame.getAttribute('src') === 'about:blank';
  }

  get clusterId(): string {
    return this._options.clusterId;
  }

  get clusterName(): string {
    return this._options.clusterName;
  }

  get plot(): Plot {
    return this._options.plot;
  }

  /**
   * Whether the cluster has shut down (the iframe is gone).
   */
  get isGone(): boolean {
    return this._frame === null;
  }

  /**
   * The iframe, or `null` once the cluster has shut down.
   */
  get frame(): HTMLIFrameElement | null {
    return this._frame;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._options.model.clustersChanged.disconnect(
      this._onClustersChanged,
      this
    );
    document.removeEventListener('visibilitychange', this._onVisibility);
    this._dropFrame();
    super.dispose();
  }

  private _onClustersChanged(model: DaskModel, _clusters: Cluster[]): void {
    if (model.isGone(this._options.clusterId)) {
      model.clustersChanged.disconnect(this._onClustersChanged, this);
      document.removeEventListener('visibilitychange', this._onVisibility);
      this._showGone();
    }
  }

  private _showFrame(): void {
    const { plot, clusterName, trans } = this._options;
    if (!this._url) {
      this._showNotice(
        trans.__('This plot cannot be shown'),
        trans.__(
          'The address of plot %1 is not a web address (http or https), so it is not opened.',
          plot.title
        )
      );
      return;
    }
    const frame = document.createElement('iframe');
    frame.className = 'cs-DaskDashboard-frame';
    frame.title = trans.__('%1 of Dask cluster %2', plot.title, clusterName);
    // Bokeh needs scripts; the local dashboard comes through this server's
    // proxy, which authenticates with the page's cookies.
    frame.setAttribute(
      'sandbox',
      'allow-scripts allow-same-origin allow-popups allow-downloads'
    );
    frame.src = this._url;
    this._frame = frame;
    this.node.appendChild(frame);
  }

  private _dropFrame(): void {
    if (this._frame) {
      // leave the page first, so the dashboard's websocket closes at once
      this._frame.src = 'about:blank';
      this._frame.remove();
      this._frame = null;
    }
  }

  private _showGone(): void {
    this._dropFrame();
    if (this.node.querySelector('.cs-DaskDashboard-gone')) {
      return;
    }
    const { trans, clusterName } = this._options;
    this.node.querySelector('.cs-DaskDashboard-notice')?.remove();
    this._showNotice(
      trans.__('This cluster has shut down'),
      trans.__(
        'Dask cluster %1 is no longer running, so its dashboard is gone. You can close this tab.',
        clusterName
      ),
      'cs-DaskDashboard-gone'
    );
  }

  private _showNotice(
    heading: string,
    text: string,
    className = 'cs-DaskDashboard-notice'
  ): void {
    const notice = document.createElement('div');
    notice.className = className;
    notice.setAttribute('role', 'status');
    const title = document.createElement('div');
    title.className = 'cs-DaskDashboard-gone-title';
    title.textContent = heading;
    const body = document.createElement('div');
    body.className = 'cs-DaskDashboard-gone-body';
    body.textContent = text;
    notice.append(title, body);
    this.node.appendChild(notice);
  }

  private _options: IDashboardOptions;
  private _url: string | null;
  private _frame: HTMLIFrameElement | null = null;
}

/**
 * A main-area tab with the plot: "Task Stream · my-cluster".
 */
export function createDashboard(
  options: IDashboardOptions
): MainAreaWidget<DashboardPane> {
  const content = new DashboardPane(options);
  const widget = new MainAreaWidget({ content });
  widget.addClass('cs-DaskDashboard-tab');
  widget.title.label = `${options.plot.title} · ${options.clusterName}`;
  widget.title.caption = options.trans.__(
    '%1 of Dask cluster %2',
    options.plot.title,
    options.clusterName
  );
  widget.title.icon = daskIcon;
  widget.title.closable = true;
  return widget;
}

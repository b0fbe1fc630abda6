import type { JupyterFrontEnd } from '@jupyterlab/application';
import { PromiseDelegate } from '@lumino/coreutils';
import type { Message } from '@lumino/messaging';
import { BoxPanel, Widget } from '@lumino/widgets';

import { ISidebarOptions, addSidebarPanel } from './sidebar';

/**
 * A sidebar panel whose content is built only when it is first shown (or when
 * `load()` is called, by a command): `build` typically `import()`s the view,
 * so that its code (and heavy libraries such as a map) is a chunk of its own
 * that a page which never opens the panel never fetches. The plugin that adds
 * it activates at once, without waiting on the network.
 */
export class LazyPanel<T extends Widget> extends BoxPanel {
  constructor(build: () => Promise<T>) {
    super();
    this._build = build;
    this.addClass('cs-LazyPanel');
  }

  /**
   * The content once it is built, `null` before.
   */
  get content(): T | null {
    return this._content;
  }

  /**
   * Build the content (once) and put it in the panel; resolves with it.
   * A failure (a chunk that cannot be fetched) is shown in the panel, and the
   * next call tries again.
   */
  load(): Promise<T> {
    if (!this._loading) {
      this._loading = this._build().then(
        content => {
          this._message?.dispose();
          this._message = null;
          this._content = content;
          this.addWidget(content);
          return content;
        },
        reason => {
          this._loading = null;
          console.error('Cloudscapes: a panel could not be loaded', reason);
          if (!this._message) {
            this._message = new Widget();
            this._message.addClass('cs-LazyPanel-error');
            this.addWidget(this._message);
          }
          this._message.node.textContent = String(
            reason instanceof Error ? reason.message : reason
          );
          throw reason;
        }
      );
    }
    return this._loading;
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.load().catch(() => undefined);
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      void this.load().catch(() => undefined);
    }
  }

  private _build: () => Promise<T>;
  private _content: T | null = null;
  private _loading: Promise<T> | null = null;
  private _message: Widget | null = null;
}

/**
 * A feature's view (its model and panel, typically) that loads on first use.
 */
export interface ILazyView<V> {
  /**
   * The loaded view, `null` until the panel was first shown or loaded.
   */
  readonly view: V | null;
  /**
   * Resolves when the view has loaded (without loading it).
   */
  readonly ready: Promise<V>;
  /**
   * Load the view (once) without showing it.
   */
  load(): Promise<V>;
  /**
   * Bring the panel to the front; resolves with the loaded view.
   */
  show(): Promise<V>;
}

/**
 * `addSidebarPanel` for a panel built on first show: `build` loads the view
 * (`import()` of its chunk) and gives its panel, which fills the sidebar's
 * `LazyPanel`. Commands reach the view through the returned `ILazyView`.
 */
export function addLazySidebarPanel<V extends { panel: Widget }>(
  app: JupyterFrontEnd,
  build: () => Promise<V>,
  options: ISidebarOptions
): ILazyView<V> {
  const ready = new PromiseDelegate<V>();
  let view: V | null = null;
  const host = new LazyPanel<Widget>(async () => {
    view = await build();
    ready.resolve(view);
    return view.panel;
  });
  const show = addSidebarPanel(app, host, options);
  const load = async (): Promise<V> => {
    await host.load();
    return view!;
  };
  return {
    get view() {
      return view;
    },
    ready: ready.promise,
    load,
    show: () => {
      show();
      return load();
    }
  };
}

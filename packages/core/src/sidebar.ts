import type {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd
} from '@jupyterlab/application';
import { VDomRenderer } from '@jupyterlab/ui-components';
import type { LabIcon } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import type { Widget } from '@lumino/widgets';

/**
 * Where and how a sidebar panel is added.
 */
export interface ISidebarOptions {
  /**
   * The panel's DOM id, also its layout-restorer name and what
   * `app.shell.activateById` shows.
   */
  id: string;
  area: 'left' | 'right';
  /**
   * Position among the sidebar's tabs (JupyterLab's file browser is 100,
   * its running sessions 200, its property inspector 100 on the right).
   */
  rank: number;
  icon: LabIcon;
  /**
   * The tab's tooltip (its accessible name).
   */
  caption: string;
  labShell: ILabShell | null;
  restorer?: ILayoutRestorer | null;
}

/**
 * Put `panel` in a sidebar as every Cloudscapes panel goes there: its id,
 * icon and caption, its rank, restored where the user left it. Returns
 * `show()`, which brings the panel to the front (adding it first in a shell
 * without sidebars, such as Notebook 7's).
 */
export function addSidebarPanel(
  app: JupyterFrontEnd,
  panel: Widget,
  options: ISidebarOptions
): () => void {
  panel.id = options.id;
  panel.title.icon = options.icon;
  panel.title.caption = options.caption;
  if (options.labShell) {
    options.labShell.add(panel, options.area, { rank: options.rank });
  }
  options.restorer?.add(panel, options.id);
  return () => {
    if (!panel.isAttached && !options.labShell) {
      app.shell.add(panel, options.area);
    }
    app.shell.activateById(options.id);
  };
}

/**
 * A model that fetches and polls only once something starts it.
 */
export interface IStartable {
  start(): void;
}

/**
 * A panel whose model starts (first fetch, polling) when the panel is first
 * shown, not when its plugin activates: a page that never opens the panel
 * never pays for it, and the plugin activates without waiting on the network.
 */
export abstract class ModelPanel<
  T extends VDomRenderer.IModel & IStartable
> extends VDomRenderer<T> {
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.start();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this.model.start();
    }
  }
}

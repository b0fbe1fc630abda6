import type {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd
} from '@jupyterlab/application';
import type { ICommandPalette } from '@jupyterlab/apputils';
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
 * The widget with DOM id `id` in the shell's sidebars or main area, if
 * there is one (for a plugin that needs a panel another plugin created).
 */
export function findShellWidget(
  app: JupyterFrontEnd,
  id: string
): Widget | undefined {
  for (const area of ['left', 'right', 'main']) {
    try {
      for (const widget of app.shell.widgets(area)) {
        if (widget.id === id) {
          return widget;
        }
      }
    } catch {
      // a shell without that area
    }
  }
  return undefined;
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

/**
 * What a "Show …" command of a panel says.
 */
export interface IShowCommandOptions {
  label: string;
  caption: string;
  /**
   * Shown in menus, not in the palette (which lists the category instead).
   */
  icon?: LabIcon;
  /**
   * The palette's category; without one (or without a palette) the
   * command is not in the palette.
   */
  category?: string;
}

/**
 * Add command `id` that brings a panel to the front (`show`, from
 * `addSidebarPanel`), and put it in the palette.
 */
export function addShowCommand(
  app: JupyterFrontEnd,
  id: string,
  show: () => void,
  options: IShowCommandOptions,
  palette?: ICommandPalette | null
): void {
  const icon = options.icon;
  app.commands.addCommand(id, {
    label: options.label,
    caption: options.caption,
    icon: icon ? args => (args['isPalette'] ? undefined : icon) : undefined,
    execute: show
  });
  if (palette && options.category) {
    palette.addItem({ command: id, category: options.category });
  }
}

import { Widget } from '@lumino/widgets';

/**
 * Let React (and VDomRenderer's update) finish.
 */
export async function settle(): Promise<void> {
  await new Promise(resolve => requestAnimationFrame(resolve));
  await new Promise(resolve => setTimeout(resolve, 0));
}

/**
 * Attach `widget`, render it and wait until the DOM is there.
 */
export async function attached<T extends Widget>(widget: T): Promise<T> {
  Widget.attach(widget, document.body);
  widget.update();
  await settle();
  return widget;
}

/**
 * jsdom lays nothing out: give windowed lists (`.cs-data-list`) a 400×300 px
 * viewport so the virtualizer renders the rows in view, as a browser would.
 */
export function layoutLists(): void {
  for (const [name, value] of [
    ['clientHeight', 400],
    ['clientWidth', 300]
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, name, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('cs-data-list') ? value : 0;
      }
    });
  }
}

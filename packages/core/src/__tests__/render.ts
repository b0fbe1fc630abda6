import { Widget } from '@lumino/widgets';

/**
 * Rendering helpers of every package's jest specs (they import this file from
 * `../../../core/src/__tests__/render`).
 */

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

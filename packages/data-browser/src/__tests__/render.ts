export { attached, settle } from '../../../core/src/__tests__/render';

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

export { attached, settle } from '../../../core/src/__tests__/render';

/**
 * jsdom lays nothing out: give windowed lists (`.cs-DataList`, and core's
 * log view of a download) a 400×300 px viewport so the virtualizer renders
 * the rows in view, as a browser would.
 */
export function layoutLists(): void {
  for (const [name, value] of [
    ['clientHeight', 400],
    ['clientWidth', 300]
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, name, {
      configurable: true,
      get(this: HTMLElement) {
        const windowed =
          this.classList.contains('cs-DataList') ||
          this.classList.contains('cs-LogView-scroller');
        return windowed ? value : 0;
      }
    });
  }
}

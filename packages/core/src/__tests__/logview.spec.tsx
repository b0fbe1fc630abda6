import { Clipboard } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { IJobLogLine } from '../jobs';
import { ILogViewProps, LogView } from '../logview';
import { attached, settle } from './render';

const ROW = 18;
const VIEW = 180; // ten lines in view

/**
 * jsdom lays nothing out: give the log's scroller a 180 px viewport, a
 * scroll height from its content and a scrollTop that sticks and fires
 * `scroll`, as a browser does.
 */
beforeAll(() => {
  const offsets = new WeakMap<Element, number>();
  const isScroller = (el: Element) =>
    el.classList.contains('cs-LogView-scroller');
  const height = (el: Element) =>
    parseFloat(
      (el.firstElementChild as HTMLElement | null)?.style.height ?? '0'
    ) || 0;
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? VIEW : 0;
    }
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? 300 : 0;
    }
  });
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? Math.max(VIEW, height(this)) : 0;
    }
  });
  Object.defineProperty(Element.prototype, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return offsets.get(this) ?? 0;
    },
    set(this: HTMLElement, value: number) {
      const max = Math.max(0, this.scrollHeight - this.clientHeight);
      const top = Math.min(max, Math.max(0, value));
      if (top !== (offsets.get(this) ?? 0)) {
        offsets.set(this, top);
        // a browser tells the page (and the virtualizer) that it scrolled
        queueMicrotask(() => this.dispatchEvent(new Event('scroll')));
      }
    }
  });
});

function lines(from: number, to: number, stream = 'stdout'): IJobLogLine[] {
  const out: IJobLogLine[] = [];
  for (let n = from; n <= to; n++) {
    out.push({
      n,
      time: '2024-09-01T00:00:00Z',
      stream: stream as IJobLogLine['stream'],
      text: `\x1b[32mline ${n}\x1b[0m`
    });
  }
  return out;
}

/**
 * A LogView whose props can be changed, as a job's lines arrive.
 */
class Host extends ReactWidget {
  constructor(public props: ILogViewProps) {
    super();
  }
  set(props: Partial<ILogViewProps>) {
    this.props = { ...this.props, ...props };
    this.update();
  }
  render() {
    return <LogView {...this.props} />;
  }
}

async function render(props: Partial<ILogViewProps> = {}) {
  const host = await attached(
    new Host({ label: 'Log of Clone repo', lines: [], ...props })
  );
  await settle();
  const scroller = host.node.querySelector(
    '.cs-LogView-scroller'
  ) as HTMLElement;
  const shown = () =>
    Array.from(host.node.querySelectorAll('.cs-LogView-line')).map(
      el => el.textContent
    );
  const scroll = async (top: number) => {
    scroller.scrollTop = top;
    await settle();
  };
  const latest = () =>
    host.node.querySelector('.cs-LogView-latest') as HTMLButtonElement | null;
  return { host, scroller, shown, scroll, latest };
}

const bottom = (el: HTMLElement) =>
  el.scrollHeight - el.scrollTop - el.clientHeight;

describe('LogView', () => {
  it('is a polite log a keyboard can reach, with the escapes stripped', async () => {
    const { host, scroller, shown } = await render({ lines: lines(1, 3) });
    expect(scroller.getAttribute('role')).toBe('log');
    expect(scroller.getAttribute('aria-live')).toBe('polite');
    expect(scroller.getAttribute('aria-label')).toBe('Log of Clone repo');
    expect(scroller.tabIndex).toBe(0);
    expect(shown()).toEqual(['line 1', 'line 2', 'line 3']);
    host.dispose();
  });

  it('keeps only the lines in view in the DOM', async () => {
    const { host, scroller, shown } = await render({ lines: lines(1, 5000) });
    expect(shown().length).toBeGreaterThan(5);
    expect(shown().length).toBeLessThan(60);
    // it follows the tail: the last line is there, the first is not
    expect(shown()).toContain('line 5000');
    expect(shown()).not.toContain('line 1');
    const inner = scroller.firstElementChild as HTMLElement;
    expect(inner.style.height).toBe(`${5000 * ROW}px`);
    host.dispose();
  });

  it('follows new lines at the tail', async () => {
    const { host, scroller, shown } = await render({ lines: lines(1, 20) });
    expect(bottom(scroller)).toBe(0);
    host.set({ lines: lines(1, 40) });
    await settle();
    expect(bottom(scroller)).toBe(0);
    expect(shown()).toContain('line 40');
    host.dispose();
  });

  it('stays where the user scrolled up to, and offers the latest lines', async () => {
    const { host, scroller, shown, scroll, latest } = await render({
      lines: lines(1, 40)
    });
    expect(latest()).toBeNull();
    await scroll(0);
    host.set({ lines: lines(1, 43) });
    await settle();
    expect(scroller.scrollTop).toBe(0);
    expect(shown()).toContain('line 1');
    expect(shown()).not.toContain('line 43');
    // arrivals are no longer read out while the user reads
    expect(scroller.getAttribute('aria-live')).toBe('off');
    expect(latest()?.textContent).toBe('Show latest (3 new lines)');
    latest()!.click();
    await settle();
    expect(bottom(scroller)).toBe(0);
    expect(shown()).toContain('line 43');
    expect(latest()).toBeNull();
    expect(scroller.getAttribute('aria-live')).toBe('polite');
    host.dispose();
  });

  it('goes to the first line with Home and back to the tail with End', async () => {
    const { host, scroller, shown } = await render({ lines: lines(1, 100) });
    const key = async (k: string) => {
      scroller.dispatchEvent(
        new KeyboardEvent('keydown', { key: k, bubbles: true })
      );
      await settle();
    };
    await key('Home');
    expect(scroller.scrollTop).toBe(0);
    expect(shown()).toContain('line 1');
    host.set({ lines: lines(1, 110) });
    await settle();
    expect(scroller.scrollTop).toBe(0);
    await key('End');
    expect(bottom(scroller)).toBe(0);
    host.set({ lines: lines(1, 120) });
    await settle();
    expect(bottom(scroller)).toBe(0);
    expect(shown()).toContain('line 120');
    host.dispose();
  });

  it('copies the whole log as plain text, not only the lines in view', async () => {
    const copy = jest
      .spyOn(Clipboard, 'copyToSystem')
      .mockImplementation(() => undefined);
    const { host } = await render({ lines: lines(1, 500) });
    const button = host.node.querySelector(
      '.cs-LogView-copy'
    ) as HTMLButtonElement;
    button.click();
    await settle();
    expect(copy).toHaveBeenCalledTimes(1);
    const text = copy.mock.calls[0][0] as string;
    expect(text.split('\n')).toHaveLength(500);
    expect(text.startsWith('line 1\nline 2\n')).toBe(true);
    expect(text).not.toContain('\x1b');
    expect(host.node.querySelector('[role="status"]')?.textContent).toBe(
      'Copied'
    );
    copy.mockRestore();
    host.dispose();
  });

  it('marks the stream of each line and says what was dropped', async () => {
    const { host } = await render({
      lines: [...lines(11, 11, 'stderr'), ...lines(12, 12, 'info')],
      dropped: 10
    });
    const rows = host.node.querySelectorAll('.cs-LogView-line');
    expect(rows[0].classList).toContain('cs-mod-stderr');
    expect(rows[1].classList).toContain('cs-mod-info');
    expect(host.node.querySelector('.cs-LogView-dropped')?.textContent).toBe(
      '10 earlier lines not kept'
    );
    host.dispose();
  });

  it('says when there is no output yet, and cannot copy nothing', async () => {
    const { host } = await render();
    expect(host.node.querySelector('.cs-LogView-empty')?.textContent).toBe(
      'No output yet.'
    );
    expect(
      (host.node.querySelector('.cs-LogView-copy') as HTMLButtonElement)
        .disabled
    ).toBe(true);
    host.dispose();
  });
});

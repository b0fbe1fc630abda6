import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataList, IDataListProps } from '../components/DataList';
import { attached, layoutLists, settle } from './render';

layoutLists();

async function render(props: Partial<IDataListProps> & { count: number }) {
  const full: IDataListProps = {
    label: 'Objects',
    keyAt: i => `key-${i}`,
    renderRow: i => <span className="name">{`row ${i}`}</span>,
    ...props
  };
  const widget = await attached(ReactWidget.create(<DataList {...full} />));
  await settle();
  const list = widget.node.querySelector('.cs-DataList') as HTMLElement;
  const rows = () =>
    Array.from(
      widget.node.querySelectorAll('.cs-DataList-row')
    ) as HTMLElement[];
  const key = async (k: string, extra: KeyboardEventInit = {}) => {
    list.dispatchEvent(
      new KeyboardEvent('keydown', { key: k, bubbles: true, ...extra })
    );
    await settle();
  };
  const click = async (row: HTMLElement, extra: MouseEventInit = {}) => {
    row.dispatchEvent(new MouseEvent('click', { bubbles: true, ...extra }));
    await settle();
  };
  return { widget, list, rows, key, click };
}

describe('DataList', () => {
  it('keeps the DOM bounded with 100,000 loaded rows', async () => {
    const onNearEnd = jest.fn();
    const { widget, list, rows } = await render({ count: 100000, onNearEnd });
    expect(list.getAttribute('role')).toBe('listbox');
    expect(list.getAttribute('aria-label')).toBe('Objects');
    expect(rows().length).toBeGreaterThan(10);
    expect(rows().length).toBeLessThan(200);
    expect(widget.node.querySelectorAll('*').length).toBeLessThan(1000);
    expect(rows()[0].dataset.key).toBe('key-0');
    expect(rows()[0].getAttribute('role')).toBe('option');
    // the inner element is as tall as every row, so the scrollbar is right
    const inner = list.firstElementChild as HTMLElement;
    expect(inner.style.height).toBe(`${100000 * 28}px`);
    // far from the end: no next page yet
    expect(onNearEnd).not.toHaveBeenCalled();
    widget.dispose();
  });

  it('asks for the next page near the end of what is loaded', async () => {
    const onNearEnd = jest.fn();
    const { widget } = await render({ count: 10, onNearEnd });
    expect(onNearEnd).toHaveBeenCalled();
    widget.dispose();
  });

  it('toggles with click, ranges with shift-click, activates others', async () => {
    const onToggle = jest.fn();
    const onActivate = jest.fn();
    const { widget, rows, click } = await render({
      count: 5,
      isSelectable: i => i > 0,
      isSelected: i => i === 2,
      onToggle,
      onActivate
    });
    expect(rows()[2].getAttribute('aria-selected')).toBe('true');
    expect(rows()[2].classList).toContain('cs-mod-selected');
    await click(rows()[1]);
    expect(onToggle).toHaveBeenLastCalledWith(1, false);
    await click(rows()[3], { shiftKey: true });
    expect(onToggle).toHaveBeenLastCalledWith(3, true);
    // row 0 is a folder: a click opens it
    await click(rows()[0]);
    expect(onActivate).toHaveBeenLastCalledWith(0);
    expect(onToggle).toHaveBeenCalledTimes(2);
    widget.dispose();
  });

  it('is driven by the keyboard', async () => {
    const onToggle = jest.fn();
    const onActivate = jest.fn();
    const onExtend = jest.fn();
    const onSelectAll = jest.fn();
    const { widget, list, rows, key } = await render({
      count: 50,
      isSelectable: () => true,
      onToggle,
      onActivate,
      onExtend,
      onSelectAll
    });
    expect(list.tabIndex).toBe(0);
    await key('ArrowDown');
    await key('ArrowDown');
    expect(list.getAttribute('aria-activedescendant')).toBe(rows()[1].id);
    expect(rows()[1].classList).toContain('cs-mod-active');
    await key(' ');
    expect(onToggle).toHaveBeenLastCalledWith(1, false);
    await key('ArrowDown', { shiftKey: true });
    expect(onExtend).toHaveBeenLastCalledWith(2);
    await key('Enter');
    expect(onActivate).toHaveBeenLastCalledWith(2);
    await key('a', { ctrlKey: true });
    expect(onSelectAll).toHaveBeenCalled();
    await key('End');
    // (jsdom does not scroll; a browser then renders row 49 in view)
    expect(list.getAttribute('aria-activedescendant')).toMatch(/-row-49$/);
    widget.dispose();
  });
});

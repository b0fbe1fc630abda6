import { useVirtualizer } from '@tanstack/react-virtual';
import * as React from 'react';

/**
 * A windowed list (`@tanstack/react-virtual`): only the rows in view (plus a
 * few) are in the DOM whatever the number of rows, so a folder of 5,000
 * untracked files or a long history costs the page a few dozen rows. Rows
 * have a fixed height; the list grows with its rows up to `maxHeight`, then
 * scrolls. Arrow keys, Home and End move the focus between rows' first
 * buttons (each row keeps its own buttons in the Tab order).
 */
export function WindowedList(props: {
  /** Accessible name of the list. */
  label: string;
  count: number;
  keyAt: (index: number) => string;
  renderRow: (index: number) => React.ReactNode;
  rowHeight?: number;
  maxHeight?: number;
  /** The user scrolled near the end of the loaded rows. */
  onNearEnd?: () => void;
  className?: string;
  /** The row's class (besides `cs-GitList-row`). */
  rowClass?: (index: number) => string;
}): JSX.Element {
  const rowHeight = props.rowHeight ?? 26;
  const scrollRef = React.useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    initialRect: { width: 300, height: props.maxHeight ?? 400 }
  });
  const rows = virtualizer.getVirtualItems();
  const last = rows.length ? rows[rows.length - 1].index : -1;
  const { count, onNearEnd } = props;
  React.useEffect(() => {
    if (onNearEnd && count > 0 && last >= count - 10) {
      onNearEnd();
    }
  }, [last, count, onNearEnd]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>(
      '[data-index]'
    );
    if (!row) {
      return;
    }
    const index = Number(row.dataset.index);
    const next =
      event.key === 'ArrowDown'
        ? index + 1
        : event.key === 'ArrowUp'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? count - 1
              : null;
    if (next === null || next < 0 || next >= count) {
      return;
    }
    event.preventDefault();
    virtualizer.scrollToIndex(next, { align: 'auto' });
    requestAnimationFrame(() => {
      scrollRef.current
        ?.querySelector<HTMLElement>(`[data-index="${next}"] button`)
        ?.focus();
    });
  };

  const height = Math.min(
    virtualizer.getTotalSize(),
    props.maxHeight ?? Number.MAX_SAFE_INTEGER
  );
  return (
    <div
      ref={scrollRef}
      className={`cs-GitList${props.className ? ` ${props.className}` : ''}`}
      style={{ maxHeight: props.maxHeight, height: height || undefined }}
      onKeyDown={onKeyDown}
    >
      <div
        className="cs-GitList-inner"
        role="list"
        aria-label={props.label}
        style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
      >
        {rows.map(row => (
          <div
            key={props.keyAt(row.index)}
            role="listitem"
            aria-posinset={row.index + 1}
            aria-setsize={count}
            data-index={row.index}
            className={`cs-GitList-row${props.rowClass ? ` ${props.rowClass(row.index)}` : ''}`}
            style={{
              position: 'absolute',
              top: 0,
              left: 0,
              right: 0,
              height: rowHeight,
              transform: `translateY(${row.start}px)`
            }}
          >
            {props.renderRow(row.index)}
          </div>
        ))}
      </div>
    </div>
  );
}

import { useVirtualizer } from '@tanstack/react-virtual';
import * as React from 'react';

/**
 * Props of a windowed list.
 */
export interface IDataListProps {
  /**
   * Accessible name of the list (also `aria-label`).
   */
  label: string;
  /**
   * Number of loaded rows.
   */
  count: number;
  /**
   * The row's key (`data-key`): S3 key or prefix, or concept id.
   */
  keyAt: (index: number) => string;
  /**
   * The row's content (the row element itself is made by the list).
   */
  renderRow: (index: number) => React.ReactNode;
  /**
   * Whether rows can be selected (checkbox semantics); else a click activates.
   */
  isSelectable?: (index: number) => boolean;
  isSelected?: (index: number) => boolean;
  /**
   * Click (or Space) on a selectable row; `shift` selects a range.
   */
  onToggle?: (index: number, shift: boolean) => void;
  /**
   * Shift+arrow onto a row: extend the selection to it.
   */
  onExtend?: (index: number) => void;
  /**
   * Enter, double-click, or a click on a row that is not selectable.
   */
  onActivate?: (index: number) => void;
  /**
   * Ctrl/Cmd+A.
   */
  onSelectAll?: () => void;
  /**
   * Right mouse button on a row (before the context menu opens).
   */
  onContextRow?: (index: number) => void;
  /**
   * The user scrolled near the end of what is loaded: load the next page.
   */
  onNearEnd?: () => void;
  /**
   * Row height in pixels (rows have a fixed height).
   */
  rowHeight?: number;
  /**
   * Extra class of the list (besides `cs-DataList`).
   */
  className?: string;
  /**
   * Shown below the rows while the next page loads.
   */
  footer?: React.ReactNode;
}

/**
 * How many rows before the end of the loaded ones the next page is asked for.
 */
const NEAR_END_ROWS = 20;

let listCounter = 0;

/**
 * A windowed list (`@tanstack/react-virtual`): only the rows in view (plus a
 * few) are in the DOM, whatever the number of loaded rows. A `listbox` with
 * one tab stop; arrows, Home/End and PageUp/PageDown move the active row,
 * Space toggles it, Shift+arrows extend, Enter opens, Ctrl/Cmd+A selects all.
 */
export function DataList(props: IDataListProps): JSX.Element {
  const rowHeight = props.rowHeight ?? 28;
  const scrollRef = React.useRef<HTMLDivElement>(null);
  const [listId] = React.useState(() => `cs-data-list-${++listCounter}`);
  const [active, setActive] = React.useState(-1);
  const virtualizer = useVirtualizer({
    count: props.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    initialRect: { width: 300, height: 400 }
  });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows.length > 0 ? rows[rows.length - 1].index : -1;
  const { count, onNearEnd } = props;

  React.useEffect(() => {
    if (onNearEnd && count > 0 && lastIndex >= count - NEAR_END_ROWS) {
      onNearEnd();
    }
  }, [lastIndex, count, onNearEnd]);

  React.useEffect(() => {
    if (active >= count) {
      setActive(count - 1);
    }
  }, [count, active]);

  const selectable = (i: number) => props.isSelectable?.(i) ?? false;

  const moveTo = (index: number, extend: boolean) => {
    if (count === 0) {
      return;
    }
    const next = Math.min(count - 1, Math.max(0, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    if (extend && selectable(next)) {
      props.onExtend?.(next);
    }
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const current = active < 0 ? -1 : active;
    const page = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight || 400) / rowHeight) - 1
    );
    switch (event.key) {
      case 'ArrowDown':
        moveTo(current + 1, event.shiftKey);
        break;
      case 'ArrowUp':
        moveTo(current < 0 ? 0 : current - 1, event.shiftKey);
        break;
      case 'Home':
        moveTo(0, event.shiftKey);
        break;
      case 'End':
        moveTo(count - 1, event.shiftKey);
        break;
      case 'PageDown':
        moveTo(current + page, event.shiftKey);
        break;
      case 'PageUp':
        moveTo(current - page, event.shiftKey);
        break;
      case ' ':
      case 'Spacebar':
        if (current < 0) {
          break;
        }
        if (selectable(current)) {
          props.onToggle?.(current, event.shiftKey);
        } else {
          props.onActivate?.(current);
        }
        break;
      case 'Enter':
        if (current >= 0) {
          props.onActivate?.(current);
        }
        break;
      case 'a':
      case 'A':
        if ((event.ctrlKey || event.metaKey) && props.onSelectAll) {
          props.onSelectAll();
          break;
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const rowId = (i: number) => `${listId}-row-${i}`;
  const multi = !!props.onToggle;

  return (
    <div
      ref={scrollRef}
      className={`cs-DataList${props.className ? ` ${props.className}` : ''}`}
      role="listbox"
      aria-label={props.label}
      aria-multiselectable={multi ? true : undefined}
      aria-activedescendant={
        active >= 0 && active < count ? rowId(active) : undefined
      }
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (active < 0 && count > 0) {
          setActive(0);
        }
      }}
    >
      <div
        className="cs-DataList-inner"
        style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
      >
        {rows.map(row => {
          const i = row.index;
          const canSelect = selectable(i);
          const selected = canSelect && (props.isSelected?.(i) ?? false);
          return (
            <div
              key={props.keyAt(i)}
              id={rowId(i)}
              className={
                'cs-DataList-row' +
                (canSelect ? ' cs-mod-selectable' : '') +
                (selected ? ' cs-mod-selected' : '') +
                (i === active ? ' cs-mod-active' : '')
              }
              role="option"
              aria-selected={canSelect ? selected : false}
              aria-posinset={i + 1}
              aria-setsize={-1}
              data-key={props.keyAt(i)}
              data-index={i}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: rowHeight,
                transform: `translateY(${row.start}px)`
              }}
              onMouseDown={event => {
                if (event.button === 2) {
                  setActive(i);
                  props.onContextRow?.(i);
                } else if (event.shiftKey) {
                  // no text selection on shift-click ranges
                  event.preventDefault();
                }
              }}
              onClick={event => {
                setActive(i);
                if (canSelect) {
                  props.onToggle?.(i, event.shiftKey);
                } else {
                  props.onActivate?.(i);
                }
              }}
              onDoubleClick={() => {
                if (canSelect) {
                  props.onActivate?.(i);
                }
              }}
            >
              {canSelect ? (
                <span
                  className={`cs-DataList-check${selected ? ' cs-mod-checked' : ''}`}
                  aria-hidden="true"
                />
              ) : null}
              {props.renderRow(i)}
            </div>
          );
        })}
      </div>
      {props.footer}
    </div>
  );
}

import { Clipboard } from '@jupyterlab/apputils';
import { TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import { useVirtualizer } from '@tanstack/react-virtual';
import * as React from 'react';

import { stripAnsi } from './ansi';
import type { IJobLogLine } from './jobs';

/**
 * Props of a `LogView`.
 */
export interface ILogViewProps {
  /**
   * The lines, oldest first (for a job: `JobTracker.logLines(id)`).
   */
  lines: readonly IJobLogLine[];
  /**
   * Accessible name of the log, for example "Log of Clone repo".
   */
  label: string;
  /**
   * Lines logged before the first one held (the job's `log.dropped`).
   */
  dropped?: number;
  /**
   * Height of one line in pixels (default 18, the code font's line).
   */
  rowHeight?: number;
  className?: string;
  trans?: TranslationBundle;
}

/**
 * How close to the bottom (in lines) still counts as "at the tail".
 */
const TAIL_SLACK_LINES = 1;

/**
 * A job's output as JupyterLab shows a terminal's: windowed (only the lines in
 * view are in the DOM, so 5,000 lines cost what 30 do), following the tail as
 * lines arrive until the user scrolls up, with a button back to the latest
 * line and one that copies the whole log. ANSI escapes are stripped.
 *
 * For screen readers it is a `log` (polite live region) while it follows the
 * tail; once the user scrolls up to read, arrivals are no longer read out and
 * the "latest" button says how many came. The scroller takes the focus:
 * arrows and Page Up/Down scroll, Home goes to the first line, End back to the
 * tail (and follows it again).
 */
export function LogView(props: ILogViewProps): JSX.Element {
  const trans = props.trans ?? nullTranslator.load('cloudscapes');
  const rowHeight = props.rowHeight ?? 18;
  const { lines } = props;
  const count = lines.length;
  const scrollRef = React.useRef<HTMLDivElement>(null);
  const [following, setFollowing] = React.useState(true);
  // the number of lines when the user stopped following (for "N new lines")
  const [seen, setSeen] = React.useState(count);
  const [copied, setCopied] = React.useState(false);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    initialRect: { width: 300, height: 300 }
  });

  const toTail = React.useCallback(() => {
    const el = scrollRef.current;
    if (el) {
      el.scrollTop = el.scrollHeight;
    }
  }, []);

  // New lines while following: stay at the tail (before the browser paints).
  React.useLayoutEffect(() => {
    if (following) {
      toTail();
    }
  }, [count, following, toTail]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) {
      return;
    }
    const below = el.scrollHeight - el.scrollTop - el.clientHeight;
    const atTail = below <= rowHeight * TAIL_SLACK_LINES;
    if (atTail !== following) {
      setFollowing(atTail);
      setSeen(count);
    }
  };

  const follow = () => {
    setFollowing(true);
    toTail();
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const el = scrollRef.current;
    if (!el) {
      return;
    }
    if (event.key === 'End') {
      follow();
    } else if (event.key === 'Home') {
      el.scrollTop = 0;
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const copy = () => {
    Clipboard.copyToSystem(lines.map(line => stripAnsi(line.text)).join('\n'));
    setCopied(true);
  };
  React.useEffect(() => {
    if (!copied) {
      return;
    }
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  const fresh = following ? 0 : Math.max(0, count - seen);
  const dropped = props.dropped ?? 0;

  return (
    <div
      className={`cs-LogView${props.className ? ` ${props.className}` : ''}`}
    >
      <div className="cs-LogView-toolbar">
        {dropped > 0 ? (
          <span className="cs-LogView-dropped">
            {trans._n(
              '%1 earlier line not kept',
              '%1 earlier lines not kept',
              dropped
            )}
          </span>
        ) : null}
        <span className="cs-LogView-status" role="status">
          {copied ? trans.__('Copied') : ''}
        </span>
        <button
          type="button"
          className="jp-Button jp-mod-minimal cs-LogView-copy"
          onClick={copy}
          disabled={count === 0}
          title={trans.__('Copy the log')}
        >
          {trans.__('Copy')}
        </button>
      </div>
      <div
        ref={scrollRef}
        className="cs-LogView-scroller"
        role="log"
        aria-label={props.label}
        aria-live={following ? 'polite' : 'off'}
        aria-relevant="additions"
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        {count === 0 ? (
          <div className="cs-LogView-empty">{trans.__('No output yet.')}</div>
        ) : null}
        <div
          className="cs-LogView-inner"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map(row => {
            const line = lines[row.index];
            return (
              <div
                key={line.n}
                className={`cs-LogView-line cs-mod-${line.stream}`}
                data-n={line.n}
                style={{
                  height: rowHeight,
                  lineHeight: `${rowHeight}px`,
                  transform: `translateY(${row.start}px)`
                }}
              >
                {stripAnsi(line.text)}
              </div>
            );
          })}
        </div>
      </div>
      {fresh > 0 || (!following && count > 0) ? (
        <button
          type="button"
          className="jp-Button cs-LogView-latest"
          onClick={follow}
        >
          {fresh > 0
            ? trans._n(
                'Show latest (%1 new line)',
                'Show latest (%1 new lines)',
                fresh
              )
            : trans.__('Show latest')}
        </button>
      ) : null}
    </div>
  );
}

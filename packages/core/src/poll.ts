import { Poll } from '@lumino/polling';

import { UserIdle, userIdle } from './idle';

/**
 * Options of a Cloudscapes poller.
 */
export interface IPollerOptions {
  /**
   * A name for the poll (shown in debugging tools).
   */
  name: string;
  /**
   * What to do at each tick; a rejection makes the next tick back off.
   */
  task: () => Promise<void>;
  /**
   * Interval between ticks, in milliseconds.
   */
  interval: number;
  /**
   * Longest interval after repeated failures, in milliseconds (default 5 min).
   */
  maxInterval?: number;
  /**
   * Start ticking at once (default `true`).
   */
  autoStart?: boolean;
  /**
   * Whose idleness stands the poll by (default the page's shared `userIdle()`,
   * whose timeout the admin sets); `null` never stands by for idleness.
   */
  idle?: UserIdle | null;
}

/**
 * A poll that stands by while the tab is hidden, and while the user has left
 * the page untouched longer than the admin's idle setting (`userIdle()`), so
 * open but unseen or abandoned tabs do not keep a hub server busy (the hub's
 * proxy counts every request as activity). If it skipped a tick meanwhile,
 * the first input after the idle spell ticks it at once (one that did not
 * keeps its schedule). It backs off (doubling, with jitter) after errors.
 * Requests made by `task` must pass `track: false` to `requestAPI`, so that
 * polling never counts as activity on the server itself.
 */
export function createPoller(options: IPollerOptions): Poll {
  const idle = options.idle === undefined ? userIdle() : options.idle;
  const poll = new Poll<void, unknown, 'standby'>({
    name: options.name,
    factory: options.task,
    frequency: {
      interval: options.interval,
      backoff: true,
      max: Math.max(options.interval, options.maxInterval ?? 5 * 60 * 1000)
    },
    standby: idle ? () => (idle.isIdle ? true : 'when-hidden') : 'when-hidden',
    auto: options.autoStart ?? true
  });
  if (idle) {
    // only a poll standing by ticks again: a stopped or unstarted one stays so
    const resume = () => {
      if (poll.state.phase === 'standby') {
        void poll.refresh();
      }
    };
    idle.resumed.connect(resume);
    poll.disposed.connect(() => idle.resumed.disconnect(resume));
  }
  return poll;
}

/**
 * Change a poller's interval (for example when the user changes a setting).
 */
export function setPollInterval(poll: Poll, interval: number): void {
  poll.frequency = {
    ...poll.frequency,
    interval,
    max: Math.max(interval, poll.frequency.max)
  };
}

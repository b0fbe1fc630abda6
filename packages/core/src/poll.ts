import { Poll } from '@lumino/polling';

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
}

/**
 * A poll that stands by while the tab is hidden, so open but unseen tabs do not
 * keep a hub server busy, and backs off (doubling, with jitter) after errors.
 * Requests made by `task` must pass `track: false` to `requestAPI`, so that
 * polling never counts as activity.
 */
export function createPoller(options: IPollerOptions): Poll {
  return new Poll<void, unknown, 'standby'>({
    name: options.name,
    factory: options.task,
    frequency: {
      interval: options.interval,
      backoff: true,
      max: Math.max(options.interval, options.maxInterval ?? 5 * 60 * 1000)
    },
    standby: 'when-hidden',
    auto: options.autoStart ?? true
  });
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

import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import type { components } from './api/jobs';
import type { UserIdle } from './idle';
import { createPoller } from './poll';
import { CloudscapesRequestError, requestAPI, toRequestError } from './request';

/**
 * Where a job's log line came from: the output streams of the command it runs,
 * or a note of the job itself.
 */
export type JobLogStream = 'stdout' | 'stderr' | 'info';

/**
 * One line of a job's log. `n` counts from 1 per job and never repeats, so
 * lines fetched twice (a poll without `since`) are recognised. `text` is raw:
 * ANSI escapes are kept, the view strips them.
 */
export interface IJobLogLine {
  n: number;
  time: string;
  stream: JobLogStream;
  text: string;
}

/**
 * A job's log as the server sends it (Contract 1 of issue 10): the lines
 * logged since the `since` of the request (every line still in the server's
 * ring without it), how many lines the ring has dropped, and the `n` the next
 * line will get.
 */
export interface IJobLog {
  lines: IJobLogLine[];
  dropped: number;
  next: number;
}

/**
 * A long operation of the server (download, environment build, clone, …), as
 * `GET /cloudscapes/jobs/{id}` returns it. A job that `JobTracker` follows
 * carries in `log` every line received so far, not only the last answer's.
 */
export type Job = components['schemas']['Job'] & { log?: IJobLog };
export type JobStatus = components['schemas']['JobStatus'];
/**
 * The `202` answer of a route that starts a job.
 */
export type JobAccepted = components['schemas']['JobAccepted'];

const FINISHED: ReadonlySet<JobStatus> = new Set<JobStatus>([
  'succeeded',
  'failed',
  'cancelled'
]);

/**
 * Whether `job` has ended (succeeded, failed or cancelled).
 */
export function isJobFinished(job: Pick<Job, 'status'>): boolean {
  return FINISHED.has(job.status);
}

/**
 * A finished job's error as a request error (its message and hint, for the
 * Notification API or an error box). A job that ended without one (cancelled,
 * or failed in a way the server did not describe) gets the feature's own
 * sentence: `said.cancelled` or `said.failed`.
 */
export function jobError(
  job: Job,
  said: { cancelled: string; failed: string }
): CloudscapesRequestError {
  const error = job.error?.error;
  if (error) {
    return new CloudscapesRequestError(
      0,
      error.code,
      error.message,
      error.hint
    );
  }
  return job.status === 'cancelled'
    ? new CloudscapesRequestError(0, 'job_cancelled', said.cancelled, '')
    : new CloudscapesRequestError(0, 'job_failed', said.failed, '');
}

/**
 * Whether `answer` describes an older state of the job than `known`: its
 * `updated` is earlier (the server's times are fixed-width ISO strings with
 * microseconds, so they compare as strings), or `known` has ended and
 * `answer` has not (a job never restarts).
 */
function isOlder(answer: Job, known: Job): boolean {
  return (
    answer.updated < known.updated ||
    (isJobFinished(known) && !isJobFinished(answer))
  );
}

/**
 * The job's progress as a fraction in [0, 1], or `null` while the total is
 * unknown (an indeterminate bar).
 */
export function jobFraction(
  job: Pick<Job, 'progress' | 'status'>
): number | null {
  if (job.status === 'succeeded') {
    return 1;
  }
  const { done, total } = job.progress;
  if (total === null || total === undefined || total <= 0) {
    return null;
  }
  return Math.min(1, Math.max(0, done / total));
}

/**
 * Options of a `JobTracker`.
 */
export interface IJobTrackerOptions {
  /**
   * Milliseconds between polls of a running job (default 500).
   */
  interval?: number;
  /**
   * Longest interval after repeated polling failures (default 10 s).
   */
  maxInterval?: number;
  /**
   * Most log lines kept per job in the page (default 5,000, the server's
   * ring); older lines are dropped and counted in `log.dropped`.
   */
  maxLogLines?: number;
  /**
   * Whose idleness stands the polls by (default the page's `userIdle()`).
   */
  idle?: UserIdle | null;
}

/**
 * `known`'s log with the lines of `incoming` it lacks, in `n` order, keeping
 * at most `limit` lines. Lines are recognised by `n`, so an answer that repeats
 * lines (a refresh without `since`) adds nothing twice.
 */
export function mergeJobLog(
  known: IJobLog | undefined,
  incoming: IJobLog | undefined,
  limit: number
): IJobLog | undefined {
  if (!incoming) {
    return known;
  }
  if (!known) {
    known = { lines: [], dropped: 0, next: 1 };
  }
  const last = known.lines.length ? known.lines[known.lines.length - 1].n : 0;
  const fresh = incoming.lines.filter(line => line.n > last);
  const newest = fresh.length ? fresh[fresh.length - 1].n : last;
  const next = Math.max(known.next, incoming.next, newest + 1);
  if (!fresh.length && next === known.next) {
    return known;
  }
  let lines = fresh.length ? known.lines.concat(fresh) : known.lines;
  if (lines.length > limit) {
    lines = lines.slice(lines.length - limit);
  }
  // every line logged (n < next) that the page does not hold was dropped, by
  // the server's ring before a poll fetched it or by the page's own limit
  const dropped = Math.max(0, next - 1 - lines.length);
  return { lines, dropped, next };
}

/**
 * How long one poll of a running job may wait on the server for a change.
 */
export const WAIT_SECONDS = 10;

/**
 * Follows jobs started by this page: polls `GET /cloudscapes/jobs/{id}` (never
 * counted as activity) about every `interval` while a job runs, backs off on
 * errors, stands by while the tab is hidden or the user idle (as every poller
 * does) and stops once the job has ended.
 * `cancel(id)` sends `DELETE /cloudscapes/jobs/{id}`. Each job's log lines
 * accumulate across polls (`logLines(id)`): a poll asks only for the lines
 * logged since the state it has.
 */
export class JobTracker implements IDisposable {
  constructor(options: IJobTrackerOptions = {}) {
    this._interval = options.interval ?? 500;
    this._maxInterval = options.maxInterval ?? 10 * 1000;
    this._maxLogLines = options.maxLogLines ?? 5000;
    this._idle = options.idle;
  }

  /**
   * Every tracked job, newest first.
   */
  get jobs(): Job[] {
    return [...this._jobs.values()].reverse();
  }

  /**
   * Tracked jobs that have not ended.
   */
  get running(): Job[] {
    return this.jobs.filter(job => !isJobFinished(job));
  }

  /**
   * Emitted with the job after every change of a tracked job (new, progress,
   * status), and with the last known job when it is forgotten.
   */
  get jobChanged(): ISignal<this, Job> {
    return this._jobChanged;
  }

  /**
   * Emitted once per job when it reaches `succeeded`, `failed` or `cancelled`.
   */
  get jobFinished(): ISignal<this, Job> {
    return this._jobFinished;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  get(id: string): Job | undefined {
    return this._jobs.get(id);
  }

  /**
   * Every log line of job `id` received so far (oldest first), or `[]`.
   * `jobChanged` fires when lines arrive.
   */
  logLines(id: string): readonly IJobLogLine[] {
    return this._jobs.get(id)?.log?.lines ?? [];
  }

  /**
   * The last failure to poll or cancel job `id` (cleared by the next success).
   */
  error(id: string): CloudscapesRequestError | null {
    return this._errors.get(id) ?? null;
  }

  /**
   * Whether job `id` is being polled.
   */
  isPolling(id: string): boolean {
    return this._polls.has(id);
  }

  /**
   * Follow `job` (as the route that started it answered); polling starts at
   * once unless it has already ended.
   */
  track(job: Job): void {
    if (this._isDisposed) {
      return;
    }
    this._update(job);
    if (!isJobFinished(job) && !this._polls.has(job.id)) {
      // A running job's poll stands by while the user is idle, like every
      // other: each answered poll is traffic the hub's proxy counts as
      // activity, so an abandoned tab following a long download would hold
      // the server as long as the download runs. Standing by loses nothing:
      // the job runs on in the server, and the first input polls at once with
      // `since`, bringing its state and the log lines logged meanwhile (up to
      // the server's ring). A user who leaves a long job running asks the
      // server to stay up with keep-alive, not with an open tab.
      const poll = createPoller({
        name: `@cloudscapes/core:job-${job.id}`,
        interval: this._interval,
        maxInterval: this._maxInterval,
        idle: this._idle,
        task: () => this._follow(job.id).then(() => undefined)
      });
      this._polls.set(job.id, poll);
    }
  }

  /**
   * Fetch job `id` now. Rejects (after recording the error) so the poll backs
   * off; a job the server no longer knows (404) stops being polled.
   */
  refresh(id: string): Promise<Job> {
    return this._call(id, path => requestAPI<Job>(path, {}, { track: false }));
  }

  /**
   * The poll's request: the server answers as soon as the job differs from the
   * state this page has (or after `WAIT_SECONDS`), so progress and the end of
   * a job show at once rather than at the next poll.
   */
  private _follow(id: string): Promise<Job> {
    const known = this._jobs.get(id);
    const params = known
      ? { wait: WAIT_SECONDS, since: known.updated }
      : undefined;
    return this._call(id, path =>
      requestAPI<Job>(path, {}, { track: false, params })
    );
  }

  /**
   * A job the server no longer knows (it restarted, or forgot it) can never
   * finish: show it as failed, so that it can be dismissed.
   */
  private _lose(id: string): void {
    const known = this._jobs.get(id);
    if (!known || isJobFinished(known)) {
      return;
    }
    this._update({
      ...known,
      status: 'failed',
      message: '',
      error: {
        error: {
          code: 'job_lost',
          message:
            'The server no longer knows this job; it may have restarted.',
          hint: 'Start it again.'
        }
      },
      updated: new Date().toISOString()
    });
  }

  /**
   * Cancel job `id` on the server (`DELETE`); resolves with the job after
   * cancelling. A failure is recorded for the job and rethrown.
   */
  cancel(id: string): Promise<Job> {
    return this._call(id, path => requestAPI<Job>(path, { method: 'DELETE' }));
  }

  /**
   * `GET` or `DELETE /cloudscapes/jobs/{id}`: the answer updates the job; a
   * failure is recorded for it and rethrown, and a 404 (the server no longer
   * knows the job) ends its polling.
   */
  private async _call(
    id: string,
    send: (path: string) => Promise<Job>
  ): Promise<Job> {
    try {
      const job = await send(`jobs/${encodeURIComponent(id)}`);
      this._errors.delete(id);
      this._update(job);
      return job;
    } catch (reason) {
      const error = toRequestError(reason);
      this._errors.set(id, error);
      if (error.status === 404) {
        this._stopPoll(id);
        this._lose(id);
      }
      const known = this._jobs.get(id);
      if (known) {
        this._jobChanged.emit(known);
      }
      throw error;
    }
  }

  /**
   * Stop following job `id` (the server keeps it).
   */
  forget(id: string): void {
    const job = this._jobs.get(id);
    this._stopPoll(id);
    this._jobs.delete(id);
    this._errors.delete(id);
    this._announced.delete(id);
    if (job) {
      this._jobChanged.emit(job);
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    for (const id of [...this._polls.keys()]) {
      this._stopPoll(id);
    }
    Signal.clearData(this);
  }

  private _update(job: Job): void {
    if (this._isDisposed) {
      return;
    }
    const known = this._jobs.get(job.id);
    const log = mergeJobLog(known?.log, job.log, this._maxLogLines);
    if (known && isOlder(job, known)) {
      // a late answer (a refresh, or a poll answered after the DELETE) must
      // not move the job back (a finished one to running, its poll stopped):
      // keep the state the page has, with any line it lacked
      if (log && log !== known.log) {
        const kept = { ...known, log };
        this._jobs.set(job.id, kept);
        this._jobChanged.emit(kept);
      }
      return;
    }
    if (log) {
      job = { ...job, log };
    }
    this._jobs.set(job.id, job);
    this._jobChanged.emit(job);
    if (isJobFinished(job)) {
      this._stopPoll(job.id);
      if (!this._announced.has(job.id)) {
        this._announced.add(job.id);
        this._jobFinished.emit(job);
      }
    }
  }

  private _stopPoll(id: string): void {
    const poll = this._polls.get(id);
    if (poll) {
      this._polls.delete(id);
      poll.dispose();
    }
  }

  private _interval: number;
  private _maxInterval: number;
  private _maxLogLines: number;
  private _idle: UserIdle | null | undefined;
  private _isDisposed = false;
  private _jobs = new Map<string, Job>();
  private _errors = new Map<string, CloudscapesRequestError>();
  private _polls = new Map<string, Poll>();
  private _announced = new Set<string>();
  private _jobChanged = new Signal<this, Job>(this);
  private _jobFinished = new Signal<this, Job>(this);
}

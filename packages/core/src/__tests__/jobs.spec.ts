import {
  IJobLog,
  IJobLogLine,
  Job,
  JobTracker,
  WAIT_SECONDS,
  isJobFinished,
  jobFraction,
  mergeJobLog
} from '../jobs';
import { CloudscapesRequestError, requestAPI } from '../request';
import { makeJob } from './fixtures';

jest.mock('../request', () => ({
  ...jest.requireActual('../request'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

const job = makeJob;

function line(n: number, text = `line ${n}`): IJobLogLine {
  return { n, time: '2024-09-01T00:00:00Z', stream: 'stdout', text };
}

/**
 * The `log` of an answer holding lines `from`..`to` (none when `from > to`).
 */
function log(from: number, to: number, next = to + 1): IJobLog {
  const lines: IJobLogLine[] = [];
  for (let n = from; n <= to; n++) {
    lines.push(line(n));
  }
  return { lines, dropped: Math.max(0, from - 1), next };
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until(check: () => boolean, timeout = 4000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeout) {
      throw new Error('timed out');
    }
    await sleep(5);
  }
}

describe('job helpers', () => {
  it('knows finished jobs and their progress', () => {
    expect(isJobFinished(job())).toBe(false);
    expect(isJobFinished(job({ status: 'pending' }))).toBe(false);
    expect(isJobFinished(job({ status: 'cancelled' }))).toBe(true);
    expect(
      jobFraction(job({ progress: { done: 25, total: 100, unit: 'bytes' } }))
    ).toBe(0.25);
    expect(
      jobFraction(job({ progress: { done: 25, total: null, unit: 'bytes' } }))
    ).toBeNull();
    expect(
      jobFraction(
        job({
          status: 'succeeded',
          progress: { done: 0, total: null, unit: 'bytes' }
        })
      )
    ).toBe(1);
  });
});

describe('JobTracker', () => {
  beforeEach(() => request.mockReset());

  it('polls a running job without counting as activity, then stops', async () => {
    const tracker = new JobTracker({ interval: 10 });
    const seen: number[] = [];
    const finished: string[] = [];
    tracker.jobChanged.connect((_, j) => seen.push(j.progress.done));
    tracker.jobFinished.connect((_, j) => finished.push(j.status));
    request
      .mockResolvedValueOnce(
        job({ progress: { done: 40, total: 100, unit: 'bytes' } })
      )
      .mockResolvedValueOnce(
        job({ progress: { done: 80, total: 100, unit: 'bytes' } })
      )
      .mockResolvedValueOnce(
        job({
          status: 'succeeded',
          progress: { done: 100, total: 100, unit: 'bytes' },
          result: { paths: ['data/a.nc'] } as unknown as Job['result']
        })
      );
    tracker.track(job());
    expect(tracker.isPolling('j1')).toBe(true);
    await until(() => finished.length > 0);
    expect(seen).toEqual([0, 40, 80, 100]);
    expect(finished).toEqual(['succeeded']);
    // each poll waits on the server for a change from the state it has
    expect(request).toHaveBeenCalledWith(
      'jobs/j1',
      {},
      {
        track: false,
        params: { wait: WAIT_SECONDS, since: job().updated }
      }
    );
    expect(tracker.isPolling('j1')).toBe(false);
    await sleep(50);
    expect(request).toHaveBeenCalledTimes(3);
    expect(tracker.get('j1')?.status).toBe('succeeded');
    tracker.dispose();
  });

  it('does not poll a job that has already ended', () => {
    const tracker = new JobTracker({ interval: 10 });
    const finished = jest.fn();
    tracker.jobFinished.connect(finished);
    tracker.track(job({ status: 'failed' }));
    expect(tracker.isPolling('j1')).toBe(false);
    expect(finished).toHaveBeenCalledTimes(1);
    tracker.dispose();
  });

  it('cancels with DELETE and stops polling', async () => {
    const tracker = new JobTracker({ interval: 60 * 1000 });
    tracker.track(job());
    request.mockResolvedValueOnce(job({ status: 'cancelled' }));
    const after = await tracker.cancel('j1');
    expect(request).toHaveBeenCalledWith('jobs/j1', { method: 'DELETE' });
    expect(after.status).toBe('cancelled');
    expect(tracker.isPolling('j1')).toBe(false);
    expect(tracker.running).toEqual([]);
    tracker.dispose();
  });

  it('keeps a cancelled job cancelled when a poll answers after the DELETE', async () => {
    const tracker = new JobTracker({ interval: 10 });
    // the poll in flight when the user cancels: the server answers it later,
    // with the state from before the cancel
    let answerPoll = (_: Job) => {};
    request.mockImplementationOnce(
      () => new Promise<Job>(resolve => (answerPoll = resolve))
    );
    tracker.track(job({ updated: '2024-09-01T00:00:01.000000Z' }));
    await until(() => request.mock.calls.length === 1);
    request.mockResolvedValueOnce(
      job({ status: 'cancelled', updated: '2024-09-01T00:00:03.000000Z' })
    );
    await tracker.cancel('j1');
    answerPoll(
      job({
        updated: '2024-09-01T00:00:02.000000Z',
        progress: { done: 60, total: 100, unit: 'bytes' },
        log: log(1, 2)
      })
    );
    await sleep(30);
    expect(tracker.get('j1')?.status).toBe('cancelled');
    expect(tracker.running).toEqual([]);
    expect(tracker.isPolling('j1')).toBe(false);
    // the late answer's lines are still kept
    expect(tracker.logLines('j1').map(l => l.n)).toEqual([1, 2]);
    tracker.dispose();
  });

  it('ignores a refresh answered after a newer poll', async () => {
    const tracker = new JobTracker({ interval: 60 * 1000 });
    const changes = jest.fn();
    tracker.track(
      job({
        updated: '2024-09-01T00:00:05.000000Z',
        progress: { done: 80, total: 100, unit: 'bytes' }
      })
    );
    tracker.jobChanged.connect(changes);
    request.mockResolvedValueOnce(
      job({
        updated: '2024-09-01T00:00:04.999999Z',
        progress: { done: 40, total: 100, unit: 'bytes' }
      })
    );
    await tracker.refresh('j1');
    expect(tracker.get('j1')?.progress.done).toBe(80);
    expect(changes).not.toHaveBeenCalled();
    // a finished job never goes back to running, even with a later time
    request.mockResolvedValueOnce(
      job({ status: 'succeeded', updated: '2024-09-01T00:00:06.000000Z' })
    );
    await tracker.refresh('j1');
    request.mockResolvedValueOnce(
      job({ status: 'running', updated: '2024-09-01T00:00:07.000000Z' })
    );
    await tracker.refresh('j1');
    expect(tracker.get('j1')?.status).toBe('succeeded');
    tracker.dispose();
  });

  it('keeps polling errors, backs off, and stops on 404', async () => {
    const tracker = new JobTracker({ interval: 10 });
    request
      .mockRejectedValueOnce(
        new CloudscapesRequestError(
          0,
          'network_error',
          'Unreachable.',
          'Reload.'
        )
      )
      .mockImplementationOnce(
        // the 404 comes only once the first error has been seen (no race with it)
        () =>
          gate.then(() => {
            throw new CloudscapesRequestError(
              404,
              'job_not_found',
              'No such job.',
              ''
            );
          })
      );
    let release = () => {};
    const gate = new Promise<void>(resolve => (release = resolve));
    tracker.track(job());
    await until(() => request.mock.calls.length >= 1);
    await until(() => tracker.error('j1')?.code === 'network_error');
    release();
    await until(() => !tracker.isPolling('j1'));
    expect(tracker.error('j1')?.status).toBe(404);
    // a job the server forgot (it restarted) can never end: it shows as failed
    expect(tracker.get('j1')?.status).toBe('failed');
    expect(tracker.get('j1')?.error?.error.code).toBe('job_lost');
    tracker.forget('j1');
    expect(tracker.jobs).toEqual([]);
    tracker.dispose();
  });

  it('lists the newest job first', () => {
    const tracker = new JobTracker({ interval: 60 * 1000 });
    tracker.track(job({ id: 'a' }));
    tracker.track(job({ id: 'b' }));
    expect(tracker.jobs.map(j => j.id)).toEqual(['b', 'a']);
    tracker.dispose();
  });
});

describe('job logs', () => {
  beforeEach(() => request.mockReset());

  it('accumulates the lines of every poll, asking only for what is new', async () => {
    const tracker = new JobTracker({ interval: 10 });
    const texts: string[][] = [];
    tracker.jobChanged.connect((_, j) =>
      texts.push((j.log?.lines ?? []).map(l => l.text))
    );
    request
      .mockResolvedValueOnce(
        job({ updated: '2024-09-01T00:00:01Z', log: log(3, 4) })
      )
      .mockResolvedValueOnce(
        job({
          status: 'succeeded',
          updated: '2024-09-01T00:00:02Z',
          log: log(5, 5)
        })
      );
    tracker.track(job({ log: log(1, 2) }));
    await until(() => tracker.get('j1')?.status === 'succeeded');
    expect(tracker.logLines('j1').map(l => l.n)).toEqual([1, 2, 3, 4, 5]);
    expect(tracker.get('j1')?.log).toMatchObject({ dropped: 0, next: 6 });
    expect(texts[0]).toEqual(['line 1', 'line 2']);
    // the second poll asks for lines logged after the state the first brought
    expect(request.mock.calls[1][2]).toEqual({
      track: false,
      params: { wait: WAIT_SECONDS, since: '2024-09-01T00:00:01Z' }
    });
    tracker.dispose();
  });

  it('adds nothing twice when an answer repeats lines', async () => {
    const tracker = new JobTracker({ interval: 60 * 1000 });
    tracker.track(job({ log: log(1, 3) }));
    // a refresh without `since` answers every line still in the ring (which
    // has dropped line 1 meanwhile): the page keeps what it had
    request.mockResolvedValueOnce(job({ log: log(2, 4) }));
    await tracker.refresh('j1');
    expect(tracker.logLines('j1').map(l => l.n)).toEqual([1, 2, 3, 4]);
    expect(tracker.get('j1')?.log?.dropped).toBe(0);
    tracker.dispose();
  });

  it('keeps a bounded number of lines and counts what it dropped', () => {
    const tracker = new JobTracker({ interval: 60 * 1000, maxLogLines: 3 });
    tracker.track(job({ log: log(1, 2) }));
    // the answer to a poll with `since`: the server dropped nothing
    tracker.track(job({ log: { ...log(3, 5), dropped: 0 } }));
    expect(tracker.logLines('j1').map(l => l.n)).toEqual([3, 4, 5]);
    expect(tracker.get('j1')?.log?.dropped).toBe(2);
    tracker.dispose();
  });

  it('counts lines the server dropped before the page saw them', () => {
    // the page held 1..2; by the next poll the ring had rotated past 3..6
    const merged = mergeJobLog(log(1, 2), log(7, 8), 100);
    expect(merged?.lines.map(l => l.n)).toEqual([1, 2, 7, 8]);
    expect(merged?.dropped).toBe(4);
    expect(merged?.next).toBe(9);
  });

  it('keeps the log of a job without one in the answer', () => {
    const known = log(1, 2);
    expect(mergeJobLog(known, undefined, 100)).toBe(known);
    const tracker = new JobTracker({ interval: 60 * 1000 });
    expect(tracker.logLines('nope')).toEqual([]);
    tracker.dispose();
  });
});

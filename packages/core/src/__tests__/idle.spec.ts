import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Poll } from '@lumino/polling';
import { Signal } from '@lumino/signaling';

import {
  DEFAULT_IDLE_MINUTES,
  INPUT_EVENTS,
  UserIdle,
  followIdleSettings,
  userIdle
} from '../idle';
import { Job, JobTracker } from '../jobs';
import { createPoller } from '../poll';
import { requestAPI } from '../request';

jest.mock('../request', () => ({
  ...jest.requireActual('../request'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

const MINUTE = 60 * 1000;

/**
 * What a user does to the page: a key press, by default on the body.
 */
function input(type = 'keydown', target: EventTarget = document.body): void {
  target.dispatchEvent(new Event(type, { bubbles: true }));
}

/**
 * Let `ms` of fake time pass, running the polls' timers and promises.
 */
const pass = (ms: number) => jest.advanceTimersByTimeAsync(ms);

const disposables: { dispose(): void }[] = [];

function track<T extends { dispose(): void }>(thing: T): T {
  disposables.push(thing);
  return thing;
}

beforeEach(() => {
  jest.useFakeTimers();
  request.mockReset();
});

afterEach(() => {
  disposables.splice(0).forEach(d => d.dispose());
  jest.useRealTimers();
});

describe('UserIdle', () => {
  it('is idle once the page went untouched for the timeout; input ends it', async () => {
    const idle = track(new UserIdle({ timeout: MINUTE }));
    const resumed = jest.fn();
    idle.resumed.connect(resumed);
    await pass(MINUTE - 1);
    expect(idle.isIdle).toBe(false);
    await pass(1);
    expect(idle.isIdle).toBe(true);
    input();
    expect(idle.isIdle).toBe(false);
    expect(resumed).toHaveBeenCalledTimes(1);
    // input while active is not a resumption
    await pass(5000);
    input();
    expect(resumed).toHaveBeenCalledTimes(1);
  });

  it('counts pointer, keyboard, wheel, touch and focus, the window and the tab coming back', async () => {
    const idle = track(new UserIdle({ timeout: MINUTE }));
    const resumed = jest.fn();
    idle.resumed.connect(resumed);
    const kinds: [string, EventTarget][] = [
      ['pointerdown', document.body],
      ['pointermove', document.body],
      ['keydown', document.body],
      ['wheel', document.body],
      ['touchstart', document.body],
      ['focusin', document.body],
      ['focus', window],
      ['visibilitychange', document]
    ];
    for (const [type, target] of kinds) {
      await pass(MINUTE);
      expect(idle.isIdle).toBe(true);
      input(type, target);
      expect([type, idle.isIdle]).toEqual([type, false]);
    }
    expect(resumed).toHaveBeenCalledTimes(kinds.length);
  });

  it('listens passively, before any widget can stop the event', () => {
    const listen = jest.spyOn(document, 'addEventListener');
    try {
      track(new UserIdle());
      for (const type of INPUT_EVENTS) {
        expect(listen).toHaveBeenCalledWith(type, expect.any(Function), {
          capture: true,
          passive: true
        });
      }
    } finally {
      listen.mockRestore();
    }
    // a widget that stops the event does not hide it
    const idle = track(new UserIdle({ timeout: MINUTE }));
    const stopper = document.createElement('div');
    document.body.appendChild(stopper);
    stopper.addEventListener('keydown', event => event.stopPropagation());
    jest.advanceTimersByTime(MINUTE);
    input('keydown', stopper);
    expect(idle.isIdle).toBe(false);
    stopper.remove();
  });

  it('records a moving pointer at most once a second', () => {
    const idle = track(new UserIdle({ timeout: MINUTE }));
    const start = idle.lastInput;
    jest.advanceTimersByTime(1000);
    input('pointermove');
    expect(idle.lastInput).toBe(start + 1000);
    jest.advanceTimersByTime(400);
    input('pointermove');
    jest.advanceTimersByTime(400);
    input('pointermove');
    expect(idle.lastInput).toBe(start + 1000);
    jest.advanceTimersByTime(200);
    input('pointermove');
    expect(idle.lastInput).toBe(start + 2000);
  });

  it('is never idle with a timeout of 0, and a raised timeout resumes', () => {
    const idle = track(new UserIdle({ timeout: 0 }));
    jest.advanceTimersByTime(24 * 60 * MINUTE);
    expect(idle.isIdle).toBe(false);
    idle.timeout = MINUTE;
    expect(idle.isIdle).toBe(true);
    const resumed = jest.fn();
    idle.resumed.connect(resumed);
    idle.timeout = 0;
    expect(idle.isIdle).toBe(false);
    expect(resumed).toHaveBeenCalledTimes(1);
  });

  it('stops listening once disposed', () => {
    const idle = new UserIdle({ timeout: MINUTE });
    const start = idle.lastInput;
    idle.dispose();
    jest.advanceTimersByTime(2 * MINUTE);
    input();
    expect(idle.lastInput).toBe(start);
  });
});

describe('createPoller and the idle user', () => {
  function poller(idle: UserIdle | null | undefined, interval = 1000) {
    const task = jest.fn(() => Promise.resolve());
    const options = { name: 'test', task, interval };
    const poll = track(
      createPoller(idle === undefined ? options : { ...options, idle })
    );
    return { poll, task };
  }

  it('stands by once the user is idle and ticks at once on the next input', async () => {
    const idle = track(new UserIdle({ timeout: 10 * 1000 }));
    const { task } = poller(idle);
    await pass(9500);
    const active = task.mock.calls.length;
    expect(active).toBeGreaterThanOrEqual(9);
    // idle from 10 s: ten minutes without a single request
    await pass(1000);
    const atIdle = task.mock.calls.length;
    expect(atIdle).toBeLessThanOrEqual(active + 1);
    await pass(10 * MINUTE);
    expect(task).toHaveBeenCalledTimes(atIdle);
    // the user comes back: a tick now, not at the next interval
    input('pointerdown');
    await pass(0);
    expect(task).toHaveBeenCalledTimes(atIdle + 1);
    await pass(3000);
    expect(task.mock.calls.length).toBeGreaterThanOrEqual(atIdle + 3);
  });

  it('never stands by for idleness with a timeout of 0 or without a UserIdle', async () => {
    const never = track(new UserIdle({ timeout: 0 }));
    const { task: withZero } = poller(never, MINUTE);
    const { task: withNull } = poller(null, MINUTE);
    await pass(3 * 60 * MINUTE);
    expect(withZero.mock.calls.length).toBeGreaterThanOrEqual(180);
    expect(withNull.mock.calls.length).toBeGreaterThanOrEqual(180);
  });

  it('leaves a stopped poll stopped when the user comes back', async () => {
    const idle = track(new UserIdle({ timeout: 10 * 1000 }));
    const { poll, task } = poller(idle);
    await pass(20 * 1000);
    await poll.stop();
    const calls = task.mock.calls.length;
    input();
    await pass(5000);
    expect(task).toHaveBeenCalledTimes(calls);
    expect(poll.state.phase).toBe('stopped');
  });

  it('makes every poller of the page follow the one shared setting', async () => {
    expect(userIdle()).toBe(userIdle());
    expect(userIdle().timeout).toBe(DEFAULT_IDLE_MINUTES * MINUTE);
    const settings = {
      composite: { idleMinutes: 2 },
      changed: new Signal<unknown, void>({})
    };
    const load = jest.fn(() => Promise.resolve(settings));
    const registry = { load } as unknown as ISettingRegistry;
    await Promise.all([
      followIdleSettings(registry),
      followIdleSettings(registry)
    ]);
    expect(load).toHaveBeenCalledTimes(1); // read once for the whole page
    expect(userIdle().timeout).toBe(2 * MINUTE);
    input(); // start the spell from now
    jest.advanceTimersByTime(1000);
    input();
    const polls: Poll[] = [];
    const tasks = [0, 1].map(() => {
      const { poll, task } = poller(undefined, 5000);
      polls.push(poll);
      return task;
    });
    await pass(2 * MINUTE + 5000);
    const counts = tasks.map(t => t.mock.calls.length);
    await pass(10 * MINUTE);
    expect(tasks.map(t => t.mock.calls.length)).toEqual(counts);
    input();
    await pass(0);
    expect(tasks.map(t => t.mock.calls.length)).toEqual(counts.map(c => c + 1));
    // the admin's 0: never idle again
    settings.composite = { idleMinutes: 0 };
    settings.changed.emit();
    await pass(10 * MINUTE);
    tasks.forEach((t, i) =>
      expect(t.mock.calls.length).toBeGreaterThan(counts[i] + 100)
    );
  });
});

describe('JobTracker and the idle user', () => {
  it('stands a running job by while the user is idle and catches up at once', async () => {
    let updated = 0;
    const answer = (): Job => ({
      id: 'j1',
      kind: 'download',
      title: 'Download a.nc',
      status: 'running',
      progress: { done: updated, total: 1000, unit: 'bytes' },
      message: '',
      error: null,
      result: null,
      created: '2024-09-01T00:00:00.000000Z',
      updated: `2024-09-01T00:00:00.${String(++updated).padStart(6, '0')}Z`,
      log: { lines: [], dropped: 0, next: 1 }
    });
    request.mockImplementation(() => Promise.resolve(answer()));
    const idle = track(new UserIdle({ timeout: 10 * 1000 }));
    const tracker = track(new JobTracker({ interval: 500, idle }));
    tracker.track({ ...answer(), updated: '2024-09-01T00:00:00.000000Z' });
    await pass(9000);
    expect(request.mock.calls.length).toBeGreaterThan(10);
    await pass(2000);
    const atIdle = request.mock.calls.length;
    await pass(10 * MINUTE);
    expect(request).toHaveBeenCalledTimes(atIdle);
    expect(tracker.isPolling('j1')).toBe(true);
    input('wheel');
    await pass(0);
    expect(request).toHaveBeenCalledTimes(atIdle + 1);
    // the catch-up asks for what changed since the state the page has
    const [path, , options] = request.mock.calls[atIdle];
    expect(path).toBe('jobs/j1');
    expect(options).toMatchObject({ track: false, params: { wait: 10 } });
    expect(options?.params?.since).toMatch(/^2024-09-01T/);
  });
});

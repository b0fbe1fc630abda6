import { CrossingTracker, level, thresholdsFor } from '../thresholds';
import { makeUsage } from './fixture';

const GB = 1e9;
const NOW = Date.parse('2026-11-21T12:00:00Z');

function withMemory(used: number) {
  const usage = makeUsage();
  return { ...usage, memory: { ...usage.memory, used: used * GB } };
}

describe('thresholds', () => {
  const settings = {
    memoryWarning: null,
    diskWarning: null,
    cullWarningMinutes: 10
  };

  it("uses the admin's thresholds unless the user set their own", () => {
    const usage = makeUsage({ thresholds: { memory: 0.8, disk: 0.95 } });
    expect(thresholdsFor(usage, settings)).toEqual({
      memory: 0.8,
      disk: 0.95,
      cullMinutes: 10
    });
    expect(
      thresholdsFor(usage, { ...settings, memoryWarning: 0.5 }).memory
    ).toBe(0.5);
  });

  it('colours bars by level', () => {
    expect(level(0.5, 0.9)).toBe('normal');
    expect(level(0.9, 0.9)).toBe('warn');
    expect(level(0.99, 0.9)).toBe('error');
  });

  it('warns once per crossing, and again only after falling back below', () => {
    const tracker = new CrossingTracker();
    const t = thresholdsFor(makeUsage(), settings);
    expect(tracker.update(withMemory(2), t, NOW)).toEqual([]);
    expect(tracker.update(withMemory(7.3), t, NOW)).toEqual(['memory']);
    expect(tracker.update(withMemory(7.6), t, NOW)).toEqual([]);
    // hovering just under the threshold does not re-arm
    expect(tracker.update(withMemory(7.1), t, NOW)).toEqual([]);
    expect(tracker.update(withMemory(7.3), t, NOW)).toEqual([]);
    // clearly below re-arms; the next crossing warns again
    expect(tracker.update(withMemory(5), t, NOW)).toEqual([]);
    expect(tracker.update(withMemory(7.4), t, NOW)).toEqual(['memory']);
  });

  it('warns before the cull window opens, once, and re-arms after activity', () => {
    const tracker = new CrossingTracker();
    const usage = makeUsage(); // window opens at 12:42:30
    const t = thresholdsFor(usage, settings);
    expect(
      tracker.update(usage, t, Date.parse('2026-11-21T12:30:00Z'))
    ).toEqual([]);
    expect(
      tracker.update(usage, t, Date.parse('2026-11-21T12:33:00Z'))
    ).toEqual(['cull']);
    expect(
      tracker.update(usage, t, Date.parse('2026-11-21T12:35:00Z'))
    ).toEqual([]);
    // activity pushes the window back: re-armed, then warned again later
    const active = makeUsage();
    active.activity = {
      ...active.activity,
      cull_window: {
        earliest: '2026-11-21T13:40:00Z',
        latest: '2026-11-21T13:55:00Z',
        counted_from: '2026-11-21T12:40:00Z',
        source: 'server'
      }
    };
    expect(
      tracker.update(active, t, Date.parse('2026-11-21T12:36:00Z'))
    ).toEqual([]);
    expect(
      tracker.update(active, t, Date.parse('2026-11-21T13:31:00Z'))
    ).toEqual(['cull']);
  });

  it('never warns about culling without a culler or with the warning off', () => {
    const tracker = new CrossingTracker();
    const usage = makeUsage();
    const off = thresholdsFor(usage, { ...settings, cullWarningMinutes: 0 });
    expect(
      tracker.update(usage, off, Date.parse('2026-11-21T12:40:00Z'))
    ).toEqual([]);
    usage.activity = { ...usage.activity, cull_window: null };
    const on = thresholdsFor(usage, settings);
    expect(
      tracker.update(usage, on, Date.parse('2026-11-21T12:40:00Z'))
    ).toEqual([]);
  });
});

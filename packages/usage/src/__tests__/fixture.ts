import type { Usage } from '@cloudscapes/core';

const GB = 1e9;

/**
 * A snapshot as the server answers it; tests override parts.
 */
export function makeUsage(overrides: Partial<Usage> = {}): Usage {
  return {
    time: '2026-11-21T12:00:00Z',
    memory: { used: 2.1 * GB, limit: 8 * GB, source: 'env' },
    cpu: { percent: 50, limit: 2, source: 'env' },
    disk: { path: '/home/jovyan', used: 3 * GB, total: 10 * GB },
    profile: {
      name: 'small',
      display_name: 'Small: 2 CPU, 8 GB',
      source: 'hub',
      priced: true
    },
    cost: {
      currency: 'USD',
      rate_per_hour: 0.12,
      accrued: 0.42,
      since: '2026-11-21T08:30:00Z',
      since_source: 'hub',
      extras: [],
      total_rate_per_hour: 0.12
    },
    activity: {
      last_activity: '2026-11-21T11:48:00Z',
      idle_seconds: 720,
      cull_timeout_seconds: 3600,
      cull_window: {
        earliest: '2026-11-21T12:42:30Z',
        latest: '2026-11-21T12:58:00Z',
        counted_from: '2026-11-21T11:48:00Z',
        source: 'server'
      },
      hub_last_activity: '2026-11-21T11:45:00Z',
      proxy_activity_interval: null,
      max_age_at: null,
      keepalive_until: null,
      keepalive_max_minutes: 240
    },
    hub: {
      present: true,
      can_stop: true,
      home_url: '/hub/home',
      stop_scope: 'delete:servers!server'
    },
    thresholds: { memory: 0.9, disk: 0.9 },
    ...overrides
  };
}

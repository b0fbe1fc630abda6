import { nullTranslator } from '@jupyterlab/translation';

import type { Usage } from '@cloudscapes/core';

import { UsageModel } from '../model';
import { UsagePanel } from '../components/panel';
import { attached } from '../../../core/src/__tests__/render';
import { makeUsage } from './fixture';

const trans = nullTranslator.load('cloudscapes');

async function rendered(model: UsageModel): Promise<UsagePanel> {
  const panel = new UsagePanel(model, trans, {
    keepAlive: jest.fn(),
    endKeepAlive: jest.fn(),
    stop: jest.fn()
  });
  return attached(panel);
}

describe('UsagePanel cost', () => {
  it('adds running Dask Gateway clusters to the server rate', async () => {
    const model = new UsageModel();
    const usage = makeUsage();
    model.setUsage({
      ...usage,
      cost: {
        ...usage.cost,
        extras: [
          {
            source: 'dask',
            label: 'Dask Gateway clusters',
            count: 2,
            rate_per_hour: 0.19
          }
        ],
        total_rate_per_hour: 0.31
      }
    });
    const panel = await rendered(model);
    const text = (selector: string) =>
      panel.node.querySelector(selector)?.textContent;
    expect(text('.cs-UsagePanel-rate')).toBe('$0.12 per hour');
    expect(text('.cs-UsagePanel-extra')).toBe('+ $0.19 per hour');
    expect(panel.node.textContent).toContain('2 Dask Gateway clusters');
    expect(text('.cs-UsagePanel-total')).toBe('$0.31 per hour');
    panel.dispose();
  });

  it('shows no total without anything running besides the server', async () => {
    const model = new UsageModel();
    model.setUsage(makeUsage());
    const panel = await rendered(model);
    expect(panel.node.querySelector('.cs-UsagePanel-extra')).toBeNull();
    expect(panel.node.querySelector('.cs-UsagePanel-total')).toBeNull();
    panel.dispose();
  });
});

/**
 * The panel of a snapshot whose activity has these parts changed.
 */
async function withActivity(
  changes: Partial<Usage['activity']>
): Promise<UsagePanel> {
  const model = new UsageModel();
  const usage = makeUsage();
  model.setUsage({ ...usage, activity: { ...usage.activity, ...changes } });
  return rendered(model);
}

describe('UsagePanel idle shutdown under a hub', () => {
  it('says an open tab keeps the server alive when the hub counts proxy traffic', async () => {
    const panel = await withActivity({
      proxy_activity_interval: 300,
      cull_window: {
        earliest: '2026-11-21T13:00:00Z',
        latest: '2026-11-21T13:10:00Z',
        counted_from: '2026-11-21T12:00:00Z',
        source: 'proxy'
      }
    });
    const text = (selector: string) =>
      panel.node.querySelector(selector)?.textContent ?? '';
    expect(text('.cs-UsagePanel-cull')).toContain(
      'about 60–70 minutes after the last request to your server'
    );
    expect(text('.cs-UsagePanel-proxy')).toContain(
      'while a JupyterLab tab is open and refreshing, the server is not stopped as idle'
    );
    expect(text('.cs-UsagePanel-proxyAdmin')).toContain(
      'on Zero to JupyterHub it is also the proxy’s route check'
    );
    expect(text('.cs-UsagePanel-proxyAdmin')).toContain('--timeout');
    panel.dispose();
  });

  it('counts from the hub’s record and says nothing of proxy traffic when the hub does not count it', async () => {
    const panel = await withActivity({
      cull_window: {
        earliest: '2026-11-21T12:42:30Z',
        latest: '2026-11-21T12:58:00Z',
        counted_from: '2026-11-21T11:50:00Z',
        source: 'hub'
      }
    });
    expect(panel.node.querySelector('.cs-UsagePanel-proxy')).toBeNull();
    expect(
      panel.node.querySelector('.cs-UsagePanel-cull')?.textContent
    ).toContain('about 53–68 minutes after the last activity the hub saw');
    panel.dispose();
  });
});

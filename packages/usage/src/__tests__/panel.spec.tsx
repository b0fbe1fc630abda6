import { nullTranslator } from '@jupyterlab/translation';

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

import { nullTranslator } from '@jupyterlab/translation';

import { CloudscapesRequestError } from '@cloudscapes/core';

import { DEFAULT_SETTINGS, UsageModel } from '../model';
import { UsageStatus } from '../components/status';
import { attached } from '../../../core/src/__tests__/render';
import { makeUsage } from './fixture';

const trans = nullTranslator.load('cloudscapes');

async function rendered(model: UsageModel, open = jest.fn()) {
  const item = new UsageStatus(model, trans, open);
  await attached(item);
  const text = item.node.querySelector('.cs-UsageStatus-text') as HTMLElement;
  return { item, text, open };
}

describe('UsageStatus', () => {
  it('shows cost, memory and idle time, and a label for screen readers', async () => {
    const model = new UsageModel();
    model.setUsage(makeUsage());
    const { item, text } = await rendered(model);
    expect(text.textContent).toBe('$0.42 · 2.1/8 GB · inactive 12m');
    expect(text.getAttribute('role')).toBe('button');
    expect(text.getAttribute('tabindex')).toBe('0');
    expect(text.getAttribute('aria-label')).toBe(
      'Server usage: $0.42 so far; memory 2.1 GB of 8 GB. Open details.'
    );
    expect(text.dataset.state).toBe('normal');
    item.dispose();
  });

  it('follows the settings', async () => {
    const model = new UsageModel({
      ...DEFAULT_SETTINGS,
      showCost: false,
      showIdle: false
    });
    model.setUsage(makeUsage());
    const { item, text } = await rendered(model);
    expect(text.textContent).toBe('2.1/8 GB');
    item.dispose();
  });

  it('turns to warning colours past the memory threshold', async () => {
    const model = new UsageModel();
    const usage = makeUsage();
    model.setUsage({ ...usage, memory: { ...usage.memory, used: 7.5e9 } });
    const { item, text } = await rendered(model);
    expect(text.dataset.state).toBe('warn');
    expect(text.classList).toContain('cs-mod-warn');
    item.dispose();
  });

  it('opens the panel from the keyboard', async () => {
    const model = new UsageModel();
    model.setUsage(makeUsage());
    const { item, text, open } = await rendered(model);
    text.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })
    );
    text.click();
    expect(open).toHaveBeenCalledTimes(2);
    item.dispose();
  });

  it('says so when the server cannot be reached', async () => {
    const model = new UsageModel();
    (model as any)._error = new CloudscapesRequestError(
      0,
      'network_error',
      'The Jupyter server could not be reached.'
    );
    const { item, text } = await rendered(model);
    expect(text.textContent).toBe('usage unavailable');
    expect(text.getAttribute('aria-label')).toContain('could not be reached');
    item.dispose();
  });
});

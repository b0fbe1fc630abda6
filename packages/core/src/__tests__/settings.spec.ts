import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Signal } from '@lumino/signaling';

import { startWithSettings } from '../settings';

describe('startWithSettings', () => {
  it('starts the model only once the settings are applied', async () => {
    const order: string[] = [];
    const model = {
      _settings: { interval: 5 },
      get settings() {
        return this._settings;
      },
      set settings(value: { interval: number }) {
        order.push(`settings ${value.interval}`);
        this._settings = value;
      },
      start: () => order.push('start')
    };
    let loaded = () => {};
    const settings = {
      composite: { interval: 30 },
      changed: new Signal<unknown, void>({})
    };
    const registry = {
      load: () => new Promise(resolve => (loaded = () => resolve(settings)))
    } as unknown as ISettingRegistry;
    const done = startWithSettings(registry, 'cs:test', { interval: 5 }, model);
    // activation does not wait: nothing has happened yet
    expect(order).toEqual([]);
    loaded();
    await done;
    expect(order).toEqual(['settings 30', 'start']);
  });

  it('starts at once without a settings registry', async () => {
    const start = jest.fn();
    await startWithSettings(null, 'cs:test', {}, { settings: {}, start });
    expect(start).toHaveBeenCalledTimes(1);
  });
});

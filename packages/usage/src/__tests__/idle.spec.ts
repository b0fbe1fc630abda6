import { ISettingRegistry, SettingRegistry } from '@jupyterlab/settingregistry';
import { JSONExt } from '@lumino/coreutils';

import { IDLE_SETTINGS_PLUGIN, userIdle } from '@cloudscapes/core';

import plugins from '../index';
import { activateWith } from '../../../core/src/__tests__/app';
import schema from '../../schema/idle.json';

const MINUTE = 60 * 1000;

/**
 * A real setting registry over the real schema, served as jupyterlab_server
 * serves it: the admin's overrides.json values replace the schema's defaults
 * (`_override` in settings_utils.py); `raw` holds the user's own settings.
 */
function registry(overrides: Record<string, unknown>, raw = '{}') {
  const served = JSONExt.deepCopy(schema as any);
  for (const [key, value] of Object.entries(overrides)) {
    served.properties[key].default = value;
  }
  const connector = {
    fetch: async (id: string) => ({
      id,
      schema: served,
      raw,
      data: { composite: {}, user: {} },
      version: '4.6.0'
    }),
    list: async () => ({ ids: [], values: [] }),
    save: async (id: string, value: string) => {
      raw = value;
    },
    remove: async () => undefined
  };
  return new SettingRegistry({ connector: connector as any });
}

async function start(settings: ISettingRegistry) {
  const { provided } = await activateWith(
    'usage',
    plugins.filter(p => p.id === IDLE_SETTINGS_PLUGIN),
    new Map<any, unknown>([[ISettingRegistry, settings]])
  );
  // the plugin does not wait for the settings; they load right after
  for (let i = 0; i < 20 && userIdle().timeout === 30 * MINUTE; i++) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  return provided;
}

describe('the idle setting', () => {
  it("sets every poller's idle timeout from the admin's overrides.json, 30 minutes by default", async () => {
    expect(schema.properties.idleMinutes.default).toBe(30);
    expect(userIdle().timeout).toBe(30 * MINUTE);
    const settings = registry({ idleMinutes: 5 });
    await start(settings);
    expect(userIdle().timeout).toBe(5 * MINUTE);
    // the user's own value wins, and 0 means never
    await settings.set(IDLE_SETTINGS_PLUGIN, 'idleMinutes', 0);
    expect(userIdle().timeout).toBe(0);
    expect(userIdle().isIdle).toBe(false);
  });
});

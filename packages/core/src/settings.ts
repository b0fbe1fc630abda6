import type { ISettingRegistry } from '@jupyterlab/settingregistry';

import type { IStartable } from './sidebar';

/**
 * A plugin's settings as a plain object: the schema's defaults (and the admin's
 * overrides.json) under the user's values, or `defaults` before they load.
 */
export function settingsOf<T extends object>(
  settings: ISettingRegistry.ISettings | null,
  defaults: T
): T {
  if (!settings) {
    return defaults;
  }
  return { ...defaults, ...(settings.composite as unknown as T) };
}

/**
 * Load a plugin's settings and hand them to `apply` now and after every change
 * (defaults under the admin's and the user's values). Settings that cannot be
 * loaded leave the defaults in place, with a console warning.
 */
export async function followSettings<T extends object>(
  registry: ISettingRegistry | null,
  pluginId: string,
  defaults: T,
  apply: (values: T) => void
): Promise<void> {
  if (!registry) {
    return;
  }
  try {
    const settings = await registry.load(pluginId);
    const update = () => apply(settingsOf<T>(settings, defaults));
    update();
    settings.changed.connect(update);
  } catch (reason) {
    console.warn(`${pluginId}: settings could not be loaded`, reason);
  }
}

/**
 * For a model plugin: keep `model.settings` following the plugin's settings,
 * and start the model (first fetch, polling) once they are in, so it never
 * acts on defaults the admin has overridden. Not awaited by `activate`: the
 * plugin is ready at once.
 */
export function startWithSettings<T extends object>(
  registry: ISettingRegistry | null,
  pluginId: string,
  defaults: T,
  model: IStartable & { settings: T }
): Promise<void> {
  return followSettings<T>(
    registry,
    pluginId,
    defaults,
    values => (model.settings = values)
  ).then(() => model.start());
}

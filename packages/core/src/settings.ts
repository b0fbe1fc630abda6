import type { ISettingRegistry } from '@jupyterlab/settingregistry';

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

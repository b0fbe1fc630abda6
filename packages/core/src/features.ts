import { PageConfig } from '@jupyterlab/coreutils';

/**
 * The server features a lab plugin can depend on (the names of `FEATURES` in
 * `cloudscapes/app.py`; `data` is the data-browser package).
 */
export type CloudscapesFeature =
  'usage' | 'earthdata' | 'data' | 'dask' | 'git';

/**
 * The page-config option in which the server lists its enabled features.
 */
export const FEATURES_OPTION = 'cloudscapesFeatures';

/**
 * The features the server enabled, as it wrote them into the page config
 * (`"usage,earthdata,data,dask"`). Without the option (no server extension,
 * for example a lab served by another server) the set is empty: a plugin
 * whose routes do not exist would only show errors.
 */
export function enabledFeatures(): ReadonlySet<string> {
  const option = PageConfig.getOption(FEATURES_OPTION);
  return new Set(
    option
      .split(',')
      .map(name => name.trim())
      .filter(name => name.length > 0)
  );
}

/**
 * Whether the server enabled feature `name`. Read at each call (cheap), so
 * tests and pages that set the option late see the current value.
 */
export function featureEnabled(name: CloudscapesFeature | string): boolean {
  return enabledFeatures().has(name);
}

/**
 * Features whose "disabled" line has been logged (one line per feature, not
 * one per plugin of the feature).
 */
const reported = new Set<string>();

/**
 * For a plugin's `activate`: whether feature `name` is on. When it is off the
 * plugin should add no panel, status item or command; the first plugin of the
 * feature to ask logs the one console line that says why (so an admin who
 * disabled it can tell the difference from a broken install).
 */
export function requireFeature(
  name: CloudscapesFeature,
  pluginId: string
): boolean {
  if (featureEnabled(name)) {
    return true;
  }
  if (!reported.has(name)) {
    reported.add(name);
    console.info(
      `${pluginId}: the server feature "${name}" is disabled; its lab plugins stay out of the way.`
    );
  }
  return false;
}

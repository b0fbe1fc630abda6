import { PageConfig } from '@jupyterlab/coreutils';

import {
  FEATURES_OPTION,
  enabledFeatures,
  featureEnabled,
  requireFeature
} from '../features';

describe('featureEnabled', () => {
  afterEach(() => {
    PageConfig.setOption(FEATURES_OPTION, '');
    jest.restoreAllMocks();
  });

  it('counts every feature as disabled without the page-config option', () => {
    expect(PageConfig.getOption(FEATURES_OPTION)).toBe('');
    expect(featureEnabled('usage')).toBe(false);
    expect(featureEnabled('dask')).toBe(false);
    expect(enabledFeatures().size).toBe(0);
  });

  it('reads the comma-separated list the server writes', () => {
    PageConfig.setOption(FEATURES_OPTION, 'usage, earthdata,dask');
    expect(featureEnabled('usage')).toBe(true);
    expect(featureEnabled('earthdata')).toBe(true);
    expect(featureEnabled('dask')).toBe(true);
    expect(featureEnabled('data')).toBe(false);
    // no prefix or substring matches
    expect(featureEnabled('ask')).toBe(false);
    expect([...enabledFeatures()]).toEqual(['usage', 'earthdata', 'dask']);
  });

  it('follows a change of the option', () => {
    PageConfig.setOption(FEATURES_OPTION, 'data');
    expect(featureEnabled('data')).toBe(true);
    PageConfig.setOption(FEATURES_OPTION, 'usage');
    expect(featureEnabled('data')).toBe(false);
  });

  it('logs one console line per disabled feature and none for an enabled one', () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => {});
    PageConfig.setOption(FEATURES_OPTION, 'usage');
    expect(requireFeature('usage', '@cloudscapes/usage:status')).toBe(true);
    expect(info).not.toHaveBeenCalled();
    expect(requireFeature('dask', '@cloudscapes/dask:panel')).toBe(false);
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0][0]).toContain('@cloudscapes/dask:panel');
    expect(info.mock.calls[0][0]).toContain('"dask"');
    // the feature's other plugins stay quiet
    expect(requireFeature('dask', '@cloudscapes/dask:commands')).toBe(false);
    expect(info).toHaveBeenCalledTimes(1);
  });
});

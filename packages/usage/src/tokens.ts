import { Token } from '@lumino/coreutils';

import type { UsageModel } from './model';

/**
 * The usage model itself (polling, keep-alive, stop), shared by this
 * package's plugins. Other Cloudscapes packages use the read-only
 * `ICloudscapesUsage` of `@cloudscapes/core`, which is the same object.
 */
export const IUsageModel = new Token<UsageModel>(
  '@cloudscapes/usage:IUsageModel',
  "The Cloudscapes usage model: this server's usage snapshot, keep-alive and stop."
);

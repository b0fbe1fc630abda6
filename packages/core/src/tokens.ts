import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import type { components as UsageComponents } from './api/usage';

/**
 * One usage snapshot, as `GET /cloudscapes/usage` returns it.
 */
export type Usage = UsageComponents['schemas']['Usage'];

/**
 * The usage indicator's live model, for other Cloudscapes parts (for example the
 * Dask widget showing the server's cost next to its clusters).
 */
export interface ICloudscapesUsage {
  /**
   * The latest snapshot, or `null` before the first answer.
   */
  readonly usage: Usage | null;
  /**
   * Emitted after each new snapshot.
   */
  readonly usageChanged: ISignal<ICloudscapesUsage, Usage | null>;
}

/**
 * Provided by `@cloudscapes/usage`. Tokens live in this shared, singleton
 * package so every Cloudscapes extension sees the same instance.
 */
export const ICloudscapesUsage = new Token<ICloudscapesUsage>(
  '@cloudscapes/core:ICloudscapesUsage',
  "The Cloudscapes usage indicator's live snapshot of cost, resources and culling."
);

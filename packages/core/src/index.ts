/**
 * @packageDocumentation
 * Cloudscapes shared library: the REST client, the types generated from the
 * REST contract in `schema/`, polling, shared React components and tokens.
 * It has no plugins of its own (`plugins.ts` makes the ones every feature
 * has); every Cloudscapes extension shares one copy of it.
 */
export * from './request';
export * from './poll';
export * from './idle';
export * from './jobs';
export * from './jobsModel';
export * from './components';
export * from './dialogs';
export * from './errors';
export * from './features';
export * from './format';
export * from './linkify';
export * from './url';
export * from './logviewLazy';
export * from './ansi';
export * from './notebook';
export * from './settings';
export * from './sidebar';
export * from './lazy';
export * from './plugins';
export * from './tokens';
export type { components as CommonComponents } from './api/common';
export type {
  components as UsageComponents,
  paths as UsagePaths
} from './api/usage';
export type {
  components as EarthdataComponents,
  paths as EarthdataPaths
} from './api/earthdata';
export type {
  components as DataComponents,
  paths as DataPaths
} from './api/data';
export type {
  components as JobsComponents,
  paths as JobsPaths
} from './api/jobs';
export type {
  components as DaskComponents,
  paths as DaskPaths
} from './api/dask';

/**
 * The REST types of the data browser (generated from schema/data.yaml).
 */
import type { DataComponents } from '@cloudscapes/core';

export type DataConfig = DataComponents['schemas']['DataConfig'];
export type Collection = DataComponents['schemas']['Collection'];
export type CollectionPage = DataComponents['schemas']['CollectionPage'];
export type Granule = DataComponents['schemas']['Granule'];
export type GranulePage = DataComponents['schemas']['GranulePage'];
export type S3Source = DataComponents['schemas']['S3Source'];
export type S3Folder = DataComponents['schemas']['S3Folder'];
export type S3ObjectSummary = DataComponents['schemas']['S3ObjectSummary'];
export type ObjectPage = DataComponents['schemas']['ObjectPage'];
export type ObjectDetail = DataComponents['schemas']['ObjectDetail'];
export type ObjectRef = DataComponents['schemas']['ObjectRef'];
export type CodeRequest = DataComponents['schemas']['CodeRequest'];
export type Code = DataComponents['schemas']['Code'];
export type DownloadRequest = DataComponents['schemas']['DownloadRequest'];

// The store the configuration names: S3 when S3_BUCKET is set, otherwise DATA_DIR/uploads.
import path from 'node:path';
import type { Config } from '../config';
import { LocalDiskStorage } from './local-disk';
import { S3Storage } from './s3';
import type { FileStorage } from './types';

export type { ByteRange, DirectUploads, FileStorage, ObjectHead, PresignedPut, PutMeta, StoredObject } from './types';
export { directUploadsOf } from './types';
export { LocalDiskStorage } from './local-disk';
export { S3Storage } from './s3';

export function createStorage(config: Config): FileStorage {
  return config.s3 ? new S3Storage(config.s3) : new LocalDiskStorage(path.join(config.dataDir, 'uploads'));
}

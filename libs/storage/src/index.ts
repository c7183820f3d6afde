export * from './object-storage';
export { createObjectStorage, verifyPresigned, verifyPresignedTarget, DEFAULT_PRESIGN_BASE_URL, type CreateObjectStorageOptions } from './create-object-storage';
export { DiskObjectStorage, type DiskObjectStorageOptions } from './disk/disk-object-storage';
export { S3ObjectStorage, PUT_PART_SIZE, type S3ObjectStorageOptions } from './s3/s3-object-storage';

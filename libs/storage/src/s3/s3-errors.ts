import { AppError } from '@sx/service-kit';

/**
 * Maps S3 error codes (as the minio client reports them) to our coded AppErrors.
 * Anything unexpected becomes 503 `storage_unavailable` with only the S3 code: never the
 * request, its signature or credentials.
 */
export function mapS3Error(e: unknown, key: string): AppError {
  if (e instanceof AppError) return e;
  const code = (e as { code?: unknown }).code;
  switch (code) {
    case 'NoSuchKey':
    case 'NotFound':
      return AppError.notFound('object', key);
    case 'NoSuchUpload':
      return new AppError('upload_not_found', `multipart upload for ${key} was not found`, 404);
    case 'InvalidPart':
      return new AppError('invalid_part', 'a listed part was not uploaded or its etag does not match', 400);
    case 'InvalidPartOrder':
      return new AppError('invalid_part_order', 'parts must be listed in ascending part-number order', 400);
    case 'EntityTooSmall':
      return new AppError('part_too_small', 'every part but the last must be at least 5 MiB', 400);
    case 'InvalidRange':
      return new AppError('range_not_satisfiable', 'requested range is outside the object', 416);
    default:
      return new AppError('storage_unavailable', 'object storage request failed', 503, {
        s3Code: typeof code === 'string' ? code : 'network_error',
      });
  }
}

export function s3Code(e: unknown): string | undefined {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

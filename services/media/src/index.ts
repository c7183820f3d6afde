export { MediaModule } from './media.module';
export { MEDIA_SCHEMA } from './db/media-schema';
/**
 * Byte routes MediaModule serves outside the /api prefix (the gateway excludes them from the prefix in
 * embedded mode and proxies them to SX_MEDIA_URL in distributed mode). `/storage/objects/*` authenticates
 * by its URL signature alone, so the gateway's auth guard must let it through without a session.
 */
export const MEDIA_HTTP_ROUTES = [
  '/media/uploads',
  '/media/tus',
  '/media/tus/:uploadId',
  '/media/:id',
  '/media/:id/thumbnail',
  '/media/:id/original',
  '/storage/objects/*key',
] as const;

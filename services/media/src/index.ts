export { MediaModule } from './media.module';
export { MEDIA_SCHEMA } from './db/media-schema';
/** Byte routes served by MediaModule outside the /api prefix (the gateway excludes/proxies them). */
export const MEDIA_HTTP_ROUTES = ['/media/uploads', '/media/tus', '/media/tus/:uploadId', '/media/:id', '/media/:id/thumbnail', '/media/:id/original'] as const;

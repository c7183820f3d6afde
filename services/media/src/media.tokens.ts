/** Injection tokens private to the media module. */
export const MEDIA_LOGGER = Symbol('MEDIA_LOGGER');
export const MEDIA_PATHS = Symbol('MEDIA_PATHS');

/** Local working directories (temp spool for uploads/imports, tus partial uploads). */
export interface MediaPaths {
  spool: string;
  tus: string;
}

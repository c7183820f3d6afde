import type { NextFunction, Request, Response } from 'express';

const API_MEDIA = /^\/api\/media\/([^/?#]+)$/;

/**
 * Seed 000's `GET /api/media/{file_id}`: the file's bytes, exactly as `/media/{id}` serves them (range
 * requests, ETag, 416 with Content-Range). Rewritten before routing, so embedded mode (media's own
 * controller) and distributed mode (the proxy to SX_MEDIA_URL) both serve it; auth applies as for /media.
 */
export function mediaAlias(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const m = API_MEDIA.exec(path);
    if (m) req.url = `/media/${m[1]}${q < 0 ? '' : req.url.slice(q)}`;
  }
  next();
}

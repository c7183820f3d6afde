import type { Request } from 'express';
import { AppError } from '@sx/service-kit';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;

/**
 * Every `/api` route reads JSON, so a body of any other type (text/plain, form-encoded, multipart) is
 * refused with 415 instead of being parsed as "no fields" — an edit must never turn into an empty update.
 * Byte routes (`/media`, `/storage/objects`) live outside `/api` and are not checked here.
 */
export function checkJsonContentType(req: Request): AppError | undefined {
  if (!WITH_BODY.has(req.method) || !isApiPath(req.path)) return undefined;
  if (!hasBody(req)) return undefined;
  const type = req.get('content-type');
  if (type && JSON_TYPE.test(type.trim())) return undefined;
  return new AppError('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json)', 415, {
    contentType: type ?? null,
  });
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  if (length !== undefined) return Number(length) > 0;
  return req.get('transfer-encoding') !== undefined;
}

/**
 * The body of a route that takes a JSON object: absent → `{}`, an object → itself, anything else
 * (an array, a string, a number) → 400 `body_not_object`, so it is never read as an empty request.
 */
export function jsonObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  throw new AppError('body_not_object', `The request body must be a JSON object, not ${Array.isArray(body) ? 'an array' : typeof body}`, 400);
}

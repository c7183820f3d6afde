import { HttpErrorResponse } from '@angular/common/http';
import type { ApiSchemas } from './openapi-types';

/** The gateway's error body: `{ code, message, details?, correlationId }` (generated from the OpenAPI document). */
export type ApiErrorBody = ApiSchemas['Error'];

/** A failed API call, normalised so every screen can show `message` and branch on `code`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly correlationId?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the backing service has not landed or is down (gateway answers 503). */
  get unavailable(): boolean {
    return this.status === 503 || this.code === 'service_unavailable';
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['code'] === 'string' && typeof v['message'] === 'string';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Map anything an HTTP call can throw to an ApiError with a human message. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HttpErrorResponse) {
    const body = typeof err.error === 'string' ? parseJson(err.error) : err.error;
    if (isErrorBody(body)) {
      const b = body;
      return new ApiError(err.status, b.code, b.message, b.correlationId, b.details);
    }
    if (err.status === 0) return new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection.');
    if (err.status === 503) return new ApiError(503, 'service_unavailable', 'This service is not available right now.');
    return new ApiError(err.status, `http_${err.status}`, err.statusText || `Request failed (${err.status})`);
  }
  if (err instanceof Error) return new ApiError(0, 'client_error', err.message);
  return new ApiError(0, 'client_error', 'Unexpected error');
}

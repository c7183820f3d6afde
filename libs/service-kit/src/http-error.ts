import { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from './app-error';
import { currentCorrelationId, newCorrelationId } from './correlation';

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
  correlationId: string;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  412: 'precondition_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'service_unavailable',
  504: 'service_timeout',
};

export interface MappedError {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
  /** Set for unexpected errors: logged with the id, never sent. */
  internal?: unknown;
}

/** Turns anything thrown into the one HTTP error shape `{ code, message, details?, correlationId }`. */
export function mapError(err: unknown): MappedError {
  const correlationId = currentCorrelationId() ?? newCorrelationId();
  if (err instanceof AppError) {
    const body: ErrorBody = { code: err.code, message: err.message, correlationId };
    if (err.details !== undefined) body.details = err.details;
    return { status: err.status, body, headers: headersOf(err) };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const r = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const code = typeof r['code'] === 'string' ? r['code'] : codeForStatus(status);
    const message = typeof r['message'] === 'string' ? r['message'] : status === 404 ? 'Not found' : err.message;
    const body: ErrorBody = { code, message, correlationId };
    if (r['details'] !== undefined) body.details = r['details'];
    return { status, body };
  }
  const status = (err as { status?: unknown; type?: unknown })?.status;
  const type = (err as { type?: unknown })?.type;
  if (type === 'entity.too.large') {
    return { status: 413, body: { code: 'payload_too_large', message: 'The request body is too large', correlationId } };
  }
  if (type === 'entity.parse.failed') {
    return { status: 400, body: { code: 'malformed_json', message: 'The request body is not valid JSON', correlationId } };
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string') {
    return { status, body: { code: CODE_BY_STATUS[status] ?? 'bad_request', message: 'The request body could not be read', correlationId } };
  }
  return {
    status: 500,
    internal: err,
    body: { code: 'internal_error', message: `Unexpected error; quote id ${correlationId}`, correlationId },
  };
}

/** Headers an error status calls for: Retry-After on a 429, the unsatisfied-range Content-Range on a 416 (RFC 9110 15.5.17). */
function headersOf(err: AppError): Record<string, string> | undefined {
  const details = err.details as { retryAfterS?: unknown; size?: unknown } | undefined;
  if (err.status === 429 && typeof details?.retryAfterS === 'number') return { 'Retry-After': String(details.retryAfterS) };
  if (err.status === 416 && typeof details?.size === 'number') return { 'Content-Range': `bytes */${details.size}` };
  return undefined;
}

/** Status code → the `code` an error without its own gets (tus and framework errors). */
export function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'request_failed');
}

export function sendError(res: Response, mapped: MappedError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(mapped.headers ?? {})) res.setHeader(name, value);
  res.status(mapped.status).type('application/json').send(JSON.stringify(mapped.body));
}

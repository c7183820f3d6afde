import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { codeForStatus, type ErrorBody } from './http-error';
import { newCorrelationId } from './correlation';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
};

const MESSAGES: Record<number, string> = {
  400: 'The request could not be parsed as HTTP',
  408: 'The request took too long to arrive',
  413: 'The request is too large',
  431: 'The request headers are too large',
};

function statusOf(err: NodeJS.ErrnoException): number {
  if (err.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (err.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  return 400;
}

/**
 * Errors Node's HTTP parser raises before any middleware runs (headers over the size limit → 431,
 * unparsable requests → 400, slow requests → 408) are answered in the one error shape instead of
 * Node's bare status line; then the connection is closed, as Node itself does.
 */
export function answerClientErrorsInErrorShape(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's own handler: never write a status line into a response that has already begun.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const status = statusOf(err);
    const correlationId = newCorrelationId();
    const body: ErrorBody = { code: status === 431 ? 'headers_too_large' : codeForStatus(status), message: MESSAGES[status] ?? 'Bad request', correlationId };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(json)}\r\n` +
        `x-correlation-id: ${correlationId}\r\n` +
        'Connection: close\r\n\r\n' +
        json,
    );
  });
}

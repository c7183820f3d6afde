import type { IncomingMessage } from 'node:http';
import { AppError } from './app-error';

/** Deepest JSON nesting a request body may have; deeper bodies are refused before parsing. */
export const MAX_JSON_DEPTH = 64;

/** NUL, or a UTF-16 surrogate without its partner (no UTF-8 encoding exists for it; PostgreSQL refuses both). */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isBadText(s: string): boolean {
  return BAD_TEXT.test(s);
}

/**
 * Nesting depth of a raw JSON text, counted without parsing (so no recursion can overflow), stopping
 * as soon as `max` is exceeded. Brackets inside strings do not count.
 */
export function jsonDepthExceeds(raw: Buffer | string, max = MAX_JSON_DEPTH): boolean {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export function jsonTooDeep(): AppError {
  return new AppError('json_too_deep', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`, 400, { maxDepth: MAX_JSON_DEPTH });
}

function badText(where: 'body' | 'query' | 'path', path: string): AppError {
  return new AppError('invalid_text', 'Text must not contain NUL characters or unpaired UTF-16 surrogates', 400, { in: where, path });
}

/** The path (dot-joined) of the first string or key in a parsed JSON value that holds bad text. */
export function findBadText(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return isBadText(value) ? path.join('.') : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], [...path, String(i)]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (isBadText(key)) return [...path, key].join('.');
      const found = findBadText(v, [...path, key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined; // invalid percent-encoding or UTF-8 (an encoded lone surrogate lands here)
  }
}

/**
 * Checks the request line: every path segment and query name/value must percent-decode to valid
 * UTF-8 without NUL. Runs before routing, so no controller, pipe or database sees such text.
 */
export function checkRequestUrl(req: IncomingMessage): AppError | undefined {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathPart = q === -1 ? url : url.slice(0, q);
  const segments = pathPart.split('/');
  for (const segment of segments) {
    const decoded = decode(segment);
    if (decoded === undefined) return new AppError('malformed_url', 'The URL path is not valid percent-encoded UTF-8', 400, { in: 'path' });
    if (isBadText(decoded)) return badText('path', segment);
  }
  if (q === -1) return undefined;
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = decode((eq === -1 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1).replace(/\+/g, ' '));
    if (name === undefined || value === undefined) {
      return new AppError('malformed_url', 'The query string is not valid percent-encoded UTF-8', 400, { in: 'query' });
    }
    if (isBadText(name) || isBadText(value)) return badText('query', isBadText(name) ? '' : name);
  }
  return undefined;
}

/** Checks a parsed JSON body (already known to be at most MAX_JSON_DEPTH deep). */
export function checkJsonBody(body: unknown): AppError | undefined {
  const path = findBadText(body);
  return path === undefined ? undefined : badText('body', path);
}

/**
 * For body-parser's `verify` hook, which sees the raw bytes before `JSON.parse`: a body nested too deep
 * is refused there. body-parser keeps the thrown error's 400 status.
 */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  if (jsonDepthExceeds(buf)) throw jsonTooDeep();
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { checkJsonBody, checkRequestUrl, verifyJsonDepth } from './input-guard';

export type InputGuard = (req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void) => void;

/**
 * The one input check every HTTP process runs first (the gateway in both modes, each distributed
 * service): the URL must decode to clean UTF-8 without NUL, a JSON body (`application/json`,
 * `application/*+json`) must be at most MAX_JSON_DEPTH deep (checked on the raw bytes, before
 * parsing) and within `maxBodyBytes`, and none of its strings or keys may hold NUL or a lone
 * surrogate. Such input is refused (400), never stripped. `done(err)` gets the AppError to answer.
 */
export function createInputGuard(opts: { maxBodyBytes: number }): InputGuard {
  const json = express.json({ limit: opts.maxBodyBytes, type: ['application/json', 'application/*+json'], verify: verifyJsonDepth });
  return (req, res, done) => {
    const urlError = checkRequestUrl(req);
    if (urlError) return done(urlError);
    json(req as express.Request, res as express.Response, (parseErr?: unknown) => {
      if (parseErr) return done(parseErr);
      done(checkJsonBody((req as { body?: unknown }).body));
    });
  };
}

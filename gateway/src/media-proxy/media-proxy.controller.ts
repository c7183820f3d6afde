import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import type { RequestWithPrincipal } from '../auth/current-principal.decorator';
import { Public } from '../auth/roles.decorator';
import { MediaForwarder } from './media-forwarder';

/** Connecting to media: a down service answers 503 quickly instead of hanging the client. */
export const MEDIA_CONNECT_TIMEOUT_MS = 5_000;
/** Silence allowed once connected (slow uploads, probing a large video after the last byte). */
export const MEDIA_IDLE_TIMEOUT_MS = 15 * 60_000;

/**
 * Distributed mode: the byte routes of the media service, proxied to SX_MEDIA_URL. `/media/*` needs
 * an authenticated caller (the global AuthGuard; reads need viewer, writes editor — media re-checks
 * per route); media learns who it is from x-sx-* headers the gateway sets. `/storage/objects/*`
 * is public here: its URL signature is the credential and media verifies it.
 */
@ApiExcludeController()
@Controller()
export class MediaProxyController {
  private readonly forwarder: MediaForwarder;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.forwarder = new MediaForwarder({
      mediaUrl: config.mediaUrl,
      connectTimeoutMs: MEDIA_CONNECT_TIMEOUT_MS,
      idleTimeoutMs: MEDIA_IDLE_TIMEOUT_MS,
    });
  }

  @All('media/*path')
  media(@Req() req: Request & RequestWithPrincipal, @Res() res: Response): Promise<void> {
    return this.forwarder.forward(req, res);
  }

  @Public()
  @All('storage/objects/*path')
  objects(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forwarder.forward(req, res);
  }
}

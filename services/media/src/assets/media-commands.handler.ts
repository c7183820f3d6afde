import type { CommandContext, CommandReply, CommandRequest, CommandResponse, MediaAsset } from '@sx/contracts';
import { MediaDelete, MediaGet, MediaImportUrl, MediaList, MediaLocate, MediaRestore, MediaUpdate, MediaUploadComplete, MediaUploadInit, MediaUploadParts } from '@sx/contracts';
import { OnCommand } from '@sx/bus';
import { AppError } from '@sx/service-kit';
import type { Logger } from 'pino';
import type { DirectUploadService } from '../direct-upload/direct-upload.service';
import type { UrlImportService } from '../url-import/url-import.service';
import type { AssetsService } from './assets.service';

const WRITE_ROLES = new Set(['admin', 'editor', 'system']);
type Reply<T> = Promise<CommandReply<T>>;

/**
 * Answers the `cmd.media.*` commands (BusModule discovers the @OnCommand methods). Each handler is one
 * call into a service; every call is scoped to the context's workspace; mutations need editor or above.
 */
export class MediaCommandsHandler {
  constructor(
    private readonly assets: AssetsService,
    private readonly imports: UrlImportService,
    private readonly direct: DirectUploadService,
    private readonly logger: Logger,
  ) {}

  @OnCommand(MediaList)
  list(req: CommandRequest<typeof MediaList>, ctx: CommandContext): Reply<CommandResponse<typeof MediaList>> {
    return this.run(ctx, false, () => this.assets.list(ctx, req));
  }

  @OnCommand(MediaGet)
  get(req: CommandRequest<typeof MediaGet>, ctx: CommandContext): Reply<MediaAsset> {
    return this.run(ctx, false, () => this.assets.get(ctx, req.assetId));
  }

  /** Internal: the pipeline reads the bytes it renders from here (see AssetsService.locate). */
  @OnCommand(MediaLocate)
  locate(req: CommandRequest<typeof MediaLocate>, ctx: CommandContext): Reply<CommandResponse<typeof MediaLocate>> {
    return this.run(ctx, false, () => this.assets.locate(ctx, req.assetId));
  }

  @OnCommand(MediaDelete)
  delete(req: CommandRequest<typeof MediaDelete>, ctx: CommandContext): Reply<MediaAsset> {
    return this.run(ctx, true, () => this.assets.delete(actor(ctx), req.assetId));
  }

  @OnCommand(MediaRestore)
  restore(req: CommandRequest<typeof MediaRestore>, ctx: CommandContext): Reply<MediaAsset> {
    return this.run(ctx, true, () => this.assets.restore(actor(ctx), req.assetId));
  }

  @OnCommand(MediaUpdate)
  update(req: CommandRequest<typeof MediaUpdate>, ctx: CommandContext): Reply<MediaAsset> {
    return this.run(ctx, true, () => this.assets.update(actor(ctx), req));
  }

  @OnCommand(MediaImportUrl)
  importUrl(req: CommandRequest<typeof MediaImportUrl>, ctx: CommandContext): Reply<CommandResponse<typeof MediaImportUrl>> {
    return this.run(ctx, true, () => this.imports.importUrl(actor(ctx), req));
  }

  @OnCommand(MediaUploadInit)
  uploadInit(req: CommandRequest<typeof MediaUploadInit>, ctx: CommandContext): Reply<CommandResponse<typeof MediaUploadInit>> {
    return this.run(ctx, true, () => this.direct.init(actor(ctx), req));
  }

  @OnCommand(MediaUploadParts)
  uploadParts(req: CommandRequest<typeof MediaUploadParts>, ctx: CommandContext): Reply<CommandResponse<typeof MediaUploadParts>> {
    return this.run(ctx, true, () => this.direct.parts(actor(ctx), req));
  }

  @OnCommand(MediaUploadComplete)
  uploadComplete(req: CommandRequest<typeof MediaUploadComplete>, ctx: CommandContext): Reply<CommandResponse<typeof MediaUploadComplete>> {
    return this.run(ctx, true, () => this.direct.complete(actor(ctx), req));
  }

  /** Coded errors become `{ ok: false }` replies; anything else is logged and answered as an opaque 500. */
  private async run<T>(ctx: CommandContext, mutates: boolean, fn: () => Promise<T>): Reply<T> {
    try {
      if (mutates && !WRITE_ROLES.has(ctx.role)) throw new AppError('forbidden', 'This action needs the editor role', 403);
      return { ok: true, data: await fn() };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.toCommandError() };
      this.logger.error({ err: e, correlationId: ctx.correlationId }, 'media command failed');
      return { ok: false, error: { code: 'internal_error', message: 'The media service failed', status: 500 } };
    }
  }
}

function actor(ctx: CommandContext) {
  return { workspaceId: ctx.workspaceId, actorId: ctx.actorId, correlationId: ctx.correlationId };
}

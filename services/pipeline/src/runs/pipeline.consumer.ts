import { Injectable } from '@nestjs/common';
import { OnCommand, OnEvent, type Delivery } from '@sx/bus';
import {
  MediaReady,
  PipelineBulkImport,
  PipelineGetRun,
  PipelineList,
  PipelineListRuns,
  PipelineRetryStage,
  PipelineRun,
  PipelineRunRequested,
  type CommandContext,
  type CommandReply,
  type CommandRequest,
  type CommandResponse,
  type EventData,
} from '@sx/contracts';
import { BulkImportService } from '../import/bulk-import.service';
import { PipelineService } from './pipeline.service';

const ok = <T>(data: T): CommandReply<T> => ({ ok: true, data });

/**
 * Bus entry points of the pipeline service.
 * Idempotency: event-triggered runs carry the event id as trigger reference, so a redelivered
 * media.ready or pipeline.run.requested creates no second run; commands are user actions.
 */
@Injectable()
export class PipelineConsumer {
  constructor(
    private readonly pipelines: PipelineService,
    private readonly imports: BulkImportService,
  ) {}

  @OnEvent(MediaReady, { durable: 'pipeline-media-ready' })
  async onMediaReady(d: Delivery<EventData<typeof MediaReady>>): Promise<void> {
    const e = d.envelope;
    await this.pipelines.run(
      e.workspaceId,
      e.correlationId,
      { pipeline: 'default', assetIds: [e.data.assetId], platforms: e.data.platforms, autoSchedule: e.data.autoSchedule },
      'event',
      e.id,
    );
  }

  @OnEvent(PipelineRunRequested, { durable: 'pipeline-run-requested' })
  async onRunRequested(d: Delivery<EventData<typeof PipelineRunRequested>>): Promise<void> {
    const e = d.envelope;
    const p = e.data.params;
    const assetIds = (p['assetIds'] ?? p['assetId'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    await this.pipelines.run(
      e.workspaceId,
      e.correlationId,
      {
        pipeline: e.data.pipeline,
        assetIds,
        stage: p['stage'],
        platforms: p['platforms']?.split(',').filter(Boolean),
        autoSchedule: p['autoSchedule'] === 'true',
        gameContext: p['game_context'],
      },
      'schedule',
      e.id,
    );
  }

  @OnCommand(PipelineRun)
  async run(r: CommandRequest<typeof PipelineRun>, ctx: CommandContext): Promise<CommandReply<CommandResponse<typeof PipelineRun>>> {
    return ok({ runs: await this.pipelines.run(ctx.workspaceId, ctx.correlationId, r) });
  }

  @OnCommand(PipelineListRuns)
  async list(r: CommandRequest<typeof PipelineListRuns>, ctx: CommandContext): Promise<CommandReply<CommandResponse<typeof PipelineListRuns>>> {
    return ok(await this.pipelines.list(ctx.workspaceId, r));
  }

  @OnCommand(PipelineGetRun)
  async get(r: CommandRequest<typeof PipelineGetRun>, ctx: CommandContext): Promise<CommandReply<CommandResponse<typeof PipelineGetRun>>> {
    return ok(await this.pipelines.get(ctx.workspaceId, r.id));
  }

  @OnCommand(PipelineRetryStage)
  async retry(r: CommandRequest<typeof PipelineRetryStage>, ctx: CommandContext): Promise<CommandReply<CommandResponse<typeof PipelineRetryStage>>> {
    return ok(await this.pipelines.retry(ctx.workspaceId, r.id, r.stage));
  }

  @OnCommand(PipelineList)
  async definitions(): Promise<CommandReply<CommandResponse<typeof PipelineList>>> {
    return ok(this.pipelines.definitions());
  }

  @OnCommand(PipelineBulkImport)
  async bulkImport(r: CommandRequest<typeof PipelineBulkImport>, ctx: CommandContext): Promise<CommandReply<CommandResponse<typeof PipelineBulkImport>>> {
    return ok(await this.imports.run(ctx, r));
  }
}

import type { CommandRequest, PipelineRun as PipelineRunCmd, PipelineRunView } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import type { RunTrigger } from '../db/pipeline.entities';
import { stagesForRun, type PipelineDefinitions } from '../definitions/pipeline-definitions';
import type { PipelineWorker } from './pipeline-worker';
import type { RunsQueries } from './runs.queries';
import type { RunsRepository } from './runs.repository';

export type RunRequest = CommandRequest<typeof PipelineRunCmd>;

/** Starting, inspecting and retrying pipeline runs, always within one workspace. */
export class PipelineService {
  constructor(
    private readonly defs: PipelineDefinitions,
    private readonly repo: RunsRepository,
    private readonly queries: RunsQueries,
    private readonly worker: Pick<PipelineWorker, 'kick'>,
  ) {}

  definitions(): { pipelines: { name: string; stages: string[] }[]; stages: string[] } {
    const pipelines = Object.entries(this.defs).map(([name, stages]) => ({ name, stages }));
    return { pipelines, stages: [...new Set(pipelines.flatMap((p) => p.stages))] };
  }

  async run(workspaceId: string, correlationId: string, req: RunRequest, trigger: RunTrigger = 'manual', triggerRef?: string): Promise<PipelineRunView[]> {
    const stages = stagesForRun(this.defs, req.pipeline, req.stage);
    // A run without an asset (a recurring schedule that named none) fails visibly at its first stage.
    const assetIds: (string | null)[] = req.assetIds.length ? [...new Set(req.assetIds)] : [null];
    const ids = await this.repo.create(
      workspaceId,
      correlationId,
      trigger,
      assetIds.map((assetId) => ({
        pipeline: req.pipeline,
        assetId,
        stages,
        params: { platforms: req.platforms ?? [], autoSchedule: req.autoSchedule, gameContext: req.gameContext, onlyStage: req.stage },
      })),
      triggerRef,
    );
    if (ids.length) this.worker.kick();
    return ids.length ? this.queries.getMany(workspaceId, ids) : [];
  }

  async get(workspaceId: string, id: string): Promise<PipelineRunView> {
    const run = await this.queries.get(workspaceId, id);
    if (!run) throw AppError.notFound('Pipeline run', id);
    return run;
  }

  async retry(workspaceId: string, id: string, stage?: string): Promise<PipelineRunView> {
    const run = await this.get(workspaceId, id);
    if (run.status === 'queued' || run.status === 'running') {
      throw AppError.conflict('run_in_progress', 'The run is still in progress; retry it once it has finished');
    }
    if (stage && !run.stages.some((s) => s.stage === stage)) {
      throw new AppError('unknown_stage', `Run ${id} has no stage "${stage}"`, 422, { stages: run.stages.map((s) => s.stage) });
    }
    await this.repo.retry(workspaceId, id, stage);
    this.worker.kick();
    return this.get(workspaceId, id);
  }

  list(workspaceId: string, filter: Parameters<RunsQueries['list']>[1]) {
    return this.queries.list(workspaceId, filter);
  }
}

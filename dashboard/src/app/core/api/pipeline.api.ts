import { Injectable, inject } from '@angular/core';
import { ApiClient, seg } from './api-client';
import { Page } from './page';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StageStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface PipelineStage {
  stage: string;
  status: StageStatus;
  attempt: number;
  error?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  log?: string;
}

export interface PipelineRun {
  runId: string;
  pipeline: string;
  assetId?: string | null;
  status: RunStatus;
  stages: PipelineStage[];
  startedAt: string;
  finishedAt?: string | null;
}

/** Wire shape (libs/contracts pipeline.commands.ts). */
interface WireRun {
  id: string;
  pipeline: string;
  assetId: string | null;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  stages: { stage: string; status: StageStatus; attempts: number; startedAt: string | null; finishedAt: string | null; log: string; error: string | null }[];
}

export function toRun(w: WireRun): PipelineRun {
  return {
    runId: w.id,
    pipeline: w.pipeline,
    assetId: w.assetId,
    status: w.status,
    startedAt: w.startedAt ?? w.createdAt,
    finishedAt: w.finishedAt,
    stages: w.stages.map((s) => ({ stage: s.stage, status: s.status, attempt: s.attempts, error: s.error, startedAt: s.startedAt, finishedAt: s.finishedAt, log: s.log })),
  };
}

@Injectable({ providedIn: 'root' })
export class PipelineApi {
  private readonly api = inject(ApiClient);

  async runs(filter: { status?: string; cursor?: string } = {}): Promise<Page<PipelineRun>> {
    const page = await this.api.get<Page<WireRun>>('/api/pipeline/runs', { limit: 50, ...filter });
    return { items: page.items.map(toRun), nextCursor: page.nextCursor };
  }
  async get(runId: string): Promise<PipelineRun> {
    return toRun(await this.api.get<WireRun>(`/api/pipeline/runs/${seg(runId)}`));
  }
  /** Run the pipeline again from `stage` (the stage that failed). */
  async retryStage(runId: string, stage: string): Promise<PipelineRun> {
    return toRun(await this.api.post<WireRun>(`/api/pipeline/runs/${seg(runId)}/retry`, { stage }));
  }
  /** Run the default pipeline for the given assets. */
  async run(assetIds: readonly string[]): Promise<{ runIds: string[] }> {
    const res = await this.api.post<{ runs: WireRun[] }>('/api/run-pipeline', { assetIds });
    return { runIds: res.runs.map((r) => r.id) };
  }
}

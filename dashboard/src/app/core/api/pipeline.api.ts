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

export interface StageLogLine {
  at: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  stage: string;
  message: string;
}

@Injectable({ providedIn: 'root' })
export class PipelineApi {
  private readonly api = inject(ApiClient);

  runs(filter: { status?: string; cursor?: string } = {}): Promise<Page<PipelineRun>> {
    return this.api.get<Page<PipelineRun>>('/api/pipeline/runs', { ...filter });
  }
  logs(runId: string): Promise<StageLogLine[]> {
    return this.api.get<StageLogLine[]>(`/api/pipeline/runs/${seg(runId)}/logs`);
  }
  retryStage(runId: string, stage: string): Promise<PipelineRun> {
    return this.api.post<PipelineRun>(`/api/pipeline/runs/${seg(runId)}/stages/${seg(stage)}/retry`);
  }
  /** Run the pipeline for all pending media, or only for the given assets. */
  run(assetIds?: readonly string[]): Promise<{ runIds: string[] }> {
    return this.api.post<{ runIds: string[] }>('/api/run-pipeline', assetIds?.length ? { assetIds } : {});
  }
}

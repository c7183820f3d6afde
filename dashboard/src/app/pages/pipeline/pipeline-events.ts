import { PipelineRun, RunStatus, StageStatus } from '../../core/api/pipeline.api';
import { DomainEvent } from '../../core/events/event-stream.service';

/** Apply pipeline.* events to the loaded runs; unknown runs are added from run.started. */
export function applyPipelineEvent(runs: PipelineRun[], e: DomainEvent): PipelineRun[] {
  const d = e.data;
  const runId = typeof d['runId'] === 'string' ? d['runId'] : null;
  if (!runId) return runs;
  if (e.subject === 'pipeline.stage.changed') {
    const stage = String(d['stage'] ?? '');
    return runs.map((r) => {
      if (r.runId !== runId) return r;
      const patch = {
        stage,
        status: d['status'] as StageStatus,
        attempt: typeof d['attempt'] === 'number' ? d['attempt'] : 0,
        error: typeof d['error'] === 'string' ? d['error'] : null,
      };
      const has = r.stages.some((s) => s.stage === stage);
      return { ...r, stages: has ? r.stages.map((s) => (s.stage === stage ? { ...s, ...patch } : s)) : [...r.stages, patch] };
    });
  }
  if (e.subject === 'pipeline.run.started' || e.subject === 'pipeline.run.finished') {
    const status = d['status'] as RunStatus;
    if (!runs.some((r) => r.runId === runId)) {
      return [
        {
          runId,
          pipeline: String(d['pipeline'] ?? ''),
          assetId: typeof d['assetId'] === 'string' ? d['assetId'] : null,
          status,
          stages: [],
          startedAt: e.occurredAt,
        },
        ...runs,
      ];
    }
    return runs.map((r) =>
      r.runId === runId ? { ...r, status, finishedAt: e.subject === 'pipeline.run.finished' ? e.occurredAt : r.finishedAt } : r,
    );
  }
  return runs;
}

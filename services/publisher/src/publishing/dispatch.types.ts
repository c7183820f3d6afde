import type { DispatchRequested, EventData } from '@sx/contracts';

export type DispatchData = EventData<typeof DispatchRequested>;

/** What every outcome event of one dispatched job carries. */
export interface JobScope {
  workspaceId: string;
  correlationId: string;
  causationId: string;
  job: DispatchData;
}

/** Stable for every attempt of a job: plugins send it as the platform's idempotency key. */
export function idempotencyKeyFor(jobId: string): string {
  return `sx-${jobId}`;
}

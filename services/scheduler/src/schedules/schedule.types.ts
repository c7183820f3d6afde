import type { z } from 'zod';
import type { catchUpSchema, recurrenceSchema, scheduleActionSchema } from '@sx/contracts';

export type CatchUp = z.infer<typeof catchUpSchema>;
export type ScheduleAction = z.infer<typeof scheduleActionSchema>;
export type StoredRecurrence = z.infer<typeof recurrenceSchema>;

export interface ScheduleRow {
  id: string;
  workspace_id: string;
  name: string;
  kind: 'once' | 'rrule' | 'cron';
  recurrence: StoredRecurrence;
  zone: string;
  start_at: Date;
  until_at: Date | null;
  action: ScheduleAction;
  post_id: string | null;
  catch_up: CatchUp;
  paused: boolean;
  is_task: boolean;
  materialized_until: Date | null;
  next_run_at: Date | null;
  created_at: Date;
  deleted_at: Date | null;
}

/** With "skip", an occurrence later than this after downtime is skipped; normal firing jitter stays far below it. */
export const SKIP_GRACE_MS = 60_000;

/** Why a late occurrence must not fire, or undefined when it may. Applies to first attempts only. */
export function catchUpVerdict(policy: CatchUp, latenessMs: number): string | undefined {
  const minutes = Math.round(latenessMs / 60_000);
  if (policy.mode === 'skip' && latenessMs > SKIP_GRACE_MS) {
    return `skipped: missed by ${minutes} min (scheduler unavailable); catch-up policy is "skip"`;
  }
  if (policy.mode === 'publish_late' && latenessMs > policy.maxLateMinutes * 60_000) {
    return `skipped: missed by ${minutes} min, more than the ${policy.maxLateMinutes}-minute catch-up window`;
  }
  return undefined;
}

import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InjectDataSource } from '@sx/persistence';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import type { JobRow, Sql, Tenant } from '../db/rows';
import { compileRecurrence, type Recurrence } from '../time/recurrence';
import { transitionAnnounced } from '../jobs/job-events';
import { DispatcherService } from '../dispatch/dispatcher.service';
import { insertJobPairs, materializeSchedule, targetsOf } from './materializer';
import { scheduleRepository } from './schedule.repository';
import type { CatchUp, ScheduleAction, ScheduleRow, StoredRecurrence } from './schedule.types';

export interface ScheduleInput {
  name: string;
  recurrence: StoredRecurrence;
  zone: string;
  action: ScheduleAction;
  catchUp: CatchUp;
  paused: boolean;
}

/** Validates recurrences and turns schedules into jobs; the one place schedules are created or changed. */
@Injectable()
export class SchedulesService {
  constructor(
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dispatcher: DispatcherService,
  ) {}

  /**
   * Creates a schedule and its first jobs in the caller's transaction. Everything is validated before
   * the first write, so bad input stores nothing. `allowPast` is the "publish now" path.
   */
  async create(m: Sql, t: Tenant, input: ScheduleInput, opts: { isTask: boolean; allowPast?: boolean }): Promise<{ schedule: ScheduleRow; jobs: JobRow[] }> {
    const nowMs = this.clock.nowMs();
    const { stored, rec } = this.validate(input, nowMs, opts.allowPast ?? false);
    await targetsOf(m, { workspace_id: t.workspaceId, action: input.action });
    const schedule = await scheduleRepository.insert(
      m,
      t,
      { ...input, recurrence: stored, startAt: rec.startAt, untilAt: rec.untilAt, isTask: opts.isTask },
      nowMs,
    );
    const jobs = await materializeSchedule(m, schedule, nowMs);
    return { schedule: await scheduleRepository.get(m, t, schedule.id), jobs };
  }

  /** Replaces a task's definition in place: its unfired jobs are cancelled, new ones start from now. */
  async replace(t: Tenant, id: string, input: ScheduleInput): Promise<ScheduleRow> {
    const row = await this.db.transaction(async (m) => {
      await scheduleRepository.get(m, t, id, true);
      const nowMs = this.clock.nowMs();
      const { stored, rec } = this.validate(input, nowMs, false);
      await targetsOf(m, { workspace_id: t.workspaceId, action: input.action });
      await transitionAnnounced(m, this.clock, t, { scheduleId: id }, 'replaceTask', { reason: 'task replaced' });
      await m.query(
        `UPDATE scheduler.schedules SET name = $3, kind = $4, recurrence = $5, zone = $6, start_at = $7, until_at = $8, action = $9,
           post_id = $10, catch_up = $11, paused = $12, materialized_until = $13, updated_at = $13 WHERE workspace_id = $1 AND id = $2`,
        [t.workspaceId, id, input.name, stored.kind, JSON.stringify(stored), input.zone, rec.startAt, rec.untilAt ?? null, JSON.stringify(input.action),
          input.action.type === 'publish_post' ? input.action.postId : null, JSON.stringify(input.catchUp), input.paused, new Date(nowMs - 1)],
      );
      const updated = await scheduleRepository.get(m, t, id);
      await materializeSchedule(m, updated, nowMs);
      return scheduleRepository.get(m, t, id);
    });
    this.dispatcher.kick();
    return row;
  }

  async setPaused(t: Tenant, id: string, paused: boolean): Promise<ScheduleRow> {
    return this.db.transaction(async (m) => {
      const s = await scheduleRepository.get(m, t, id, true);
      const now = this.clock.nowMs();
      await scheduleRepository.setPaused(m, t, id, paused, now);
      if (paused) {
        await transitionAnnounced(m, this.clock, t, { scheduleId: s.id }, 'pauseTask', { reason: 'schedule paused' });
      } else {
        await transitionAnnounced(m, this.clock, t, { scheduleId: s.id }, 'resumeTask', { reason: 'schedule resumed' });
        if (s.kind !== 'once') await materializeSchedule(m, { ...s, paused: false }, now);
      }
      return scheduleRepository.get(m, t, id);
    });
  }

  async remove(t: Tenant, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await scheduleRepository.get(m, t, id, true);
      await transitionAnnounced(m, this.clock, t, { scheduleId: id }, 'deleteTask', { reason: 'schedule deleted' });
      await scheduleRepository.softDelete(m, t, id, this.clock.nowMs());
    });
  }

  /**
   * Runs a schedule's action once, now, outside its recurrence (the "execute" button). The job belongs to
   * the task itself, so its run count, last run and history show it; a paused task runs too (on purpose).
   */
  async executeNow(t: Tenant, id: string): Promise<JobRow[]> {
    const jobs = await this.db.transaction(async (m) => {
      const s = await scheduleRepository.get(m, t, id, true);
      const now = this.clock.now();
      const targets = await targetsOf(m, s);
      return insertJobPairs(m, { ...s, paused: false }, targets.map((target) => ({ at: now, target })), now.getTime(), 'run-now');
    });
    this.dispatcher.kick();
    return jobs;
  }

  /** Compiles the recurrence (coded errors on bad input) and returns it in stored form. */
  private validate(input: ScheduleInput, nowMs: number, allowPast: boolean): { stored: StoredRecurrence; rec: Recurrence } {
    const rec = compileRecurrence(input.recurrence, input.zone, new Date(nowMs));
    if (input.recurrence.kind === 'once' && rec.startAt.getTime() <= nowMs && !allowPast) {
      throw new AppError('time_in_past', 'A one-off time must be in the future (use "now" to publish immediately)', 422);
    }
    const stored: StoredRecurrence =
      input.recurrence.kind === 'once'
        ? { kind: 'once', at: rec.startAt.toISOString() }
        : { ...input.recurrence, start: rec.startAt.toISOString(), until: rec.untilAt?.toISOString() };
    return { stored, rec };
  }
}

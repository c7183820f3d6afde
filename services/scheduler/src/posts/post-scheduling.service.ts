import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { PostScheduled, type CommandRequest, type SchedulerSchedulePost } from '@sx/contracts';
import { appendToOutbox, buildEnvelope } from '@sx/bus';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { InjectDataSource } from '@sx/persistence';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import type { JobRow, Sql, Tenant } from '../db/rows';
import { jobRef, transitionAnnounced } from '../jobs/job-events';
import { jobRepository } from '../jobs/job.repository';
import { DispatcherService } from '../dispatch/dispatcher.service';
import { insertJobPairs, targetsOf } from '../schedules/materializer';
import { SchedulesService } from '../schedules/schedules.service';
import { scheduleRepository } from '../schedules/schedule.repository';
import type { CatchUp } from '../schedules/schedule.types';
import { SlotsService } from '../slots/slots.service';
import { workspaceSettingsRepository } from '../slots/workspace-settings';
import { assertZone } from '../time/zoned-time';
import { postsRepository } from './posts.repository';

type ScheduleRequest = CommandRequest<typeof SchedulerSchedulePost>;

/** Scheduling posts: at a time, into next free slots, now; reschedule; post again. */
@Injectable()
export class PostSchedulingService {
  constructor(
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly schedules: SchedulesService,
    private readonly slots: SlotsService,
    private readonly dispatcher: DispatcherService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async schedule(t: Tenant & { actorId: string; correlationId: string }, req: ScheduleRequest): Promise<{ postId: string; scheduleId: string; jobs: JobRow[] }> {
    assertZone(req.zone);
    const result = await this.db.transaction(async (m) => {
      const postId = await this.resolvePost(m, t, req);
      if (req.postId) await this.refusePublished(m, t, postId);
      const scheduled = await this.scheduleInTx(m, t, postId, req.when, req.zone, req.catchUp, []);
      // Publish now replaces what was scheduled: the post's other one-off jobs must not go out again later.
      if (req.when.mode === 'now') await transitionAnnounced(m, this.clock, t, { postId, oneOffsExcept: scheduled.scheduleId }, 'settleByPostNow', { reason: 'settled: the post was posted now' });
      return scheduled;
    });
    this.dispatcher.kick();
    return result;
  }

  /** The seed's space_videos: each post goes into the next free slot of each of its accounts, in order. */
  async space(t: Tenant & { actorId: string; correlationId: string }, postIds: string[], catchUp: CatchUp): Promise<{ postId: string; jobs: JobRow[] }[]> {
    const out = await this.db.transaction(async (m) => {
      const taken: Date[] = [];
      const result: { postId: string; jobs: JobRow[] }[] = [];
      for (const postId of postIds) {
        const r = await this.scheduleInTx(m, t, postId, { mode: 'next_slot' }, 'UTC', catchUp, taken);
        taken.push(...r.jobs.map((j) => j.due_at));
        result.push({ postId, jobs: r.jobs });
      }
      return result;
    });
    this.dispatcher.kick();
    return out;
  }

  async reschedule(t: Tenant & { correlationId?: string }, postId: string, at: string, zone: string): Promise<JobRow[]> {
    const page = await this.db.transaction(async (m) => {
      await postsRepository.get(m, t, postId, { forUpdate: true });
      return this.rescheduleInTx(m, t, postId, at, zone);
    });
    this.dispatcher.kick();
    return page;
  }

  /** Reschedule in the caller's transaction (the post is locked by the caller); returns the post's pending jobs. */
  async rescheduleInTx(m: EntityManager, t: Tenant & { correlationId?: string }, postId: string, at: string, zone: string): Promise<JobRow[]> {
    await this.refusePublished(m, t, postId);
    const { schedule, jobs } = await this.schedules.create(
      m,
      t,
      { name: 'reschedule', recurrence: { kind: 'once', at }, zone, action: { type: 'publish_post', postId }, catchUp: { mode: 'publish_late', maxLateMinutes: 60 }, paused: false },
      { isTask: false },
    );
    // The new schedule's jobs exist; the old unfired one-off jobs are cancelled (rescheduling never
    // duplicates). Jobs of recurring tasks that publish this post are left alone.
    await transitionAnnounced(m, this.clock, t, { postId, oneOffsExcept: schedule.id }, 'replaceByReschedule', { reason: 'rescheduled' });
    await this.announceScheduled(m, t, postId, jobs);
    return (await jobRepository.list(m, t, { limit: 200, postId, state: 'pending' })).items;
  }

  /**
   * Post again: the one explicit way to publish an already published post once more (a new one-off schedule
   * for all its targets, at a time or now). Rescheduling or publishing now refuses a published post.
   */
  async postAgain(t: Tenant & { actorId: string; correlationId: string }, postId: string, when: ScheduleRequest['when'], zone: string, catchUp: CatchUp): Promise<{ postId: string; scheduleId: string; jobs: JobRow[] }> {
    assertZone(zone);
    const result = await this.db.transaction(async (m) => {
      await postsRepository.get(m, t, postId, { forUpdate: true });
      return this.scheduleInTx(m, t, postId, when, zone, catchUp, []);
    });
    this.dispatcher.kick();
    return result;
  }

  async stats(t: Tenant, zone: string): Promise<Record<string, number>> {
    assertZone(zone);
    const day = DateTime.fromJSDate(this.clock.now(), { zone }).startOf('day');
    const stuckBefore = new Date(this.clock.nowMs() - this.config.scheduler.lateAlertMs);
    return jobRepository.stats(this.db, t, day.toJSDate(), day.plus({ days: 1 }).toJSDate(), stuckBefore);
  }

  private async refusePublished(m: Sql, t: Tenant, postId: string): Promise<void> {
    if (await jobRepository.publishedOnce(m, t, postId)) {
      throw AppError.conflict('already_published', `post ${postId} was already published; use "post again" (POST /api/posts/${postId}/post-again) to publish it once more`);
    }
  }

  private async resolvePost(m: Sql, t: Tenant & { actorId: string }, req: ScheduleRequest): Promise<string> {
    if (req.postId && req.post) throw AppError.validation('Give either postId or post, not both');
    if (req.post) {
      if (req.post.targets.length === 0) throw new AppError('no_targets', 'A post needs at least one target account', 422);
      const { targets, ...content } = req.post;
      return postsRepository.insert(m, t, t.actorId, content, targets, this.clock.nowMs());
    }
    if (!req.postId) throw AppError.validation('postId or post is required');
    await postsRepository.get(m, t, req.postId, { forUpdate: true });
    return req.postId;
  }

  private async scheduleInTx(m: EntityManager, t: Tenant & { correlationId: string }, postId: string, when: ScheduleRequest['when'], zone: string, catchUp: CatchUp, taken: Date[]) {
    const action = { type: 'publish_post' as const, postId };
    let scheduleId: string;
    let jobs: JobRow[];
    if (when.mode === 'next_slot') {
      const targets = await targetsOf(m, { workspace_id: t.workspaceId, action });
      const pairs = [];
      for (const target of targets) {
        const [free] = await this.slots.nextFree(m, t, target.accountId ?? '', 1, taken);
        // No free slot: the workspace's default post time offset from now (seed 001's default_post_time_offset).
        const at = free ?? new Date(this.clock.nowMs() + (await workspaceSettingsRepository.get(m, t)).defaultPostTimeOffsetMinutes * 60_000);
        pairs.push({ at, target });
      }
      const first = pairs.map((p) => p.at).sort((a, b) => a.getTime() - b.getTime())[0];
      const schedule = await scheduleRepository.insert(m, t, { name: 'next free slot', recurrence: { kind: 'once', at: first.toISOString() }, zone, startAt: first, action, catchUp, paused: false, isTask: false }, this.clock.nowMs());
      scheduleId = schedule.id;
      jobs = await insertJobPairs(m, schedule, pairs, this.clock.nowMs());
    } else {
      const at = when.mode === 'now' ? this.clock.now().toISOString() : when.at;
      const created = await this.schedules.create(m, t, { name: when.mode === 'now' ? 'post now' : 'one-off', recurrence: { kind: 'once', at }, zone, action, catchUp, paused: false }, { isTask: false, allowPast: when.mode === 'now' });
      scheduleId = created.schedule.id;
      jobs = created.jobs;
    }
    await this.announceScheduled(m, t, postId, jobs);
    return { postId, scheduleId, jobs };
  }

  /** post.scheduled for a post's new jobs, through the outbox of the caller's transaction. */
  private async announceScheduled(m: EntityManager, t: Tenant & { correlationId?: string }, postId: string, jobs: JobRow[]): Promise<void> {
    const data = { postId, jobs: jobs.map((j) => ({ ...jobRef(j), postId, dueAt: j.due_at.toISOString() })) };
    await appendToOutbox(m, 'scheduler', buildEnvelope(PostScheduled, data, { workspaceId: t.workspaceId, correlationId: t.correlationId ?? postId }, this.clock));
  }
}

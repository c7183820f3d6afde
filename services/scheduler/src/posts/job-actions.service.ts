import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { CommandRequest, SchedulerResolveUnknown } from '@sx/contracts';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { InjectDataSource } from '@sx/persistence';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { assertId, type JobRow, type Tenant } from '../db/rows';
import { DispatcherService } from '../dispatch/dispatcher.service';
import { transitionAnnounced } from '../jobs/job-events';
import { IN_FLIGHT, rule } from '../jobs/job-lifecycle';
import { jobRepository, type TransitionOptions } from '../jobs/job.repository';
import { postsRepository } from './posts.repository';

/**
 * A person's actions on a post's jobs: cancel, post now (force), retry, resolve. Each is one lifecycle
 * transition; the in-flight states qualify only when the job is stuck (nothing moved it for longer than
 * the late-alert threshold), so a person can always settle what the watchdog alerted about.
 */
@Injectable()
export class JobActionsService {
  private readonly stuck: TransitionOptions;

  constructor(
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dispatcher: DispatcherService,
  ) {
    this.stuck = { stuckAfterMs: config.scheduler.lateAlertMs };
  }

  async cancel(t: Tenant, postId: string): Promise<number> {
    assertId(postId, 'post');
    const jobs = await this.db.transaction(async (m) => {
      await postsRepository.get(m, t, postId, { includeDeleted: true, forUpdate: true });
      return transitionAnnounced(m, this.clock, t, { postId }, 'cancel', { reason: 'cancelled by user' }, this.stuck);
    });
    return jobs.length;
  }

  /**
   * Post now: per target, the earliest job that has not gone out fires at once; the post's other one-off
   * jobs for that target are settled (cancelled), so nothing already scheduled goes out a second time.
   */
  async force(t: Tenant, postId: string): Promise<JobRow[]> {
    assertId(postId, 'post');
    const forced = await this.db.transaction(async (m) => {
      await postsRepository.get(m, t, postId, { forUpdate: true });
      const jobs = await jobRepository.byPost(m, t, postId);
      const eligible = new Set([...rule('force').from, ...(rule('force').stuckFrom ?? [])]);
      const firstPerTarget = new Map<string, JobRow>();
      for (const j of jobs) if (eligible.has(j.state) && !firstPerTarget.has(j.target_id ?? j.id)) firstPerTarget.set(j.target_id ?? j.id, j);
      const out: JobRow[] = [];
      for (const [target, job] of firstPerTarget) {
        const [moved] = await transitionAnnounced(m, this.clock, t, { jobId: job.id }, 'force', { reason: 'forced: post now', fireAt: this.clock.now() }, this.stuck);
        if (!moved) continue;
        out.push(moved);
        const oneOffs = await jobRepository.oneOffJobIds(m, t, postId, target);
        for (const id of oneOffs.filter((id) => id !== moved.id)) {
          await transitionAnnounced(m, this.clock, t, { jobId: id }, 'settleByPostNow', { reason: 'settled: the post was posted now' });
        }
      }
      return out;
    });
    if (forced.length === 0) throw AppError.conflict('nothing_to_force', `post ${postId} has no job that has not gone out`);
    this.dispatcher.kick();
    return forced;
  }

  async retry(t: Tenant, jobId: string): Promise<JobRow> {
    assertId(jobId, 'job');
    const [job] = await this.db.transaction((m) =>
      transitionAnnounced(m, this.clock, t, { jobId }, 'retry', { reason: 'retried by user', fireAt: this.clock.now() }, this.stuck),
    );
    if (!job && !(await jobRepository.get(this.db, t, jobId))) throw AppError.notFound('job', jobId);
    if (!job) throw AppError.conflict('not_failed', `job ${jobId} is neither failed nor stuck without an attempt`);
    this.dispatcher.kick();
    return job;
  }

  /** A person settles an `unknown` (or stuck in-flight) outcome after checking the platform (never retried blindly). */
  async resolve(t: Tenant, req: CommandRequest<typeof SchedulerResolveUnknown>): Promise<JobRow> {
    assertId(req.id, 'job');
    const [job] = await this.db.transaction((m) =>
      req.outcome === 'published'
        ? transitionAnnounced(m, this.clock, t, { jobId: req.id }, 'resolvePublished', { platformPostId: req.platformPostId, url: req.url, reason: 'resolved by a person' }, this.stuck)
        : transitionAnnounced(m, this.clock, t, { jobId: req.id }, 'resolveFailed', { reason: req.note ?? 'resolved as failed by a person' }, this.stuck),
    );
    if (!job && !(await jobRepository.get(this.db, t, req.id))) throw AppError.notFound('job', req.id);
    if (!job) throw AppError.conflict('not_unknown', `job ${req.id} is neither unknown nor stuck ${IN_FLIGHT.join('/')}`);
    return job;
  }
}

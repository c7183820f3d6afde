import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_BUS, OnCommand, type EventBus } from '@sx/bus';
import { SchedulerListDeadLetters, SchedulerReplayDeadLetter, type CommandContext, type CommandRequest } from '@sx/contracts';
import { InjectDataSource } from '@sx/persistence';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { ok, tenantOf } from '../commands/reply';
import { announceStateChanges } from '../jobs/job-events';
import { jobRepository } from '../jobs/job.repository';
import { rule } from '../jobs/job-lifecycle';
import { DEAD_LETTERED, refOf, toView } from './dead-letter-ref';

/** How many dead letters are read to find a workspace's (the bus lists them oldest first, across workspaces). */
const SCAN_LIMIT = 1_000;

/** `cmd.scheduler.listDeadLetters` / `replayDeadLetter`: what the bus gave up on, per workspace. */
@Injectable()
export class DeadLettersHandlers {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnCommand(SchedulerListDeadLetters)
  async list(req: CommandRequest<typeof SchedulerListDeadLetters>, ctx: CommandContext) {
    const mine = (await this.bus.listDeadLetters(SCAN_LIMIT)).filter((dl) => dl.envelope.workspaceId === ctx.workspaceId);
    return ok({ items: mine.slice(0, req.limit).map(toView) });
  }

  @OnCommand(SchedulerReplayDeadLetter)
  async replay(req: CommandRequest<typeof SchedulerReplayDeadLetter>, ctx: CommandContext) {
    if (ctx.role === 'viewer') throw new AppError('forbidden', 'replaying a dead letter needs the editor role', 403);
    const dl = (await this.bus.listDeadLetters(SCAN_LIMIT)).find((d) => d.id === req.id && d.envelope.workspaceId === ctx.workspaceId);
    if (!dl) throw AppError.notFound('dead letter', req.id);
    const ref = refOf(dl);
    let jobState: string | null = null;
    if (ref.kind !== 'other') {
      const t = tenantOf(ctx);
      const job = await jobRepository.get(this.db, t, ref.jobId);
      const name = ref.kind === 'dispatch' ? 'replayDispatch' : 'replayOutcome';
      // Only a job this dead letter moved goes back in flight; one a person settled since stays settled.
      if (job && job.attempt === ref.attempt && (job.reason ?? '').startsWith(DEAD_LETTERED) && rule(name).from.includes(job.state)) {
        await this.db.transaction(async (m) => {
          const reason = `replayed dead letter ${dl.id}`;
          const moved = await jobRepository.transition(m, t, { jobId: ref.jobId, attempt: ref.attempt }, name, { reason }, this.clock.nowMs());
          await announceStateChanges(m, t, moved.map((row) => ({ row, from: row.old_state, to: rule(name).to, reason })), this.clock);
        });
        jobState = rule(name).to;
      } else {
        jobState = job?.state ?? null;
      }
    }
    await this.bus.replayDeadLetter(dl.id);
    return ok({ id: dl.id, jobId: ref.kind === 'other' ? null : ref.jobId, jobState });
  }
}

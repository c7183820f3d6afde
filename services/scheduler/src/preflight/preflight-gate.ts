import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { CommandContext, PostPatch } from '@sx/contracts';
import { InjectDataSource } from '@sx/persistence';
import { CLOCK, type Clock } from '@sx/service-kit';
import { rows } from '../db/rows';
import { postsRepository, toPostView } from '../posts/posts.repository';
import type { ScheduleAction } from '../schedules/schedule.types';
import { webhookContent } from '../schedules/webhook-content';
import { parseUserTime } from '../time/zoned-time';
import { PreflightClient, type PreflightContent, type PreflightResult, type PreflightTarget } from './preflight.client';

type When = { mode: 'at'; at: string } | { mode: 'next_slot' } | { mode: 'now' };
type InlinePost = PreflightContent & { targets: PreflightTarget[] };

/**
 * Where each command that plans a publish runs the pre-flight check: schedule, space, reschedule, post
 * again, force, content edits of a scheduled post, scheduled-post edits and tasks that publish a post or
 * call a webhook. Runs before the command's transaction, so a refused request stores nothing.
 */
@Injectable()
export class PreflightGate {
  constructor(
    private readonly client: PreflightClient,
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The check as the composer asks for it: never throws for violations. */
  async validate(ctx: CommandContext, req: { postId?: string; post?: InlinePost; when?: When; zone?: string }): Promise<PreflightResult> {
    const { content, targets } = req.post ? { content: req.post, targets: req.post.targets } : await this.stored(ctx, req.postId ?? '');
    return this.client.check(ctx, content, targets, this.dueAt(req.when, req.zone));
  }

  async schedule(ctx: CommandContext, req: { postId?: string; post?: InlinePost; when: When; zone: string }): Promise<void> {
    if (req.post) return this.client.assert(ctx, req.post, req.post.targets, this.dueAt(req.when, req.zone));
    if (req.postId) return this.post(ctx, req.postId, this.dueAt(req.when, req.zone));
  }

  /** A stored post against its own targets (reschedule, post again, force, space). */
  async post(ctx: CommandContext, postId: string, dueAt?: Date): Promise<void> {
    const { content, targets } = await this.stored(ctx, postId);
    await this.client.assert(ctx, content, targets, dueAt);
  }

  /**
   * An edit checked as it would be stored (the patch merged over the post). `replans`: the edit plans jobs
   * (a new time or targets) and is always checked; a content-only edit is checked only when the post has
   * unfired jobs — a draft may be incomplete.
   */
  async edit(ctx: CommandContext, postId: string, patch: PostPatch & { targets?: PreflightTarget[] }, replans: boolean): Promise<void> {
    const { content, targets } = await this.stored(ctx, postId);
    if (!replans && !(await this.hasUnfiredJobs(ctx, postId))) return;
    await this.client.assert(ctx, { ...content, ...definedOf(patch) }, patch.targets ?? targets);
  }

  async taskAction(ctx: CommandContext, action: ScheduleAction): Promise<void> {
    if (action.type === 'publish_post') return this.post(ctx, action.postId);
    if (action.type === 'call_webhook') {
      const c = webhookContent(action.payload);
      return this.client.assert(ctx, { ...c, overrides: {} }, [{ accountId: action.accountId }]);
    }
  }

  dueAt(when: When | undefined, zone: string | undefined): Date | undefined {
    if (!when || when.mode === 'next_slot') return undefined;
    if (when.mode === 'now') return this.clock.now();
    return parseUserTime(when.at, zone ?? 'UTC');
  }

  private async stored(ctx: CommandContext, postId: string): Promise<{ content: PreflightContent; targets: PreflightTarget[] }> {
    const post = toPostView(await postsRepository.get(this.db, ctx, postId));
    return { content: post, targets: post.targets.map((x) => ({ accountId: x.accountId, platform: x.platform })) };
  }

  private async hasUnfiredJobs(ctx: CommandContext, postId: string): Promise<boolean> {
    const found = await rows<{ id: string }>(
      this.db,
      `SELECT id FROM scheduler.publish_jobs WHERE workspace_id = $1 AND post_id = $2 AND state IN ('pending', 'armed', 'retry_wait', 'paused') LIMIT 1`,
      [ctx.workspaceId, postId],
    );
    return found.length > 0;
  }
}

function definedOf(patch: PostPatch): Partial<PreflightContent> {
  return Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'id' && k !== 'targets')) as Partial<PreflightContent>;
}

import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { PublisherPreflight, type CommandContext, type CommandResponse, type PreflightTargetResult } from '@sx/contracts';
import { InjectDataSource } from '@sx/persistence';
import { AppError } from '@sx/service-kit';
import { rows, type Tenant } from '../db/rows';

export type PreflightResult = CommandResponse<typeof PublisherPreflight>;
export interface PreflightContent {
  title?: string | null;
  text: string;
  hashtags: string[];
  mediaIds: string[];
  overrides: Record<string, Record<string, unknown>>;
}
export interface PreflightTarget {
  accountId: string;
  platform?: string;
}

/** States that still count against a daily cap (a cancelled or failed job published nothing). */
const COUNTED = ['pending', 'armed', 'dispatched', 'publishing', 'retry_wait', 'paused', 'unknown', 'published'];

/**
 * The scheduler's side of the one pre-flight check: the publisher (accounts, plugin registry, each plugin's
 * manifest-based `validate`) answers per target over the bus; this adds the daily caps a manifest declares,
 * counted against the jobs already planned for the account that day. `assert` throws 422 `preflight_failed`
 * listing every violated rule of every target, before anything is stored.
 */
@Injectable()
export class PreflightClient {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @InjectDataSource('scheduler') private readonly db: DataSource,
  ) {}

  async check(ctx: CommandContext, content: PreflightContent, targets: PreflightTarget[], dueAt?: Date): Promise<PreflightResult> {
    if (targets.length === 0) return { ok: true, targets: [] };
    const reply = await this.bus.request(PublisherPreflight, {
      content: { text: content.text, title: content.title ?? undefined, hashtags: content.hashtags, mediaIds: content.mediaIds, overrides: content.overrides },
      targets: targets.map((x) => ({ accountId: x.accountId, ...(x.platform ? { platform: x.platform } : {}) })),
    }, ctx);
    if (!reply.ok) throw new AppError(reply.error.code, `pre-flight check: ${reply.error.message}`, reply.error.status >= 500 ? 503 : reply.error.status, reply.error.details);
    const checked: PreflightTargetResult[] = [];
    for (const target of reply.data.targets) checked.push(dueAt ? await this.withCaps(ctx, target, dueAt) : target);
    return { ok: checked.every((x) => x.ok), targets: checked };
  }

  async assert(ctx: CommandContext, content: PreflightContent, targets: PreflightTarget[], dueAt?: Date): Promise<void> {
    const result = await this.check(ctx, content, targets, dueAt);
    if (result.ok) return;
    const failing = result.targets.filter((x) => !x.ok);
    const summary = failing.map((x) => `${x.platform ?? 'unknown platform'} account ${x.accountId}: ${x.violations.map((v) => v.rule).join(', ')}`).join('; ');
    throw new AppError('preflight_failed', `${failing.length} of ${result.targets.length} targets cannot publish this post: ${summary}`, 422, { targets: result.targets });
  }

  private async withCaps(t: Tenant, target: PreflightTargetResult, dueAt: Date): Promise<PreflightTargetResult> {
    const violations = [...target.violations];
    for (const cap of target.caps) {
      const { from, to } = capWindow(dueAt, cap.windowS, cap.resetZone);
      const [row] = await rows<{ n: number }>(
        this.db,
        `SELECT count(*)::int AS n FROM scheduler.publish_jobs WHERE workspace_id = $1 AND account_id = $2 AND due_at >= $3 AND due_at < $4 AND state = ANY($5::text[])`,
        [t.workspaceId, target.accountId, from, to, COUNTED],
      );
      if (row.n + 1 > cap.limit) {
        violations.push({ rule: `quota.${cap.name}`, field: 'when', message: `account ${target.accountId} already has ${row.n} posts planned in that ${cap.resetZone ? `calendar day (${cap.resetZone})` : `${cap.windowS / 3600} h window`}; the platform allows ${cap.limit}`, limit: cap.limit, actual: row.n + 1 });
      }
    }
    return { ...target, violations, ok: violations.length === 0 };
  }
}

/** The cap's window around `dueAt`: the calendar day in `resetZone`, else the rolling window ending at it. */
export function capWindow(dueAt: Date, windowS: number, resetZone?: string): { from: Date; to: Date } {
  if (resetZone) {
    const day = DateTime.fromJSDate(dueAt, { zone: resetZone }).startOf('day');
    return { from: day.toJSDate(), to: day.plus({ days: 1 }).toJSDate() };
  }
  return { from: new Date(dueAt.getTime() - windowS * 1000 + 1), to: new Date(dueAt.getTime() + 1) };
}

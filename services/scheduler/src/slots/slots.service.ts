import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InjectDataSource } from '@sx/persistence';
import { CLOCK, type Clock } from '@sx/service-kit';
import { rows, type Sql, type Tenant } from '../db/rows';
import { assertZone, instantToWallTime, wallTimeToInstant } from '../time/zoned-time';

export interface SlotConfig {
  accountId: string;
  zone: string;
  times: string[];
  spacingMinutes: number;
}

const SEARCH_DAYS = 60;
/** Seed default (`schedule_spacing_hours: 1`): every hour on the hour, one post per hour, in UTC. */
const defaultConfig = (accountId: string): SlotConfig => ({
  accountId,
  zone: 'UTC',
  times: Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`),
  spacingMinutes: 60,
});

/** Per-account posting slots: the seed's get_next_slot / space_videos, in the account's zone. */
@Injectable()
export class SlotsService {
  constructor(
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(db: Sql, t: Tenant, accountId: string): Promise<SlotConfig> {
    const [r] = await rows<{ zone: string; times: string[]; spacing_minutes: number }>(
      db,
      `SELECT zone, times, spacing_minutes FROM scheduler.slot_configs WHERE workspace_id = $1 AND account_id = $2`,
      [t.workspaceId, accountId],
    );
    return r ? { accountId, zone: r.zone, times: r.times, spacingMinutes: r.spacing_minutes } : defaultConfig(accountId);
  }

  async set(t: Tenant, c: SlotConfig): Promise<SlotConfig> {
    assertZone(c.zone);
    const times = [...new Set(c.times)].sort();
    await this.db.query(
      `INSERT INTO scheduler.slot_configs (workspace_id, account_id, zone, times, spacing_minutes, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET zone = $3, times = $4, spacing_minutes = $5, updated_at = $6`,
      [t.workspaceId, c.accountId, c.zone, JSON.stringify(times), c.spacingMinutes, this.clock.now()],
    );
    return { ...c, times };
  }

  /**
   * The next `count` free slots of an account after now: slot times in its zone (DST rules applied),
   * skipping any slot within `spacingMinutes` of a live job of that account or of `taken`.
   */
  async nextFree(db: Sql, t: Tenant, accountId: string, count: number, taken: Date[] = []): Promise<Date[]> {
    const cfg = await this.get(db, t, accountId);
    const nowMs = this.clock.nowMs();
    const endMs = nowMs + SEARCH_DAYS * 86_400_000;
    const busy = (
      await rows<{ due_at: Date }>(
        db,
        `SELECT due_at FROM scheduler.publish_jobs WHERE workspace_id = $1 AND account_id = $2
           AND state NOT IN ('cancelled', 'failed') AND due_at >= $3 AND due_at <= $4`,
        [t.workspaceId, accountId, new Date(nowMs - cfg.spacingMinutes * 60_000), new Date(endMs)],
      )
    ).map((r) => r.due_at.getTime());
    busy.push(...taken.map((d) => d.getTime()));
    const gap = cfg.spacingMinutes * 60_000;
    const free: Date[] = [];
    const today = instantToWallTime(new Date(nowMs), cfg.zone);
    for (let day = 0; day < SEARCH_DAYS && free.length < count; day++) {
      for (const time of cfg.times) {
        const [hour, minute] = time.split(':').map(Number);
        const base = new Date(Date.UTC(today.year, today.month - 1, today.day + day));
        const at = wallTimeToInstant(
          { year: base.getUTCFullYear(), month: base.getUTCMonth() + 1, day: base.getUTCDate(), hour, minute, second: 0 },
          cfg.zone,
        ).getTime();
        if (at <= nowMs || busy.some((b) => Math.abs(b - at) < Math.max(gap, 1))) continue;
        free.push(new Date(at));
        busy.push(at);
        if (free.length === count) break;
      }
    }
    return free;
  }
}

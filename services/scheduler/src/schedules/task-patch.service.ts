import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { CommandRequest, SchedulerPatchTask } from '@sx/contracts';
import { InjectDataSource } from '@sx/persistence';
import { CLOCK, type Clock } from '@sx/service-kit';
import type { Tenant } from '../db/rows';
import { scheduleRepository } from './schedule.repository';
import type { ScheduleRow } from './schedule.types';
import { SchedulesService } from './schedules.service';

type PatchRequest = CommandRequest<typeof SchedulerPatchTask>;

/**
 * PATCH of a recurring task: absent fields keep their value. A rename or pause/resume changes the
 * task in place (its planned jobs and history stay); a new recurrence, zone, action or catch-up policy
 * is a replacement of the merged definition, which re-plans the unfired jobs (SchedulesService.replace).
 */
@Injectable()
export class TaskPatchService {
  constructor(
    @InjectDataSource('scheduler') private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly schedules: SchedulesService,
  ) {}

  async patch(t: Tenant, req: PatchRequest): Promise<ScheduleRow> {
    const { id, name, paused, ...definition } = req;
    const current = await scheduleRepository.get(this.db, t, id);
    if (Object.values(definition).some((v) => v !== undefined)) {
      return this.schedules.replace(t, id, {
        name: name ?? current.name,
        recurrence: definition.recurrence ?? current.recurrence,
        zone: definition.zone ?? current.zone,
        action: definition.action ?? current.action,
        catchUp: definition.catchUp ?? current.catch_up,
        paused: paused ?? current.paused,
      });
    }
    if (name !== undefined && name !== current.name) {
      await scheduleRepository.rename(this.db, t, id, name, this.clock.nowMs());
    }
    if (paused !== undefined && paused !== current.paused) return this.schedules.setPaused(t, id, paused);
    return scheduleRepository.get(this.db, t, id);
  }
}

import { Injectable, inject } from '@angular/core';
import { ApiClient, seg } from './api-client';
import { Page } from './page';
import { Recurrence } from './recurrence';
import { WireRecurrence, fromWireRecurrence, toWireRecurrence } from './scheduler-wire';

/** Recurring schedules: the seed's "tasks", mapped to safe actions (never shell commands). */
export type TaskType = 'publish_post' | 'run_pipeline' | 'call_webhook';
export type TaskStatus = 'pending' | 'running' | 'completed' | 'failed' | 'paused';

export interface ScheduledTask {
  id: string;
  name: string;
  description?: string | null;
  taskType: TaskType;
  status: TaskStatus;
  recurrence: Recurrence;
  zone: string;
  nextRunAt?: string | null;
  lastRunAt?: string | null;
  executionCount: number;
  payload: Record<string, unknown>;
  createdAt: string;
}

export interface TaskExecution {
  id: string;
  taskId: string;
  startedAt: string;
  completedAt?: string | null;
  status: 'success' | 'failed' | 'running' | 'skipped';
  errorMessage?: string | null;
}

export interface TaskStats {
  total: number;
  pending: number;
  running: number;
  completed: number;
  failed: number;
  paused: number;
}

export interface NewTask {
  name: string;
  description?: string;
  taskType: TaskType;
  recurrence: Recurrence;
  zone: string;
  startAt?: string;
  payload: Record<string, unknown>;
}

/** Wire shapes of the scheduler's task routes (libs/contracts scheduler.commands.ts). */
interface ScheduleView {
  id: string;
  name: string;
  recurrence: WireRecurrence;
  zone: string;
  action: { type: TaskType } & Record<string, unknown>;
  paused: boolean;
  nextRunAt: string | null;
  lastRunAt?: string | null;
  runCount?: number;
  createdAt: string;
}
interface WireExecution {
  id: string;
  jobId: string;
  at: string;
  from: string | null;
  to: string;
  attempt: number;
  detail: string | null;
}
interface WireStats {
  total: number;
  pending: number;
  running: number;
  published: number;
  failed: number;
  unknown: number;
}

export function toTask(v: ScheduleView): ScheduledTask {
  const { type, ...payload } = v.action;
  return {
    id: v.id,
    name: v.name,
    taskType: type,
    status: v.paused ? 'paused' : 'pending',
    recurrence: fromWireRecurrence(v.recurrence),
    zone: v.zone,
    nextRunAt: v.nextRunAt,
    lastRunAt: v.lastRunAt ?? null,
    executionCount: v.runCount ?? 0,
    payload,
    createdAt: v.createdAt,
  };
}

export function toExecution(taskId: string, e: WireExecution): TaskExecution {
  const status = e.to === 'published' ? 'success' : e.to === 'failed' || e.to === 'unknown' ? 'failed' : e.to === 'cancelled' ? 'skipped' : 'running';
  return { id: e.id, taskId, startedAt: e.at, completedAt: status === 'running' ? null : e.at, status, errorMessage: e.detail };
}

function toWireTask(t: NewTask): Record<string, unknown> {
  const action =
    t.taskType === 'publish_post'
      ? { type: t.taskType, postId: t.payload['postId'] }
      : t.taskType === 'call_webhook'
        ? { type: t.taskType, accountId: t.payload['accountId'], payload: {} }
        : { type: t.taskType, pipeline: String(t.payload['pipeline'] ?? 'default'), params: {} };
  return { name: t.name, recurrence: toWireRecurrence(t.recurrence, t.startAt ?? new Date().toISOString()), zone: t.zone, action };
}

@Injectable({ providedIn: 'root' })
export class TasksApi {
  private readonly api = inject(ApiClient);

  async list(filter: { cursor?: string } = {}): Promise<Page<ScheduledTask>> {
    const page = await this.api.get<Page<ScheduleView>>('/api/schedule/tasks', { limit: 200, cursor: filter.cursor });
    return { items: page.items.map(toTask), nextCursor: page.nextCursor };
  }
  async get(id: string): Promise<ScheduledTask> {
    return toTask(await this.api.get<ScheduleView>(`/api/schedule/tasks/${seg(id)}`));
  }
  async create(task: NewTask): Promise<ScheduledTask> {
    return toTask(await this.api.post<ScheduleView>('/api/schedule/tasks', toWireTask(task)));
  }
  async update(id: string, task: NewTask): Promise<ScheduledTask> {
    return toTask(await this.api.put<ScheduleView>(`/api/schedule/tasks/${seg(id)}`, toWireTask(task)));
  }
  async remove(id: string): Promise<void> {
    await this.api.delete(`/api/schedule/tasks/${seg(id)}`);
  }
  async pause(id: string): Promise<ScheduledTask> {
    return toTask(await this.api.post<ScheduleView>(`/api/schedule/tasks/${seg(id)}/pause`));
  }
  async resume(id: string): Promise<ScheduledTask> {
    return toTask(await this.api.post<ScheduleView>(`/api/schedule/tasks/${seg(id)}/resume`));
  }
  async execute(id: string): Promise<void> {
    await this.api.post(`/api/schedule/tasks/${seg(id)}/execute`);
  }
  async executions(id: string): Promise<Page<TaskExecution>> {
    const page = await this.api.get<Page<WireExecution>>(`/api/schedule/tasks/${seg(id)}/executions`, { limit: 50 });
    return { items: page.items.map((e) => toExecution(id, e)), nextCursor: page.nextCursor };
  }
  /** Scheduler-wide job totals (the seed's stat cards: published counts as completed). */
  async stats(zone: string): Promise<TaskStats> {
    const s = await this.api.get<WireStats>('/api/schedule/stats', { zone });
    return { total: s.total, pending: s.pending, running: s.running, completed: s.published, failed: s.failed + s.unknown, paused: 0 };
  }
}

import { Injectable, inject } from '@angular/core';
import { ApiClient, seg } from './api-client';
import { Page } from './page';
import { Recurrence } from './recurrence';

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

@Injectable({ providedIn: 'root' })
export class TasksApi {
  private readonly api = inject(ApiClient);

  list(filter: { status?: string; taskType?: string; q?: string; cursor?: string } = {}): Promise<Page<ScheduledTask>> {
    return this.api.get<Page<ScheduledTask>>('/api/schedule/tasks', { ...filter });
  }
  get(id: string): Promise<ScheduledTask> {
    return this.api.get<ScheduledTask>(`/api/schedule/tasks/${seg(id)}`);
  }
  create(task: NewTask): Promise<ScheduledTask> {
    return this.api.post<ScheduledTask>('/api/schedule/tasks', task);
  }
  update(id: string, task: NewTask): Promise<ScheduledTask> {
    return this.api.put<ScheduledTask>(`/api/schedule/tasks/${seg(id)}`, task);
  }
  remove(id: string): Promise<void> {
    return this.api.delete(`/api/schedule/tasks/${seg(id)}`);
  }
  pause(id: string): Promise<ScheduledTask> {
    return this.api.post<ScheduledTask>(`/api/schedule/tasks/${seg(id)}/pause`);
  }
  resume(id: string): Promise<ScheduledTask> {
    return this.api.post<ScheduledTask>(`/api/schedule/tasks/${seg(id)}/resume`);
  }
  execute(id: string): Promise<TaskExecution> {
    return this.api.post<TaskExecution>(`/api/schedule/tasks/${seg(id)}/execute`);
  }
  executions(id: string): Promise<Page<TaskExecution>> {
    return this.api.get<Page<TaskExecution>>(`/api/schedule/tasks/${seg(id)}/executions`);
  }
  stats(): Promise<TaskStats> {
    return this.api.get<TaskStats>('/api/schedule/stats');
  }
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PIPELINE_SCHEMA = 'pipeline';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StageStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
export type RunTrigger = 'event' | 'manual' | 'schedule' | 'import';

export interface RunParams {
  platforms: string[];
  autoSchedule: boolean;
  gameContext?: string;
  /** Run only this stage (the seeds' "run one stage"). */
  onlyStage?: string;
  /** Extra values from a recurring schedule's action. */
  extra?: Record<string, string>;
}

@Entity({ name: 'runs', schema: PIPELINE_SCHEMA })
export class RunEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'workspace_id', type: 'text' }) workspaceId!: string;
  @Column({ type: 'text' }) pipeline!: string;
  @Column({ name: 'asset_id', type: 'text', nullable: true }) assetId!: string | null;
  @Column({ type: 'text' }) status!: RunStatus;
  @Column({ type: 'text' }) trigger!: RunTrigger;
  @Column({ type: 'jsonb' }) params!: RunParams;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId!: string;
  /** Id of the event that caused the run; a redelivered event finds it taken and creates nothing. */
  @Column({ name: 'trigger_ref', type: 'text', nullable: true }) triggerRef!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt!: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
  @Column({ name: 'next_run_at', type: 'timestamptz' }) nextRunAt!: Date;
  @Column({ name: 'lease_owner', type: 'text', nullable: true }) leaseOwner!: string | null;
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true }) leaseUntil!: Date | null;
  @Column({ name: 'lease_token', type: 'bigint', default: 0 }) leaseToken!: string;
  @Column({ type: 'text', nullable: true }) error!: string | null;
}

@Entity({ name: 'stage_runs', schema: PIPELINE_SCHEMA })
export class StageRunEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' }) runId!: string;
  @PrimaryColumn({ type: 'text' }) stage!: string;
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'text' }) status!: StageStatus;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt!: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }) nextAttemptAt!: Date | null;
  @Column({ type: 'text', default: '' }) log!: string;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) output!: Record<string, unknown>;
}

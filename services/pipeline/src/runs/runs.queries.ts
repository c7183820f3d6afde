import type { DataSource } from 'typeorm';
import type { PipelineRunView } from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import { RunEntity, StageRunEntity, type RunStatus } from '../db/pipeline.entities';

export interface RunFilter {
  status?: RunStatus;
  assetId?: string;
  limit: number;
  cursor?: string;
}

/** Read side of runs: views with their stages, keyset-paginated by (created_at, id) descending. */
export class RunsQueries {
  constructor(private readonly db: DataSource) {}

  async get(workspaceId: string, id: string): Promise<PipelineRunView | null> {
    if (!isUuid(id)) return null;
    const run = await this.db.getRepository(RunEntity).findOne({ where: { id, workspaceId } });
    if (!run) return null;
    return (await this.withStages([run]))[0];
  }

  async getMany(workspaceId: string, ids: string[]): Promise<PipelineRunView[]> {
    const runs = await this.db
      .getRepository(RunEntity)
      .createQueryBuilder('r')
      .where('r.workspace_id = :workspaceId AND r.id IN (:...ids)', { workspaceId, ids })
      .orderBy('r.created_at', 'ASC')
      .getMany();
    return this.withStages(runs);
  }

  async list(workspaceId: string, f: RunFilter): Promise<{ items: PipelineRunView[]; nextCursor: string | null }> {
    const qb = this.db.getRepository(RunEntity).createQueryBuilder('r').where('r.workspace_id = :workspaceId', { workspaceId });
    if (f.status) qb.andWhere('r.status = :status', { status: f.status });
    if (f.assetId) qb.andWhere('r.asset_id = :assetId', { assetId: f.assetId });
    const after = decodeCursor(f.cursor);
    if (after) qb.andWhere('(r.created_at, r.id) < (:at, :id)', { at: after.at, id: after.id });
    const rows = await qb.orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').limit(f.limit + 1).getMany();
    const page = rows.slice(0, f.limit);
    const last = page[page.length - 1];
    return {
      items: await this.withStages(page),
      nextCursor: rows.length > f.limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  private async withStages(runs: RunEntity[]): Promise<PipelineRunView[]> {
    if (!runs.length) return [];
    const stages = await this.db
      .getRepository(StageRunEntity)
      .createQueryBuilder('s')
      .where('s.run_id IN (:...ids)', { ids: runs.map((r) => r.id) })
      .orderBy('s.position', 'ASC')
      .getMany();
    return runs.map((r) => ({
      id: r.id,
      pipeline: r.pipeline,
      assetId: r.assetId,
      status: r.status,
      trigger: r.trigger,
      createdAt: r.createdAt.toISOString(),
      startedAt: r.startedAt?.toISOString() ?? null,
      finishedAt: r.finishedAt?.toISOString() ?? null,
      error: r.error,
      stages: stages
        .filter((s) => s.runId === r.id)
        .map((s) => ({
          stage: s.stage,
          position: s.position,
          status: s.status,
          attempts: s.attempts,
          startedAt: s.startedAt?.toISOString() ?? null,
          finishedAt: s.finishedAt?.toISOString() ?? null,
          nextAttemptAt: s.nextAttemptAt?.toISOString() ?? null,
          log: s.log,
          error: s.error,
          output: s.output,
        })),
    }));
  }
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor?: string): { at: Date; id: string } | null {
  if (!cursor) return null;
  const invalid = new AppError('invalid_cursor', 'The page cursor is not valid; start again without one', 400);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') throw invalid;
  const at = new Date(parsed[0]);
  if (Number.isNaN(at.getTime()) || !isUuid(parsed[1])) throw invalid;
  return { at, id: parsed[1] };
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

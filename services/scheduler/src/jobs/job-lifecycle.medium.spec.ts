import type { DataSource } from 'typeorm';
import { publishJobStateSchema, type PublishJobState } from '@sx/contracts';
import { createServiceDataSource } from '@sx/persistence';
import { createTestDatabase, type TestDatabase } from '@sx/testing';
import { DispatchRepository } from '../dispatch/dispatch.repository';
import { SCHEDULER_MIGRATIONS } from '../scheduler.module';
import { seedJobs, WORKSPACE } from '../testing/medium-harness';
import { JOB_LIFECYCLE, type JobTransition } from './job-lifecycle';
import { jobRepository } from './job.repository';

const STATES = publishJobStateSchema.options;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const STUCK_AFTER_MS = 60_000;

/**
 * Walks JOB_LIFECYCLE against real Postgres: for every rule, one job in each of the ten states, the rule
 * applied to all of them; exactly the rule's from-states move (plus its stuck-from states once the jobs
 * have not changed for longer than the stuck threshold), all to the rule's target state.
 */
describe('the publish-job lifecycle table', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let scheduleId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createServiceDataSource({ url: db.url, schema: 'scheduler', entities: [], migrations: SCHEDULER_MIGRATIONS, poolSize: 2 });
    ({ scheduleId } = await seedJobs(ds, STATES.length, new Date(NOW - 30_000), 1, { mode: 'publish_late', maxLateMinutes: 60 }));
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  /** One job per state (in STATES order), last changed `ageMs` ago, each leased to 'owner-x' with token 7. */
  async function oneJobPerState(ageMs: number): Promise<Map<string, PublishJobState>> {
    await ds.query(
      `UPDATE scheduler.publish_jobs j SET state = s.state, updated_at = $2, lease_owner = 'owner-x', lease_expires_at = $3, fencing_token = 7, kind = 'pipeline'
       FROM (SELECT id, (ARRAY[${STATES.map((s) => `'${s}'`).join(',')}])[row_number() OVER (ORDER BY occurrence_key)] AS state
             FROM scheduler.publish_jobs WHERE schedule_id = $1) s WHERE j.id = s.id`,
      [scheduleId, new Date(NOW - ageMs), new Date(NOW + 60_000)],
    );
    const found = (await ds.query(`SELECT id, state FROM scheduler.publish_jobs WHERE schedule_id = $1`, [scheduleId])) as { id: string; state: PublishJobState }[];
    expect(found.map((r) => r.state).sort()).toEqual([...STATES].sort());
    return new Map(found.map((r) => [r.id, r.state]));
  }

  async function statesNow(): Promise<Map<string, PublishJobState>> {
    const found = (await ds.query(`SELECT id, state FROM scheduler.publish_jobs WHERE schedule_id = $1`, [scheduleId])) as { id: string; state: PublishJobState }[];
    return new Map(found.map((r) => [r.id, r.state]));
  }

  /** Applies `name` to every job the way its trigger does; answers the states the moved jobs came from. */
  async function movedFrom(name: JobTransition, before: Map<string, PublishJobState>): Promise<PublishJobState[]> {
    const jobs = [...before.keys()].map((id) => ({ id, token: '7' }));
    const repo = new DispatchRepository(ds);
    if (name === 'claim') await repo.claim('owner-y', NOW, 60_000, 60_000, 100);
    else if (name === 'dispatch') await repo.markDispatched('owner-x', jobs, NOW);
    else if (name === 'skipLate') for (const j of jobs) await repo.markSkipped('owner-x', j, 'too late', NOW);
    else if (name === 'completePipeline') await repo.completePipelineJobs([...before.keys()], NOW);
    else await jobRepository.transition(ds, { workspaceId: WORKSPACE }, { scheduleId }, name, {}, NOW, { stuckAfterMs: STUCK_AFTER_MS });
    const after = await statesNow();
    // A move to the same state (force: pending -> pending) shows in its history row.
    const logged = (await ds.query(`SELECT job_id FROM scheduler.job_executions`)) as { job_id: string }[];
    const historied = new Set(logged.map((r) => r.job_id));
    const moved = [...before].filter(([id, state]) => after.get(id) !== state || historied.has(id));
    for (const [id] of moved) expect(after.get(id)).toBe(JOB_LIFECYCLE[name].to);
    return moved.map(([, state]) => state).sort();
  }

  const names = Object.keys(JOB_LIFECYCLE) as JobTransition[];

  it.each(names)('%s moves exactly its from-states, to its target state', async (name) => {
    await ds.query(`DELETE FROM scheduler.job_executions`);
    const before = await oneJobPerState(1_000);
    expect(await movedFrom(name, before)).toEqual([...JOB_LIFECYCLE[name].from].sort());
  });

  it.each(names.filter((n) => 'stuckFrom' in JOB_LIFECYCLE[n]))('%s also moves its stuck-from states once they are stuck', async (name) => {
    await ds.query(`DELETE FROM scheduler.job_executions`);
    const before = await oneJobPerState(STUCK_AFTER_MS + 1_000);
    const r: { from: readonly PublishJobState[]; stuckFrom?: readonly PublishJobState[] } = JOB_LIFECYCLE[name];
    expect(await movedFrom(name, before)).toEqual([...r.from, ...(r.stuckFrom ?? [])].sort());
  });

  it('names every trigger, and every state but published is left by some transition', () => {
    const triggers = new Set(Object.values(JOB_LIFECYCLE).map((r) => r.by));
    expect([...triggers].sort()).toEqual(['publisher', 'scheduler', 'task', 'user']);
    const left = new Set(Object.values(JOB_LIFECYCLE).flatMap((r) => [...r.from, ...('stuckFrom' in r ? r.stuckFrom : [])]));
    expect(STATES.filter((s) => !left.has(s))).toEqual(['published']);
  });
});

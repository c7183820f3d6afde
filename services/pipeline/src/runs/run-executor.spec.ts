import { PermanentStageError, type PipelineStage, type StageContext, type StageResult } from '../stages/pipeline-stage';
import { RunExecutor } from './run-executor';
import { RunsQueries } from './runs.queries';
import { RunsRepository } from './runs.repository';
import { asset, fakeMedia, outboxSubjects, pipelineDb, silent, type PipelineDb } from './test-harness';

type Behaviour = (ctx: StageContext) => Promise<StageResult>;

class ScriptedStage implements PipelineStage {
  calls = 0;
  constructor(
    readonly name: string,
    private readonly behaviours: Behaviour[],
  ) {}
  async run(ctx: StageContext): Promise<StageResult> {
    const b = this.behaviours[Math.min(this.calls, this.behaviours.length - 1)];
    this.calls++;
    return b(ctx);
  }
}

const ok = (output: Record<string, unknown> = {}): Behaviour => async () => ({ status: 'succeeded', output });
const fail = (message: string): Behaviour => async () => {
  throw new Error(message);
};

describe('RunExecutor on real Postgres', () => {
  let h: PipelineDb;
  let repo: RunsRepository;
  let queries: RunsQueries;
  const params = { platforms: ['bluesky'], autoSchedule: false };

  beforeAll(async () => {
    h = await pipelineDb();
    repo = new RunsRepository(h.ds, h.clock);
    queries = new RunsQueries(h.ds);
  });
  afterAll(() => h.close());

  function executor(stages: PipelineStage[], maxAttempts = 3) {
    return new RunExecutor(repo, new Map(stages.map((s) => [s.name, s])), fakeMedia([asset()]), h.clock, silent, { maxAttempts, leaseMs: 60_000 });
  }

  it('runs the stages in order, hands outputs on, and records every change through the outbox', async () => {
    const a = new ScriptedStage('a', [ok({ width: 64 })]);
    const b = new ScriptedStage('b', [async (ctx) => ({ status: 'succeeded', output: { seen: ctx.outputs['a']['width'], file: ctx.asset?.filename } })]);
    const c = new ScriptedStage('c', [async () => ({ status: 'skipped', reason: 'no encoder' })]);
    const [id] = await repo.create('ws1', 'corr-1', 'manual', [{ pipeline: 'p', assetId: 'asset-1', stages: ['a', 'b', 'c'], params }]);
    const before = (await outboxSubjects(h.ds)).length;
    const claim = await repo.claim('w1', 60_000);
    expect(await executor([a, b, c]).execute(claim!)).toBe('succeeded');
    const view = await queries.get('ws1', id);
    expect(view?.status).toBe('succeeded');
    expect(view?.stages.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'skipped']);
    expect(view?.stages[1].output).toEqual({ seen: 64, file: 'boss_fight.png' });
    expect(view?.stages[2].log).toContain('skipped: no encoder');
    const subjects = (await outboxSubjects(h.ds)).slice(before);
    expect(subjects[0]).toBe('pipeline.run.started');
    expect(subjects.filter((s) => s === 'pipeline.stage.changed')).toHaveLength(6);
    expect(subjects[subjects.length - 1]).toBe('pipeline.run.finished');
    expect(await queries.get('other-workspace', id)).toBeNull();
  });

  it('retries a failing stage with backoff, without redoing the stages before it', async () => {
    const a = new ScriptedStage('a', [ok()]);
    const b = new ScriptedStage('b', [fail('upstream 503'), ok({ done: true })]);
    const [id] = await repo.create('ws1', 'corr-2', 'manual', [{ pipeline: 'p', assetId: 'asset-1', stages: ['a', 'b'], params }]);
    const ex = executor([a, b]);
    expect(await ex.execute((await repo.claim('w1', 60_000))!)).toBe('deferred');
    const waiting = await queries.get('ws1', id);
    expect(waiting?.stages[1]).toMatchObject({ status: 'pending', attempts: 1, error: 'upstream 503' });
    expect(await repo.claim('w1', 60_000)).toBeNull();
    h.clock.advance(3_000);
    expect(await ex.execute((await repo.claim('w1', 60_000))!)).toBe('succeeded');
    expect([a.calls, b.calls]).toEqual([1, 2]);
  });

  it('fails the run for good on a permanent error or after the last attempt, keeping earlier outputs', async () => {
    const a = new ScriptedStage('a', [ok({ kept: 1 })]);
    const b = new ScriptedStage('b', [async () => Promise.reject(new PermanentStageError('corrupt file'))]);
    const [id] = await repo.create('ws1', 'corr-3', 'manual', [{ pipeline: 'p', assetId: 'asset-1', stages: ['a', 'b'], params }]);
    expect(await executor([a, b]).execute((await repo.claim('w1', 60_000))!)).toBe('failed');
    const view = await queries.get('ws1', id);
    expect(view).toMatchObject({ status: 'failed', error: 'stage b: corrupt file' });
    expect(view?.stages[0].output).toEqual({ kept: 1 });

    const c = new ScriptedStage('c', [fail('again')]);
    const [id2] = await repo.create('ws1', 'corr-4', 'manual', [{ pipeline: 'p', assetId: 'asset-1', stages: ['c'], params }]);
    const ex = executor([c], 2);
    expect(await ex.execute((await repo.claim('w1', 60_000))!)).toBe('deferred');
    h.clock.advance(10_000);
    expect(await ex.execute((await repo.claim('w1', 60_000))!)).toBe('failed');
    expect((await queries.get('ws1', id2))?.stages[0]).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('resumes a run whose worker died mid-stage on another worker, fencing out the dead one', async () => {
    const a = new ScriptedStage('a', [ok({ first: true })]);
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const b = new ScriptedStage('b', [async () => (await blocked, { status: 'succeeded', output: { by: 'dead worker' } }), ok({ by: 'worker 2' })]);
    const c = new ScriptedStage('c', [ok()]);
    const [id] = await repo.create('ws1', 'corr-5', 'manual', [{ pipeline: 'p', assetId: 'asset-1', stages: ['a', 'b', 'c'], params }]);
    const dead = executor([a, b, c]).execute((await repo.claim('w1', 60_000))!);
    while (b.calls === 0) await new Promise((r) => setImmediate(r));

    expect(await repo.claim('w2', 60_000)).toBeNull();
    h.clock.advance(61_000);
    const resumed = await executor([a, b, c]).execute((await repo.claim('w2', 60_000))!);
    expect(resumed).toBe('succeeded');
    expect([a.calls, b.calls, c.calls]).toEqual([1, 2, 1]);

    release();
    expect(await dead).toBe('lease_lost');
    const view = await queries.get('ws1', id);
    expect(view?.stages[1].output).toEqual({ by: 'worker 2' });
  });

  it('re-queues a finished run from a chosen stage', async () => {
    const a = new ScriptedStage('a', [ok({ v: 1 })]);
    const b = new ScriptedStage('b', [ok({ v: 1 }), ok({ v: 2 })]);
    const [id] = await repo.create('ws1', 'corr-6', 'manual', [{ pipeline: 'p', assetId: 'asset-1', stages: ['a', 'b'], params }]);
    const ex = executor([a, b]);
    await ex.execute((await repo.claim('w1', 60_000))!);
    expect(await repo.retry('other-ws', id, 'b')).toBe(false);
    expect(await repo.retry('ws1', id, 'b')).toBe(true);
    expect(await ex.execute((await repo.claim('w1', 60_000))!)).toBe('succeeded');
    expect([a.calls, b.calls]).toEqual([1, 2]);
    expect((await queries.get('ws1', id))?.stages[1].output).toEqual({ v: 2 });
  });
});

/**
 * Scheduler benchmark (issue #3 item 7): due-dispatch lateness and throughput of SchedulerX's dispatcher
 * against BullMQ delayed jobs and pg-boss startAfter jobs on identical shapes, in this one process, against
 * the local Postgres (fresh database), NATS JetStream (random namespace) and Redis (own key prefix).
 * Usage: npm run bench:scheduler [-- --jobs 5000 --spread 5]   (flags: see README.md / args.ts)
 */
import { cpus } from 'node:os';
import { createTestDatabase } from '@sx/testing';
import { parseArgs, type BenchArgs, type System } from './args';
import { runBullmq } from './bullmq';
import { medianRun } from './median';
import { OursBench } from './ours';
import { runPgboss } from './pgboss';
import { consumerNodeFlags, isTuningFlag, RemoteConsumer } from './remote-consumer';
import { printTable, printTargets } from './report';
import { gcNow, type RunResult, type ShapeSpec } from './stats';

const NATS_URL = 'nats://127.0.0.1:4222';
const REDIS_URL = 'redis://127.0.0.1:6379';
// The scheduler's defaults (SX_SCHEDULER_HORIZON_MS / SX_SCHEDULER_LEASE_MS in libs/config).
const HORIZON_MS = 30_000;
const LEASE_MS = 60_000;

function describe(r: RunResult): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
  return `${r.shape}/${r.system}: ${r.received}/${r.expected} consumed, p50 ${f(r.p50)} ms, p99 ${f(r.p99)} ms, max ${f(r.max)} ms, ${Math.round(r.throughput)} jobs/s`;
}

type Runner = (shape: ShapeSpec, background?: number) => Promise<RunResult>;

async function runAll(args: BenchArgs, dbUrl: string): Promise<RunResult[]> {
  const spread: ShapeSpec = { name: 'spread', count: args.jobs, spreadMs: args.spreadMs };
  const shapes: ShapeSpec[] = [spread, { name: 'burst', count: args.burst, spreadMs: 0 }].filter((s) =>
    args.parts.includes(s.name as 'spread' | 'burst'),
  );
  const consumers = new Map(args.systems.map((s) => [s, RemoteConsumer.spawn()] as const));
  const child = (s: System) => consumers.get(s) as RemoteConsumer;
  const results: RunResult[] = [];
  const ours = args.systems.includes('ours') ? await OursBench.open(dbUrl, NATS_URL, child('ours')) : undefined;
  const oursOpts = { horizonMs: HORIZON_MS, leaseMs: LEASE_MS, leadMs: args.leadMs, maxWaitMs: args.maxWaitMs };
  const runners: [System, Runner][] = [];
  if (ours) runners.push(['ours', (shape, bg) => ours.run(shape, { ...oursOpts, leadMs: leadFor(shape, args) }, bg)]);
  if (args.systems.includes('bullmq')) runners.push(['bullmq', (shape) => runBullmq(REDIS_URL, shape, leadFor(shape, args), args.maxWaitMs, child('bullmq'))]);
  if (args.systems.includes('pgboss')) {
    runners.push(['pgboss', (shape) => runPgboss(dbUrl, shape, leadFor(shape, args), args.maxWaitMs, args.pgbossBatch, child('pgboss'))]);
  }
  const repeated = async (run: Runner, shape: ShapeSpec, background?: number): Promise<RunResult> => {
    const runs: RunResult[] = [];
    for (let i = 0; i < args.repeat; i++) {
      runs.push(await run(shape, background));
      gcNow();
    }
    return medianRun(runs, shape.spreadMs === 0 ? 'throughput' : 'p99');
  };
  const record = (r: RunResult) => {
    results.push(r);
    console.log(`  ${describe(r)}`);
  };
  try {
    // Each consumer child and this process run a small spread first, unmeasured: the runs that count
    // then see warm code, as a long-running service would.
    for (const [, run] of runners) console.log(`  (warm-up) ${describe(await run(warmUpShape(args)))}`);
    for (const shape of shapes) for (const [, run] of runners) record(await repeated(run, shape));
    if (ours && args.parts.includes('baseline')) record(await ours.busBaseline(args.burst, args.maxWaitMs));
    if (ours && args.background > 0) record(await repeated((shape, bg) => ours.run(shape, oursOpts, bg), spread, args.background));
  } finally {
    await ours?.close();
    for (const c of consumers.values()) c.close();
  }
  return results;
}

/** A small spread run before the measured ones (see runAll). */
function warmUpShape(args: BenchArgs): ShapeSpec {
  return { name: 'warmup', count: Math.min(5_000, Math.max(500, Math.round(args.jobs / 20))), spreadMs: 3_000 };
}

/** Seeding lead: the configured one, shorter for the small warm-up run. */
function leadFor(shape: ShapeSpec, args: BenchArgs): number {
  return shape.name === 'warmup' ? 3_000 : args.leadMs;
}

async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    console.error('usage: npm run bench:scheduler -- [--jobs N] [--spread S] [--burst N] [--background N] [--lead S] [--max-wait S] [--repeat N] [--only ours,bullmq,pgboss] [--parts spread,burst,baseline,background] [--no-background] [--pgboss-batch N]');
    process.exit(2);
  }
  console.log(`SchedulerX scheduler benchmark — node ${process.version}, ${cpus().length} cpus`);
  // Every system's consumer runs in the same child, with the publisher service's flags.
  console.log(`V8 flags: this process (scheduler) ${process.execArgv.filter(isTuningFlag).join(' ') || 'none'}; consumer child ${consumerNodeFlags().join(' ') || 'none'}`);
  console.log(`shapes: spread = ${args.jobs.toLocaleString('en-US')} jobs due evenly over ${args.spreadMs / 1000} s; burst = ${args.burst.toLocaleString('en-US')} jobs due at one instant; ` +
    `background = ${args.background.toLocaleString('en-US')} later jobs; first due ${args.leadMs / 1000} s after seeding starts`);
  console.log('lateness = consume time − due time (Date.now() on this machine), taken in the consumer child when the no-op consumer receives the message\n');
  const db = await createTestDatabase();
  let results: RunResult[];
  try {
    results = await runAll(args, db.url);
  } finally {
    await db.drop();
  }
  console.log('');
  printTable(results);
  const allMet = printTargets(results);
  console.log(allMet ? '\nAll measured targets met.' : '\nSome targets were MISSED (see above); figures are as measured.');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('benchmark failed:', e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);

/**
 * Scheduler benchmark (issue #3 item 7): due-dispatch lateness and throughput of SchedulerX's dispatcher
 * against BullMQ delayed jobs and pg-boss startAfter jobs on identical shapes, in this one process, against
 * the local Postgres (fresh database), NATS JetStream (random namespace) and Redis (own key prefix).
 * Usage: npm run bench:scheduler [-- --jobs 5000 --spread 5]   (flags: see README.md / args.ts)
 */
import { cpus } from 'node:os';
import { createTestDatabase } from '@sx/testing';
import { parseArgs, type BenchArgs } from './args';
import { runBullmq } from './bullmq';
import { OursBench } from './ours';
import { runPgboss } from './pgboss';
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

async function runAll(args: BenchArgs, dbUrl: string): Promise<RunResult[]> {
  const shapes: ShapeSpec[] = [
    { name: 'spread', count: args.jobs, spreadMs: args.spreadMs },
    { name: 'burst', count: args.burst, spreadMs: 0 },
  ];
  const results: RunResult[] = [];
  const ours = args.systems.includes('ours') ? await OursBench.open(dbUrl, NATS_URL) : undefined;
  const oursOpts = { horizonMs: HORIZON_MS, leaseMs: LEASE_MS, leadMs: args.leadMs, maxWaitMs: args.maxWaitMs };
  const record = (r: RunResult) => {
    results.push(r);
    console.log(`  ${describe(r)}`);
    gcNow();
  };
  try {
    for (const shape of shapes) {
      if (ours) record(await ours.run(shape, oursOpts));
      if (args.systems.includes('bullmq')) record(await runBullmq(REDIS_URL, shape, args.leadMs, args.maxWaitMs));
      if (args.systems.includes('pgboss')) record(await runPgboss(dbUrl, shape, args.leadMs, args.maxWaitMs, args.pgbossBatch));
    }
    if (ours) record(await ours.busBaseline(args.burst, args.maxWaitMs));
    if (ours && args.background > 0) record(await ours.run(shapes[0], oursOpts, args.background));
  } finally {
    await ours?.close();
  }
  return results;
}

async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    console.error('usage: npm run bench:scheduler -- [--jobs N] [--spread S] [--burst N] [--background N] [--lead S] [--max-wait S] [--only ours,bullmq,pgboss] [--no-background] [--pgboss-batch N]');
    process.exit(2);
  }
  console.log(`SchedulerX scheduler benchmark — node ${process.version}, ${cpus().length} cpus`);
  console.log(`shapes: spread = ${args.jobs.toLocaleString('en-US')} jobs due evenly over ${args.spreadMs / 1000} s; burst = ${args.burst.toLocaleString('en-US')} jobs due at one instant; ` +
    `background = ${args.background.toLocaleString('en-US')} later jobs; first due ${args.leadMs / 1000} s after seeding starts`);
  console.log('lateness = consume time − due time, both Date.now() in this one process, taken when the no-op consumer receives the message\n');
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

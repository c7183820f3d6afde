/*
 * npm run bench:publisher [-- <jobs> [<process counts, e.g. 1,2>]]
 * Publishes <jobs> dispatches (default 1000) through real NATS JetStream and Postgres to a no-op
 * plugin, with one and then two publisher processes, and prints published-per-second measured from
 * the first dispatch to the last `post.published` (emitted after the outcome is persisted).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { JetStreamEventBus } from '@sx/bus';
import { DispatchRequested, PublisherAccountsConnect } from '@sx/contracts';
import { createTestDatabase } from '@sx/testing';

const ROOT = path.resolve(__dirname, '..', '..');
const NATS_URL = 'nats://127.0.0.1:4222';
const JOBS = Number(process.argv[2] ?? 1000);
const COUNTS = (process.argv[3] ?? '1,2').split(',').map(Number);
const LOG_LEVEL = process.env['BENCH_LOG_LEVEL'] ?? 'warn';

async function startPublisher(env: Record<string, string>, namespace: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'services/publisher/src/testing/publisher-process.ts'), namespace], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', SWC_NODE_PROJECT: 'tsconfig.base.json', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.on('data', (c: Buffer) => {
    if (LOG_LEVEL !== 'warn') process.stderr.write(c);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`publisher exited with ${code}`)));
  });
  return child;
}

async function run(processes: number): Promise<number> {
  const db = await createTestDatabase();
  const namespace = `b${randomBytes(4).toString('hex')}_`;
  const env = {
    SX_MODE: 'distributed',
    SX_DATABASE_URL: db.url,
    SX_NATS_URL: NATS_URL,
    SX_PLUGINS_DIR: path.join(__dirname, 'plugins'),
    SX_CREDENTIAL_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    SX_LOG_LEVEL: LOG_LEVEL,
  };
  const bus = new JetStreamEventBus({ servers: NATS_URL, namespace, replicas: 1, duplicateWindowMs: 120_000, maxDeliver: 5, requestTimeoutMs: 30_000 });
  await bus.start();
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < processes; i++) children.push(await startPublisher(env, namespace));
    const ctx = { workspaceId: 'bench', actorId: 'bench', role: 'editor' as const, correlationId: 'bench' };
    const connected = await bus.request(PublisherAccountsConnect, { pluginId: 'noop', settings: {}, input: { kind: 'none' } }, ctx);
    if (!connected.ok || connected.data.status !== 'connected') throw new Error(`connect failed: ${JSON.stringify(connected)}`);
    const accountId = connected.data.account.id;
    const done = new Set<string>();
    let finished: () => void = () => undefined;
    const allDone = new Promise<void>((r) => (finished = r));
    await bus.tail('post.published', (e) => {
      done.add((e.data as { jobId: string }).jobId);
      if (done.size === JOBS) finished();
    });
    const started = Date.now();
    const now = new Date().toISOString();
    for (let i = 0; i < JOBS; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, JOBS - i) }, (_, k) => {
          const jobId = `job-${i + k}`;
          return bus.publish(
            DispatchRequested,
            { jobId, postId: jobId, targetId: jobId, accountId, platform: 'noop', attempt: 1, fencingToken: 1, dueAt: now, firedAt: now,
              content: { text: `bench ${jobId}`, hashtags: [], mediaIds: [], settings: {} } },
            { workspaceId: 'bench', correlationId: jobId, subject: 'dispatch.noop', id: `${jobId}:1` },
          );
        }),
      );
    }
    await allDone;
    return JOBS / ((Date.now() - started) / 1000);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await bus.destroyNamespace().catch(() => undefined);
    await bus.close();
    await db.drop();
  }
}

async function main(): Promise<void> {
  console.log(`publisher bench: ${JOBS} dispatches → no-op plugin → persisted outcome (NATS JetStream + Postgres)`);
  for (const n of COUNTS) {
    const rate = await run(n);
    console.log(`  ${n} publisher process${n > 1 ? 'es' : ''}: ${rate.toFixed(1)} published/s`);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);

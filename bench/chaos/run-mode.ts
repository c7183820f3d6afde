import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { ChaosApi } from './api';
import type { ChaosArgs, Mode } from './args';
import { check, type CheckResult, type SeededPost } from './checker';
import { countStates, isNonTerminal, readArrivals, readJobs } from './collect';
import { distributedTarget } from './distributed-target';
import { embeddedTarget } from './embedded-target';
import { runFaults } from './fault-runner';
import { planFaults, type FaultRecord } from './faults';
import { sleep } from './net';
import { marker, type ReceiversInfo } from './receiver-protocol';
import { Rng } from './rng';
import { planWorkload } from './workload';

export interface ModeRun {
  mode: Mode;
  runDir: string;
  result: CheckResult;
  faults: FaultRecord[];
  t0: number;
  seedMs: number;
  /** Posts not seeded because seeding fell behind their due time (not checked). */
  skipped: number;
}

async function startReceivers(root: string, args: ChaosArgs, runDir: string) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'receivers-child.ts'), String(args.webhookAccounts), String(args.blueskyAccounts), '2'], {
    cwd: root,
    env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`receivers exited with ${code}`)));
  });
  writeFileSync(path.join(runDir, 'receivers.json'), first);
  return { child, info: JSON.parse(first) as ReceiversInfo };
}

/**
 * Seeds the posts through the API in due order, `concurrency` requests at a time. A post whose due time comes
 * less than 1.5 s from now (seeding slower than planned) is left out and counted: the API refuses past times.
 */
async function seed(api: ChaosApi, posts: { text: string; post: ReturnType<typeof planWorkload>['posts'][number]; dueMs: number }[], concurrency: number): Promise<{ seeded: SeededPost[]; skipped: number }> {
  const out: SeededPost[] = [];
  const queue = [...posts].sort((a, b) => a.dueMs - b.dueMs);
  let next = 0;
  let skipped = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < queue.length) {
        const p = queue[next++];
        if (p.dueMs < Date.now() + 1_500) {
          skipped++;
          continue;
        }
        const postId = await api.schedule(p.text, p.post.account, p.dueMs);
        out.push({ n: p.post.n, postId, dueMs: p.dueMs, account: p.post.account.name, busy: p.post.account.busy });
      }
    }),
  );
  return { seeded: out.sort((a, b) => a.n - b.n), skipped };
}

/** One mode end to end: start, connect, seed, fault, settle, collect, check. */
export async function runMode(root: string, args: ChaosArgs, mode: Mode, outDir: string, log: (l: string) => void): Promise<ModeRun> {
  const runDir = path.join(outDir, mode);
  mkdirSync(runDir, { recursive: true });
  const rng = new Rng(args.seed * 31 + (mode === 'embedded' ? 1 : 2));
  const receivers = await startReceivers(root, args, runDir);
  const target = mode === 'embedded' ? await embeddedTarget(root, runDir, args.leaseMs) : await distributedTarget(root, runDir, args.leaseMs);
  try {
    const started = Date.now();
    await target.start();
    log(`${mode}: up in ${((Date.now() - started) / 1000).toFixed(1)} s at ${target.apiBase} (logs in ${runDir})`);
    const api = new ChaosApi(target.apiBase);
    await api.signIn();
    const accounts = await api.connect(receivers.info).catch(async (err: unknown) => {
      // On a loaded box the publisher can give up on every plugin ("did not start within 20000 ms", FINDINGS.md) and never
      // retries; restart the process that hosts them once, as a person would, and say so.
      log(`${mode}: ${err instanceof Error ? err.message : String(err)}; restarting the publisher once`);
      const host = target.processes.get(mode === 'embedded' ? 'embedded' : 'publisher');
      await host?.stop();
      await host?.start();
      return api.connect(receivers.info);
    });
    const workload = planWorkload(args, accounts, rng);
    const plan = planFaults(args, mode, workload, rng);
    // Seeding (in due order) should stay ahead of the due times: up to ~50 ms per post on a loaded 2-core box.
    const t0 = Date.now() + 10_000 + args.posts * 50;
    const runId = `${mode}-${args.seed}`;
    const planned = workload.posts.map((post) => ({ post, dueMs: t0 + post.offsetMs, text: `chaos ${runId} ${marker(post.n)} to ${post.account.name}` }));
    const seedStart = Date.now();
    const { seeded, skipped } = await seed(api, planned, 6);
    const seedMs = Date.now() - seedStart;
    log(`${mode}: seeded ${seeded.length} posts in ${(seedMs / 1000).toFixed(1)} s (${skipped} left out: seeding fell behind their due time); first due in ${((t0 - Date.now()) / 1000).toFixed(1)} s; ${plan.length} faults planned`);
    const faults = await runFaults(target, plan, t0, args.clockHoldMs, (l) => log(`${mode}: ${l}`));
    const dbUrl = await target.databaseUrl();
    const ids = seeded.map((p) => p.postId);
    // Settling starts when both the window and the fault plan are over (restarts can outlast the window).
    const deadline = Math.max(t0 + args.windowMs, Date.now()) + args.settleMs;
    for (;;) {
      const states = await countStates(dbUrl, ids).catch(() => ({}) as Record<string, number>);
      const open = Object.entries(states).filter(([s]) => isNonTerminal(s)).reduce((n, [, c]) => n + c, 0);
      if ((Date.now() > t0 + args.windowMs && open === 0 && Object.keys(states).length) || Date.now() > deadline) {
        log(`${mode}: settled ${JSON.stringify(states)}`);
        break;
      }
      await sleep(2_000);
    }
    await sleep(1_000); // the receivers' last arrivals
    const [jobs, arrivals] = await Promise.all([readJobs(dbUrl, ids), readArrivals(receivers.info.controlUrl)]);
    writeFileSync(path.join(runDir, 'arrivals.json'), JSON.stringify(arrivals));
    const result = check(seeded, jobs, arrivals, faults);
    return { mode, runDir, result, faults, t0, seedMs, skipped };
  } finally {
    await target.stop().catch((e: unknown) => log(`${mode}: stop: ${String(e)}`));
    receivers.child.kill('SIGTERM');
  }
}

import { writeFileSync } from 'node:fs';
import type { FaultRecord, PlannedFault } from './faults';
import { sleep } from './net';
import type { Target } from './target';

const MIN_UPTIME_MS = 5_000;

/**
 * Injects the planned faults at T0 + offset, one after the other (a fault whose moment comes while the previous
 * one is still being undone waits for it). Returns what happened, with real timestamps.
 */
export async function runFaults(target: Target, plan: PlannedFault[], t0: number, clockHoldMs: number, log: (line: string) => void): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  let healthyFrom = 0;
  for (const f of plan) {
    // Each fault hits a product that has been up for MIN_UPTIME_MS at least: on a slow box restarts can take longer
    // than the planned spacing, and back-to-back kills would only measure one long outage.
    const wait = Math.max(t0 + f.offsetMs, healthyFrom + MIN_UPTIME_MS) - Date.now();
    if (wait > 0) await sleep(wait);
    const rec: FaultRecord = { ...f, at: Date.now() };
    records.push(rec);
    try {
      await inject(target, f, clockHoldMs);
      rec.undoneAt = Date.now();
      healthyFrom = rec.undoneAt;
      log(`fault ${f.kind} ${f.target}: undone after ${((rec.undoneAt - rec.at) / 1000).toFixed(1)} s`);
    } catch (err) {
      rec.error = err instanceof Error ? err.message : String(err);
      log(`fault ${f.kind} ${f.target}: ${rec.error}`);
      // Leave the target running for the rest of the run, whatever happened.
      const proc = target.processes.get(f.target);
      if (proc && !proc.running) await proc.start().catch((e: unknown) => log(`restart of ${f.target} failed: ${String(e)}`));
      healthyFrom = Date.now();
    }
  }
  return records;
}

async function inject(target: Target, f: PlannedFault, clockHoldMs: number): Promise<void> {
  if (f.kind === 'clock') {
    writeFileSync(target.clockFile, String(f.param));
    await sleep(clockHoldMs);
    writeFileSync(target.clockFile, '0');
    return;
  }
  const proc = target.processes.get(f.target);
  if (!proc) throw new Error(`no process ${f.target} in ${target.mode} mode`);
  if (f.kind === 'zombie') {
    proc.signal('SIGSTOP');
    await sleep(f.param);
    proc.signal('SIGCONT');
    return;
  }
  await proc.crash();
  await sleep(f.param);
  await proc.start();
}

import { writeFileSync } from 'node:fs';
import type { FaultRecord, PlannedFault } from './faults';
import { sleep } from './net';
import type { Target } from './target';

/**
 * Injects the planned faults at T0 + offset, one after the other (a fault whose moment comes while the previous
 * one is still being undone waits for it). Returns what happened, with real timestamps.
 */
export async function runFaults(target: Target, plan: PlannedFault[], t0: number, clockHoldMs: number, log: (line: string) => void): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  for (const f of plan) {
    const wait = t0 + f.offsetMs - Date.now();
    if (wait > 0) await sleep(wait);
    const rec: FaultRecord = { ...f, at: Date.now() };
    records.push(rec);
    try {
      await inject(target, f, clockHoldMs);
      rec.undoneAt = Date.now();
      log(`fault ${f.kind} ${f.target}: undone after ${((rec.undoneAt - rec.at) / 1000).toFixed(1)} s`);
    } catch (err) {
      rec.error = err instanceof Error ? err.message : String(err);
      log(`fault ${f.kind} ${f.target}: ${rec.error}`);
      // Leave the target running for the rest of the run, whatever happened.
      const proc = target.processes.get(f.target);
      if (proc && !proc.running) await proc.start().catch((e: unknown) => log(`restart of ${f.target} failed: ${String(e)}`));
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

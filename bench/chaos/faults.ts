import type { ChaosArgs, FaultKind, Mode } from './args';
import type { Rng } from './rng';
import type { Workload } from './workload';

export interface PlannedFault {
  kind: FaultKind;
  /** Process name in the target ('embedded', 'scheduler', 'publisher', 'gateway', 'nats', 'postgres'). */
  target: string;
  /** Relative to T0 (ms). */
  offsetMs: number;
  /** kill: down time before the restart; zombie: stopped time; clock: the step (±3600000). */
  param: number;
}

export interface FaultRecord extends PlannedFault {
  /** Epoch ms when the fault was injected, when it was undone (restart ready / SIGCONT / clock back). */
  at: number;
  undoneAt?: number;
  error?: string;
}

const KILL_TARGETS: Record<Mode, { name: string; weight: number }[]> = {
  embedded: [{ name: 'embedded', weight: 1 }],
  distributed: [
    { name: 'publisher', weight: 3 },
    { name: 'scheduler', weight: 3 },
    { name: 'gateway', weight: 1 },
    { name: 'nats', weight: 2 },
    { name: 'postgres', weight: 1 },
  ],
};

function weighted(rng: Rng, items: { name: string; weight: number }[]): string {
  let r = rng.next() * items.reduce((s, i) => s + i.weight, 0);
  for (const i of items) if ((r -= i.weight) < 0) return i.name;
  return items[items.length - 1].name;
}

/**
 * The fault plan of one mode: spaced evenly with jitter over the window; every other kill lands 0.1-0.8 s
 * after a burst instant or inside the busy account's window, where the issue saw posts stranded.
 */
export function planFaults(args: ChaosArgs, mode: Mode, workload: Workload, rng: Rng): PlannedFault[] {
  const count = args.faults[mode];
  const faults: PlannedFault[] = [];
  const slot = args.windowMs / (count + 1);
  const hot = [...workload.bursts, ...workload.busyWindow];
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(args.faultKinds);
    let offsetMs = Math.round((i + 1) * slot + rng.between(-0.3, 0.3) * slot);
    if (kind === 'kill' && i % 2 === 0 && hot.length) offsetMs = rng.pick(hot) + Math.round(rng.between(100, 800));
    const target = kind === 'kill' ? weighted(rng, KILL_TARGETS[mode]) : mode === 'embedded' ? 'embedded' : kind === 'zombie' ? 'publisher' : 'scheduler';
    const param = kind === 'kill' ? Math.round(rng.between(300, 2_000)) : kind === 'zombie' ? 2 * args.leaseMs : rng.next() < 0.5 ? 3_600_000 : -3_600_000;
    faults.push({ kind, target, offsetMs, param });
  }
  return faults.sort((a, b) => a.offsetMs - b.offsetMs);
}

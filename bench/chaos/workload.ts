import type { ChaosArgs } from './args';
import type { ConnectedAccount } from './api';
import type { Rng } from './rng';

export interface PlannedPost {
  n: number;
  /** Due time relative to the run's first instant T0 (ms). */
  offsetMs: number;
  account: ConnectedAccount;
  burst: boolean;
}

export interface Workload {
  posts: PlannedPost[];
  /** Burst instants relative to T0 (ms). */
  bursts: number[];
  /** When the busy account's posts are due (relative ms): past its 60/min budget. */
  busyWindow: [number, number];
}

/**
 * Due times: the busy account's posts crowded into a third of the window (past its rate limit), a share of
 * the rest in bursts (all due at one instant), the remainder spread uniformly; accounts drawn at random.
 */
export function planWorkload(args: ChaosArgs, accounts: ConnectedAccount[], rng: Rng): Workload {
  const busy = accounts.find((a) => a.busy);
  const normal = accounts.filter((a) => !a.busy);
  const w = args.windowMs;
  const bursts = Array.from({ length: args.bursts }, (_, i) => Math.round(((i + 1) * w) / (args.bursts + 1) + rng.between(-0.05, 0.05) * w));
  const busyStart = Math.round(w * 0.3);
  const busyWindow: [number, number] = [busyStart, busyStart + Math.max(10_000, Math.round(w / 3))];
  const busyCount = busy ? Math.min(args.busyPosts, args.posts) : 0;
  const burstCount = Math.round((args.posts - busyCount) * args.burstShare);
  const posts: PlannedPost[] = [];
  for (let n = 0; n < args.posts; n++) {
    if (n < busyCount && busy) {
      posts.push({ n, offsetMs: Math.round(rng.between(busyWindow[0], busyWindow[1])), account: busy, burst: false });
    } else if (n < busyCount + burstCount && bursts.length) {
      posts.push({ n, offsetMs: bursts[(n - busyCount) % bursts.length], account: rng.pick(normal), burst: true });
    } else {
      posts.push({ n, offsetMs: Math.round(rng.between(0, w)), account: rng.pick(normal), burst: false });
    }
  }
  return { posts, bursts, busyWindow };
}

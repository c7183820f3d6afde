/** Command-line flags and the two profiles of the chaos harness (`npm run chaos -- --profile long`). */
export type Mode = 'embedded' | 'distributed';
export type FaultKind = 'kill' | 'zombie' | 'clock';

export interface ChaosArgs {
  profile: 'short' | 'long' | 'custom';
  seed: number;
  modes: Mode[];
  /** Posts per mode. */
  posts: number;
  /** Due times spread over this window (ms), starting `leadMs` after seeding. */
  windowMs: number;
  /** Share of the posts that fall in bursts (all due at one instant). */
  burstShare: number;
  bursts: number;
  /** Posts on the busy webhook account (rate limit 60/min), due within `busyWindowMs`. */
  busyPosts: number;
  webhookAccounts: number;
  blueskyAccounts: number;
  /** Faults per mode; kinds drawn from `faultKinds`. */
  faults: Record<Mode, number>;
  faultKinds: FaultKind[];
  /** Scheduler claim lease (SX_SCHEDULER_LEASE_MS, the product default 60 s); a zombie publisher is stopped for twice this. */
  leaseMs: number;
  /** How long a ±1 h clock step stays before the clock steps back. */
  clockHoldMs: number;
  /** Time allowed after the last due time for every job to settle. */
  settleMs: number;
  outDir: string;
  build: boolean;
  /** Run the modes at the same time (npm test: both within its time budget). */
  parallel: boolean;
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

function num(argv: string[], name: string, fallback: number): number {
  const raw = flag(argv, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${raw}"`);
  return n;
}

function list<T extends string>(argv: string[], name: string, all: readonly T[], fallback: T[]): T[] {
  const raw = flag(argv, name);
  if (!raw) return fallback;
  const picked = raw.split(',').map((s) => s.trim()) as T[];
  const unknown = picked.filter((s) => !all.includes(s));
  if (unknown.length) throw new Error(`--${name} accepts ${all.join(',')}; unknown: ${unknown.join(',')}`);
  return picked;
}

const PROFILES = {
  // npm test: 300 posts, 3 kill -9 per mode, < 4 minutes for both modes on 2 cores.
  short: {
    posts: 300, windowMs: 30_000, burstShare: 0.4, bursts: 2, busyPosts: 66, webhookAccounts: 8, blueskyAccounts: 2,
    faults: { embedded: 3, distributed: 3 }, faultKinds: ['kill'] as FaultKind[], settleMs: 75_000,
  },
  // The "done when": 10,000 posts, >= 50 kills embedded, >= 100 faults distributed.
  long: {
    posts: 10_000, windowMs: 900_000, burstShare: 0.3, bursts: 10, busyPosts: 400, webhookAccounts: 24, blueskyAccounts: 4,
    faults: { embedded: 50, distributed: 100 }, faultKinds: ['kill', 'zombie', 'clock'] as FaultKind[], settleMs: 300_000,
  },
};

export function parseArgs(argv: string[]): ChaosArgs {
  const profileName = (flag(argv, 'profile') ?? 'short') as ChaosArgs['profile'];
  if (!['short', 'long', 'custom'].includes(profileName)) throw new Error('--profile is short, long or custom');
  const p = PROFILES[profileName === 'custom' ? 'short' : profileName];
  const faults = num(argv, 'faults', -1);
  return {
    profile: profileName,
    seed: num(argv, 'seed', 15),
    modes: list(argv, 'modes', ['embedded', 'distributed'] as const, ['embedded', 'distributed']),
    posts: Math.round(num(argv, 'posts', p.posts)),
    windowMs: num(argv, 'window', p.windowMs / 1000) * 1000,
    burstShare: num(argv, 'burst-share', p.burstShare),
    bursts: Math.round(num(argv, 'bursts', p.bursts)),
    busyPosts: Math.round(num(argv, 'busy-posts', p.busyPosts)),
    webhookAccounts: Math.max(1, Math.round(num(argv, 'webhooks', p.webhookAccounts))),
    blueskyAccounts: Math.round(num(argv, 'bluesky', p.blueskyAccounts)),
    faults: faults >= 0 ? { embedded: faults, distributed: faults } : {
      embedded: Math.round(num(argv, 'faults-embedded', p.faults.embedded)),
      distributed: Math.round(num(argv, 'faults-distributed', p.faults.distributed)),
    },
    faultKinds: list(argv, 'fault-kinds', ['kill', 'zombie', 'clock'] as const, p.faultKinds),
    leaseMs: num(argv, 'lease', 60) * 1000,
    clockHoldMs: num(argv, 'clock-hold', 10) * 1000,
    settleMs: num(argv, 'settle', p.settleMs / 1000) * 1000,
    outDir: flag(argv, 'out') ?? 'tmp/chaos',
    build: !argv.includes('--no-build'),
    parallel: argv.includes('--parallel'),
  };
}
